"""SQL for images: stored once by their content's sha256, read back to be served."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlite_utils import Database

from .common import now, one

if TYPE_CHECKING:
    from ...sets.media import Picture


def insert_media(db: Database, picture: Picture, content: bytes) -> None:
    """Store an image's bytes under its sha256 (nothing happens if it is stored)."""
    db.execute(
        """INSERT INTO media (sha256, type, width, height, size, content, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING""",
        [picture.sha256, picture.type, picture.width, picture.height, picture.size, content, now()],
    )


def stored_media(db: Database, digests: set[str]) -> set[str]:
    """Return which of some sha256 digests have a stored image."""
    if not digests:
        return set()
    marks = ", ".join("?" for _ in digests)
    found = db.conn.execute(f"SELECT sha256 FROM media WHERE sha256 IN ({marks})", list(digests))
    return {row[0] for row in found}


def media_file(db: Database, sha256: str) -> dict | None:
    """Return a stored image (type, size in pixels and bytes, content), or None."""
    return one(db, "SELECT * FROM media WHERE sha256 = ?", [sha256])
