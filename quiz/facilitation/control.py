"""Running a session: start it, move the room, lock and reveal, manage people.

Plain functions taking the database first; no Flask here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlite_utils import Database

from .. import clock
from ..play import joining, limits, sessions
from ..sets.vocabulary import FEEDBACK_MODES, PACES, TIMER_MAX, TIMER_MIN, TIMER_STEP
from ..storage import queries
from ..storage.connection import immediate
from ..web.cache import Cache

TEAM_MAX = 12
TEAM_NAME_MAX = 40
REJOIN_LIFETIME = dt.timedelta(minutes=30)


class FacilitationError(sessions.PlayError):
    """A refusal for the facilitator, with an HTTP status."""


@dataclass
class Settings:
    """What the start form asks for, checked."""

    slug: str
    title: str | None
    pace: str
    feedback: str
    teams: list[str]
    checks: bool
    word_filter: bool = False
    confidence: str = "set"
    plan: list[str] | None = None
    shuffle: bool = False
    timer: int | None = None
    ends: tuple[str, str] | None = None  # homework: (UTC end, how it reads)
    language: str | None = None  # the students' interface (None: the set's, if there)


MESSAGES = {
    "timer_led": _l(
        "A timer needs a facilitator-led session: choose “Facilitator-led” or no timer."
    ),
    "timer_range": _l("Choose a timer between 30 seconds and 5 minutes."),
    "not_led": _l("Only a facilitator-led session has a room to time or to ask again."),
    "not_current": _l("Open this question for the room first."),
    "vote_feedback": _l(
        "A second vote needs feedback held back: this session shows it after "
        "each answer, so students have already seen the key."
    ),
    "vote_revealed": _l(
        "This question has been revealed: the room knows the answer, so a "
        "second vote would show nothing."
    ),
    "vote_twice": _l("This question has had its second vote already."),
    "vote_written": _l(
        "A written answer is marked on its rubric, not voted on: a second vote "
        "is for questions with options."
    ),
    "closed": _l("The session is closed. Reopen it first."),
}


def parse_teams(text: str) -> list[str]:
    """Read team names, one per line; refuse duplicates and overlong names."""
    names = [" ".join(line.split()) for line in (text or "").splitlines()]
    names = [n for n in names if n]
    if len(names) > TEAM_MAX:
        raise FacilitationError(
            422, _("Use at most %(most)s tables or teams.", most=TEAM_MAX), "teams"
        )
    if any(len(n) > TEAM_NAME_MAX for n in names):
        raise FacilitationError(
            422, _("Keep team names under %(most)s characters.", most=TEAM_NAME_MAX), "teams"
        )
    if len({n.lower() for n in names}) != len(names):
        raise FacilitationError(422, _("Give each table or team a different name."), "teams")
    if len(names) == 1:
        raise FacilitationError(422, _("Name at least two tables or teams, or none."), "teams")
    return names


def startable_sets(db: Database, teacher_id: int) -> list[dict]:
    """List the published sets a teacher can run: their own and the shared ones."""
    return [
        v
        for v in queries.published_sets(db)
        if v["owner_id"] is None or v["owner_id"] == teacher_id
    ]


def start(db: Database, teacher_id: int, settings: Settings) -> dict:
    """Start a class session owned by the teacher; return its row."""
    allowed = {v["slug"] for v in startable_sets(db, teacher_id)}
    if settings.slug not in allowed:
        raise FacilitationError(
            422, _("Choose one of your published sets or a shared set."), "set_id"
        )
    if settings.pace not in PACES or settings.feedback not in FEEDBACK_MODES:
        raise FacilitationError(
            422, _("Choose how the session runs and when feedback comes."), "pace"
        )
    if settings.timer is not None:
        if settings.pace != "led":
            raise FacilitationError(422, MESSAGES["timer_led"], "timer")
        if not TIMER_MIN <= settings.timer <= TIMER_MAX:
            raise FacilitationError(422, MESSAGES["timer_range"], "timer")
    if (
        settings.checks
        and len(queries.latest_published(db, settings.slug)["body"].get("check_forms", [])) != 2
    ):
        raise FacilitationError(
            422, _("This set has no check forms: untick the check forms."), "checks"
        )
    return sessions.open_session(
        db,
        settings.slug,
        feedback=settings.feedback,
        checks=settings.checks,
        pace=settings.pace,
        title=settings.title,
        owner_id=teacher_id,
        teams=settings.teams,
        word_filter=settings.word_filter,
        confidence=settings.confidence,
        plan=settings.plan,
        shuffle=settings.shuffle,
        timer=settings.timer,
        language=settings.language,
        ends=settings.ends if settings.pace == "self" else None,
    )


def owned(
    db: Database, code: str, teacher_id: int, cache: Cache | None = None
) -> sessions.LoadedSession:
    """Return a session the teacher runs; anyone else's is a 404."""
    sess = sessions.load_session(db, code, cache)
    if sess.row["owner_id"] != teacher_id:
        raise FacilitationError(404, _("There is no session with that code among yours."))
    return sess


