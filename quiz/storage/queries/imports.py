"""SQL for import reports: what an import from another tool's file became."""

from __future__ import annotations

import json

from sqlite_utils import Database

from .common import now, one


def save_import_report(db: Database, set_id: int, report: dict) -> None:
    """Keep the report of the import that made a set: its kind, file name and lines."""
    db.execute(
        """INSERT INTO import_report (set_id, kind, filename, lines, created_at)
           VALUES (?, ?, ?, ?, ?)""",
        [
            set_id,
            report["kind"],
            report["filename"],
            json.dumps(report["lines"], ensure_ascii=False),
            now(),
        ],
    )


def import_report_of(db: Database, set_id: int) -> dict | None:
    """Return the report of the import that made a set, or None."""
    row = one(db, "SELECT * FROM import_report WHERE set_id = ?", [set_id])
    if row is not None:
        row["lines"] = json.loads(row["lines"])
    return row
