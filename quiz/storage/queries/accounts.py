"""SQL for teacher accounts, the sign-in throttle and invitations."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from .common import now, one, rows


def account_by_email(db: Database, email: str) -> dict | None:
    """Return an account by e-mail (case-insensitive)."""
    return one(db, "SELECT * FROM account WHERE email = ?", [email])


def account_by_id(db: Database, account_id: int) -> dict | None:
    """Return an account by id."""
    return one(db, "SELECT * FROM account WHERE id = ?", [account_id])


def set_account_language(db: Database, account_id: int, language: str | None) -> None:
    """Set the language of a teacher's own pages (None: as their browser asks)."""
    db.execute("UPDATE account SET language = ? WHERE id = ?", [language, account_id])


def accounts(db: Database) -> list[dict]:
    """List every account, administrators first."""
    return list(rows(db, "SELECT * FROM account ORDER BY role = 'teacher', email"))


def insert_account(
    db: Database, email: str, name: str, password_hash: str, role: str
) -> int | None:
    """Insert an account; return its id, or None when the e-mail is taken."""
    try:
        cursor = db.execute(
            "INSERT INTO account (email, name, password_hash, role, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [email, name, password_hash, role, now()],
        )
    except sqlite3.IntegrityError:
        return None
    return cursor.lastrowid


def set_password(db: Database, account_id: int, password_hash: str) -> None:
    """Replace a password hash and end every signed-in browser of the account."""
    db.execute(
        "UPDATE account SET password_hash = ?, session_version = session_version + 1 WHERE id = ?",
        [password_hash, account_id],
    )


def end_sessions(db: Database, account_id: int) -> None:
    """Invalidate every cookie issued to an account (sign-out everywhere)."""
    db.execute(
        "UPDATE account SET session_version = session_version + 1 WHERE id = ?", [account_id]
    )


def set_role(db: Database, account_id: int, role: str) -> None:
    """Change an account's role."""
    db.execute("UPDATE account SET role = ? WHERE id = ?", [role, account_id])


def set_disabled(db: Database, account_id: int, disabled: bool) -> None:
    """Disable or re-enable an account; disabling also signs it out."""
    db.execute(
        "UPDATE account SET disabled_at = ?, session_version = session_version + 1 WHERE id = ?",
        [now() if disabled else None, account_id],
    )


def count_admins(db: Database) -> int:
    """Count the enabled administrators."""
    return one(
        db, "SELECT count(*) AS n FROM account WHERE role = 'admin' AND disabled_at IS NULL"
    )["n"]


# Sign-in throttle (quiz.accounts.throttle) ---------------------------------


def insert_attempt(db: Database, account: str, client: str, at: str, outcome: str) -> int:
    """Record a sign-in attempt ('pending' until it is finished, or 'ok'); return its id."""
    cursor = db.execute(
        "INSERT INTO sign_in_attempt (account, client, at, outcome) VALUES (?, ?, ?, ?) "
        "RETURNING id",
        [account, client, at, outcome],
    )
    return cursor.fetchone()[0]


def fail_attempt(db: Database, attempt_id: int, at: str) -> None:
    """Mark an attempt failed, at the time its password check ended."""
    db.execute(
        "UPDATE sign_in_attempt SET outcome = 'failed', at = ? WHERE id = ?", [at, attempt_id]
    )


def succeed_attempt(db: Database, attempt_id: int, at: str) -> None:
    """Mark an attempt ok and forget the other attempts of its account and client."""
    db.execute(
        """DELETE FROM sign_in_attempt WHERE id != :id AND (account, client) IN
           (SELECT account, client FROM sign_in_attempt WHERE id = :id)""",
        {"id": attempt_id},
    )
    db.execute("UPDATE sign_in_attempt SET outcome = 'ok', at = ? WHERE id = ?", [at, attempt_id])


def failed_attempts(
    db: Database, account: str, client: str | None, since: str
) -> tuple[int, str | None]:
    """Count the failed and pending attempts on an account since a time, from one client
    (or from all, with None); return the count and the latest attempt's time."""
    row = db.execute(
        "SELECT count(*), max(at) FROM sign_in_attempt WHERE account = ? "
        "AND (? IS NULL OR client = ?) AND outcome != 'ok' AND at >= ?",
        [account, client, client, since],
    ).fetchone()
    return row[0], row[1]


def signed_in_since(db: Database, account: str, client: str, since: str) -> bool:
    """Tell whether a client signed in to an account successfully since a time."""
    row = db.execute(
        "SELECT 1 FROM sign_in_attempt WHERE account = ? AND client = ? "
        "AND outcome = 'ok' AND at >= ? LIMIT 1",
        [account, client, since],
    ).fetchone()
    return row is not None


def prune_attempts(db: Database, failed_before: str, ok_before: str) -> int:
    """Delete failures older than one time and successes older than another."""
    cursor = db.execute(
        "DELETE FROM sign_in_attempt WHERE (outcome != 'ok' AND at < ?) OR at < ?",
        [failed_before, ok_before],
    )
    return cursor.rowcount


# Invitations ---------------------------------------------------------------


def insert_invite(
    db: Database, token_hash: str, email: str, role: str, created_by: int, expires_at: str
) -> None:
    """Store a new invitation (only the token's hash)."""
    db.execute(
        "INSERT INTO invite (token_hash, email, role, created_by, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [token_hash, email, role, created_by, now(), expires_at],
    )


def invite_by_hash(db: Database, token_hash: str) -> dict | None:
    """Return an invitation by its token hash."""
    return one(db, "SELECT * FROM invite WHERE token_hash = ?", [token_hash])


def use_invite(db: Database, invite_id: int) -> bool:
    """Mark an invitation used; return False if it already was."""
    cursor = db.execute(
        "UPDATE invite SET used_at = ? WHERE id = ? AND used_at IS NULL", [now(), invite_id]
    )
    return cursor.rowcount == 1


def open_invites(db: Database, at: str) -> list[dict]:
    """List invitations not yet used nor expired."""
    return list(
        rows(
            db,
            "SELECT * FROM invite WHERE used_at IS NULL AND expires_at > ? ORDER BY created_at",
            [at],
        )
    )
