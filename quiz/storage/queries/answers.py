"""SQL for answers: storing one (in the next group commit) and reading them back."""

from __future__ import annotations

import json

from sqlite_utils import Database

from .. import commits
from .common import now, one


def _answer(row: dict | None) -> dict | None:
    if row is not None:
        row = dict(row)
        row["response"] = json.loads(row["response"])
        row["parts"] = json.loads(row["parts"])
    return row


def insert_answer(
    db: Database, participant_id: str, question: dict, session_id: int, answer: dict
) -> dict | None:
    """Store an answer if the question takes answers now; return it, or None.

    One statement, run in the next group commit (``quiz.commits``): answers that
    arrive together share one transaction and one fsync. The conditions repeat
    ``play.Session.is_open_for_answers`` in SQL: the session is open (and a
    homework's end has not come), the question is not locked, and in a led session
    the facilitator has reached it. None means
    the question was not open, or an answer was already stored: the UNIQUE
    (participant_id, question_id) constraint, not a check in Python, is what keeps a
    double submit from counting twice.
    """
    stored = commits.run(
        db,
        """INSERT INTO answer
               (participant_id, question_id, response, confidence, reason, score, parts,
                created_at)
               SELECT ?, ?, ?, ?, ?, ?, ?, ?
               WHERE EXISTS (
                   SELECT 1 FROM session s
                   WHERE s.id = ? AND s.status = 'open'
                     AND (s.ends_at IS NULL OR s.ends_at > ?)
                     AND (s.pace <> 'led' OR s.current_number >= ?))
                 AND NOT EXISTS (
                   SELECT 1 FROM session_question m
                   WHERE m.session_id = ? AND m.question_id = ? AND m.locked_at IS NOT NULL)
               ON CONFLICT (participant_id, question_id) DO NOTHING
               RETURNING *""",
        [
            participant_id,
            question["pk"],
            json.dumps(answer["response"]),
            answer["confidence"],
            answer["reason"],
            answer["score"],
            json.dumps(answer["parts"]),
            now(),
            session_id,
            now(),
            question["number"],
            session_id,
            question["pk"],
        ],
    )
    return _answer(stored[0]) if stored else None


def answer_for(db: Database, participant_id: str, question_pk: int) -> dict | None:
    """Return a participant's stored answer to one question."""
    return _answer(
        one(
            db,
            "SELECT * FROM answer WHERE participant_id = ? AND question_id = ?",
            [participant_id, question_pk],
        )
    )


# One answer row as a JSON object, with its response and parts as JSON, not text: a
# participant's answers then come back as one value that one json.loads decodes. The
# keys are the answer table's columns (tests compare them with SELECT *).
_ANSWER_JSON = """json_object(
    'id', a.id, 'participant_id', a.participant_id, 'question_id', a.question_id,
    'response', json(a.response), 'confidence', a.confidence, 'reason', a.reason,
    'score', json(printf('%!.17g', a.score)), 'parts', json(a.parts),
    'created_at', a.created_at)"""


def _answers(found: str) -> dict[int, dict]:
    return {a["question_id"]: a for a in json.loads(found)}


def answers_of(db: Database, participant_id: str) -> dict[int, dict]:
    """Return a participant's answers keyed by question row id."""
    found = db.conn.execute(
        f"SELECT json_group_array({_ANSWER_JSON}) FROM answer a WHERE a.participant_id = ?",
        [participant_id],
    ).fetchone()[0]
    return _answers(found)


def participant_answers(db: Database, participant_id: str, session_id: int) -> dict | None:
    """Return a participant's answers as ``answers_of`` does, or None when there is no
    such participant in this session (never joined, or removed).

    One statement and one row: a student's every request reads both, and each SQLite
    call lets another server thread take Python's GIL.
    """
    found = db.conn.execute(
        f"""SELECT (SELECT json_group_array({_ANSWER_JSON})
                    FROM answer a WHERE a.participant_id = p.id)
            FROM participant p WHERE p.id = ? AND p.session_id = ?""",
        [participant_id, session_id],
    ).fetchone()
    return None if found is None else _answers(found[0])


class _Decoded(dict):
    """JSON text -> its decoded value, each distinct text decoded once."""

    def __missing__(self, text: str):
        value = self[text] = json.loads(text)
        return value


def answers_in(db: Database, session_id: int) -> list[dict]:
    """Return every answer given in a session, in the order they were stored.

    Answers whose stored ``response`` (or ``parts``) JSON is the same text share one
    decoded object: there are only a few thousand distinct responses among 100,000
    answers, and decoding each once is most of the saving. Callers must treat
    ``response`` and ``parts`` as read-only.
    """
    # Plain tuples: a report reads every answer, and a dict per row from the generic
    # query path doubles the time on 100,000 answers.
    cursor = db.conn.execute(
        """SELECT a.id, a.participant_id, a.question_id, a.response, a.confidence, a.reason,
                  a.score, a.parts, a.created_at
           FROM answer a JOIN participant p ON p.id = a.participant_id
           WHERE p.session_id = ? ORDER BY a.id""",
        [session_id],
    )
    decoded = _Decoded()
    return [
        {
            "id": r[0],
            "participant_id": r[1],
            "question_id": r[2],
            "response": decoded[r[3]],
            "confidence": r[4],
            "reason": r[5],
            "score": r[6],
            "parts": decoded[r[7]],
            "created_at": r[8],
        }
        for r in cursor
    ]
