"""The one place Lateral reads the time, so tests can freeze or move it."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Return the current UTC time."""
    return dt.datetime.now(dt.UTC)


def stamp(moment: dt.datetime | None = None) -> str:
    """Return a time as stored: ISO 8601, seconds, UTC (now by default)."""
    return (moment or utcnow()).isoformat(timespec="seconds")


def passed(moment: str | None) -> bool:
    """Whether a time given as stored (ISO 8601 with its offset) has come; anything that
    is not such a time (a query string's garbage, say) has not."""
    if not moment:
        return False
    try:
        return utcnow() >= dt.datetime.fromisoformat(moment)
    except (ValueError, TypeError):
        return False
