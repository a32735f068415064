"""Schema changes, as named append-only migrations.

Never edit a migration that has landed: add a new one after the last. They apply in
the order they are registered, which is the order the modules are imported below:
``first_schema`` (0001-0005), ``sign_in_and_joining`` (0010-0014),
``room_media_and_imports`` (0020-0052), ``languages`` (0060 on; a new migration goes
at the end of the last module). ``registry``
holds the list itself; ``apply`` runs what is pending.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..connection import immediate

# The order of these imports is the order the migrations apply in.
# isort: off
from . import first_schema  # noqa: F401  (0001-0005)
from . import sign_in_and_joining  # noqa: F401  (0010-0014)
from . import room_media_and_imports  # noqa: F401  (0020-0052)
from . import languages  # noqa: F401  (0060 on)

# isort: on
from .first_schema import SHIPPED_MISCONCEPTIONS
from .registry import migrations

__all__ = ["SHIPPED_MISCONCEPTIONS", "apply", "migrations"]


def apply(db: Database) -> list[str]:
    """Apply pending migrations under the write lock; return the names applied.

    Foreign keys are switched off while migrating, as SQLite's documented way to
    rebuild a table requires, and checked before the changes are committed.
    """
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        # Several worker processes may start at once: the lock makes one apply
        # and the others find nothing pending.
        with immediate(db):
            pending = [m.name for m in migrations.pending(db)]
            migrations.apply(db)
            broken = list(db.query("PRAGMA foreign_key_check"))
            if broken:
                raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
    finally:
        db.execute("PRAGMA foreign_keys = ON")
    return pending
