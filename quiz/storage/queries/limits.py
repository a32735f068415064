"""SQL for anti-automation: counts per window (quiz.play.limits) and the word filter's list."""

from __future__ import annotations

from sqlite_utils import Database

from .common import now, one


def count_in_window(db: Database, key: str, bucket: str) -> int:
    """Count one more event under a key in a time bucket; return the bucket's count.

    One statement, so requests of several workers arriving together each get their own
    number.
    """
    cursor = db.execute(
        "INSERT INTO rate_window (key, bucket, count) VALUES (?, ?, 1) "
        "ON CONFLICT (key, bucket) DO UPDATE SET count = count + 1 RETURNING count",
        [key, bucket],
    )
    return cursor.fetchone()[0]


def prune_windows(db: Database, before: str) -> int:
    """Delete the counts of buckets that started before a time; return how many."""
    return db.execute("DELETE FROM rate_window WHERE bucket < ?", [before]).rowcount


def nickname_words(db: Database) -> str | None:
    """Return the word filter's list as an administrator saved it, or None."""
    row = one(db, "SELECT words FROM nickname_words WHERE id = 1")
    return row["words"] if row else None


def save_nickname_words(db: Database, words: str, account_id: int) -> None:
    """Store the word filter's list (replacing the saved one)."""
    db.execute(
        "INSERT INTO nickname_words (id, words, updated_by, updated_at) VALUES (1, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET words = excluded.words, "
        "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        [words, account_id, now()],
    )


def forget_nickname_words(db: Database) -> None:
    """Drop the saved list: the filter uses the file's again."""
    db.execute("DELETE FROM nickname_words WHERE id = 1")
