"""Facilitator pages: start a session, project the join screen, run it live, read the report."""

from __future__ import annotations

import io

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from wtforms.fields.choices import SelectChoice

from . import charts, csvexport, facilitation, report, reportview
from .accounts.access import teacher_required
from .authoring.publishing import misconceptions
from .forms import StartSessionForm
from .numbers import whole
from .play import sessions
from .sets.vocabulary import SKILLS
from .storage import queries
from .storage.connection import get_db
from .web.forms import EmptyForm

bp = Blueprint("run", __name__, url_prefix="/run")
LIVE_POLL_SECONDS = 3


def _csrf_only() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


def _session(code: str) -> sessions.LoadedSession:
    return facilitation.owned(get_db(), code, g.teacher.id)


def _join_url(code: str) -> str:
    """Return the address students type or scan (BASE_URL if set, else this host)."""
    base = current_app.config.get("BASE_URL") or request.host_url
    return f"{base.rstrip('/')}{url_for('play.join_link', code=code)}"


def _dashboard_url(code: str, **args) -> str:
    return url_for("run.dashboard", code=code, **args)


# Starting ----------------------------------------------------------------------


def _start_form(formdata=None) -> StartSessionForm:
    form = StartSessionForm(formdata=formdata)
    sets = facilitation.startable_sets(get_db(), g.teacher.id)
    form.set_id.choices = [SelectChoice(v["slug"], v["title"]) for v in sets]
    return form


def _home_page(form: StartSessionForm, status: int = 200):
    sessions = queries.sessions_owned_by(get_db(), g.teacher.id)
    return render_template(
        "run/home.html",
        form=form,
        sessions=sessions,
        paces=facilitation.PACES,
        feedback=facilitation.FEEDBACK,
    ), status


@bp.get("/")
@teacher_required
def home():
    return _home_page(_start_form())


@bp.post("/")
@teacher_required
def start():
    form = _start_form(request.form)
    if not form.validate_on_submit():
        return _home_page(form, 422)
    try:
        settings = facilitation.Settings(
            slug=form.set_id.data,
            title=(form.title.data or "").strip() or None,
            pace=form.pace.data,
            feedback=form.feedback.data,
            teams=facilitation.parse_teams(form.teams.data),
            checks=form.checks.data,
        )
        row = facilitation.start(get_db(), g.teacher.id, settings)
    except sessions.PlayError as exc:
        target = form.teams if "team" in exc.message else form.checks
        target.errors = [exc.message]
        return _home_page(form, exc.status)
    return redirect(url_for("run.screen", code=row["code"]), 303)


# The projector --------------------------------------------------------------------


def _counts(sess: sessions.LoadedSession) -> dict:
    participants = queries.participants_of(get_db(), sess.row["id"])
    teams = [
        {**t, "joined": sum(1 for p in participants if p["team_id"] == t["id"])} for t in sess.teams
    ]
    return {"joined": len(participants), "teams": teams}


@bp.get("/<code>/screen")
@teacher_required
def screen(code: str):
    sess = _session(code)
    return render_template(
        "run/screen.html",
        sess=sess,
        join_url=_join_url(sess.code),
        counts=_counts(sess),
        form=EmptyForm(),
    )


@bp.get("/<code>/screen/count")
@teacher_required
def screen_count(code: str):
    sess = _session(code)
    return render_template("run/_count.html", sess=sess, counts=_counts(sess))


@bp.get("/<code>/qr.svg")
@teacher_required
def qr(code: str):
    sess = _session(code)
    out = io.BytesIO()
    segno.make(_join_url(sess.code), error="m").save(
        out, kind="svg", scale=10, border=2, title=f"QR code to join session {sess.code}"
    )
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# Live --------------------------------------------------------------------------------


def _live_context(sess: sessions.LoadedSession) -> dict:
    db = get_db()
    participants = queries.participants_of(db, sess.row["id"])
    answers = queries.answers_in(db, sess.row["id"])
    live = report.live(
        sess.questions,
        participants,
        sess.teams,
        answers,
        misconceptions(current_app.config["QUESTIONS_DIR"]),
    )
    activity = queries.activity(db, sess.row["id"])
    hide = request.args.get("hide") == "1"
    return {
        "sess": sess,
        "live": live,
        "participants": participants,
        "hide": hide,
        "poll_url": url_for(
            "run.live_panel",
            code=sess.code,
            state=activity["state"],
            joined=activity["joined"],
            answers=activity["answers"],
            hide="1" if hide else "0",
        ),
        "poll_seconds": LIVE_POLL_SECONDS,
        "form": EmptyForm(),
        "current": next((q for q in sess.questions if q["number"] == sess.current), None),
        "skills": SKILLS,
    }


@bp.get("/<code>")
@teacher_required
def dashboard(code: str):
    sess = _session(code)
    return render_template(
        "run/session.html",
        join_url=_join_url(sess.code),
        paces=facilitation.PACES,
        feedback=facilitation.FEEDBACK,
        **_live_context(sess),
    )


