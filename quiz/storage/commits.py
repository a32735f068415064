"""Group commit: single-statement writes that arrive together share one transaction.

When the facilitator opens a question, a room answers within seconds. Committed one
by one, every answer is its own transaction: its own turn at SQLite's write lock and
its own fsync, and the server's worker processes spend their time waiting for that
lock in SQLite's busy handler, which sleeps 1, 2, 5, 10… ms between tries however
soon the lock is free.

Here, within one process, the first thread to arrive leads: it takes every statement
waiting at that moment, runs them in one ``BEGIN IMMEDIATE`` … ``COMMIT`` on its own
connection, and wakes their threads with their results. Threads that arrive meanwhile
wait, and the first of them leads the next group. Between processes, leaders take
turns through an exclusive ``flock`` on a file beside the database, which wakes the
next one as soon as the lock is released instead of letting it sleep.

Nothing changes for the caller: a statement's result is returned only after its group
has committed (with ``synchronous=FULL``, on disk), a statement that fails fails
alone (SQLite undoes that statement, not the transaction), and a failed BEGIN or
COMMIT fails every statement of its group, none of which is then stored.

What a group commit needs it asks the connection layer for, explicitly:
``connection.opened(db)`` gives the file a connection was opened on and the cache of
the app that opened it. The cache keeps one ``Writer`` per database file and process
(the waiting writes and the turn file); a connection opened without a cache commits
each write by itself.
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from . import connection

if TYPE_CHECKING:
    from ..web.cache import Cache


class _Write:
    __slots__ = ("sql", "params", "done", "lead", "rows", "error")

    def __init__(self, sql: str, params: Any) -> None:
        self.sql = sql
        self.params = params
        # What a waiting write is woken by; a write that leads at once never waits, and
        # gets none (``run``).
        self.done: threading.Event | None = None
        self.lead = False
        self.rows: list[dict] = []
        self.error: BaseException | None = None


class Writer:
    """The writes waiting for one database file in this process, and its turn file.

    The turn file (``<database>-writer``) is opened on the first commit and closed when
    the writer is dropped (the cache's bound, or its app, let it go). Should a writer be
    dropped while it commits, the next write gets a new one: the two take turns through
    their own turn files, as two processes do.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.waiting: list[_Write] = []
        self.leading = False
        self.turn: int | None = None

    def open_turn_file(self) -> int | None:
        """Return the turn file's descriptor, opening it once; None where it cannot be
        made (SQLite's own lock still decides)."""
        if self.turn is None:
            try:
                self.turn = os.open(
                    self.path + "-writer", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600
                )
            except OSError:
                return None
            weakref.finalize(self, os.close, self.turn)
        return self.turn


def writer(cache: Cache, path: str) -> Writer:
    """Return this process's writer for a database file, kept in the app's cache (a
    forked process makes its own: ``flock`` belongs to the open file)."""
    return cache.get(("group commit", path, os.getpid()), lambda: Writer(path))


def run(db: Database, sql: str, params: Any = ()) -> list[dict]:
    """Run one write statement in the next group commit; return its rows as dicts
    (for ``RETURNING``) once the group is committed."""
    opened = connection.opened(db)
    if opened is None or opened.cache is None or db.conn.in_transaction:
        # Inside a caller's transaction, or a connection without an app's cache: the
        # statement runs where it is, as part of what the caller commits.
        return _execute(db, sql, params)
    queue = writer(opened.cache, opened.path)
    write = _Write(sql, params)
    with queue.lock:
        queue.waiting.append(write)
        if not queue.leading:
            queue.leading = write.lead = True
        else:
            write.done = threading.Event()
    if not write.lead:
        write.done.wait()
    if write.lead:
        _lead(db, queue, write)
    if write.error is not None:
        raise write.error
    return write.rows


def _lead(db: Database, queue: Writer, own: _Write) -> None:
    group: list[_Write] = []
    turn = None
    try:
        # The group is taken once this process has its turn, so that it holds every
        # write that arrived while another process was committing.
        turn = _take_turn(queue)
        with queue.lock:
            group, queue.waiting = queue.waiting, []
        _commit(db, group)
    finally:
        if turn is not None:
            fcntl.flock(turn, fcntl.LOCK_UN)
        with queue.lock:
            if not group:
                # Taking the turn failed: this write fails, and the others go on.
                queue.waiting.remove(own)
            if queue.waiting:
                # Hand over: the first thread still waiting leads the next group.
                queue.waiting[0].lead = True
                queue.waiting[0].done.set()
            else:
                queue.leading = False
        for write in group:
            if write is not own:
                write.done.set()


def _take_turn(queue: Writer) -> int | None:
    """Wait for this process's turn to commit; return the file descriptor to unlock,
    or None where the turn file cannot be made (SQLite's own lock still decides)."""
    fd = queue.open_turn_file()
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _commit(db: Database, group: list[_Write]) -> None:
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        for write in group:
            try:
                write.rows = _execute(db, write.sql, write.params)
            except Exception as exc:
                if not db.conn.in_transaction:
                    # Some errors (a full disk, an I/O error) roll back the whole
                    # transaction: then the group fails as one.
                    raise
                write.error = exc  # SQLite undid that statement alone
        db.conn.execute("COMMIT")
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        for write in group:
            write.rows, write.error = [], exc
        if not isinstance(exc, Exception):
            raise


def _execute(db: Database, sql: str, params: Any) -> list[dict]:
    cursor = db.conn.execute(sql, params)
    if cursor.description is None:
        return []
    names = [d[0] for d in cursor.description]
    # Every row is read, so the statement is finished when this returns.
    return [dict(zip(names, row, strict=True)) for row in cursor]
