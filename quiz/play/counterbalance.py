"""Counterbalanced check forms: half the room takes form A before the set and B after
it, the other half B before and A after, so a difference between the forms does not
pass for learning.

A session with check forms gives each participant an order when they join
(``assign``): at their table (the whole room, without tables), the order fewer have
had so far; at a tie, the order fewer have in the whole room; at a tie there too, A
first. So each table, and the room, is split as evenly as it can be, and the same
joins give the same orders. A facilitator-led session moves the whole room through one
question at a time (one timer, one lock, one reveal), so there everyone takes A first:
the room cannot play two orders at once. ``arranged`` is the session as that participant plays it:
for 'BA', form B's questions come first as "before" and form A's last as "after",
numbered in that order.
"""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from ..storage import queries
from ..web.cache import Cache, freeze
from .sessions import LoadedSession

ORDERS = ("AB", "BA")


def assign(db: Database, session_row: dict, team_id: int | None) -> str | None:
    """Return the check-form order for a participant joining now (None: no forms).

    Call it inside the transaction that inserts the participant.
    """
    if session_row["check_before"] is None or session_row["check_after"] is None:
        return None
    if session_row["pace"] == "led":
        return ORDERS[0]
    table = {order: 0 for order in ORDERS}
    room = {order: 0 for order in ORDERS}
    for row in queries.check_order_counts(db, session_row["id"]):
        room[row["check_order"]] += row["n"]
        if row["team_id"] == team_id:
            table[row["check_order"]] += row["n"]
    return min(ORDERS, key=lambda order: (table[order], room[order], order))


def arrange(questions: list[dict], order: str | None) -> list[dict]:
    """Return the questions in the order a participant plays them ('BA': the forms
    swapped, their parts swapped with them), numbered from 1."""
    if order != "BA":
        return questions
    parts = {part: [q for q in questions if q["part"] == part] for part in PARTS_PLAYED}
    swapped = [
        *({**q, "part": "before"} for q in parts["after"]),
        *parts["main"],
        *({**q, "part": "after"} for q in parts["before"]),
    ]
    return [{**q, "number": n} for n, q in enumerate(swapped, start=1)]


PARTS_PLAYED = ("before", "main", "after")


def arranged(
    session: LoadedSession, order: str | None, cache: Cache | None = None
) -> LoadedSession:
    """Return the session as a participant with this check-form order plays it."""
    if order != "BA" or session.row["check_before"] is None:
        return session
    versions = (session.row["check_before"], session.row["version_id"], session.row["check_after"])
    key = ("arranged", *((v, session.versions[v]["content_hash"]) for v in versions))
    if cache is None:
        questions = freeze(arrange(list(session.questions), order))
    else:
        questions = cache.get(key, lambda: arrange(list(session.questions), order))
    return replace(session, questions=questions)
