"""SQL for sessions, participants and answers."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from .common import now, one


def insert_session(db: Database, code: str, version_id: int, settings: dict) -> dict | None:
    """Insert a session; return None when the code is already taken.

    ``settings``: mode, feedback, pace, title, owner_id and checks (a pair of
    check-form version ids, or None).
    """
    before, after = settings.get("checks") or (None, None)
    try:
        db.execute(
            """INSERT INTO session (code, version_id, mode, pace, feedback, title, owner_id,
                   check_before, check_after, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                code,
                version_id,
                settings["mode"],
                settings.get("pace", "self"),
                settings["feedback"],
                settings.get("title"),
                settings.get("owner_id"),
                before,
                after,
                now(),
            ],
        )
    except sqlite3.IntegrityError:
        return None
    return session_by_code(db, code)


def insert_team(db: Database, session_id: int, name: str, position: int) -> None:
    """Add a table or team to a session."""
    db.execute(
        "INSERT INTO team (session_id, name, position) VALUES (?, ?, ?)",
        [session_id, name, position],
    )


def teams_of(db: Database, session_id: int) -> list[dict]:
    """List a session's teams in order."""
    return list(db.query("SELECT * FROM team WHERE session_id = ? ORDER BY position", [session_id]))


def question_marks(db: Database, session_id: int) -> dict[int, dict]:
    """Return which questions of a session are locked or revealed, by question id."""
    rows = db.query("SELECT * FROM session_question WHERE session_id = ?", [session_id])
    return {r["question_id"]: r for r in rows}


def bump_state(db: Database, session_id: int) -> None:
    """Count a change students' or facilitators' screens must follow."""
    db.execute("UPDATE session SET state_version = state_version + 1 WHERE id = ?", [session_id])


def state_of(db: Database, code: str) -> int | None:
    """Return a session's state counter (the cheap check behind polling)."""
    row = one(db, "SELECT state_version FROM session WHERE code = ?", [code])
    return row["state_version"] if row else None


def session_by_code(db: Database, code: str) -> dict | None:
    """Return a session by its join code."""
    return one(db, "SELECT * FROM session WHERE code = ?", [code])


def close_session(db: Database, session_id: int) -> None:
    """Mark a session closed (answers are refused from then on)."""
    db.execute(
        "UPDATE session SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
        [now(), session_id],
    )


def insert_participant(
    db: Database, participant_id: str, session_id: int, nickname: str, team_id: int | None = None
) -> bool:
    """Insert a participant; return False when the nickname is taken."""
    try:
        db.execute(
            "INSERT INTO participant (id, session_id, nickname, team_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [participant_id, session_id, nickname, team_id, now()],
        )
    except sqlite3.IntegrityError:
        return False
    return True


def participant_by_nickname(db: Database, session_id: int, nickname: str) -> dict | None:
    """Return a session's participant by nickname (case-insensitive)."""
    return one(
        db,
        "SELECT * FROM participant WHERE session_id = ? AND nickname = ? COLLATE NOCASE",
        [session_id, nickname],
    )


def clear_rejoin(db: Database, participant_id: str) -> None:
    """Use up a participant's rejoin code."""
    db.execute(
        "UPDATE participant SET rejoin_hash = NULL, rejoin_expires = NULL WHERE id = ?",
        [participant_id],
    )


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
