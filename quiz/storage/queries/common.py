"""Helpers shared by the query modules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from ... import clock


def now() -> str:
    """Return the current UTC time as stored (ISO 8601)."""
    return clock.stamp()


def rows(db: Database, sql: str, params: Any = ()) -> Iterator[dict]:
    """Run a read and yield its rows as dicts.

    The connection's own cursor, not ``Database.query``: that wraps every read in a
    SAVEPOINT and a RELEASE, three statements where one does.
    """
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def one(db: Database, sql: str, params: Any = ()) -> dict | None:
    """Return the first row of a query, or None."""
    return next(rows(db, sql, params), None)


def table_names(db: Database) -> list[str]:
    """List the tables in the database (for the migration test and checks)."""
    return sorted(db.table_names())
