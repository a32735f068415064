"""Helpers shared by the query modules."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .. import clock


def now() -> str:
    """Return the current UTC time as stored (ISO 8601)."""
    return clock.stamp()


def one(db: Database, sql: str, params: Any = ()) -> dict | None:
    """Return the first row of a query, or None."""
    return next(db.query(sql, params), None)
