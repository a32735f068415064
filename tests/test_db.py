"""Storage: migrations, connection pragmas and transactions."""

from __future__ import annotations

import json
import sqlite3
import threading
import tomllib

import pytest

from quiz.storage import migrations, queries
from quiz.storage.connection import connect, immediate

MIGRATIONS = [
    "0001_initial",
    "0002_session_check_forms",
    "0003_accounts_and_authoring",
    "0004_facilitated_sessions",
    "0005_version_misconceptions",
    "0010_sign_in_throttle",
    "0011_participant_skeleton",
    "0012_session_joining",
    "0013_rate_window",
    "0014_nickname_words",
    "0020_answer_votes",
    "0021_lesson_plan_timer_room",
    "0030_session_confidence",
    "0040_media_and_marks",
    "0041_check_order",
    "0050_import_reports",
    "0051_practice_links",
    "0052_session_end",
    "0060_interface_languages",
    "0065_room_why_step",
]
TABLES = [
    "_sqlite_migrations",
    "account",
    "answer",
    "answer_mark",
    "import_report",
    "invite",
    "media",
    "nickname_words",
    "participant",
    "participant_client",
    "participant_removal",
    "question",
    "question_set",
    "rate_window",
    "session",
    "session_question",
    "set_draft",
    "set_version",
    "sign_in_attempt",
    "team",
]


def test_migrating_a_new_file_creates_exactly_the_expected_tables(tmp_path):
    db = connect(tmp_path / "new.db")
    applied = migrations.apply(db)
    assert applied == MIGRATIONS
    assert queries.table_names(db) == TABLES


def test_migrating_twice_applies_nothing_the_second_time(tmp_path):
    db = connect(tmp_path / "new.db")
    migrations.apply(db)
    assert migrations.apply(db) == []
    rows = list(db.query("SELECT name FROM _sqlite_migrations"))
    assert [r["name"] for r in rows] == MIGRATIONS


def test_every_connection_has_foreign_keys_wal_full_sync_and_busy_timeout(tmp_path):
    db = connect(tmp_path / "x.db")
    pragma = {
        name: next(db.query(f"PRAGMA {name}"))
        for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
    }
    assert pragma["foreign_keys"]["foreign_keys"] == 1
    assert pragma["journal_mode"]["journal_mode"] == "wal"
    assert pragma["synchronous"]["synchronous"] == 2  # FULL
    assert pragma["busy_timeout"]["timeout"] >= 5000


def test_foreign_keys_are_enforced(app, db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO participant (id, session_id, nickname, created_at) "
            "VALUES ('x', 999, 'n', 'now')"
        )


def test_immediate_takes_the_write_lock_before_the_first_read(tmp_path):
    path = tmp_path / "lock.db"
    first = connect(path)
    migrations.apply(first)
    second = sqlite3.connect(str(path), timeout=0)
    with immediate(first):
        first.query("SELECT 1")
        # A second writer cannot even begin while the block holds the lock.
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            second.execute("BEGIN IMMEDIATE")
    second.execute("BEGIN IMMEDIATE")
    second.rollback()


def test_immediate_rolls_back_everything_on_error(tmp_path):
    db = connect(tmp_path / "rb.db")
    migrations.apply(db)
    with pytest.raises(RuntimeError), immediate(db):
        db.execute(
            "INSERT INTO question_set (slug, kind, created_at) VALUES ('abc', 'main', 'now')"
        )
        raise RuntimeError("boom")
    assert list(db.query("SELECT * FROM question_set")) == []


def test_workers_starting_together_migrate_once(tmp_path):
    path = tmp_path / "race.db"
    errors: list[Exception] = []

    def start():
        try:
            db = connect(path)
            migrations.apply(db)
            db.close()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = connect(path)
    names = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations")]
    assert names == MIGRATIONS


def _marked_answer(db) -> None:
    """A session with one participant, one answer, its mark and an image."""
    statements = [
        "INSERT INTO account (id, email, name, password_hash, role, created_at) "
        "VALUES (1, 't@example.org', 'Teacher', 'x', 'teacher', 't')",
        "INSERT INTO question_set (id, slug, kind, created_at) VALUES (1, 'abc', 'main', 't')",
        "INSERT INTO set_version (id, set_id, number, content_hash, title, body, created_at) "
        "VALUES (1, 1, 1, 'h', 'T', '{}', 't')",
        "INSERT INTO question (id, version_id, position, qid, type, body) "
        "VALUES (1, 1, 1, 'q', 'open', '{}')",
        "INSERT INTO session (id, code, version_id, mode, feedback, created_at) "
        "VALUES (1, 'ABCDEF', 1, 'class', 'now', 't')",
        "INSERT INTO participant (id, session_id, nickname, created_at) "
        "VALUES ('p', 1, 'Ada', 't')",
        "INSERT INTO answer (id, participant_id, question_id, response, score, parts, created_at)"
        " VALUES (7, 'p', 1, '{\"text\": \"Because\"}', 0, '{}', 't')",
        "INSERT INTO answer_mark (answer_id, level, marker, marker_account, marked_at) "
        "VALUES (7, 'mastery', 'teacher', 1, 't')",
        "INSERT INTO media (sha256, type, width, height, size, content, created_at) "
        "VALUES (?, 'image/png', 1, 1, 1, x'00', 't')",
    ]
    for sql in statements:
        db.execute(sql, ["a" * 64] if "?" in sql else [])


