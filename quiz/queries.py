"""All of Lateral's SQL. Plain functions that take the database first."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from sqlite_utils import Database


def now() -> str:
    """Return the current UTC time as stored (ISO 8601)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _one(db: Database, sql: str, params: Any = ()) -> dict | None:
    return next(db.query(sql, params), None)


def _version(row: dict | None) -> dict | None:
    if row is not None:
        row = dict(row)
        row["body"] = json.loads(row["body"])
    return row


# Question sets -------------------------------------------------------------


def latest_version(db: Database, slug: str) -> dict | None:
    """Return the newest version of a set by its slug."""
    return _version(
        _one(
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
        _one(
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
        _one(
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
    set_id = _one(db, "SELECT id FROM question_set WHERE slug = ?", [data["id"]])["id"]
    number = _one(
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


# Sessions ------------------------------------------------------------------


def insert_session(
    db: Database,
    code: str,
    version_id: int,
    mode: str,
    feedback: str,
    checks: tuple[int, int] | None = None,
) -> dict | None:
    """Insert a session; return None when the code is already taken."""
    before, after = checks or (None, None)
    try:
        db.execute(
            "INSERT INTO session (code, version_id, mode, feedback, check_before, check_after,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [code, version_id, mode, feedback, before, after, now()],
        )
    except sqlite3.IntegrityError:
        return None
    return session_by_code(db, code)


def session_by_code(db: Database, code: str) -> dict | None:
    """Return a session by its join code."""
    return _one(db, "SELECT * FROM session WHERE code = ?", [code])


def close_session(db: Database, session_id: int) -> None:
    """Mark a session closed (answers are refused from then on)."""
    db.execute(
        "UPDATE session SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
        [now(), session_id],
    )


# Participants and answers --------------------------------------------------


def insert_participant(db: Database, participant_id: str, session_id: int, nickname: str) -> bool:
    """Insert a participant; return False when the nickname is taken."""
    try:
        db.execute(
            "INSERT INTO participant (id, session_id, nickname, created_at) VALUES (?, ?, ?, ?)",
            [participant_id, session_id, nickname, now()],
        )
    except sqlite3.IntegrityError:
        return False
    return True


def participant(db: Database, participant_id: str, session_id: int) -> dict | None:
    """Return a participant of a given session."""
    return _one(
        db,
        "SELECT * FROM participant WHERE id = ? AND session_id = ?",
        [participant_id, session_id],
    )


def _answer(row: dict | None) -> dict | None:
    if row is not None:
        row = dict(row)
        row["response"] = json.loads(row["response"])
        row["parts"] = json.loads(row["parts"])
    return row


def insert_answer(db: Database, participant_id: str, question_pk: int, answer: dict) -> bool:
    """Store an answer once; return False when one was already stored.

    The UNIQUE (participant_id, question_id) constraint, not a check in
    Python, is what keeps a double submit from counting twice.
    """
    cursor = db.execute(
        """INSERT INTO answer
           (participant_id, question_id, response, confidence, reason, score, parts,
            created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (participant_id, question_id) DO NOTHING""",
        [
            participant_id,
            question_pk,
            json.dumps(answer["response"]),
            answer["confidence"],
            answer["reason"],
            answer["score"],
            json.dumps(answer["parts"]),
            now(),
        ],
    )
    return cursor.rowcount == 1


def answer_for(db: Database, participant_id: str, question_pk: int) -> dict | None:
    """Return a participant's stored answer to one question."""
    return _answer(
        _one(
            db,
            "SELECT * FROM answer WHERE participant_id = ? AND question_id = ?",
            [participant_id, question_pk],
        )
    )


def answers_of(db: Database, participant_id: str) -> dict[int, dict]:
    """Return a participant's answers keyed by question row id."""
    rows = db.query("SELECT * FROM answer WHERE participant_id = ?", [participant_id])
    return {r["question_id"]: _answer(r) for r in rows}


def table_names(db: Database) -> list[str]:
    """List the tables in the database (for the migration test and checks)."""
    return sorted(db.table_names())
