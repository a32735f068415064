"""Group commit (quiz/storage/commits.py): writes that arrive together share one transaction,
and each caller still gets exactly its own result, its own error, and only after the
commit."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time

import pytest

from quiz.storage import commits
from quiz.storage.connection import connect, immediate
from quiz.web.cache import Cache

# The app's cache, where group commit keeps each database file's writer.
CACHE = Cache()

INSERT = "INSERT INTO item (name, owner) VALUES (?, ?) RETURNING id, name"


@pytest.fixture
def path(tmp_path) -> str:
    db = connect(tmp_path / "c.db")
    db.conn.executescript(
        """CREATE TABLE owner (id INTEGER PRIMARY KEY);
           INSERT INTO owner (id) VALUES (1);
           CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT UNIQUE,
                              owner INTEGER NOT NULL REFERENCES owner(id));"""
    )
    db.close()
    return str(tmp_path / "c.db")


def _stored(path: str) -> list[str]:
    db = connect(path)
    try:
        return [r[0] for r in db.conn.execute("SELECT name FROM item ORDER BY name")]
    finally:
        db.close()


def _in_threads(path: str, params: list[tuple]) -> dict:
    """Run each write from its own thread and connection; return the result or the
    error of each, by its position in ``params``."""
    out: dict = {}
    start = threading.Barrier(len(params))

    def one(i: int, name: str, owner: int) -> None:
        db = connect(path, CACHE)
        try:
            start.wait()
            out[i] = commits.run(db, INSERT, [name, owner])
        except Exception as exc:
            out[i] = exc
        finally:
            db.close()

    threads = [threading.Thread(target=one, args=(i, *p)) for i, p in enumerate(params)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


def _waiting(path: str) -> int:
    return len(commits.writer(CACHE, os.path.realpath(path)).waiting)


def test_many_writes_at_once_are_all_stored_and_each_caller_gets_its_own_row(path):
    names = [f"w{i:02}" for i in range(40)]
    out = _in_threads(path, [(n, 1) for n in names])
    assert sorted(out) == list(range(40))
    for i, found in out.items():
        assert found == [{"id": found[0]["id"], "name": names[i]}]
    assert _stored(path) == names
    assert len({found[0]["id"] for found in out.values()}) == 40


def _held_turn(path: str):
    """Take the commit turn as another process would, so writes pile up behind it."""
    fd = os.open(os.path.realpath(path) + "-writer", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _grouped(path: str, params: list[tuple]) -> dict:
    """Start the writes while the turn is held elsewhere, then let them commit together."""
    fd = _held_turn(path)
    out: dict = {}
    try:
        runner = threading.Thread(target=lambda: out.update(_in_threads(path, params)))
        runner.start()
        deadline = time.monotonic() + 10
        # One leader waits for the turn; the others wait for it.
        while _waiting(path) < len(params) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _waiting(path) == len(params)
        assert _stored(path) == []  # nothing is stored, or answered, before its commit
        assert out == {}
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    runner.join(30)
    return out


def test_a_write_that_fails_fails_alone_and_the_rest_of_its_group_is_stored(path):
    # The second names no owner; the fourth repeats a unique name.
    out = _grouped(path, [("a", 1), ("b", 99), ("c", 1), ("a", 1)])
    assert isinstance(out[1], sqlite3.IntegrityError)
    assert out[2] == [{"id": out[2][0]["id"], "name": "c"}]
    # One of the two "a" was stored, the other refused.
    first, second = out[0], out[3]
    assert [isinstance(x, sqlite3.IntegrityError) for x in (first, second)].count(True) == 1
    assert _stored(path) == ["a", "c"]


def test_when_the_commit_fails_no_write_of_the_group_is_stored_and_each_hears_why(
    path, monkeypatch
):
    real_commit = commits._commit

    def commit_then_fail(db, group):
        inner = db.conn

        class FullDisk:
            """The connection, but COMMIT fails as a full disk makes it fail."""

            def __getattr__(self, name):
                return getattr(inner, name)

            def execute(self, sql, *args):
                if sql == "COMMIT":
                    raise sqlite3.OperationalError("database or disk is full")
                return inner.execute(sql, *args)

        db.conn = FullDisk()
        try:
            real_commit(db, group)
        finally:
            db.conn = inner

    monkeypatch.setattr(commits, "_commit", commit_then_fail)
    out = _grouped(path, [("x", 1), ("y", 1), ("z", 1)])
    for i in range(3):
        assert isinstance(out[i], sqlite3.OperationalError)
        assert "disk is full" in str(out[i])
    assert _stored(path) == []


def test_inside_a_callers_transaction_the_write_is_part_of_it(path):
    db = connect(path)
    try:
        with pytest.raises(RuntimeError), immediate(db):
            assert commits.run(db, INSERT, ["inside", 1])[0]["name"] == "inside"
            raise RuntimeError("the caller changes its mind")
        assert _stored(path) == []
        with immediate(db):
            commits.run(db, INSERT, ["kept", 1])
        assert _stored(path) == ["kept"]
    finally:
        db.close()


def test_a_busy_database_fails_the_group_and_frees_the_next_writer(path, monkeypatch):
    monkeypatch.setattr(commits, "_take_turn", lambda _path: None)  # SQLite's lock alone
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    db = connect(path, CACHE)
    db.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            commits.run(db, INSERT, ["late", 1])
        holder.execute("ROLLBACK")
        assert commits.run(db, INSERT, ["next", 1])[0]["name"] == "next"
        assert _stored(path) == ["next"]
    finally:
        holder.close()
        db.close()


def _turn_files_open(folder) -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(os.path.realpath(folder)) and target.endswith("-writer"):
            found.append(target)
    return found


def test_a_process_keeps_few_turn_files_open_however_many_databases_it_wrote(tmp_path):
    # The cache's bound is the bound: a writer it lets go closes its turn file.
    cache = Cache(most=8)
    for i in range(12):
        db = connect(tmp_path / f"d{i}.db", cache)
        try:
            db.conn.execute("CREATE TABLE t (x)")
            assert commits.run(db, "INSERT INTO t (x) VALUES (?) RETURNING x", [i]) == [{"x": i}]
        finally:
            db.close()
    mine = _turn_files_open(tmp_path)
    assert 1 <= len(mine) <= 8
    assert os.path.realpath(tmp_path / "d11.db") + "-writer" in mine
    for path in mine:
        assert os.path.exists(path)
