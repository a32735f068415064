"""Facilitator pages: start a session (with its lesson plan), run it live, control the
room, delete its data.

The projector's pages (the join screen and the room screen) are in ``room_views``; the
report and the CSV files in ``results.views``."""

from __future__ import annotations

from collections.abc import Callable

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
from ..results import votes
from ..results.live import view as live_view
from ..sets.vocabulary import (
    FEEDBACK_MODES,
    MINUTES_PER_TYPE,
    PEER_INSTRUCTION_MINUTES,
    TIMER_STEP,
    TIMERS,
)
from ..storage import queries
from ..storage.connection import get_db
from ..web.cache import current
from ..web.forms import EmptyForm, require_csrf, show_refusal
from ..web.urls import public_url
from . import control, lesson, room
from .forms import StartSessionForm, TimerForm

bp = Blueprint("facilitation", __name__)
LIVE_POLL_SECONDS = 3
PARTICIPANT_ACTIONS = ("team", "rejoin", "remove")

MESSAGES = {
    "closed": "Session closed: it takes no more answers.",
    "reopened": "Session reopened.",
    "plan_changed": "You chose another set: here are its questions. Choose, then start.",
    "removed": "Participant removed, with their answers. Their device can't join this "
    "session again, and new nicknames from their network wait two minutes. To stop every "
    "new join, lock joining.",
    "rejoin": "Rejoin code: {code}. The student types it with the same nickname under "
    "“Lost your device?” on the join page. It works once, for 30 minutes.",
    "moved": "Participant moved.",
    "deleted": "Deleted the data of {count} participants.",
    "confirm_delete": "Type the session code {code} to confirm.",
}


def _session(code: str) -> sessions.LoadedSession:
    return control.owned(get_db(), code, g.teacher.id, current())


def join_url(code: str) -> str:
    """Return the address students type or scan (see web.urls.public_url)."""
    return public_url("play.join_link", code=code)


def _dashboard_url(code: str, **args) -> str:
    return url_for("facilitation.dashboard", code=code, **args)


# Each control of a led session: its label on the dashboard, its shorter label on the
# room screen (None: not offered there) and its keyboard key (None: no key).
CONTROLS = {
    "first": ("Open the first question", "Open question 1", "N"),
    "next": ("Next question", "Next", "N"),
    "previous": ("Previous question", None, None),
    "lock": ("Lock answers", "Lock", "L"),
    "unlock": ("Unlock answers", "Unlock", "L"),
    "reveal": ("Reveal the answer", "Reveal", "R"),
    "add_time": ("Add 30 seconds", "Add 30 s", "T"),
    "start_timer": ("Start a 30-second timer", "30 s timer", "T"),
    "stop_timer": ("Stop the timer", None, None),
    "vote": ("Second vote: talk, then vote again", "Vote again", "V"),
}


def _control_url(code: str, action: dict) -> str:
    name = action["name"]
    if "number" in action:
        return url_for("facilitation.goto", code=code)
    if name in ("lock", "unlock", "reveal"):
        return url_for("facilitation.mark", code=code, pk=action["pk"], action=name)
    if name == "vote":
        return url_for("facilitation.vote", code=code, pk=action["pk"])
    timer_action = "stop" if name == "stop_timer" else "add"
    return url_for("facilitation.timer", code=code, pk=action["pk"], action=timer_action)


def controls(sess: sessions.LoadedSession, on_room: bool = False) -> list[dict]:
    """The buttons of a led session's controls (room.actions), ready to render: the form's
    action and fields, the label and the keyboard key; ``on_room``: those the room
    screen offers, with their short labels."""
    out = []
    for action in room.actions(sess):
        label, short, key = CONTROLS[action["name"]]
        if on_room and short is None:
            continue
        out.append(
            {
                "name": action["name"],
                "url": _control_url(sess.code, action),
                "fields": {"number": action["number"]} if "number" in action else {},
                "label": short if on_room else label,
                "key": key,
            }
        )
    return out


# Starting ----------------------------------------------------------------------


def _start_form(formdata=None) -> StartSessionForm:
    form = StartSessionForm(formdata=formdata)
    sets = control.startable_sets(get_db(), g.teacher.id)
    form.set_id.choices = [SelectChoice(v["slug"], v["title"]) for v in sets]
    return form


