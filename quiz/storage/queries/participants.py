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
    skeleton: str,
    team_id: int | None = None,
    client: str | None = None,
    check_order: str | None = None,
) -> bool:
    """Insert a participant (with the client it joined from, if given); return False when
    the nickname, or one that looks like it (the same skeleton), is taken."""
    try:
        db.execute(
            "INSERT INTO participant (id, session_id, nickname, skeleton, team_id, check_order, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [participant_id, session_id, nickname, skeleton, team_id, check_order, now()],
        )
    except sqlite3.IntegrityError:
        return False
    if client is not None:
        db.execute(
            "INSERT INTO participant_client (participant_id, client) VALUES (?, ?)",
            [participant_id, client],
        )
    return True


def participant_by_skeleton(db: Database, session_id: int, skeleton: str) -> dict | None:
    """Return a session's participant whose nickname has this confusable skeleton."""
    return one(
        db,
        "SELECT * FROM participant WHERE session_id = ? AND skeleton = ?",
        [session_id, skeleton],
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


def participant_count(db: Database, session_id: int) -> int:
    """Count a session's participants."""
    return one(db, "SELECT count(*) AS n FROM participant WHERE session_id = ?", [session_id])["n"]


def delete_participant(db: Database, session_id: int, participant_id: str) -> bool:
    """Remove a participant and their answers; return whether one was removed."""
    cursor = db.execute(
        "DELETE FROM participant WHERE id = ? AND session_id = ?", [participant_id, session_id]
    )
    return cursor.rowcount == 1


def client_of(db: Database, participant_id: str) -> str | None:
    """Return the client (a keyed hash) a participant joined from, if it was kept."""
    row = one(
        db, "SELECT client FROM participant_client WHERE participant_id = ?", [participant_id]
    )
    return row["client"] if row else None


def insert_removal(
    db: Database, session_id: int, participant_hash: str, client: str | None
) -> None:
    """Remember that a participant was removed from a session, and their client."""
    db.execute(
        "INSERT INTO participant_removal (session_id, participant_hash, client, removed_at) "
        "VALUES (?, ?, ?, ?)",
        [session_id, participant_hash, client, now()],
    )


def removal_of(
    db: Database, session_id: int, participant_hash: str | None, client: str, since: str
) -> dict | None:
    """Return a removal from a session of this participant (by id hash, at any time), or
    of anyone who joined from this client since a time; None if there is none."""
    return one(
        db,
        """SELECT * FROM participant_removal WHERE session_id = :session
           AND (participant_hash = :hash OR (client = :client AND removed_at >= :since))
           ORDER BY participant_hash IS :hash DESC, removed_at DESC LIMIT 1""",
        {"session": session_id, "hash": participant_hash, "client": client, "since": since},
    )


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
    """Delete every participant of a session (their answers and clients go with them) and
    the session's record of removals."""
    db.execute("DELETE FROM participant_removal WHERE session_id = ?", [session_id])
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
