"""SQL for sessions, participants and answers."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from .common import now, one


def insert_session(
    db: Database,
    code: str,
    version_id: int,
    mode: str,
    feedback: str,
    checks: tuple[int, int] | None = None,
) -> dict | None:
    """Insert a session; return None when the code is already taken."""
    before, after = checks or (None, None)
    try:
        db.execute(
            "INSERT INTO session (code, version_id, mode, feedback, check_before, check_after,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [code, version_id, mode, feedback, before, after, now()],
        )
    except sqlite3.IntegrityError:
        return None
    return session_by_code(db, code)


def session_by_code(db: Database, code: str) -> dict | None:
    """Return a session by its join code."""
    return one(db, "SELECT * FROM session WHERE code = ?", [code])


def close_session(db: Database, session_id: int) -> None:
    """Mark a session closed (answers are refused from then on)."""
    db.execute(
        "UPDATE session SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
        [now(), session_id],
    )


def insert_participant(db: Database, participant_id: str, session_id: int, nickname: str) -> bool:
    """Insert a participant; return False when the nickname is taken."""
    try:
        db.execute(
            "INSERT INTO participant (id, session_id, nickname, created_at) VALUES (?, ?, ?, ?)",
            [participant_id, session_id, nickname, now()],
        )
    except sqlite3.IntegrityError:
        return False
    return True


def participant(db: Database, participant_id: str, session_id: int) -> dict | None:
    """Return a participant of a given session."""
    return one(
        db,
        "SELECT * FROM participant WHERE id = ? AND session_id = ?",
        [participant_id, session_id],
    )


def _answer(row: dict | None) -> dict | None:
    if row is not None:
        row = dict(row)
        row["response"] = json.loads(row["response"])
        row["parts"] = json.loads(row["parts"])
    return row


def insert_answer(db: Database, participant_id: str, question_pk: int, answer: dict) -> bool:
    """Store an answer once; return False when one was already stored.

    The UNIQUE (participant_id, question_id) constraint, not a check in
    Python, is what keeps a double submit from counting twice.
    """
    cursor = db.execute(
        """INSERT INTO answer
           (participant_id, question_id, response, confidence, reason, score, parts,
            created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (participant_id, question_id) DO NOTHING""",
        [
            participant_id,
            question_pk,
            json.dumps(answer["response"]),
            answer["confidence"],
            answer["reason"],
            answer["score"],
            json.dumps(answer["parts"]),
            now(),
        ],
    )
    return cursor.rowcount == 1


def answer_for(db: Database, participant_id: str, question_pk: int) -> dict | None:
    """Return a participant's stored answer to one question."""
    return _answer(
        one(
            db,
            "SELECT * FROM answer WHERE participant_id = ? AND question_id = ?",
            [participant_id, question_pk],
        )
    )


def answers_of(db: Database, participant_id: str) -> dict[int, dict]:
    """Return a participant's answers keyed by question row id."""
    rows = db.query("SELECT * FROM answer WHERE participant_id = ?", [participant_id])
    return {r["question_id"]: _answer(r) for r in rows}


def table_names(db: Database) -> list[str]:
    """List the tables in the database (for the migration test and checks)."""
    return sorted(db.table_names())
