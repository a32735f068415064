"""Schema changes, as named append-only migrations.

Never edit a migration that has landed: add a new one below it.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from sqlite_utils import Database, Migrations

from .connection import immediate

migrations = Migrations("lateral")
# The misconception list shipped with Lateral (for 0005, which fills in versions
# published before versions kept their own labels).
SHIPPED_MISCONCEPTIONS = Path(__file__).resolve().parents[2] / "questions" / "misconceptions.toml"


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    statements = [
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
    for sql in statements:
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
    from ..play.nicknames import skeleton

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


ANSWER_UNIQUE = "UNIQUE (participant_id, question_id)"


@migrations(name="0020_answer_votes")
def answer_votes(db: Database) -> None:
    # Peer instruction: a participant may answer a question twice (vote 1, then vote 2
    # after talking at their table), each vote stored once. SQLite cannot change a
    # UNIQUE constraint, so the table is rebuilt (foreign keys are off while migrating,
    # see apply) from its own stored definition, whatever columns and indexes it has
    # by then; every existing answer becomes a first vote. The new column goes last,
    # so the existing columns keep their order.
    table = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'answer'")
    definition = table.fetchone()[0]
    if definition.count(ANSWER_UNIQUE) != 1:
        raise RuntimeError(f"0020_answer_votes: the answer table has no {ANSWER_UNIQUE}")
    indexes = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'answer' "
            "AND sql IS NOT NULL"
        )
    ]
    columns = ", ".join(f'"{row[1]}"' for row in db.execute("PRAGMA table_info(answer)"))
    rebuilt = definition.replace(
        ANSWER_UNIQUE,
        "vote INTEGER NOT NULL DEFAULT 1 CHECK (vote IN (1, 2)),\n"
        "            UNIQUE (participant_id, question_id, vote)",
    )
    db.execute(rebuilt.replace("CREATE TABLE answer", "CREATE TABLE answer_new", 1))
    db.execute(f"INSERT INTO answer_new ({columns}, vote) SELECT {columns}, 1 FROM answer")
    db.execute("DROP TABLE answer")
    db.execute("ALTER TABLE answer_new RENAME TO answer")
    for sql in indexes:
        db.execute(sql)


@migrations(name="0021_lesson_plan_timer_room")
def lesson_plan_timer_room(db: Database) -> None:
    statements = [
        # The questions of the main set a session runs, in order (a JSON list of
        # question ids); NULL runs them all in the set's order.
        "ALTER TABLE session ADD COLUMN plan TEXT",
        # Options in an order of each participant's own.
        "ALTER TABLE session ADD COLUMN shuffle INTEGER NOT NULL DEFAULT 0",
        # Seconds each question of a led session stays open once opened; NULL: no timer.
        "ALTER TABLE session ADD COLUMN timer INTEGER",
        # When a question stops taking answers (UTC, as stored times are); NULL: no timer.
        "ALTER TABLE session_question ADD COLUMN deadline TEXT",
        # Which vote a question takes now: 1, or 2 after "talk to your table".
        "ALTER TABLE session_question ADD COLUMN vote INTEGER NOT NULL DEFAULT 1"
        " CHECK (vote IN (1, 2))",
    ]
    for sql in statements:
        db.execute(sql)


@migrations(name="0030_session_confidence")
def session_confidence(db: Database) -> None:
    # When a session asks students how sure they are: "set" (on the questions whose
    # set asks), "always" (on every question) or "never".
    db.execute(
        "ALTER TABLE session ADD COLUMN confidence TEXT NOT NULL DEFAULT 'set' "
        "CHECK (confidence IN ('set', 'always', 'never'))"
    )


@migrations(name="0040_media_and_marks")
def media_and_marks(db: Database) -> None:
    statements = [
        # Images of question sets, content-addressed: a version's body names each one by
        # its sha256, and it is served at /media/<sha256>.<extension> for good.
        """CREATE TABLE media (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            type TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            size INTEGER NOT NULL,
            content BLOB NOT NULL,
            created_at TEXT NOT NULL
        )""",
        # The rubric level given to a written answer, by the facilitator or a classmate.
        # Re-marking replaces it; the mark it replaced is kept beside it for one undo.
        # A classmate is named by their random participant id, with no foreign key: a
        # mark on someone else's answer stays when its marker is removed (it goes with
        # the answer it marks).
        """CREATE TABLE answer_mark (
            answer_id INTEGER PRIMARY KEY REFERENCES answer(id) ON DELETE CASCADE,
            level TEXT NOT NULL CHECK (level IN ('beginning', 'emerging', 'mastery')),
            marker TEXT NOT NULL CHECK (marker IN ('teacher', 'peer')),
            marker_account INTEGER REFERENCES account(id) ON DELETE SET NULL,
            marker_participant TEXT,
            marked_at TEXT NOT NULL,
            previous_level TEXT CHECK (previous_level IN ('beginning', 'emerging', 'mastery')),
            previous_marker TEXT CHECK (previous_marker IN ('teacher', 'peer')),
            previous_account INTEGER REFERENCES account(id) ON DELETE SET NULL,
            previous_participant TEXT,
            previous_at TEXT
        )""",
        "CREATE INDEX answer_mark_marker ON answer_mark (marker_participant)",
    ]
    for sql in statements:
        db.execute(sql)


@migrations(name="0041_check_order")
def check_order(db: Database) -> None:
    # Counterbalanced check forms: 'AB' takes the session's first form before the set
    # and the second after it, 'BA' the other way round; NULL (sessions without check
    # forms, and participants who joined before this step) plays as 'AB'.
    db.execute(
        "ALTER TABLE participant ADD COLUMN check_order TEXT CHECK (check_order IN ('AB', 'BA'))"
    )


@migrations(name="0050_import_reports")
def import_reports(db: Database) -> None:
    # What an import from another tool's file became, kept beside the draft it made:
    # the report's lines as message codes and parameters (authoring/interchange/report.py).
    db.execute(
        """CREATE TABLE import_report (
            set_id INTEGER PRIMARY KEY REFERENCES question_set(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            filename TEXT NOT NULL,
            lines TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )


@migrations(name="0051_practice_links")
def practice_links(db: Database) -> None:
    # A teacher's published set can be practised by link: a random token, made and
    # withdrawn by its owner, so the set's own id never has to be shared.
    db.execute("ALTER TABLE question_set ADD COLUMN practice_token TEXT")
    db.execute(
        "CREATE UNIQUE INDEX question_set_practice ON question_set (practice_token) "
        "WHERE practice_token IS NOT NULL"
    )


@migrations(name="0052_session_end")
def session_end(db: Database) -> None:
    # A self-paced session (homework) may close by itself: answers are refused from
    # ends_at (UTC) on; ends_label is that moment as the teacher set it, in the
    # school's time zone, for the messages students read.
    db.execute("ALTER TABLE session ADD COLUMN ends_at TEXT")
    db.execute("ALTER TABLE session ADD COLUMN ends_label TEXT")


def apply(db: Database) -> list[str]:
    """Apply pending migrations under the write lock; return the names applied.

    Foreign keys are switched off while migrating, as SQLite's documented way to
    rebuild a table requires, and checked before the changes are committed.
    """
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        # Several worker processes may start at once: the lock makes one apply
        # and the others find nothing pending.
        with immediate(db):
            pending = [m.name for m in migrations.pending(db)]
            migrations.apply(db)
            broken = list(db.query("PRAGMA foreign_key_check"))
            if broken:
                raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
    finally:
        db.execute("PRAGMA foreign_keys = ON")
    return pending
