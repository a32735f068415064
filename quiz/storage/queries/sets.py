"""SQL for question sets and their versions."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from .common import now, one, rows


def _version(row: dict | None) -> dict | None:
    if row is not None:
        row = dict(row)
        row["body"] = json.loads(row["body"])
        if "misconceptions" in row:
            row["misconceptions"] = json.loads(row["misconceptions"])
    return row


def latest_version(db: Database, slug: str) -> dict | None:
    """Return the newest version of a set by its slug."""
    return _version(
        one(
            db,
            """SELECT v.*, s.slug, s.kind, s.owner_id, s.archived_at FROM set_version v
               JOIN question_set s ON s.id = v.set_id
               WHERE s.slug = ? ORDER BY v.number DESC LIMIT 1""",
            [slug],
        )
    )


def latest_published(db: Database, slug: str) -> dict | None:
    """Return the newest published version of a set."""
    return _version(
        one(
            db,
            """SELECT v.*, s.slug, s.kind, s.owner_id, s.archived_at FROM set_version v
               JOIN question_set s ON s.id = v.set_id
               WHERE s.slug = ? AND v.published = 1
               ORDER BY v.number DESC LIMIT 1""",
            [slug],
        )
    )


def get_version(db: Database, version_id: int) -> dict | None:
    """Return one set version with its parsed body."""
    return _version(
        one(
            db,
            """SELECT v.*, s.slug, s.kind, s.owner_id, s.archived_at FROM set_version v
               JOIN question_set s ON s.id = v.set_id WHERE v.id = ?""",
            [version_id],
        )
    )


# The newest published version of each unarchived set of a kind (a parameter).
_NEWEST_PUBLISHED = """FROM set_version v JOIN question_set s ON s.id = v.set_id
           WHERE s.kind = ? AND v.published = 1 AND s.archived_at IS NULL AND v.number = (
               SELECT max(number) FROM set_version w
               WHERE w.set_id = v.set_id AND w.published = 1)"""


def published_sets(db: Database, kind: str = "main") -> list[dict]:
    """List the newest published version of each unarchived set of a kind, by title."""
    found = rows(
        db,
        f"""SELECT v.id, v.title, v.number, v.content_hash, s.slug, s.owner_id, v.body,
                  (SELECT count(*) FROM question q WHERE q.version_id = v.id) AS questions
           {_NEWEST_PUBLISHED}
           ORDER BY v.title, v.id""",
        [kind],
    )
    return [_version(r) for r in found]


def shared_set_versions(db: Database) -> tuple[tuple[int, str, str], ...]:
    """Name what ``shared_sets`` lists, in its order, without reading it: each version's
    id and content hash, and its set's slug."""
    found = db.execute(
        f"""SELECT v.id, v.content_hash, s.slug {_NEWEST_PUBLISHED} AND s.owner_id IS NULL
            ORDER BY v.title, v.id""",
        ["main"],
    )
    return tuple(tuple(r) for r in found.fetchall())