def test_a_file_given_the_marks_before_the_votes_keeps_its_marks_through_the_rebuild(tmp_path):
    # A file migrated by the evidence branch before the room branch landed has 0040 and
    # 0041 and then gets 0020, which rebuilds the answer table the marks point at.
    from sqlite_utils import Migrations

    from quiz.storage.migrations import migrations as steps

    votes = {"0020_answer_votes", "0021_lesson_plan_timer_room"}
    earlier = Migrations(steps.name)
    for step in steps._migrations:
        if step.name not in votes:
            earlier(name=step.name)(step.fn)
    db = connect(tmp_path / "evidence.db")
    db.execute("PRAGMA foreign_keys = OFF")
    earlier.apply(db)
    db.execute("PRAGMA foreign_keys = ON")
    _marked_answer(db)
    assert migrations.apply(db) == sorted(votes)
    assert queries.table_names(db) == TABLES
    mark = next(db.query("SELECT answer_id, level, marker FROM answer_mark"))
    assert mark == {"answer_id": 7, "level": "mastery", "marker": "teacher"}
    assert next(db.query("SELECT id, vote FROM answer")) == {"id": 7, "vote": 1}
    assert db.execute("SELECT count(*) FROM media").fetchone()[0] == 1
    columns = {r["name"] for r in db.query("PRAGMA table_info(participant)")}
    assert "check_order" in columns
    assert list(db.query("PRAGMA foreign_key_check")) == []
    # The mark still goes with its answer.
    db.execute("DELETE FROM answer WHERE id = 7")
    assert db.execute("SELECT count(*) FROM answer_mark").fetchone()[0] == 0


def migrated_before(path, migration: str):
    """A database file with the migrations before ``migration`` applied, foreign keys on."""
    from quiz.storage.migrations import migrations as steps

    db = connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    steps.apply(db, stop_before=migration)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def test_a_file_given_the_votes_before_the_marks_gets_them_after(tmp_path):
    db = migrated_before(tmp_path / "room.db", "0040_media_and_marks")
    assert migrations.apply(db) == MIGRATIONS[MIGRATIONS.index("0040_media_and_marks") :]
    _marked_answer(db)
    assert list(db.query("PRAGMA foreign_key_check")) == []
    db.execute("DELETE FROM participant WHERE id = 'p'")
    assert db.execute("SELECT count(*) FROM answer_mark").fetchone()[0] == 0


def test_rebuilding_the_session_table_keeps_every_participant_and_answer(tmp_path):
    db = migrated_before(tmp_path / "old.db", "0004_facilitated_sessions")
    db.execute(
        "INSERT INTO question_set (id, slug, kind, created_at) VALUES (1, 'abc', 'main', 't')"
    )
    db.execute(
        "INSERT INTO set_version (id, set_id, number, content_hash, title, body, created_at) "
        "VALUES (1, 1, 1, 'h', 'T', '{}', 't')"
    )
    db.execute(
        "INSERT INTO question (id, version_id, position, qid, type, body) "
        "VALUES (1, 1, 1, 'q', 'single', '{}')"
    )
    db.execute(
        "INSERT INTO session (id, code, version_id, mode, feedback, created_at) "
        "VALUES (1, 'ABCDEF', 1, 'class', 'now', 't')"
    )
    db.execute(
        "INSERT INTO participant (id, session_id, nickname, created_at) VALUES ('p', 1, 'Ada', 't')"
    )
    db.execute(
        "INSERT INTO answer (participant_id, question_id, response, score, parts, created_at) "
        "VALUES ('p', 1, '{}', 1, '{}', 't')"
    )
    assert migrations.apply(db) == MIGRATIONS[MIGRATIONS.index("0004_facilitated_sessions") :]
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 1
    row = next(db.query("SELECT code, pace, feedback, state_version FROM session"))
    assert row == {"code": "ABCDEF", "pace": "self", "feedback": "now", "state_version": 1}
    assert next(db.query("PRAGMA foreign_keys"))["foreign_keys"] == 1


def test_versions_published_before_they_kept_labels_get_the_shipped_list(tmp_path):
    from quiz.storage.migrations import SHIPPED_MISCONCEPTIONS
    from quiz.storage.migrations import migrations as steps

    db = connect(tmp_path / "old.db")
    steps.apply(db, stop_before="0005_version_misconceptions")
    db.execute(
        "INSERT INTO question_set (id, slug, kind, created_at) VALUES (1, 'abc', 'main', 't')"
    )
    for version_id, published in ((1, 1), (2, 0)):
        db.execute(
            "INSERT INTO set_version (id, set_id, number, content_hash, title, published, body,"
            " created_at) VALUES (?, 1, ?, 'h', 'T', ?, '{}', 't')",
            [version_id, version_id, published],
        )
        options = [
            {"id": "a", "misconception": "seeing-is-believing"},
            {"id": "b", "misconception": "not-in-the-list"},
            {"id": "c"},
        ]
        db.execute(
            "INSERT INTO question (version_id, position, qid, type, body) VALUES (?, 1, 'q', "
            "'single', ?)",
            [version_id, json.dumps({"options": options})],
        )
    assert migrations.apply(db) == MIGRATIONS[MIGRATIONS.index("0005_version_misconceptions") :]
    stored = dict(db.execute("SELECT id, misconceptions FROM set_version").fetchall())
    shipped = tomllib.loads(SHIPPED_MISCONCEPTIONS.read_text())["seeing-is-believing"]
    assert json.loads(stored[1]) == {
        "seeing-is-believing": {
            "label": shipped["label"],
            "description": shipped["description"],
        }
    }
    assert json.loads(stored[2]) == {}  # not published: no session runs it