def go_to(db: Database, sess: sessions.LoadedSession, number: int | None) -> None:
    """Move a led session's room to a question number (None: back to the start).

    With a session timer, a question opened for the first time gets its deadline.
    """
    if number is not None and not 1 <= number <= len(sess.questions):
        raise FacilitationError(422, _("There is no question with that number."))
    if not sess.is_open:
        raise FacilitationError(409, MESSAGES["closed"])
    q = next((q for q in sess.questions if q["number"] == number), None)
    with immediate(db):
        queries.set_current(db, sess.row["id"], number)
        if q is not None and sess.timer and sess.deadline(q) is None and not sess.locked(q):
            queries.set_deadline(db, sess.row["id"], q["pk"], _from_now(sess.timer))


def _from_now(seconds: int) -> str:
    return clock.stamp(clock.utcnow() + dt.timedelta(seconds=seconds))


def _room_question(sess: sessions.LoadedSession, pk: int) -> dict:
    """The question the room is on, or a refusal (timers and second votes act on it)."""
    q = sess.question(pk)
    if q is None:
        raise FacilitationError(404, _("That question is not part of this session."))
    if not sess.led:
        raise FacilitationError(409, MESSAGES["not_led"])
    if not sess.is_open:
        raise FacilitationError(409, MESSAGES["closed"])
    if sess.current != q["number"]:
        raise FacilitationError(409, MESSAGES["not_current"])
    return q


def set_timer(
    db: Database, sess: sessions.LoadedSession, pk: int, action: str, seconds: int | None = None
) -> None:
    """Time the room's question: ``set`` a timer of ``seconds``, ``add`` TIMER_STEP
    seconds (to the time left, or from now when it has run out), or ``stop`` it."""
    q = _room_question(sess, pk)
    if action == "set":
        if seconds is None or not TIMER_MIN <= seconds <= TIMER_MAX:
            raise FacilitationError(422, MESSAGES["timer_range"], "seconds")
        deadline = _from_now(seconds)
    elif action == "add":
        deadline = _from_now((sess.time_left(q) or 0) + TIMER_STEP)
    else:
        deadline = None
    with immediate(db):
        queries.set_deadline(db, sess.row["id"], q["pk"], deadline)
        queries.bump_state(db, sess.row["id"])


def vote_again(db: Database, sess: sessions.LoadedSession, pk: int) -> None:
    """Peer instruction: after the room talked at its tables, open the question to a
    second vote (unlocked, with the session's timer again if it has one)."""
    q = _room_question(sess, pk)
    if q["type"] == "open":
        raise FacilitationError(409, MESSAGES["vote_written"])
    if sess.feedback == "now":
        raise FacilitationError(409, MESSAGES["vote_feedback"])
    if sess.revealed(q):
        raise FacilitationError(409, MESSAGES["vote_revealed"])
    if sess.vote(q) == 2:
        raise FacilitationError(409, MESSAGES["vote_twice"])
    deadline = _from_now(sess.timer) if sess.timer else None
    with immediate(db):
        queries.second_vote(db, sess.row["id"], q["pk"], deadline)
        queries.bump_state(db, sess.row["id"])


