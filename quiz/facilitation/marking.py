"""Marking written answers on their rubric: what the facilitator's marking screen shows,
and the marks it gives (plain functions taking the database first).

Answers are marked one by one in the order they came. A mark is a level of the
question's rubric (``RUBRIC_LEVELS``); marking again replaces it (the facilitator's
mark replaces a classmate's), and ``undo`` puts back the mark it replaced. The answer's
score follows its mark (``LEVEL_SCORES``); unmarked, it counts in no score.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlite_utils import Database

from ..play.sessions import LoadedSession
from ..sets.vocabulary import LEVEL_SCORES
from ..storage import queries
from ..storage.connection import immediate
from .control import FacilitationError


def written_questions(sess: LoadedSession) -> list[dict]:
    """Return the session's written questions (type open), in playing order."""
    return [q for q in sess.questions if q["type"] == "open"]


def overview(db: Database, sess: LoadedSession) -> list[dict]:
    """Return each written question with its answers counted: marked by the facilitator,
    by a classmate, and still waiting."""
    counts = queries.mark_counts(db, sess.row["id"])
    out = []
    for q in written_questions(sess):
        c = counts.get(q["pk"], {"answers": 0, "teacher": 0, "peer": 0})
        waiting = c["answers"] - c["teacher"] - c["peer"]
        out.append(
            {"q": q, **{k: c[k] for k in ("answers", "teacher", "peer")}, "waiting": waiting}
        )
    return out


def written_question(sess: LoadedSession, pk: int) -> dict | None:
    """Return a written question of the session by its pk (None: it is not one)."""
    q = sess.question(pk)
    return q if q is not None and q["type"] == "open" else None


def answers(db: Database, sess: LoadedSession, q: dict) -> list[dict]:
    """Return the answers to a written question, in the order they came, with marks."""
    return queries.written_answers(db, sess.row["id"], q["pk"])


def place(found: list[dict], at: int | None) -> int:
    """Return the index of the answer to show: ``at`` (1-based) if given and in range,
    else the first one not marked yet (the first, when all are)."""
    if at is not None and 1 <= at <= len(found):
        return at - 1
    return next((i for i, a in enumerate(found) if a["level"] is None), 0)


def _answer(db: Database, sess: LoadedSession, q: dict, answer_id: int | None) -> dict:
    found = queries.written_answer(db, sess.row["id"], answer_id) if answer_id else None
    if found is None or found["question_id"] != q["pk"]:
        raise FacilitationError(404, _("That answer is not one of this question's."))
    return found


def mark(
    db: Database, sess: LoadedSession, q: dict, answer_id: int | None, level: str, account_id: int
) -> None:
    """Mark an answer at a level of the rubric, as the facilitator."""
    if level not in LEVEL_SCORES:
        raise FacilitationError(422, _("Choose Beginning, Emerging or Mastery."), "level")
    with immediate(db):
        _answer(db, sess, q, answer_id)
        queries.put_mark(db, answer_id, level, LEVEL_SCORES[level], "teacher", account_id)


def undo(db: Database, sess: LoadedSession, q: dict, answer_id: int | None) -> str | None:
    """Put back the mark an answer had before its last one; return its level now."""
    with immediate(db):
        _answer(db, sess, q, answer_id)
        return queries.undo_mark(db, answer_id, LEVEL_SCORES)
