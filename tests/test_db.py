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
]
TABLES = [
    "_sqlite_migrations",
    "account",
    "answer",
    "invite",
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


def test_rebuilding_the_session_table_keeps_every_participant_and_answer(tmp_path):
    from quiz.storage.migrations import migrations as steps

    db = connect(tmp_path / "old.db")
    db.execute("PRAGMA foreign_keys = OFF")
    steps.apply(db, stop_before="0004_facilitated_sessions")
    db.execute("PRAGMA foreign_keys = ON")
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
