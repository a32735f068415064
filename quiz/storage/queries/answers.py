"""SQL for answers: storing one (in the next group commit) and reading them back."""

from __future__ import annotations

import json

from sqlite_utils import Database

from .. import commits
from .common import now, one, rows


def _answer(row: dict | None) -> dict | None:
    if row is not None:
        row = dict(row)
        row["response"] = json.loads(row["response"])
        row["parts"] = json.loads(row["parts"])
    return row


# One statement: the answer goes in only while its question takes that vote (see
# insert_answer); the parameters are in insert_answer's order.
INSERT_ANSWER = """INSERT INTO answer
           (participant_id, question_id, response, confidence, reason, score, parts,
            created_at, vote)
           SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
           WHERE EXISTS (
               SELECT 1 FROM session s
               WHERE s.id = ? AND s.status = 'open'
                 AND (s.ends_at IS NULL OR s.ends_at > ?)
                 AND (s.pace <> 'led' OR s.current_number >= ?))
             AND NOT EXISTS (
               SELECT 1 FROM session_question m
               WHERE m.session_id = ? AND m.question_id = ?
                 AND (m.locked_at IS NOT NULL OR m.deadline <= ?))
             AND coalesce((
               SELECT m.vote FROM session_question m
               WHERE m.session_id = ? AND m.question_id = ?), 1) = ?
           ON CONFLICT (participant_id, question_id, vote) DO NOTHING
           RETURNING *"""


def insert_answer(
    db: Database,
    participant_id: str,
    question: dict,
    session_id: int,
    answer: dict,
    vote: int = 1,
    *,
    decoded: bool = True,
) -> dict | None:
    """Store one vote of an answer if the question takes that vote now; return it, or None.

    With ``decoded`` false the row comes back as stored, its response and parts as
    JSON text (for a caller that only asks whether it was stored).

    One statement, run in the next group commit (``quiz.commits``): answers that
    arrive together share one transaction and one fsync. The conditions repeat
    ``play.Session.is_open_for_answers`` in SQL: the session is open (and a
    homework's end has not come), the question is not locked and its timer has not
    run out (now is read from ``quiz.clock``), in a led session the facilitator has
    reached it, and the vote is the one the question takes now (1, or 2 once the
    facilitator asked for a second vote). None means the question was not open for
    that vote, or the vote was already stored: the UNIQUE (participant_id,
    question_id, vote) constraint, not a check in Python, is what keeps a double
    submit from counting twice.
    """
    moment = now()
    stored = commits.run(
        db,
        INSERT_ANSWER,
        [
            participant_id,
            question["pk"],
            json.dumps(answer["response"]),
            answer["confidence"],
            answer["reason"],
            answer["score"],
            json.dumps(answer["parts"]),
            moment,
            vote,
            session_id,
            moment,
            question["number"],
            session_id,
            question["pk"],
            moment,
            session_id,
            question["pk"],
            vote,
        ],
    )
    if not stored:
        return None
    return _answer(stored[0]) if decoded else stored[0]


def answer_for(db: Database, participant_id: str, question_pk: int, vote: int = 1) -> dict | None:
    """Return one stored vote of a participant's answer to a question."""
    return _answer(
        one(
            db,
            "SELECT * FROM answer WHERE participant_id = ? AND question_id = ? AND vote = ?",
            [participant_id, question_pk, vote],
        )
    )


class Answers(dict):
    """A participant's answers by question row id: the vote that counts for the score.

    That is the first vote; a participant who only voted the second time (they came in
    during the talk) is scored on that one. ``second`` holds, by question row id, the
    second votes of those who voted twice.
    """

    def __init__(self, rows: list[dict] = ()) -> None:
        super().__init__()
        self.second: dict[int, dict] = {}
        for row in sorted(rows, key=lambda r: r.get("vote", 1)):
            if row["question_id"] in self:
                self.second[row["question_id"]] = row
            else:
                self[row["question_id"]] = row

    def voted(self, question_pk: int, vote: int) -> bool:
        """Whether this participant gave that vote (1 or 2) on a question."""
        if vote == 2 and question_pk in self.second:
            return True
        counted = self.get(question_pk)
        return counted is not None and counted.get("vote", 1) == vote

    def vote(self, question_pk: int, vote: int) -> dict | None:
        """Return the answer given as that vote, or None."""
        if vote == 2 and question_pk in self.second:
            return self.second[question_pk]
        return self[question_pk] if self.voted(question_pk, vote) else None


