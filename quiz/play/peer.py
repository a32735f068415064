"""Peer marking: on a written question with ``marking = "peer"``, each student marks one
classmate's answer at their table on the rubric, without seeing who wrote it.

Who marks whom is decided by the table's joining order (the whole room, without
tables): a student marks the answer of the next classmate after them in that order,
going round, who has answered and whose answer has no mark yet; never their own. The
same state always gives the same answer to mark. Each student marks one answer per
question; a facilitator's mark replaces a classmate's, and a classmate never replaces
the facilitator's.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlite_utils import Database

from ..sets.vocabulary import LEVEL_SCORES
from ..storage import queries
from ..storage.connection import immediate
from .sessions import LoadedSession, PlayError


def peer_question(session: LoadedSession, pk: int) -> dict:
    """Return a written question of the session that classmates mark, or refuse."""
    q = session.question(pk)
    if q is None or q["type"] != "open" or q.get("marking") != "peer":
        raise PlayError(404, _("Classmates do not mark this question."))
    return q


def to_mark(db: Database, session: LoadedSession, q: dict, me: str) -> dict | None:
    """Return the classmate's answer this participant should mark now, or None."""
    people = queries.participants_of(db, session.row["id"])
    mine = next((p for p in people if p["id"] == me), None)
    if mine is None:
        return None
    table = [p["id"] for p in people if not session.teams or p["team_id"] == mine["team_id"]]
    waiting = {
        a["participant_id"]: a
        for a in queries.written_answers(db, session.row["id"], q["pk"])
        if a["level"] is None
    }
    start = table.index(me)
    for step in range(1, len(table)):
        found = waiting.get(table[(start + step) % len(table)])
        if found is not None:
            return found
    return None


def state(db: Database, session: LoadedSession, q: dict, me: str) -> tuple[str, dict | None]:
    """Where this participant is in marking a classmate: ("done", the mark they gave),
    ("mark", the answer to mark) or ("none", None) when no answer waits for them."""
    given = queries.peer_mark_by(db, me, q["pk"])
    if given is not None:
        return "done", given
    found = to_mark(db, session, q, me)
    return ("mark", found) if found is not None else ("none", None)


def mark(
    db: Database, session: LoadedSession, q: dict, me: str, answer_id: int | None, level: str
) -> None:
    """Mark the classmate's answer this participant was given, at a level."""
    if level not in LEVEL_SCORES:
        raise PlayError(422, _("Choose Beginning, Emerging or Mastery."), "level")
    with immediate(db):
        kind, found = state(db, session, q, me)
        if kind == "done":
            raise PlayError(
                409, _("You have marked a classmate's answer to this question already.")
            )
        if found is None or found["id"] != answer_id:
            raise PlayError(
                409, _("Someone else marked that answer just now. Here is the next one to mark.")
            )
        queries.put_mark(db, answer_id, level, LEVEL_SCORES[level], "peer", participant_id=me)
