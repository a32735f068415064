"""Storage: migrations, connection pragmas and transactions."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from quiz import migrations, queries
from quiz.db import connect, immediate

MIGRATIONS = ["0001_initial", "0002_session_check_forms", "0003_accounts_and_authoring"]
TABLES = [
    "_sqlite_migrations",
    "account",
    "answer",
    "invite",
    "participant",
    "question",
    "question_set",
    "session",
    "set_draft",
    "set_version",
    "sign_in_failure",
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
