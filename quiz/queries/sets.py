"""SQL for question sets and their versions."""

from __future__ import annotations

import json

from sqlite_utils import Database

from .common import now, one


def _version(row: dict | None) -> dict | None:
    if row is not None:
        row = dict(row)
        row["body"] = json.loads(row["body"])
    return row


def latest_version(db: Database, slug: str) -> dict | None:
    """Return the newest version of a set by its slug."""
    return _version(
        one(
            db,
            """SELECT v.*, s.slug, s.kind FROM set_version v
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
            """SELECT v.*, s.slug, s.kind FROM set_version v
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
            """SELECT v.*, s.slug, s.kind FROM set_version v
               JOIN question_set s ON s.id = v.set_id WHERE v.id = ?""",
            [version_id],
        )
    )


def published_sets(db: Database, kind: str = "main") -> list[dict]:
    """List the newest published version of each set of a kind, by title."""
    rows = db.query(
        """SELECT v.id, v.title, v.number, s.slug, v.body,
                  (SELECT count(*) FROM question q WHERE q.version_id = v.id) AS questions
           FROM set_version v JOIN question_set s ON s.id = v.set_id
           WHERE s.kind = ? AND v.published = 1 AND v.number = (
               SELECT max(number) FROM set_version w
               WHERE w.set_id = v.set_id AND w.published = 1)
           ORDER BY v.title""",
        [kind],
    )
    return [_version(r) for r in rows]


def insert_version(db: Database, data: dict, digest: str, source: str | None) -> int:
    """Insert a new version of a set (creating the set) with its questions."""
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
        """INSERT INTO set_version
           (set_id, number, content_hash, title, published, source, body, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            set_id,
            number,
            digest,
            data["title"],
            int(data["published"]),
            source,
            json.dumps(body, ensure_ascii=False),
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
    rows = db.query(
        "SELECT id, position, body FROM question WHERE version_id = ? ORDER BY position",
        [version_id],
    )
    return [{**json.loads(r["body"]), "pk": r["id"], "position": r["position"]} for r in rows]
