"""Open SQLite connections the way Lateral needs them, one per request."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from flask import current_app, g
from sqlite_utils import Database

BUSY_TIMEOUT_MS = 10_000


def connect(path: str | Path) -> Database:
    """Open the database file with the pragmas every connection needs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # timeout is the Python-side wait for a lock; busy_timeout is SQLite's own.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if db.journal_mode != "wal":
        db.enable_wal()
    # FULL makes a committed answer survive a power cut or kill -9, not only a crash.
    db.execute("PRAGMA synchronous = FULL")
    return db


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


def get_db() -> Database:
    """Return this request's connection, opening it on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """Close this request's connection, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()
