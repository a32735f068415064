"""Facilitator pages: a running session's live view and its panel, and what the
other facilitation pages share (the blueprint, the session by code, the join address,
the controls offered, the messages).

Starting a session is in ``start_views``, the controls' routes in ``control_views``,
the projector's pages (the join screen and the room screen) in ``room_views``; the
report and the CSV files in ``results.views``."""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from ..accounts.access import teacher_required
from ..play import sessions
from ..play.scoring import RIGHT
from ..results import tallies, votes
from ..sets.vocabulary import FEEDBACK_MODES, TIMER_STEP, TIMERS
from ..storage import queries
from ..storage.connection import get_db
from ..web.cache import current
from ..web.forms import EmptyForm
from ..web.i18n import for_set
from ..web.urls import public_url
from . import control, lesson, people, room
from .forms import TimerForm

bp = Blueprint("facilitation", __name__)
LIVE_POLL_SECONDS = 3
# The written reasons a live question card lists (the latest; the report has them all).
REASONS_SHOWN = 20
PARTICIPANT_ACTIONS = ("team", "rejoin", "remove")

MESSAGES = {
    "closed": _l("Session closed: it takes no more answers."),
    "reopened": _l("Session reopened."),
    "plan_changed": _l("You chose another set: here are its questions. Choose, then start."),
    "removed": _l(
        "Participant removed, with their answers. Their device can't join this "
        "session again, and new nicknames from their network wait two minutes. To stop every "
        "new join, lock joining."
    ),
    "rejoin": _l(
        "Rejoin code: {code}. The student types it with the same nickname under "
        "“Lost your device?” on the join page. It works once, for 30 minutes."
    ),
    "moved": _l("Participant moved."),
    "deleted": _l("Deleted the data of {count} participants."),
    "confirm_delete": _l("Type the session code {code} to confirm."),
}


def _session(code: str) -> sessions.LoadedSession:
    sess = control.owned(get_db(), code, g.teacher.id, current())
    for_set(sess.version["body"])
    return sess


def join_url(code: str) -> str:
    """Return the address students type or scan (see web.urls.public_url)."""
    return public_url("play.join_link", code=code)


def _dashboard_url(code: str, **args) -> str:
    return url_for("facilitation.dashboard", code=code, **args)


# Each control of a led session: its label on the dashboard, its shorter label on the
# room screen (None: not offered there) and its keyboard key (None: no key).
CONTROLS = {
    "first": (_l("Open the first question"), _l("Open question 1"), "N"),
    "next": (_l("Next question"), _l("Next"), "N"),
    "previous": (_l("Previous question"), None, None),
    "lock": (_l("Lock answers"), _l("Lock"), "L"),
    "unlock": (_l("Unlock answers"), _l("Unlock"), "L"),
    "reveal": (_l("Reveal the answer and the votes"), _l("Reveal the answer"), "R"),
    "why": (_l("Show the room why, with the evidence"), _l("Why and evidence"), "W"),
    "answers": (_l("Back to the answers and the votes"), _l("Back to the answers"), "R"),
    "add_time": (_l("Add 30 seconds"), _l("Add 30 s"), "T"),
    "start_timer": (_l("Start a 30-second timer"), _l("30 s timer"), "T"),
    "stop_timer": (_l("Stop the timer"), None, None),
    "vote": (_l("Second vote: talk, then vote again"), _l("Vote again"), "V"),
}


def _control_url(code: str, action: dict) -> str:
    name = action["name"]
    if "number" in action:
        return url_for("facilitation.goto", code=code)
    if name in ("lock", "unlock", "reveal", "why", "answers"):
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


# Live --------------------------------------------------------------------------------


def _live_figures(db, sess: sessions.LoadedSession) -> dict:
    """Each question's and each team's figures, counted in SQL (``results.tallies``)."""
    session_id = sess.row["id"]
    joined = queries.participant_count(db, session_id)
    pks = [q["pk"] for q in sess.questions]
    written = [q["pk"] for q in sess.questions if q["type"] == "open"]
    groups = queries.answer_groups(db, session_id, written)
    counted = tallies.panel(
        sess.questions,
        sess.teams,
        queries.team_sizes(db, session_id),
        groups,
        queries.reasons_of(db, [g[6] for g in groups if g[6] is not None]),
        sess.misconceptions,
    )
    # Nobody has finished while a question has no answer yet (most of a led lesson): the
    # groups hold an answer of every participant to every question they answered.
    answered = {g[0] for g in groups}
    if not pks:
        finished = joined
    elif answered.issuperset(pks):
        finished = queries.finished_count(db, session_id, pks)
    else:
        finished = 0
    return {**counted, "joined": joined, "questions_total": len(pks), "finished": finished}


def _by_team(teams: list[dict]) -> dict[int, list[tuple]]:
    """Question pk -> (team name, the team's figures) of each team, in team order."""
    out: dict[int, list[tuple]] = {}
    for t in teams:
        for figures in t["questions"]:
            out.setdefault(figures["pk"], []).append((t["name"], figures))
    return out


def _votes(db, sess: sessions.LoadedSession) -> dict:
    """How the second votes moved (``votes.counted``); nothing to read without one."""
    if not any(sess.vote(q) == 2 for q in sess.questions):
        return {}
    return votes.counted(queries.vote_moves(db, sess.row["id"], RIGHT))


def participant_urls(code: str, rows: list[dict]) -> list[dict]:
    """Add to each participant row the addresses its forms post to."""
    # Each row's forms post to <prefix><participant id>/<action> (ids are URL-safe).
    prefix = url_for("facilitation.participant", code=code, pid="_", action="remove")
    prefix = prefix.removesuffix("_/remove")
    for p in rows:
        p["urls"] = {action: f"{prefix}{p['id']}/{action}" for action in PARTICIPANT_ACTIONS}
    return rows


def _live_context(sess: sessions.LoadedSession) -> dict:
    db = get_db()
    # The counters first: an answer that comes while the figures are read moves them
    # past what the next poll compares, so that poll brings it.
    activity = queries.activity(db, sess.row["id"])
    live = _live_figures(db, sess)
    listed = people.for_panel(db, sess, live["joined"])
    participant_urls(sess.code, listed["rows"])
    # The key, the "Correct" tags and the most chosen wrong answer's feedback stay hidden
    # until the question is revealed, unless the facilitator asks to see them.
    key = request.args.get("key") == "1"
    current_q = next((q for q in sess.questions if q["number"] == sess.current), None)
    return {
        "sess": sess,
        "live": live,
        "by_team": _by_team(live["teams"]),
        "listed": listed,
        "live_votes": _votes(db, sess),
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
        "reasons_shown": REASONS_SHOWN,
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
    if queries.activity_unchanged(get_db(), sess.row["id"], request.args):
        return Response(status=204)
    return render_template("facilitation/_live.html", **_live_context(sess))
