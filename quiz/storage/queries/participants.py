"""SQL for a session's participants: joining, rejoin codes, teams, removal."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from .common import now, one, rows


def insert_participant(
    db: Database,
    participant_id: str,
    session_id: int,
    nickname: str,
    team_id: int | None = None,
    check_order: str | None = None,
) -> bool:
    """Insert a participant; return False when the nickname is taken."""
    try:
        db.execute(
            "INSERT INTO participant (id, session_id, nickname, team_id, check_order, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [participant_id, session_id, nickname, team_id, check_order, now()],
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


def participant_in(db: Database, session_id: int, participant_id: str) -> dict | None:
    """Return a participant of a session by id, or None."""
    return one(
        db,
        "SELECT * FROM participant WHERE id = ? AND session_id = ?",
        [participant_id, session_id],
    )


def clear_rejoin(db: Database, participant_id: str) -> None:
    """Use up a participant's rejoin code."""
    db.execute(
        "UPDATE participant SET rejoin_hash = NULL, rejoin_expires = NULL WHERE id = ?",
        [participant_id],
    )


def participants_of(db: Database, session_id: int) -> list[dict]:
    """List a session's participants in joining order."""
    return list(
        rows(
            db,
            "SELECT * FROM participant WHERE session_id = ? ORDER BY created_at, rowid",
            [session_id],
        )
    )


def delete_participant(db: Database, session_id: int, participant_id: str) -> bool:
    """Remove a participant and their answers; return whether one was removed."""
    cursor = db.execute(
        "DELETE FROM participant WHERE id = ? AND session_id = ?", [participant_id, session_id]
    )
    return cursor.rowcount == 1


def set_rejoin(
    db: Database, session_id: int, participant_id: str, digest: str, expires: str
) -> bool:
    """Store a participant's rejoin code hash; return whether they exist."""
    cursor = db.execute(
        "UPDATE participant SET rejoin_hash = ?, rejoin_expires = ? "
        "WHERE id = ? AND session_id = ?",
        [digest, expires, participant_id, session_id],
    )
    return cursor.rowcount == 1


def set_team(db: Database, session_id: int, participant_id: str, team_id: int | None) -> bool:
    """Move a participant to another team of the same session."""
    cursor = db.execute(
        "UPDATE participant SET team_id = ? WHERE id = ? AND session_id = ?",
        [team_id, participant_id, session_id],
    )
    return cursor.rowcount == 1


def delete_participants(db: Database, session_id: int) -> int:
    """Delete every participant of a session (their answers go with them)."""
    return db.execute("DELETE FROM participant WHERE session_id = ?", [session_id]).rowcount


def check_order_counts(db: Database, session_id: int) -> list[dict]:
    """Count a session's participants by team and check-form order."""
    return list(
        rows(
            db,
            """SELECT team_id, check_order, count(*) AS n FROM participant
               WHERE session_id = ? AND check_order IS NOT NULL
               GROUP BY team_id, check_order""",
            [session_id],
        )
    )


def check_order_of(db: Database, participant_id: str) -> str | None:
    """Return the order a participant takes the check forms in ('AB', 'BA' or None)."""
    found = one(db, "SELECT check_order FROM participant WHERE id = ?", [participant_id])
    return found["check_order"] if found else None
