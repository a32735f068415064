"""SQL for the facilitator's live panel and People page: answers counted in groups
rather than read one by one, and participants a page or a few dozen at a time.

Every count is of the answers that count for the score (``answers._COUNTED``: the
first vote, or the second of one who gave only that), as ``answers_in`` reads them.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from .answers import _ANSWER_COLUMNS, _COUNTED, _rows_of_answers
from .common import rows

_IN_SESSION = "FROM answer a JOIN participant p ON p.id = a.participant_id WHERE p.session_id = ?"


def answer_groups(db: Database, session_id: int, written: list[int] = ()) -> list[tuple]:
    """Return the session's counted answers grouped by what the figures tell apart:
    (question id, team id, response JSON, parts JSON, score, how many, answer id), unordered.
    An answer with a written reason is a group of its own, with its id (else None):
    ``reasons_of`` reads those, without a second pass over every answer.

    The responses to the ``written`` questions (their ids) are left out, as JSON
    null: each is a text of its own, and no figure counts in it.
    """
    listed = ", ".join(str(int(pk)) for pk in written) or "NULL"
    return db.conn.execute(
        f"""SELECT a.question_id, p.team_id,
                  CASE WHEN a.question_id IN ({listed}) THEN 'null' ELSE a.response END
                      AS counted_response,
                  a.parts, a.score, count(*),
                  CASE WHEN a.reason <> '' THEN a.id END AS with_reason
           {_IN_SESSION} AND {_COUNTED}
           GROUP BY a.question_id, p.team_id, counted_response, a.parts, a.score, with_reason""",
        [session_id],
    ).fetchall()


def reasons_of(db: Database, answer_ids: list[int]) -> list[tuple]:
    """Return these answers' written reasons: (question id, team id, nickname, reason,
    score, parts JSON), by time, then joining order (as the results order answers)."""
    if not answer_ids:
        return []
    return db.conn.execute(
        """SELECT a.question_id, p.team_id, p.nickname, a.reason, a.score, a.parts
           FROM answer a JOIN participant p ON p.id = a.participant_id
           WHERE a.id IN (SELECT value FROM json_each(?))
           ORDER BY a.created_at, p.created_at, p.rowid""",
        [json.dumps(answer_ids)],
    ).fetchall()


def team_sizes(db: Database, session_id: int) -> dict:
    """Return how many participants each team id has (None: no team)."""
    found = db.conn.execute(
        "SELECT team_id, count(*) FROM participant WHERE session_id = ? GROUP BY team_id",
        [session_id],
    )
    return dict(found.fetchall())


def finished_count(db: Database, session_id: int, question_pks: list[int]) -> int:
    """Count the participants with an answer (marked or not) to every one of these
    questions (a participant has an answer that counts wherever they gave any vote)."""
    # Each participant's few answers read through the index on participant_id, each
    # question id checked against the list (the unary + keeps SQLite from seeking the
    # index once per listed question instead: eight times the cost at 1,000 people).
    # The ids as literals: whole numbers only.
    listed = ", ".join(str(int(pk)) for pk in question_pks)
    return db.conn.execute(
        f"""SELECT count(*) FROM participant p WHERE p.session_id = ? AND (
               SELECT count(DISTINCT a.question_id) FROM answer a
               WHERE a.participant_id = p.id AND +a.question_id IN ({listed})) = ?""",
        [session_id, len(question_pks)],
    ).fetchone()[0]


# A session's participants, each with its joining number (1 for the first to join).
_NUMBERED = """SELECT p.*, row_number() OVER (ORDER BY p.created_at, p.rowid) AS number
    FROM participant p WHERE p.session_id = :session"""


def not_answered(db: Database, session_id: int, question_pk: int, limit: int) -> list[dict]:
    """Return up to ``limit`` participants without an answer to a question, in joining
    order, each with ``waiting``: how many have not answered it in all."""
    return list(
        rows(
            db,
            """SELECT p.*, count(*) OVER () AS waiting FROM participant p
               WHERE p.session_id = ? AND NOT EXISTS (
                   SELECT 1 FROM answer a WHERE a.participant_id = p.id AND a.question_id = ?)
               ORDER BY p.created_at, p.rowid LIMIT ?""",
            [session_id, question_pk, limit],
        )
    )


def latest_joiners(db: Database, session_id: int, limit: int) -> list[dict]:
    """Return the ``limit`` participants who joined last, the latest first."""
    return list(
        rows(
            db,
            """SELECT * FROM participant WHERE session_id = ?
               ORDER BY created_at DESC, rowid DESC LIMIT ?""",
            [session_id, limit],
        )
    )


def _like(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def people_page(
    db: Database, session_id: int, search: str, limit: int, offset: int
) -> tuple[list[dict], int]:
    """Return one page of participants in joining order, each with its joining number,
    whose nickname holds ``search`` (LIKE: any case of A to Z; empty: everyone), and
    how many match."""
    args = {
        "session": session_id,
        "search": search,
        "pattern": _like(search),
        "limit": limit,
        "offset": offset,
    }
    found = list(
        rows(
            db,
            f"""SELECT * FROM ({_NUMBERED})
               WHERE :search = '' OR nickname LIKE :pattern ESCAPE '\\'
               ORDER BY number LIMIT :limit OFFSET :offset""",
            args,
        )
    )
    total = db.conn.execute(
        """SELECT count(*) FROM participant WHERE session_id = :session
           AND (:search = '' OR nickname LIKE :pattern ESCAPE '\\')""",
        args,
    ).fetchone()[0]
    return found, total


def answers_of_people(db: Database, session_id: int, participant_ids: list[str]) -> list[dict]:
    """Return the counted answers of these participants of a session, as ``answers_in``
    gives them."""
    cursor = db.conn.execute(
        f"""SELECT {_ANSWER_COLUMNS} {_IN_SESSION} AND {_COUNTED}
               AND a.participant_id IN (SELECT value FROM json_each(?))
           ORDER BY a.id""",
        [session_id, json.dumps(participant_ids)],
    )
    return _rows_of_answers(cursor)


def vote_moves(db: Database, session_id: int, right: float) -> list[dict]:
    """Per question that had a second vote: how many gave each vote and how many of
    those were right (score at least ``right``), how many gave both, and how many of
    those moved from wrong to right and from right to wrong."""
    return list(
        rows(
            db,
            """SELECT a.question_id AS pk,
                      sum(a.vote = 1) AS first,
                      sum(a.vote = 1 AND a.score >= :right) AS first_right,
                      sum(a.vote = 2) AS second,
                      sum(a.vote = 2 AND a.score >= :right) AS second_right,
                      count(b.id) AS twice,
                      sum(b.score < :right AND a.score >= :right) AS to_right,
                      sum(b.score >= :right AND a.score < :right) AS to_wrong
               FROM answer a JOIN participant p ON p.id = a.participant_id
               LEFT JOIN answer b ON a.vote = 2 AND b.participant_id = a.participant_id
                    AND b.question_id = a.question_id AND b.vote = 1
               WHERE p.session_id = :session AND a.question_id IN (
                   SELECT m.question_id FROM session_question m
                   WHERE m.session_id = :session AND m.vote = 2)
               GROUP BY a.question_id HAVING sum(a.vote = 2) > 0""",
            {"session": session_id, "right": right},
        )
    )