@bp.get("/<code>/live")
@teacher_required
def live_panel(code: str):
    """Refresh the live panel; 204 when nothing joined, answered or changed."""
    sess = _session(code)
    now = queries.activity(get_db(), sess.row["id"])
    seen = {k: request.args.get(k) for k in ("state", "joined", "answers")}
    if seen == {k: str(v) for k, v in now.items()}:
        return Response(status=204)
    return render_template("run/_live.html", **_live_context(sess))


@bp.get("/<code>/room/<id:pk>")
@teacher_required
def room(code: str, pk: int):
    sess = _session(code)
    q = sess.question(pk)
    if q is None:
        abort(404)
    answers = [a for a in queries.answers_in(get_db(), sess.row["id"]) if a["question_id"] == pk]
    stats = report.question_stats(q, answers)
    return render_template(
        "run/room.html",
        sess=sess,
        q=q,
        stats=stats,
        revealed=sess.revealed(q),
        article=sess.article(q),
        form=EmptyForm(),
    )


# Controls ---------------------------------------------------------------------------


@bp.post("/<code>/goto")
@teacher_required
def goto(code: str):
    _csrf_only()
    sess = _session(code)
    raw = request.form.get("number", "")
    if raw == "start":
        number = None
    elif whole(raw) is not None:
        number = whole(raw)
    else:
        abort(422)
    facilitation.go_to(get_db(), sess, number)
    return redirect(_dashboard_url(sess.code, _anchor="controls"), 303)


@bp.post("/<code>/questions/<id:pk>/<any(lock, unlock, reveal, hide):action>")
@teacher_required
def mark(code: str, pk: int, action: str):
    _csrf_only()
    sess = _session(code)
    facilitation.mark(get_db(), sess, pk, action)
    if action == "reveal" and request.form.get("then") == "room":
        return redirect(url_for("run.room", code=sess.code, pk=pk), 303)
    return redirect(_dashboard_url(sess.code, _anchor=f"question-{pk}"), 303)


@bp.post("/<code>/<any(close, reopen):action>")
@teacher_required
def open_close(code: str, action: str):
    _csrf_only()
    sess = _session(code)
    facilitation.set_open(get_db(), sess, action == "reopen")
    flash("Session closed: it takes no more answers." if action == "close" else "Session reopened.")
    return redirect(_dashboard_url(sess.code), 303)


@bp.post("/<code>/participants/<pid>/<any(remove, rejoin, team):action>")
@teacher_required
def participant(code: str, pid: str, action: str):
    _csrf_only()
    sess = _session(code)
    if action == "remove":
        facilitation.remove(get_db(), sess, pid)
        flash("Participant removed, with their answers.")
    elif action == "rejoin":
        rejoin_code = facilitation.issue_rejoin(get_db(), sess, pid)
        flash(
            f"Rejoin code: {rejoin_code}. The student types it with the same nickname under "
            "“Lost your device?” on the join page. It works once, for 30 minutes."
        )
    else:
        facilitation.move(get_db(), sess, pid, request.form.get("team", ""))
        flash("Participant moved.")
    return redirect(_dashboard_url(sess.code, _anchor="people"), 303)


# After the session ---------------------------------------------------------------------


def _report_data(sess: sessions.LoadedSession) -> dict:
    db = get_db()
    return report.build(
        sess.questions,
        queries.participants_of(db, sess.row["id"]),
        sess.teams,
        queries.answers_in(db, sess.row["id"]),
        misconceptions(current_app.config["QUESTIONS_DIR"]),
    )


@bp.get("/<code>/report")
@teacher_required
def report_page(code: str):
    sess = _session(code)
    with report.collector_paused():
        r = _report_data(sess)
        return render_template(
            "run/report.html",
            sess=sess,
            r=r,
            charts=charts.charts_for(r),
            view=reportview.tables(r),
            skills=SKILLS,
            misconceptions=misconceptions(current_app.config["QUESTIONS_DIR"]),
        )


@bp.get("/<code>/<any(answers, participants):kind>.csv")
@teacher_required
def csv(code: str, kind: str):
    sess = _session(code)
    db = get_db()
    with report.collector_paused():
        args = (
            sess.questions,
            queries.participants_of(db, sess.row["id"]),
            sess.teams,
            queries.answers_in(db, sess.row["id"]),
        )
        export = csvexport.answers_csv if kind == "answers" else csvexport.participants_csv
        body = export(*args)
    response = Response(body, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="lateral-{sess.code}-{kind}.csv"'
    )
    return response


@bp.route("/<code>/delete", methods=["GET", "POST"])
@teacher_required
def delete_data(code: str):
    sess = _session(code)
    if request.method == "GET":
        return render_template("run/delete.html", sess=sess, form=EmptyForm(), error=None)
    _csrf_only()
    if sessions.normalise_code(request.form.get("confirm", "")) != sess.code:
        return render_template(
            "run/delete.html",
            sess=sess,
            form=EmptyForm(),
            error=f"Type the session code {sess.code} to confirm.",
        ), 422
    count = facilitation.delete_data(get_db(), sess)
    flash(f"Deleted the data of {count} participants.")
    return redirect(_dashboard_url(sess.code), 303)