def _set_questions(slug: str) -> list[dict]:
    """The main questions of a set's newest published version (the plan's rows)."""
    version = queries.latest_published(get_db(), slug)
    return queries.questions_of(get_db(), version["id"]) if version else []


def _plan_rows(form: StartSessionForm) -> list[dict]:
    return [entry.form.data for entry in form.plan.entries]


def _draw_plan(form: StartSessionForm, questions: list[dict]) -> None:
    """Put a set's questions in the plan's rows: all chosen, in the set's order."""
    while form.plan.entries:
        form.plan.pop_entry()
    for row in lesson.default_rows(questions):
        form.plan.append_entry(row)
    form.plan_for.data = form.set_id.data


def _home_page(form: StartSessionForm, status: int = 200, questions: list[dict] | None = None):
    """The sessions page; with ``questions``, the start form's lesson-plan step."""
    plan = None
    if questions is not None:
        chosen = {r["qid"] for r in _plan_rows(form) if r["include"]}
        by_id = {q["id"]: q for q in questions}
        plan = {
            "rows": [
                (e, by_id[e.form.qid.data]) for e in form.plan.entries if e.form.qid.data in by_id
            ],
            "chosen": sum(1 for q in questions if q["id"] in chosen),
            "minutes": lesson.estimate(q for q in questions if q["id"] in chosen),
            "per_type": MINUTES_PER_TYPE,
            "peer": PEER_INSTRUCTION_MINUTES,
        }
    return render_template(
        "facilitation/home.html",
        form=form,
        sessions=queries.sessions_owned_by(get_db(), g.teacher.id),
        plan=plan,
    ), status


@bp.get("/run/")
@teacher_required
def home() -> ResponseReturnValue:
    return _home_page(_start_form())


@bp.post("/run/")
@teacher_required
def start() -> ResponseReturnValue:
    """Start a session; the "choose the questions" button shows the lesson plan first."""
    form = _start_form(request.form)
    if not form.validate_on_submit():
        return _home_page(form, 422)
    questions = _set_questions(form.set_id.data)
    planning = bool(form.plan_for.data)
    if planning and form.plan_for.data != form.set_id.data:
        _draw_plan(form, questions)
        form.set_id.errors = [MESSAGES["plan_changed"]]
        return _home_page(form, 422, questions)
    step = request.form.get("step")
    if step in ("plan", "all", "none"):
        if not planning:
            _draw_plan(form, questions)
        if step != "plan":
            for entry in form.plan.entries:
                entry.form.include.data = step == "all"
        return _home_page(form, 200, questions)
    try:
        settings = control.Settings(
            slug=form.set_id.data,
            title=(form.title.data or "").strip() or None,
            pace=form.pace.data,
            feedback=form.feedback.data,
            teams=control.parse_teams(form.teams.data),
            checks=form.checks.data,
            word_filter=form.word_filter.data,
            confidence=form.confidence.data,
            plan=lesson.parse(_plan_rows(form), questions) if planning else None,
            shuffle=form.shuffle.data,
            timer=int(form.timer.data) if form.timer.data else None,
            ends=getattr(form, "ends", None),
        )
        row = control.start(get_db(), g.teacher.id, settings)
    except sessions.PlayError as exc:
        show_refusal(form, exc, "checks")
        return _home_page(form, exc.status, questions if planning else None)
    # A led session opens on the room screen (the join screen until the first question).
    target = "facilitation.room_screen" if row["pace"] == "led" else "facilitation.screen"
    return redirect(url_for(target, code=row["code"]), 303)


# Live --------------------------------------------------------------------------------


