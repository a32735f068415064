"""Migrations 0010-0014: the sign-in throttle, nickname look-alikes, joining controls,
rate windows and the nickname word list (issue 13).

Landed migrations: never edit one (see the package docstring).
"""

from __future__ import annotations

from sqlite_utils import Database

from .registry import migrations


@migrations(name="0010_sign_in_throttle")
def sign_in_throttle(db: Database) -> None:
    # The throttle of quiz.accounts.throttle: every attempt, pending until its password
    # check ends, by account and client. It replaces sign_in_failure, whose rows were
    # failures of the last 15 minutes under the old rule; they are not carried over.
    statements = [
        """CREATE TABLE sign_in_attempt (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            client TEXT NOT NULL,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'failed', 'ok'))
        )""",
        "CREATE INDEX sign_in_attempt_pair ON sign_in_attempt (account, client, at)",
        "CREATE INDEX sign_in_attempt_at ON sign_in_attempt (at)",
        "DROP TABLE sign_in_failure",
    ]
    for sql in statements:
        db.execute(sql)


@migrations(name="0011_participant_skeleton")
def participant_skeleton(db: Database) -> None:
    # Nicknames that look alike (Cyrillic а for a, 0 for O, zero-width characters) share
    # a confusable skeleton (quiz.play.nicknames.skeleton); one per session. Existing
    # participants get theirs; where two of a session already share one, the later
    # keeps a skeleton no typed name can have (a line break and its id), so both stay.
    from ...play.nicknames import skeleton

    db.execute("ALTER TABLE participant ADD COLUMN skeleton TEXT")
    seen: set[tuple[int, str]] = set()
    found = db.conn.execute("SELECT id, session_id, nickname FROM participant ORDER BY rowid")
    for participant_id, session_id, nickname in found.fetchall():
        value = skeleton(nickname)
        if (session_id, value) in seen:
            value = f"{value}\n{participant_id}"
        seen.add((session_id, value))
        db.execute("UPDATE participant SET skeleton = ? WHERE id = ?", [value, participant_id])
    db.execute("CREATE UNIQUE INDEX participant_skeleton ON participant (session_id, skeleton)")


@migrations(name="0012_session_joining")
def session_joining(db: Database) -> None:
    statements = [
        # The facilitator's switches: joining locked (since when), the word filter on.
        "ALTER TABLE session ADD COLUMN joining_locked_at TEXT",
        "ALTER TABLE session ADD COLUMN word_filter INTEGER NOT NULL DEFAULT 0",
        # The client a participant joined from, as a keyed hash (quiz.play.limits), so
        # a removal can hold that client back; deleted with the participant.
        """CREATE TABLE participant_client (
            participant_id TEXT PRIMARY KEY REFERENCES participant(id) ON DELETE CASCADE,
            client TEXT NOT NULL
        )""",
        # Removed participants: a hash of the id their cookie still holds, their client.
        """CREATE TABLE participant_removal (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            participant_hash TEXT NOT NULL,
            client TEXT,
            removed_at TEXT NOT NULL
        )""",
        "CREATE INDEX participant_removal_session ON participant_removal (session_id)",
    ]
    for sql in statements:
        db.execute(sql)


@migrations(name="0013_rate_window")
def rate_window(db: Database) -> None:
    # Joins and practice starts counted per client and per session in fixed windows
    # (quiz.play.limits), in SQLite so every worker process shares the counts.
    db.execute(
        """CREATE TABLE rate_window (
            key TEXT NOT NULL,
            bucket TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (key, bucket)
        ) WITHOUT ROWID"""
    )


@migrations(name="0014_nickname_words")
def nickname_words(db: Database) -> None:
    # The word filter's list as an administrator edited it (one row); without it, the
    # file (NICKNAME_WORDS_FILE, by default quiz/data/blocked-nicknames.txt) is used.
    db.execute(
        """CREATE TABLE nickname_words (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            words TEXT NOT NULL,
            updated_by INTEGER REFERENCES account(id),
            updated_at TEXT NOT NULL
        )"""
    )
