"""Online backups of the SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database


def vacuum_into(db: Database, target: Path) -> None:
    """Write a consistent, compacted copy of the database to a new file."""
    # VACUUM INTO reads one snapshot of the database, so writers carry on meanwhile.
    db.execute("VACUUM INTO ?", [str(target)])


def integrity(target: Path) -> str:
    """Return SQLite's integrity verdict for a database file ("ok" when sound)."""
    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