def insert_version(
    db: Database, data: dict, digest: str, source: str | None, misconceptions: dict
) -> int:
    """Insert a new version of a set (creating the set) with its questions and the
    misconception labels it names (id -> {label, description})."""
    stamp = now()
    db.execute(
        "INSERT INTO question_set (slug, kind, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT (slug) DO UPDATE SET kind = excluded.kind",
        [data["id"], data["kind"], stamp],
    )
    set_id = one(db, "SELECT id FROM question_set WHERE slug = ?", [data["id"]])["id"]
    number = one(
        db,
        "SELECT coalesce(max(number), 0) + 1 AS n FROM set_version WHERE set_id = ?",
        [set_id],
    )["n"]
    body = {k: v for k, v in data.items() if k != "questions"}
    cursor = db.execute(
        """INSERT INTO set_version (set_id, number, content_hash, title, published, source,
               body, misconceptions, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            set_id,
            number,
            digest,
            data["title"],
            int(data["published"]),
            source,
            json.dumps(body, ensure_ascii=False),
            json.dumps(misconceptions, ensure_ascii=False),
            stamp,
        ],
    )
    version_id = cursor.lastrowid
    for position, q in enumerate(data["questions"], start=1):
        db.execute(
            "INSERT INTO question (version_id, position, qid, type, body) VALUES (?, ?, ?, ?, ?)",
            [version_id, position, q["id"], q["type"], json.dumps(q, ensure_ascii=False)],
        )
    return version_id


def questions_of(db: Database, version_id: int) -> list[dict]:
    """Return a version's questions in order, each body merged with its row id."""
    found = rows(
        db,
        "SELECT id, position, body FROM question WHERE version_id = ? ORDER BY position",
        [version_id],
    )
    return [{**json.loads(r["body"]), "pk": r["id"], "position": r["position"]} for r in found]


# Teachers' sets and drafts ---------------------------------------------------


def set_by_slug(db: Database, slug: str) -> dict | None:
    """Return a question set's row by slug."""
    return one(db, "SELECT * FROM question_set WHERE slug = ?", [slug])


def insert_set(db: Database, slug: str, owner_id: int | None, kind: str = "main") -> int | None:
    """Insert an empty set; return its id, or None when the slug is taken."""
    try:
        cursor = db.execute(
            "INSERT INTO question_set (slug, kind, owner_id, created_at) VALUES (?, ?, ?, ?)",
            [slug, kind, owner_id, now()],
        )
    except sqlite3.IntegrityError:
        return None
    return cursor.lastrowid


def draft_of(db: Database, set_id: int) -> dict | None:
    """Return a set's working copy (set-file data), or None."""
    row = one(db, "SELECT body FROM set_draft WHERE set_id = ?", [set_id])
    return json.loads(row["body"]) if row else None


def save_draft(db: Database, set_id: int, body: dict) -> bool:
    """Store a set's working copy; return False when the set is gone (deleted by
    another request meanwhile), storing nothing."""
    cursor = db.execute(
        "INSERT INTO set_draft (set_id, body, updated_at) "
        "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM question_set WHERE id = ?) "
        "ON CONFLICT (set_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        [set_id, json.dumps(body, ensure_ascii=False), now(), set_id],
    )
    return cursor.rowcount > 0


def sets_owned_by(db: Database, owner_id: int) -> list[dict]:
    """List a teacher's sets with their draft and newest published version."""
    found = rows(
        db,
        """SELECT s.*, d.body AS draft, d.updated_at,
                  (SELECT max(number) FROM set_version v WHERE v.set_id = s.id) AS versions,
                  (SELECT content_hash FROM set_version v WHERE v.set_id = s.id
                   ORDER BY number DESC LIMIT 1) AS published_hash
           FROM question_set s LEFT JOIN set_draft d ON d.set_id = s.id
           WHERE s.owner_id = ? ORDER BY d.updated_at DESC""",
        [owner_id],
    )
    out = []
    for r in found:
        r = dict(r)
        r["draft"] = json.loads(r["draft"]) if r["draft"] else None
        out.append(r)
    return out


def shared_sets(db: Database) -> list[dict]:
    """List the newest published version of each shared (shipped) main set."""
    return [v for v in published_sets(db) if v["owner_id"] is None]


def set_in_use(db: Database, set_id: int) -> bool:
    """Return whether any session has run any version of a set."""
    return (
        one(
            db,
            """SELECT 1 AS used FROM session s JOIN set_version v ON v.id = s.version_id
               WHERE v.set_id = ? LIMIT 1""",
            [set_id],
        )
        is not None
    )


def set_archived(db: Database, set_id: int, archived: bool) -> None:
    """Archive a set (hidden from new sessions) or bring it back."""
    db.execute(
        "UPDATE question_set SET archived_at = ? WHERE id = ?",
        [now() if archived else None, set_id],
    )


def delete_set(db: Database, set_id: int) -> None:
    """Delete an unused set with its versions, questions and draft."""
    db.execute(
        "DELETE FROM question WHERE version_id IN (SELECT id FROM set_version WHERE set_id = ?)",
        [set_id],
    )
    db.execute("DELETE FROM set_version WHERE set_id = ?", [set_id])
    db.execute("DELETE FROM set_draft WHERE set_id = ?", [set_id])
    db.execute("DELETE FROM import_report WHERE set_id = ?", [set_id])
    db.execute("DELETE FROM question_set WHERE id = ?", [set_id])


def set_practice_token(db: Database, set_id: int, token: str | None) -> None:
    """Give a set a practice link's token, or withdraw it (None)."""
    db.execute("UPDATE question_set SET practice_token = ? WHERE id = ?", [token, set_id])


def slug_by_practice_token(db: Database, token: str) -> str | None:
    """Return the slug of the set a practice link's token opens, or None."""
    row = one(db, "SELECT slug FROM question_set WHERE practice_token = ?", [token])
    return row["slug"] if row else None
