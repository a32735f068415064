"""Retention: participant data is deleted ``RETENTION_DAYS`` after a session closes
(practice sessions: after they started), checked hourly on requests and by ``flask purge``."""

from __future__ import annotations

import datetime as dt
import time

from flask import Flask
from sqlite_utils import Database

from .. import clock
from ..accounts import throttle
from ..play import limits
from ..storage import queries
from ..storage.connection import get_db, immediate


def purge(db: Database, retention_days: int) -> int:
    """Delete participant data of sessions past the retention period; return sessions purged.

    The sign-in throttle's old attempts and the old join counts go at the same time.
    """
    throttle.prune(db)
    limits.prune(db)
    cutoff = clock.stamp(clock.utcnow() - dt.timedelta(days=retention_days))
    purged = 0
    for session_id in queries.sessions_to_purge(db, cutoff):
        with immediate(db):
            queries.delete_participants(db, session_id)
            queries.bump_state(db, session_id)
        purged += 1
    return purged


def schedule(app: Flask) -> None:
    """Purge participant data past retention at most once an hour per process."""
    # None until the first request: monotonic time counts from the machine's boot, so
    # comparing it with 0 skipped every purge during the first hour of uptime.
    last: dict[str, float | None] = {"at": None}

    @app.before_request
    def purge_now_and_then() -> None:
        at = last["at"]
        if at is not None and time.monotonic() - at < 3600:
            return
        last["at"] = time.monotonic()
        purged = purge(get_db(), app.config["RETENTION_DAYS"])
        if purged:
            app.logger.info("retention: purged participant data of %d sessions", purged)