def _live_context(sess: sessions.LoadedSession) -> dict:
    db = get_db()
    participants = queries.participants_of(db, sess.row["id"])
    answers = queries.answers_in(db, sess.row["id"])
    live = live_view(sess.questions, participants, sess.teams, answers, sess.misconceptions)
    moved = votes.shift(
        sess.questions, participants, sess.teams, queries.votes_in(db, sess.row["id"]), {}
    )
    # Each row's forms post to <prefix><participant id>/<action> (ids are URL-safe).
    prefix = url_for("facilitation.participant", code=sess.code, pid="_", action="remove")
    prefix = prefix.removesuffix("_/remove")
    for p in live["participants"]:
        p["urls"] = {action: f"{prefix}{p['id']}/{action}" for action in PARTICIPANT_ACTIONS}
    activity = queries.activity(db, sess.row["id"])
    # The key, the "Correct" tags and the most chosen wrong answer's feedback stay hidden
    # until the question is revealed, unless the facilitator asks to see them.
    key = request.args.get("key") == "1"
    current_q = next((q for q in sess.questions if q["number"] == sess.current), None)
    return {
        "sess": sess,
        "live": live,
        "live_votes": {v["pk"]: v for v in moved},
        "participants": participants,
        "key": key,
        "poll_url": url_for(
            "facilitation.live_panel",
            code=sess.code,
            state=activity["state"],
            joined=activity["joined"],
            answers=activity["answers"],
            key="1" if key else "0",
        ),
        "poll_seconds": LIVE_POLL_SECONDS,
        "form": EmptyForm(),
        "timer_form": TimerForm(formdata=None, seconds=str(sess.timer or 60)),
        "controls": controls(sess),
        "current": current_q,
        "timer_step": TIMER_STEP,
        "timers": TIMERS,
        "minutes": lesson.estimate(q for q in sess.questions),
    }


@bp.get("/run/<code>")
@teacher_required
def dashboard(code: str) -> ResponseReturnValue:
    sess = _session(code)
    return render_template(
        "facilitation/session.html",
        join_url=join_url(sess.code),
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


# Controls ---------------------------------------------------------------------------


def _back(sess: sessions.LoadedSession, anchor: str = "controls") -> ResponseReturnValue:
    """After a control: back to the room screen when it was used there, else the dashboard."""
    if request.form.get("back") == "room":
        return redirect(url_for("facilitation.room_screen", code=sess.code), 303)
    return redirect(_dashboard_url(sess.code, _anchor=anchor), 303)


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
    return _back(sess)


@bp.post("/run/<code>/questions/<id:pk>/<any(lock, unlock, reveal, hide):action>")
@teacher_required
def mark(code: str, pk: int, action: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    control.mark(get_db(), sess, pk, action)
    if action == "reveal" and request.form.get("then") == "room":
        return redirect(url_for("facilitation.room", code=sess.code, pk=pk), 303)
    return _back(sess, f"question-{pk}")


@bp.post("/run/<code>/questions/<id:pk>/timer/<any(set, add, stop):action>")
@teacher_required
def timer(code: str, pk: int, action: str) -> ResponseReturnValue:
    """Start a timer on the room's question, add time to it, or stop it."""
    sess = _session(code)
    seconds = None
    if action == "set":
        form = TimerForm()
        if not form.validate_on_submit():
            raise control.FacilitationError(422, control.MESSAGES["timer_range"], "seconds")
        seconds = int(form.seconds.data)
    else:
        require_csrf()
    control.set_timer(get_db(), sess, pk, action, seconds)
    return _back(sess)


@bp.post("/run/<code>/questions/<id:pk>/vote")
@teacher_required
def vote(code: str, pk: int) -> ResponseReturnValue:
    """Peer instruction: open the room's question to a second vote after table talk."""
    require_csrf()
    sess = _session(code)
    control.vote_again(get_db(), sess, pk)
    return _back(sess)


@bp.get("/run/<code>/close")
@teacher_required
def confirm_close(code: str) -> ResponseReturnValue:
    """Ask before closing a session: the second step, without JavaScript too."""
    sess = _session(code)
    if not sess.is_open:
        return redirect(_dashboard_url(sess.code), 303)
    return render_template("facilitation/close.html", sess=sess, form=EmptyForm())


@bp.post("/run/<code>/<any(close, reopen):action>")
@teacher_required
def open_close(code: str, action: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    control.set_open(get_db(), sess, action == "reopen")
    audit.log(f"session_{action}", "ok", session=sess.code)
    flash(MESSAGES["closed"] if action == "close" else MESSAGES["reopened"])
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
        flash(MESSAGES["removed"])
    elif action == "rejoin":
        flash(MESSAGES["rejoin"].format(code=control.issue_rejoin(get_db(), sess, pid)))
    else:
        control.move(get_db(), sess, pid, request.form.get("team", ""))
        flash(MESSAGES["moved"])
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
            error=MESSAGES["confirm_delete"].format(code=sess.code),
        ), 422
    count = control.delete_data(get_db(), sess)
    audit.log("session_delete_data", "ok", session=sess.code, participants=count)
    flash(MESSAGES["deleted"].format(count=count))
    return redirect(_dashboard_url(sess.code), 303)
