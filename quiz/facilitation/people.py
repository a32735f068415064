"""Who the facilitator sees: the people of the live panel and of the People page.

A class of up to ``SMALL_CLASS`` keeps everyone in the live panel. A larger one shows
there only those who need attention, at most ``ATTENTION_ROWS``: in a led session on a
question, who has not answered it yet (in joining order); otherwise the latest to join.
Everyone is on the People page (``people_views``), ``PAGE_SIZE`` at a time, found by
part of the nickname (SQL's LIKE: any case of the letters A to Z), with the Move,
Rejoin code and Remove forms.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..play import sessions
from ..play.counterbalance import arrange
from ..results.data import SessionData
from ..results.live import progress
from ..storage import queries

SMALL_CLASS = 40
ATTENTION_ROWS = 20
PAGE_SIZE = 50


def progress_of(db: Database, sess: sessions.LoadedSession, found: list[dict]) -> list[dict]:
    """Each participant of ``found`` with their progress (``results.live.progress``), in
    the order given; ``number``: their joining number when the rows have it, else None."""
    answers = queries.answers_of_people(db, sess.row["id"], [p["id"] for p in found])
    d = SessionData(sess.questions, found, sess.teams, answers)
    orders = {order: arrange(d.questions, order) for order in (None, "BA")}
    number = {p["id"]: p.get("number") for p in found}
    out = {
        p["id"]: progress(
            d,
            {**p, "number": number[p["id"]]},
            orders["BA" if p.get("check_order") == "BA" else None],
        )
        for p in d.people
    }
    return [out[p["id"]] for p in found]


def for_panel(db: Database, sess: sessions.LoadedSession, joined: int) -> dict:
    """The people the live panel lists: ``kind`` ("all", "waiting": not yet answered the
    room's ``question``, "latest": the latest joiners), their ``rows`` with progress,
    and ``count``, how many there are of that kind."""
    session_id = sess.row["id"]
    if joined <= SMALL_CLASS:
        found, _ = queries.people_page(db, session_id, "", SMALL_CLASS, 0)
        return {"kind": "all", "rows": progress_of(db, sess, found), "count": joined}
    current = next((q for q in sess.questions if q["number"] == sess.current), None)
    if sess.led and current is not None:
        found = queries.not_answered(db, session_id, current["pk"], ATTENTION_ROWS)
        count = found[0]["waiting"] if found else 0
        kind = "waiting"
    else:
        found = queries.latest_joiners(db, session_id, ATTENTION_ROWS)
        count = len(found)
        kind = "latest"
    return {
        "kind": kind,
        "rows": progress_of(db, sess, found),
        "count": count,
        "question": current,
    }


def page(db: Database, sess: sessions.LoadedSession, search: str, number: int) -> dict:
    """One page of the People page: ``rows`` with progress, ``total`` matching,
    ``page`` (from 1, kept within the pages there are) and ``pages``."""
    found, total = queries.people_page(db, sess.row["id"], search, PAGE_SIZE, 0)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    if number > 1:
        found, total = queries.people_page(
            db, sess.row["id"], search, PAGE_SIZE, (number - 1) * PAGE_SIZE
        )
    return {
        "rows": progress_of(db, sess, found),
        "total": total,
        "page": number,
        "pages": pages,
    }
