"""Migrations 0020-0052: second votes, the lesson plan, timers and the room screen,
confidence per session, media and marks, check-form order, import reports, practice
links and a homework's end.

Landed migrations: never edit one (see the package docstring). A new migration goes
at the end of this module (or of a new module imported last in ``__init__``).
"""

from __future__ import annotations

from sqlite_utils import Database

from .registry import migrations

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
