"""Running a session: start it, move the room, lock and reveal, manage people.

Plain functions taking the database first; no Flask here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from .. import clock
from ..play import joining, limits, sessions
from ..sets.vocabulary import FEEDBACK_MODES, PACES
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


def parse_teams(text: str) -> list[str]:
    """Read team names, one per line; refuse duplicates and overlong names."""
    names = [" ".join(line.split()) for line in (text or "").splitlines()]
    names = [n for n in names if n]
    if len(names) > TEAM_MAX:
        raise FacilitationError(422, f"Use at most {TEAM_MAX} tables or teams.", "teams")
    if any(len(n) > TEAM_NAME_MAX for n in names):
        raise FacilitationError(422, f"Keep team names under {TEAM_NAME_MAX} characters.", "teams")
    if len({n.lower() for n in names}) != len(names):
        raise FacilitationError(422, "Give each table or team a different name.", "teams")
    if len(names) == 1:
        raise FacilitationError(422, "Name at least two tables or teams, or none.", "teams")
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
        raise FacilitationError(422, "Choose one of your published sets or a shared set.", "set_id")
    if settings.pace not in PACES or settings.feedback not in FEEDBACK_MODES:
        raise FacilitationError(422, "Choose how the session runs and when feedback comes.", "pace")
    if (
        settings.checks
        and len(queries.latest_published(db, settings.slug)["body"].get("check_forms", [])) != 2
    ):
        raise FacilitationError(
            422, "This set has no check forms: untick the check forms.", "checks"
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
    )


def owned(
    db: Database, code: str, teacher_id: int, cache: Cache | None = None
) -> sessions.LoadedSession:
    """Return a session the teacher runs; anyone else's is a 404."""
    sess = sessions.load_session(db, code, cache)
    if sess.row["owner_id"] != teacher_id:
        raise FacilitationError(404, "There is no session with that code among yours.")
    return sess


def go_to(db: Database, sess: sessions.LoadedSession, number: int | None) -> None:
    """Move a led session's room to a question number (None: back to the start)."""
    if number is not None and not 1 <= number <= len(sess.questions):
        raise FacilitationError(422, "There is no question with that number.")
    if not sess.is_open:
        raise FacilitationError(409, "The session is closed. Reopen it first.")
    queries.set_current(db, sess.row["id"], number)


def mark(db: Database, sess: sessions.LoadedSession, pk: int, action: str) -> None:
    """Lock, unlock, reveal or hide one question of the session."""
    if sess.question(pk) is None:
        raise FacilitationError(404, "That question is not part of this session.")
    column, on = {
        "lock": ("locked_at", True),
        "unlock": ("locked_at", False),
        "reveal": ("revealed_at", True),
        "hide": ("revealed_at", False),
    }[action]
    with immediate(db):
        queries.mark_question(db, sess.row["id"], pk, column, on)
        if action == "reveal":
            # Revealing the answers also closes the question to new answers.
            queries.mark_question(db, sess.row["id"], pk, "locked_at", True)
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
            raise FacilitationError(404, "There is no such participant in this session.")
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
        raise FacilitationError(404, "There is no such participant in this session.")
    return code


def move(db: Database, sess: sessions.LoadedSession, participant_id: str, team_id: str) -> None:
    """Move a participant to another table or team."""
    team = next((t for t in sess.teams if str(t["id"]) == str(team_id)), None)
    if team is None:
        raise FacilitationError(422, "Choose one of this session's teams.")
    with immediate(db):
        if not queries.set_team(db, sess.row["id"], participant_id, team["id"]):
            raise FacilitationError(404, "There is no such participant in this session.")
        queries.bump_state(db, sess.row["id"])


def delete_data(db: Database, sess: sessions.LoadedSession) -> int:
    """Delete every participant of the session and their answers; return how many."""
    with immediate(db):
        count = queries.delete_participants(db, sess.row["id"])
        queries.bump_state(db, sess.row["id"])
    return count
