"""Migrations 0001-0005: the first schema (sets and versions, sessions, participants,
answers), accounts and authoring, facilitated sessions, and the misconception labels
each version keeps.

Landed migrations: never edit one (see the package docstring).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from sqlite_utils import Database

from .registry import migrations

# The misconception list shipped with Lateral (for 0005, which fills in versions
# published before versions kept their own labels).
SHIPPED_MISCONCEPTIONS = Path(__file__).resolve().parents[3] / "questions" / "misconceptions.toml"


# 0001's statements: the first schema.
INITIAL_SCHEMA = [
    """CREATE TABLE question_set (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'main' CHECK (kind IN ('main', 'check')),
            created_at TEXT NOT NULL
        )""",
    """CREATE TABLE set_version (
            id INTEGER PRIMARY KEY,
            set_id INTEGER NOT NULL REFERENCES question_set(id),
            number INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            published INTEGER NOT NULL DEFAULT 1,
            source TEXT,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (set_id, number)
        )""",
    """CREATE TABLE question (
            id INTEGER PRIMARY KEY,
            version_id INTEGER NOT NULL REFERENCES set_version(id),
            position INTEGER NOT NULL,
            qid TEXT NOT NULL,
            type TEXT NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (version_id, qid),
            UNIQUE (version_id, position)
        )""",
    """CREATE TABLE session (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            version_id INTEGER NOT NULL REFERENCES set_version(id),
            mode TEXT NOT NULL CHECK (mode IN ('class', 'practice')),
            feedback TEXT NOT NULL CHECK (feedback IN ('now', 'end')),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            created_at TEXT NOT NULL,
            closed_at TEXT
        )""",
    """CREATE TABLE participant (
            id TEXT PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            nickname TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
    """CREATE UNIQUE INDEX participant_nickname
            ON participant (session_id, nickname COLLATE NOCASE)""",
    """CREATE TABLE answer (
            id INTEGER PRIMARY KEY,
            participant_id TEXT NOT NULL
                REFERENCES participant(id) ON DELETE CASCADE,
            question_id INTEGER NOT NULL REFERENCES question(id),
            response TEXT NOT NULL,
            confidence INTEGER CHECK (confidence IN (1, 2, 3)),
            reason TEXT,
            score REAL NOT NULL,
            parts TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (participant_id, question_id)
        )""",
    "CREATE INDEX answer_question ON answer (question_id)",
    "CREATE INDEX session_version ON session (version_id)",
]


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    for sql in INITIAL_SCHEMA:
        db.execute(sql)


@migrations(name="0002_session_check_forms")
def session_check_forms(db: Database) -> None:
    # A session may run a short check form before and after the main set.
    db.execute("ALTER TABLE session ADD COLUMN check_before INTEGER REFERENCES set_version(id)")
    db.execute("ALTER TABLE session ADD COLUMN check_after INTEGER REFERENCES set_version(id)")