def mark(db: Database, sess: sessions.LoadedSession, pk: int, action: str) -> None:
    """Lock, unlock, reveal or hide one question of the session; or, once it is
    revealed, move the room screen on to its Why and evidence (``why``) or back to its
    answers (``answers``)."""
    q = sess.question(pk)
    if q is None:
        raise FacilitationError(404, _("That question is not part of this session."))
    column, on = {
        "lock": ("locked_at", True),
        "unlock": ("locked_at", False),
        "reveal": ("revealed_at", True),
        "hide": ("revealed_at", False),
        "why": ("explained_at", True),
        "answers": ("explained_at", False),
    }[action]
    with immediate(db):
        queries.mark_question(db, sess.row["id"], pk, column, on)
        # The Why comes after the answers: asking for it first reveals them too.
        revealing = action == "reveal" or (action == "why" and not sess.revealed(q))
        if revealing and action == "why":
            queries.mark_question(db, sess.row["id"], pk, "revealed_at", True)
        if revealing:
            # Revealing the answers also closes the question to new answers.
            queries.mark_question(db, sess.row["id"], pk, "locked_at", True)
        if action == "hide":
            queries.mark_question(db, sess.row["id"], pk, "explained_at", False)
        queries.bump_state(db, sess.row["id"])


def set_open(db: Database, sess: sessions.LoadedSession, open_: bool) -> None:
    """Close a session (it takes no more answers) or reopen it."""
    queries.set_status(db, sess.row["id"], "open" if open_ else "closed")


def remove(db: Database, sess: sessions.LoadedSession, participant_id: str) -> None:
    """Remove a participant and their answers (a joke nickname, say).

    The removal is remembered (``play.limits``): the removed browser cannot join the
    session again, and its client not for a while, so the joke does not come straight
    back under another name.
    """
    with immediate(db):
        client = queries.client_of(db, participant_id)
        if not queries.delete_participant(db, sess.row["id"], participant_id):
            raise FacilitationError(404, _("There is no such participant in this session."))
        queries.insert_removal(db, sess.row["id"], limits.participant_hash(participant_id), client)
        queries.bump_state(db, sess.row["id"])


def lock_joining(db: Database, sess: sessions.LoadedSession, locked: bool) -> None:
    """Stop new nicknames joining the session (rejoin codes still work), or allow them."""
    queries.set_joining(db, sess.row["id"], locked)


def filter_words(db: Database, sess: sessions.LoadedSession, on: bool) -> None:
    """Turn the nickname word filter on or off for the session's next joins."""
    queries.set_word_filter(db, sess.row["id"], on)


def issue_rejoin(db: Database, sess: sessions.LoadedSession, participant_id: str) -> str:
    """Give a participant a one-time code to rejoin on a new device; return it."""
    code = sessions.new_code()
    expires = clock.stamp(clock.utcnow() + REJOIN_LIFETIME)
    if not queries.set_rejoin(
        db, sess.row["id"], participant_id, joining.rejoin_digest(code), expires
    ):
        raise FacilitationError(404, _("There is no such participant in this session."))
    return code


def move(db: Database, sess: sessions.LoadedSession, participant_id: str, team_id: str) -> None:
    """Move a participant to another table or team."""
    team = next((t for t in sess.teams if str(t["id"]) == str(team_id)), None)
    if team is None:
        raise FacilitationError(422, _("Choose one of this session's teams."))
    with immediate(db):
        if not queries.set_team(db, sess.row["id"], participant_id, team["id"]):
            raise FacilitationError(404, _("There is no such participant in this session."))
        queries.bump_state(db, sess.row["id"])


def delete_data(db: Database, sess: sessions.LoadedSession) -> int:
    """Delete every participant of the session and their answers; return how many."""
    with immediate(db):
        count = queries.delete_participants(db, sess.row["id"])
        queries.bump_state(db, sess.row["id"])
    return count
