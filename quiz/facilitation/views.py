"""Facilitator pages: start a session, project the join screen, run it live, delete its data.

The report and the CSV files are in ``results.views``."""

from __future__ import annotations

import io
from collections.abc import Callable

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from ..accounts import audit
from ..accounts.access import teacher_required
from ..numbers import whole
from ..play import sessions
from ..results import items
from ..results.live import view as live_view
from ..sets.vocabulary import FEEDBACK_MODES
from ..storage import queries
from ..storage.connection import get_db
from ..web.cache import current
from ..web.forms import EmptyForm, require_csrf, show_refusal
from ..web.urls import public_url
from . import control
from .forms import StartSessionForm

bp = Blueprint("facilitation", __name__)
LIVE_POLL_SECONDS = 3
PARTICIPANT_ACTIONS = ("team", "rejoin", "remove")


def _session(code: str) -> sessions.LoadedSession:
    return control.owned(get_db(), code, g.teacher.id, current())


def _join_url(code: str) -> str:
    """Return the address students type or scan (see web.urls.public_url)."""
    return public_url("play.join_link", code=code)


def _dashboard_url(code: str, **args) -> str:
    return url_for("facilitation.dashboard", code=code, **args)


# Starting ----------------------------------------------------------------------


def _start_form(formdata=None) -> StartSessionForm:
    form = StartSessionForm(formdata=formdata)
    sets = control.startable_sets(get_db(), g.teacher.id)
    form.set_id.choices = [SelectChoice(v["slug"], v["title"]) for v in sets]
    return form


def _home_page(form: StartSessionForm, status: int = 200):
    sessions = queries.sessions_owned_by(get_db(), g.teacher.id)
    return render_template(
        "facilitation/home.html",
        form=form,
        sessions=sessions,
    ), status


@bp.get("/run/")
@teacher_required
def home() -> ResponseReturnValue:
    return _home_page(_start_form())


@bp.post("/run/")
@teacher_required
def start() -> ResponseReturnValue:
    form = _start_form(request.form)
    if not form.validate_on_submit():
        return _home_page(form, 422)
    try:
        settings = control.Settings(
            slug=form.set_id.data,
            title=(form.title.data or "").strip() or None,
            pace=form.pace.data,
            feedback=form.feedback.data,
            teams=control.parse_teams(form.teams.data),
            checks=form.checks.data,
            word_filter=form.word_filter.data,
        )
        row = control.start(get_db(), g.teacher.id, settings)
    except sessions.PlayError as exc:
        show_refusal(form, exc, "checks")
        return _home_page(form, exc.status)
    return redirect(url_for("facilitation.screen", code=row["code"]), 303)


# The projector --------------------------------------------------------------------


def _counts(sess: sessions.LoadedSession) -> dict:
    participants = queries.participants_of(get_db(), sess.row["id"])
    teams = [
        {**t, "joined": sum(1 for p in participants if p["team_id"] == t["id"])} for t in sess.teams
    ]
    return {"joined": len(participants), "teams": teams}


@bp.get("/run/<code>/screen")
@teacher_required
def screen(code: str) -> ResponseReturnValue:
    sess = _session(code)
    join_url = _join_url(sess.code)
    return render_template(
        "facilitation/screen.html",
        sess=sess,
        join_url=join_url,
        # Where to type the code: the address without /join/<code>.
        join_host=join_url.rsplit("/join/", 1)[0],
        # Read out letter by letter by a screen reader.
        spelled_code=" ".join(sess.code),
        counts=_counts(sess),
        form=EmptyForm(),
    )


@bp.get("/run/<code>/screen/count")
@teacher_required
def screen_count(code: str) -> ResponseReturnValue:
    sess = _session(code)
    return render_template("facilitation/_count.html", sess=sess, counts=_counts(sess))


@bp.get("/run/<code>/qr.svg")
@teacher_required
def qr(code: str) -> ResponseReturnValue:
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
    live = live_view(sess.questions, participants, sess.teams, answers, sess.misconceptions)
    # Each row's forms post to <prefix><participant id>/<action> (ids are URL-safe).
    prefix = url_for("facilitation.participant", code=sess.code, pid="_", action="remove")
    prefix = prefix.removesuffix("_/remove")
    for p in live["participants"]:
        p["urls"] = {action: f"{prefix}{p['id']}/{action}" for action in PARTICIPANT_ACTIONS}
    activity = queries.activity(db, sess.row["id"])
    hide = request.args.get("hide") == "1"
    return {
        "sess": sess,
        "live": live,
        "participants": participants,
        "hide": hide,
        "poll_url": url_for(
            "facilitation.live_panel",
            code=sess.code,
            state=activity["state"],
            joined=activity["joined"],
            answers=activity["answers"],
            hide="1" if hide else "0",
        ),
        "poll_seconds": LIVE_POLL_SECONDS,
        "form": EmptyForm(),
        "current": next((q for q in sess.questions if q["number"] == sess.current), None),
    }


@bp.get("/run/<code>")
@teacher_required
def dashboard(code: str) -> ResponseReturnValue:
    sess = _session(code)
    return render_template(
        "facilitation/session.html",
        join_url=_join_url(sess.code),
        # "feedback: after each answer", within the line under the title.
        feedback_label=FEEDBACK_MODES[sess.feedback][:1].lower()
        + FEEDBACK_MODES[sess.feedback][1:],
        **_live_context(sess),
    )