@migrations(name="0003_accounts_and_authoring")
def accounts_and_authoring(db: Database) -> None:
    statements = [
        """CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'teacher')),
            session_version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            disabled_at TEXT
        )""",
        """CREATE TABLE invite (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('admin', 'teacher')),
            created_by INTEGER REFERENCES account(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )""",
        # Failed sign-ins per e-mail, so throttling holds across worker processes.
        """CREATE TABLE sign_in_failure (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL COLLATE NOCASE,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX sign_in_failure_email ON sign_in_failure (email, at)",
        # NULL owner: a shared set shipped in questions/.
        "ALTER TABLE question_set ADD COLUMN owner_id INTEGER REFERENCES account(id)",
        "ALTER TABLE question_set ADD COLUMN archived_at TEXT",
        # The editable working copy of a teacher's set, in the set-file format.
        """CREATE TABLE set_draft (
            set_id INTEGER PRIMARY KEY REFERENCES question_set(id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "ALTER TABLE session ADD COLUMN owner_id INTEGER REFERENCES account(id)",
    ]
    for sql in statements:
        db.execute(sql)


@migrations(name="0004_facilitated_sessions")
def facilitated_sessions(db: Database) -> None:
    # Rebuild session (SQLite can't change a CHECK): adds the pace, the reveal
    # feedback mode, a title and the led-session state. Foreign keys are off
    # during migrations (see apply), so dropping the old table cascades nothing.
    statements = [
        """CREATE TABLE session_new (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            version_id INTEGER NOT NULL REFERENCES set_version(id),
            mode TEXT NOT NULL CHECK (mode IN ('class', 'practice')),
            pace TEXT NOT NULL DEFAULT 'self' CHECK (pace IN ('self', 'led')),
            feedback TEXT NOT NULL CHECK (feedback IN ('now', 'end', 'reveal')),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            title TEXT,
            check_before INTEGER REFERENCES set_version(id),
            check_after INTEGER REFERENCES set_version(id),
            owner_id INTEGER REFERENCES account(id),
            current_number INTEGER,
            state_version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            closed_at TEXT
        )""",
        """INSERT INTO session_new (id, code, version_id, mode, feedback, status,
               check_before, check_after, owner_id, created_at, closed_at)
           SELECT id, code, version_id, mode, feedback, status,
               check_before, check_after, owner_id, created_at, closed_at FROM session""",
        "DROP TABLE session",
        "ALTER TABLE session_new RENAME TO session",
        "CREATE INDEX session_version ON session (version_id)",
        "CREATE INDEX session_owner ON session (owner_id)",
        # Tables or teams a session's students pick when they join.
        """CREATE TABLE team (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            position INTEGER NOT NULL
        )""",
        "CREATE UNIQUE INDEX team_name ON team (session_id, name COLLATE NOCASE)",
        "ALTER TABLE participant ADD COLUMN team_id INTEGER REFERENCES team(id) ON DELETE SET NULL",
        # A facilitator-approved code to rejoin under the same nickname (hash only).
        "ALTER TABLE participant ADD COLUMN rejoin_hash TEXT",
        "ALTER TABLE participant ADD COLUMN rejoin_expires TEXT",
        # Per question of a session: locked (no more answers), revealed to the room.
        """CREATE TABLE session_question (
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            question_id INTEGER NOT NULL REFERENCES question(id),
            locked_at TEXT,
            revealed_at TEXT,
            PRIMARY KEY (session_id, question_id)
        )""",
        "CREATE INDEX participant_session ON participant (session_id)",
    ]
    for sql in statements:
        db.execute(sql)


@migrations(name="0005_version_misconceptions")
def version_misconceptions(db: Database) -> None:
    # A version keeps the misconception labels it was published with (id -> {label,
    # description}, those its options name), so an old session's report does not
    # change when questions/misconceptions.toml does. Versions published before this
    # step get the labels of the shipped list as it is now.
    db.execute("ALTER TABLE set_version ADD COLUMN misconceptions TEXT NOT NULL DEFAULT '{}'")
    path = SHIPPED_MISCONCEPTIONS
    if not path.exists():
        return
    with path.open("rb") as fh:
        shipped = {k: v for k, v in tomllib.load(fh).items() if isinstance(v, dict)}
    versions = db.conn.execute("SELECT id FROM set_version WHERE published = 1").fetchall()
    for (version_id,) in versions:
        named = {
            row[0]
            for row in db.conn.execute(
                """SELECT json_extract(o.value, '$.misconception')
                   FROM question q, json_each(q.body, '$.options') o
                   WHERE q.version_id = ?""",
                [version_id],
            )
            if row[0] is not None
        }
        labels = {
            key: {
                "label": shipped[key].get("label", key),
                "description": shipped[key].get("description", ""),
            }
            for key in sorted(named)
            if key in shipped
        }
        db.execute(
            "UPDATE set_version SET misconceptions = ? WHERE id = ?",
            [json.dumps(labels, ensure_ascii=False), version_id],
        )
