"""SQL for marks on written answers: the level given, by whom, and the one it replaced.

A mark lives in ``answer_mark``; the answer's own ``score`` and ``parts`` follow it
(``parts.level``, the level's score), so every score Lateral shows reads the answer
alone. Write both through ``put_mark`` and ``undo_mark``, inside one transaction.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from .common import now, one, rows

_MARKED_ANSWERS = """
    SELECT a.id, a.participant_id, a.question_id, a.response, a.created_at,
           p.nickname, p.team_id, p.created_at AS joined_at,
           m.level, m.marker, m.marker_account, m.marker_participant, m.marked_at,
           m.previous_level, m.previous_marker
    FROM answer a JOIN participant p ON p.id = a.participant_id
    LEFT JOIN answer_mark m ON m.answer_id = a.id"""


def _marked(row: dict) -> dict:
    row["response"] = json.loads(row["response"])
    return row


def written_answers(db: Database, session_id: int, question_pk: int) -> list[dict]:
    """Return a session's answers to one written question, in the order they came, each
    with its participant (nickname, team) and its mark (level, marker…; None if none)."""
    found = rows(
        db,
        _MARKED_ANSWERS + " WHERE p.session_id = ? AND a.question_id = ? ORDER BY a.id",
        [session_id, question_pk],
    )
    return [_marked(r) for r in found]


def written_answer(db: Database, session_id: int, answer_id: int) -> dict | None:
    """Return one answer of a session as ``written_answers`` does, or None."""
    found = one(
        db, _MARKED_ANSWERS + " WHERE p.session_id = ? AND a.id = ?", [session_id, answer_id]
    )
    return None if found is None else _marked(found)


def mark_counts(db: Database, session_id: int) -> dict[int, dict]:
    """Return, per question of a session that has answers, how many there are and how
    many a facilitator and how many a classmate marked."""
    found = rows(
        db,
        """SELECT a.question_id, count(*) AS answers,
                  count(m.answer_id) FILTER (WHERE m.marker = 'teacher') AS teacher,
                  count(m.answer_id) FILTER (WHERE m.marker = 'peer') AS peer
           FROM answer a JOIN participant p ON p.id = a.participant_id
           LEFT JOIN answer_mark m ON m.answer_id = a.id
           WHERE p.session_id = ? GROUP BY a.question_id""",
        [session_id],
    )
    return {r["question_id"]: r for r in found}


def put_mark(
    db: Database,
    answer_id: int,
    level: str,
    score: float,
    marker: str,
    account_id: int | None = None,
    participant_id: str | None = None,
) -> None:
    """Mark an answer at a level (replacing its mark, which is kept for one undo)."""
    db.execute(
        """INSERT INTO answer_mark (answer_id, level, marker, marker_account,
               marker_participant, marked_at)
           VALUES (:answer, :level, :marker, :account, :participant, :at)
           ON CONFLICT (answer_id) DO UPDATE SET
               previous_level = level, previous_marker = marker,
               previous_account = marker_account, previous_participant = marker_participant,
               previous_at = marked_at,
               level = excluded.level, marker = excluded.marker,
               marker_account = excluded.marker_account,
               marker_participant = excluded.marker_participant,
               marked_at = excluded.marked_at""",
        {
            "answer": answer_id,
            "level": level,
            "marker": marker,
            "account": account_id,
            "participant": participant_id,
            "at": now(),
        },
    )
    _follow(db, answer_id, level, score)


def undo_mark(db: Database, answer_id: int, scores: dict[str, float]) -> str | None:
    """Put back the mark an answer had before its last one (none, if it had none);
    return the level it has now."""
    found = one(db, "SELECT previous_level FROM answer_mark WHERE answer_id = ?", [answer_id])
    if found is None:
        return None
    if found["previous_level"] is None:
        db.execute("DELETE FROM answer_mark WHERE answer_id = ?", [answer_id])
        _follow(db, answer_id, None, 0.0)
        return None
    db.execute(
        """UPDATE answer_mark SET level = previous_level, marker = previous_marker,
               marker_account = previous_account, marker_participant = previous_participant,
               marked_at = previous_at, previous_level = NULL, previous_marker = NULL,
               previous_account = NULL, previous_participant = NULL, previous_at = NULL
           WHERE answer_id = ?""",
        [answer_id],
    )
    _follow(db, answer_id, found["previous_level"], scores[found["previous_level"]])
    return found["previous_level"]


def _follow(db: Database, answer_id: int, level: str | None, score: float) -> None:
    """Make the answer's score and parts say what its mark says."""
    parts = {"open": True} if level is None else {"open": True, "level": level}
    db.execute(
        "UPDATE answer SET score = ?, parts = ? WHERE id = ?",
        [score, json.dumps(parts), answer_id],
    )


def peer_mark_by(db: Database, participant_id: str, question_pk: int) -> dict | None:
    """Return the mark a participant gave a classmate's answer to a question, if any
    (also when the facilitator has marked that answer again since)."""
    return one(
        db,
        """SELECT m.*, a.participant_id FROM answer_mark m JOIN answer a ON a.id = m.answer_id
           WHERE a.question_id = :q AND (
               (m.marker = 'peer' AND m.marker_participant = :p)
               OR (m.previous_marker = 'peer' AND m.previous_participant = :p))""",
        {"q": question_pk, "p": participant_id},
    )