@bp.get("/run/<code>/live")
@teacher_required
def live_panel(code: str) -> ResponseReturnValue:
    """Refresh the live panel; 204 when nothing joined, answered or changed."""
    sess = _session(code)
    now = queries.activity(get_db(), sess.row["id"])
    seen = {k: request.args.get(k) for k in ("state", "joined", "answers")}
    if seen == {k: str(v) for k, v in now.items()}:
        return Response(status=204)
    return render_template("facilitation/_live.html", **_live_context(sess))


@bp.get("/run/<code>/room/<id:pk>")
@teacher_required
def room(code: str, pk: int) -> ResponseReturnValue:
    sess = _session(code)
    q = sess.question(pk)
    if q is None:
        abort(404)
    answers = [a for a in queries.answers_in(get_db(), sess.row["id"]) if a["question_id"] == pk]
    stats = items.question_stats(q, answers)
    return render_template(
        "facilitation/room.html",
        sess=sess,
        q=q,
        stats=stats,
        revealed=sess.revealed(q),
        article=sess.article(q),
        form=EmptyForm(),
    )


# Controls ---------------------------------------------------------------------------


@bp.post("/run/<code>/goto")
@teacher_required
def goto(code: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    raw = request.form.get("number", "")
    if raw == "start":
        number = None
    elif whole(raw) is not None:
        number = whole(raw)
    else:
        abort(422)
    control.go_to(get_db(), sess, number)
    return redirect(_dashboard_url(sess.code, _anchor="controls"), 303)


@bp.post("/run/<code>/questions/<id:pk>/<any(lock, unlock, reveal, hide):action>")
@teacher_required
def mark(code: str, pk: int, action: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    control.mark(get_db(), sess, pk, action)
    if action == "reveal" and request.form.get("then") == "room":
        return redirect(url_for("facilitation.room", code=sess.code, pk=pk), 303)
    return redirect(_dashboard_url(sess.code, _anchor=f"question-{pk}"), 303)


@bp.post("/run/<code>/<any(close, reopen):action>")
@teacher_required
def open_close(code: str, action: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    control.set_open(get_db(), sess, action == "reopen")
    audit.log(f"session_{action}", "ok", session=sess.code)
    flash("Session closed: it takes no more answers." if action == "close" else "Session reopened.")
    return redirect(_dashboard_url(sess.code), 303)


SWITCHED = {
    "lock": "Joining is locked: new nicknames can't join. Rejoin codes still work.",
    "unlock": "Joining is open again.",
    "on": "The word filter is on: nicknames on the word list are refused from now on.",
    "off": "The word filter is off.",
}


@bp.post("/run/<code>/joining/<any(lock, unlock):action>")
@teacher_required
def joining(code: str, action: str) -> ResponseReturnValue:
    return _switch(code, action, control.lock_joining, action == "lock")


@bp.post("/run/<code>/word-filter/<any(on, off):action>")
@teacher_required
def word_filter(code: str, action: str) -> ResponseReturnValue:
    return _switch(code, action, control.filter_words, action == "on")


def _switch(code: str, action: str, change: Callable, on: bool) -> ResponseReturnValue:
    """Turn one of the session's joining controls on or off, and say so."""
    require_csrf()
    sess = _session(code)
    change(get_db(), sess, on)
    flash(SWITCHED[action])
    return redirect(_dashboard_url(sess.code, _anchor="controls"), 303)


@bp.post("/run/<code>/participants/<pid>/<any(remove, rejoin, team):action>")
@teacher_required
def participant(code: str, pid: str, action: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    if action == "remove":
        control.remove(get_db(), sess, pid)
        flash(
            "Participant removed, with their answers. Their device can't join this session "
            "again, and new nicknames from their network wait two minutes. To stop every new "
            "join, lock joining."
        )
    elif action == "rejoin":
        rejoin_code = control.issue_rejoin(get_db(), sess, pid)
        flash(
            f"Rejoin code: {rejoin_code}. The student types it with the same nickname under "
            "“Lost your device?” on the join page. It works once, for 30 minutes."
        )
    else:
        control.move(get_db(), sess, pid, request.form.get("team", ""))
        flash("Participant moved.")
    return redirect(_dashboard_url(sess.code, _anchor="people"), 303)


@bp.route("/run/<code>/delete", methods=["GET", "POST"])
@teacher_required
def delete_data(code: str) -> ResponseReturnValue:
    sess = _session(code)
    if request.method == "GET":
        return render_template("facilitation/delete.html", sess=sess, form=EmptyForm(), error=None)
    require_csrf()
    if sessions.normalise_code(request.form.get("confirm", "")) != sess.code:
        return render_template(
            "facilitation/delete.html",
            sess=sess,
            form=EmptyForm(),
            error=f"Type the session code {sess.code} to confirm.",
        ), 422
    count = control.delete_data(get_db(), sess)
    audit.log("session_delete_data", "ok", session=sess.code, participants=count)
    flash(f"Deleted the data of {count} participants.")
    return redirect(_dashboard_url(sess.code), 303)
