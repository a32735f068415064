"""Open SQLite connections the way Lateral needs them, one per request."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, g
from sqlite_utils import Database

if TYPE_CHECKING:
    from ..web.cache import Cache

BUSY_TIMEOUT_MS = 10_000
WAL_TRIES = 200  # 10 ms apart: two seconds


@dataclass(frozen=True)
class Opened:
    """What ``connect`` knows of a connection it opened: the file (its real path) and
    the cache of the app it was opened for (None outside an app)."""

    path: str
    cache: Cache | None


# Database objects are not SQLite's: sqlite-utils' can be weakly referenced, so an
# entry goes when its connection does.
_opened: weakref.WeakKeyDictionary[Database, Opened] = weakref.WeakKeyDictionary()


def opened(db: Database) -> Opened | None:
    """Return what a connection was opened on, or None if ``connect`` did not open it.

    Group commit (``commits``) asks this for the file and the cache it works with.
    """
    return _opened.get(db)


def connect(path: str | Path, cache: Cache | None = None) -> Database:
    """Open the database file with the pragmas every connection needs.

    ``cache`` is the app's cache (``get_db`` passes it): group commit keeps the file's
    writer there. Without one, every write on the connection commits by itself.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # timeout is the Python-side wait for a lock; busy_timeout is SQLite's own.
    # Autocommit (isolation_level=None): the driver opens no transaction of its own,
    # so a single write statement takes the write lock and commits inside one call,
    # and several statements that belong together use immediate() below.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    _use_wal(db)
    # FULL makes a committed answer survive a power cut or kill -9, not only a crash.
    db.execute("PRAGMA synchronous = FULL")
    _opened[db] = Opened(os.path.realpath(path), cache)
    return db


def _use_wal(db: Database) -> None:
    """Switch the file to WAL journaling (it stays so: later connections find it set).

    Workers opening a new file at once race to switch it, and SQLite answers the
    losers' switch with "database is locked" at once, without waiting: they wait a
    moment and look again, by which time the winner has switched it.
    """
    for _ in range(WAL_TRIES):
        if db.journal_mode == "wal":
            return
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    db.enable_wal()  # the last try: its error is the one to see


@contextlib.contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """Run a read-then-write block in a BEGIN IMMEDIATE transaction.

    A plain BEGIN takes the write lock only at the first write, and two
    processes that both read first then deadlock with "database is locked".
    """
    if db.conn.in_transaction:
        # Nested use joins the outer transaction through a savepoint.
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        db.conn.execute("COMMIT")


# One connection per server thread, kept between requests: opening one costs the
# pragmas, and closing the last one makes SQLite fold the WAL back into the file.
_local = threading.local()


def get_db() -> Database:
    """Return this thread's connection to the app's database, opening it on first use."""
    if "db" not in g:
        cache = current_app.extensions.get("lateral.cache")  # web.cache.install
        g.db = kept(current_app.config["DATABASE"], cache)
    return g.db


def kept(path: str, cache: Cache | None) -> Database:
    """Return this thread's kept connection to ``path``, opening it on first use.

    ``get_db`` hands it to Flask's requests; ``web.early`` reads through it before Flask,
    on the same thread, so a server thread holds one connection. A different path, a
    file replaced under the same path (a restored backup), another app (the tests make
    many) or another process (a forked worker must not share its parent's) needs a new
    connection.
    """
    held = getattr(_local, "db", None)
    identity = (path, _inode(path), id(cache), os.getpid())
    if held is None or _local.identity != identity:
        if held is not None and _local.identity[3] == identity[3]:
            # Only this process's own: a forked worker leaves the one it inherited alone
            # (closing it could checkpoint and remove a WAL file the parent still uses).
            held.close()
        held = connect(path, cache)
        _local.db, _local.identity = held, (path, _inode(path), id(cache), os.getpid())
    return held


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def close_db(_exc: BaseException | None = None) -> None:
    """End this request's use of the connection; nothing stays half-done in it."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.rollback()


def forget_connection() -> None:
    """Close this thread's kept connection (tests that delete their database)."""
    held = getattr(_local, "db", None)
    if held is not None:
        held.close()
        _local.db = None