# One answer row as a JSON object, with its response and parts as JSON, not text: a
# participant's answers then come back as one value that one json.loads decodes. The
# keys are the answer table's columns (tests compare them with SELECT *).
_ANSWER_JSON = """json_object(
    'id', a.id, 'participant_id', a.participant_id, 'question_id', a.question_id,
    'response', json(a.response), 'confidence', a.confidence, 'reason', a.reason,
    'score', json(printf('%!.17g', a.score)), 'parts', json(a.parts),
    'created_at', a.created_at, 'vote', a.vote)"""


def _answers(found: str) -> Answers:
    return Answers(json.loads(found))


def answers_of(db: Database, participant_id: str) -> Answers:
    """Return a participant's answers keyed by question row id (see ``Answers``)."""
    found = db.conn.execute(
        f"SELECT json_group_array({_ANSWER_JSON}) FROM answer a WHERE a.participant_id = ?",
        [participant_id],
    ).fetchone()[0]
    return _answers(found)


def participant_answers(db: Database, participant_id: str, session_id: int) -> Answers | None:
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


# The answer that counts for the score: the first vote, or the second of one who gave
# only that. The subquery runs only for second votes (an index lookup each).
_COUNTED = """(a.vote = 1 OR NOT EXISTS (
    SELECT 1 FROM answer b
    WHERE b.participant_id = a.participant_id AND b.question_id = a.question_id
      AND b.vote = 1))"""


def _rows_of_answers(cursor) -> list[dict]:
    """Answer rows from a cursor over ANSWER_COLUMNS, equal JSON texts decoded once."""
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
            "vote": r[9],
        }
        for r in cursor
    ]


_ANSWER_COLUMNS = """a.id, a.participant_id, a.question_id, a.response, a.confidence,
    a.reason, a.score, a.parts, a.created_at, a.vote"""


def answers_in(db: Database, session_id: int, question_pk: int | None = None) -> list[dict]:
    """Return the answers of a session that count for the score, in the order stored.

    One per participant and question: the first vote (see ``Answers``); with
    ``question_pk``, those to that question only. Answers whose
    stored ``response`` (or ``parts``) JSON is the same text share one decoded object:
    there are only a few thousand distinct responses among 100,000 answers, and
    decoding each once is most of the saving. Callers must treat ``response`` and
    ``parts`` as read-only.
    """
    # Plain tuples: a report reads every answer, and a dict per row from the generic
    # query path doubles the time on 100,000 answers.
    one_question = "" if question_pk is None else "AND a.question_id = :question"
    cursor = db.conn.execute(
        f"""SELECT {_ANSWER_COLUMNS}
           FROM answer a JOIN participant p ON p.id = a.participant_id
           WHERE p.session_id = :session {one_question} AND {_COUNTED} ORDER BY a.id""",
        {"session": session_id, "question": question_pk},
    )
    return _rows_of_answers(cursor)


def votes_in(db: Database, session_id: int) -> list[dict]:
    """Return both votes of every answer to the questions that had a second vote.

    Rows as ``answers_in`` gives them, by question then as stored; empty when no
    question of the session had a second vote.
    """
    cursor = db.conn.execute(
        f"""SELECT {_ANSWER_COLUMNS}
           FROM answer a JOIN participant p ON p.id = a.participant_id
           WHERE p.session_id = :session AND a.question_id IN (
               SELECT m.question_id FROM session_question m
               WHERE m.session_id = :session AND m.vote = 2)
           ORDER BY a.question_id, a.id""",
        {"session": session_id},
    )
    return _rows_of_answers(cursor)


def round_counts(db: Database, session_id: int, question_pk: int, vote: int) -> dict:
    """Return how many gave a vote on a question, per team id (None: no team)."""
    found = rows(
        db,
        """SELECT p.team_id, count(*) AS n
           FROM answer a JOIN participant p ON p.id = a.participant_id
           WHERE p.session_id = ? AND a.question_id = ? AND a.vote = ?
           GROUP BY p.team_id""",
        [session_id, question_pk, vote],
    )
    return {r["team_id"]: r["n"] for r in found}
