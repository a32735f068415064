"""SQL for sessions, participants and answers."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from .. import commits
from .common import now, one, rows


def insert_session(db: Database, code: str, version_id: int, settings: dict) -> dict | None:
    """Insert a session; return None when the code is already taken.

    ``settings``: mode, feedback, pace, title, owner_id and checks (a pair of
    check-form version ids, or None).
    """
    before, after = settings.get("checks") or (None, None)
    try:
        db.execute(
            """INSERT INTO session (code, version_id, mode, pace, feedback, title, owner_id,
                   check_before, check_after, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                code,
                version_id,
                settings["mode"],
                settings.get("pace", "self"),
                settings["feedback"],
                settings.get("title"),
                settings.get("owner_id"),
                before,
                after,
                now(),
            ],
        )
    except sqlite3.IntegrityError:
        return None
    return session_by_code(db, code)


def insert_team(db: Database, session_id: int, name: str, position: int) -> None:
    """Add a table or team to a session."""
    db.execute(
        "INSERT INTO team (session_id, name, position) VALUES (?, ?, ?)",
        [session_id, name, position],
    )


def teams_of(db: Database, session_id: int) -> list[dict]:
    """List a session's teams in order."""
    return list(rows(db, "SELECT * FROM team WHERE session_id = ? ORDER BY position", [session_id]))


def question_marks(db: Database, session_id: int) -> dict[int, dict]:
    """Return which questions of a session are locked or revealed, by question id."""
    found = rows(db, "SELECT * FROM session_question WHERE session_id = ?", [session_id])
    return {r["question_id"]: r for r in found}


def bump_state(db: Database, session_id: int) -> None:
    """Count a change students' or facilitators' screens must follow."""
    db.execute("UPDATE session SET state_version = state_version + 1 WHERE id = ?", [session_id])


def state_of(db: Database, code: str) -> int | None:
    """Return a session's state counter (the cheap check behind polling)."""
    row = one(db, "SELECT state_version FROM session WHERE code = ?", [code])
    return row["state_version"] if row else None


def session_by_code(db: Database, code: str) -> dict | None:
    """Return a session by its join code."""
    return one(db, "SELECT * FROM session WHERE code = ?", [code])


def session_with_state(db: Database, code: str) -> tuple[dict, dict, list, dict] | None:
    """Return a session by code with what a student's request reads beside it.

    That is (the session row as ``session_by_code`` returns it, the content hash of
    each set version it plays by id, its teams as ``teams_of`` returns them, its
    question marks as ``question_marks`` does), or None when no session has the code.
    One statement instead of four.
    """
    found = one(
        db,
        """SELECT s.*,
             (SELECT json_group_object(v.id, v.content_hash) FROM set_version v
              WHERE v.id IN (s.check_before, s.version_id, s.check_after)) AS "_hashes",
             (SELECT json_group_array(json_object(
                 'id', t.id, 'session_id', t.session_id, 'name', t.name,
                 'position', t.position))
              FROM team t WHERE t.session_id = s.id) AS "_teams",
             (SELECT json_group_array(json_object(
                 'session_id', m.session_id, 'question_id', m.question_id,
                 'locked_at', m.locked_at, 'revealed_at', m.revealed_at))
              FROM session_question m WHERE m.session_id = s.id) AS "_marks"
           FROM session s WHERE s.code = ?""",
        [code],
    )
    if found is None:
        return None
    hashes = {int(k): v for k, v in json.loads(found.pop("_hashes")).items()}
    teams = sorted(json.loads(found.pop("_teams")), key=lambda t: t["position"])
    marks = {m["question_id"]: m for m in json.loads(found.pop("_marks"))}
    return found, hashes, teams, marks


def close_session(db: Database, session_id: int) -> None:
    """Mark a session closed (answers are refused from then on)."""
    db.execute(
        "UPDATE session SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
        [now(), session_id],
    )


def insert_participant(
    db: Database, participant_id: str, session_id: int, nickname: str, team_id: int | None = None
) -> bool:
    """Insert a participant; return False when the nickname is taken."""
    try:
        db.execute(
            "INSERT INTO participant (id, session_id, nickname, team_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [participant_id, session_id, nickname, team_id, now()],
        )
    except sqlite3.IntegrityError:
        return False
    return True


def participant_by_nickname(db: Database, session_id: int, nickname: str) -> dict | None:
    """Return a session's participant by nickname (case-insensitive)."""
    return one(
        db,
        "SELECT * FROM participant WHERE session_id = ? AND nickname = ? COLLATE NOCASE",
        [session_id, nickname],
    )


def clear_rejoin(db: Database, participant_id: str) -> None:
    """Use up a participant's rejoin code."""
    db.execute(
        "UPDATE participant SET rejoin_hash = NULL, rejoin_expires = NULL WHERE id = ?",
        [participant_id],
    )


def _answer(row: dict | None) -> dict | None:
    if row is not None:
        row = dict(row)
        row["response"] = json.loads(row["response"])
        row["parts"] = json.loads(row["parts"])
    return row


def insert_answer(
    db: Database, participant_id: str, question: dict, session_id: int, answer: dict
) -> dict | None:
    """Store an answer if the question takes answers now; return it, or None.

    One statement, run in the next group commit (``quiz.commits``): answers that
    arrive together share one transaction and one fsync. The conditions repeat
    ``play.Session.is_open_for_answers`` in SQL: the session is open, the question
    is not locked, and in a led session the facilitator has reached it. None means
    the question was not open, or an answer was already stored: the UNIQUE
    (participant_id, question_id) constraint, not a check in Python, is what keeps a
    double submit from counting twice.
    """
    stored = commits.run(
        db,
        """INSERT INTO answer
               (participant_id, question_id, response, confidence, reason, score, parts,
                created_at)
               SELECT ?, ?, ?, ?, ?, ?, ?, ?
               WHERE EXISTS (
                   SELECT 1 FROM session s
                   WHERE s.id = ? AND s.status = 'open'
                     AND (s.pace <> 'led' OR s.current_number >= ?))
                 AND NOT EXISTS (
                   SELECT 1 FROM session_question m
                   WHERE m.session_id = ? AND m.question_id = ? AND m.locked_at IS NOT NULL)
               ON CONFLICT (participant_id, question_id) DO NOTHING
               RETURNING *""",
        [
            participant_id,
            question["pk"],
            json.dumps(answer["response"]),
            answer["confidence"],
            answer["reason"],
            answer["score"],
            json.dumps(answer["parts"]),
            now(),
            session_id,
            question["number"],
            session_id,
            question["pk"],
        ],
    )
    return _answer(stored[0]) if stored else None


def answer_for(db: Database, participant_id: str, question_pk: int) -> dict | None:
    """Return a participant's stored answer to one question."""
    return _answer(
        one(
            db,
            "SELECT * FROM answer WHERE participant_id = ? AND question_id = ?",
            [participant_id, question_pk],
        )
    )


# One answer row as a JSON object, with its response and parts as JSON, not text: a
# participant's answers then come back as one value that one json.loads decodes. The
# keys are the answer table's columns (tests compare them with SELECT *).
_ANSWER_JSON = """json_object(
    'id', a.id, 'participant_id', a.participant_id, 'question_id', a.question_id,
    'response', json(a.response), 'confidence', a.confidence, 'reason', a.reason,
    'score', json(printf('%!.17g', a.score)), 'parts', json(a.parts),
    'created_at', a.created_at)"""


def _answers(found: str) -> dict[int, dict]:
    return {a["question_id"]: a for a in json.loads(found)}


def answers_of(db: Database, participant_id: str) -> dict[int, dict]:
    """Return a participant's answers keyed by question row id."""
    found = db.conn.execute(
        f"SELECT json_group_array({_ANSWER_JSON}) FROM answer a WHERE a.participant_id = ?",
        [participant_id],
    ).fetchone()[0]
    return _answers(found)


def participant_answers(db: Database, participant_id: str, session_id: int) -> dict | None:
    """Return a participant's answers as ``answers_of`` does, or None when there is no
    such participant in this session (never joined, or removed).

    One statement and one row: a student's every request reads both, and each SQLite
    call lets another server thread take Python's GIL.
    """
    found = db.conn.execute(
        f"""SELECT (SELECT json_group_array({_ANSWER_JSON})
                    FROM answer a WHERE a.participant_id = p.id)
            FROM participant p WHERE p.id = ? AND p.session_id = ?""",
        [participant_id, session_id],
    ).fetchone()
    return None if found is None else _answers(found[0])


def table_names(db: Database) -> list[str]:
    """List the tables in the database (for the migration test and checks)."""
    return sorted(db.table_names())


# Facilitation ----------------------------------------------------------------


def sessions_owned_by(db: Database, owner_id: int) -> list[dict]:
    """List a facilitator's sessions, newest first, with counts."""
    return list(
        rows(
            db,
            """SELECT s.*, v.title AS set_title,
                      (SELECT count(*) FROM participant p WHERE p.session_id = s.id) AS joined
               FROM session s JOIN set_version v ON v.id = s.version_id
               WHERE s.owner_id = ? ORDER BY s.created_at DESC, s.id DESC""",
            [owner_id],
        )
    )


def set_current(db: Database, session_id: int, number: int | None) -> None:
    """Move a led session to a question number."""
    db.execute(
        "UPDATE session SET current_number = ?, state_version = state_version + 1 WHERE id = ?",
        [number, session_id],
    )


def mark_question(db: Database, session_id: int, question_id: int, column: str, on: bool) -> None:
    """Set or clear a question's locked_at or revealed_at in a session."""
    if column not in ("locked_at", "revealed_at"):
        raise ValueError(column)
    db.execute(
        "INSERT INTO session_question (session_id, question_id) VALUES (?, ?) "
        "ON CONFLICT DO NOTHING",
        [session_id, question_id],
    )
    db.execute(
        f"UPDATE session_question SET {column} = ? WHERE session_id = ? AND question_id = ?",
        [now() if on else None, session_id, question_id],
    )


def set_status(db: Database, session_id: int, status: str) -> None:
    """Open or close a session."""
    db.execute(
        "UPDATE session SET status = ?, closed_at = ?, state_version = state_version + 1 "
        "WHERE id = ?",
        [status, now() if status == "closed" else None, session_id],
    )


def participants_of(db: Database, session_id: int) -> list[dict]:
    """List a session's participants in joining order."""
    return list(
        rows(
            db,
            "SELECT * FROM participant WHERE session_id = ? ORDER BY created_at, rowid",
            [session_id],
        )
    )


class _Decoded(dict):
    """JSON text -> its decoded value, each distinct text decoded once."""

    def __missing__(self, text: str):
        value = self[text] = json.loads(text)
        return value


def answers_in(db: Database, session_id: int) -> list[dict]:
    """Return every answer given in a session, in the order they were stored.

    Answers whose stored ``response`` (or ``parts``) JSON is the same text share one
    decoded object: there are only a few thousand distinct responses among 100,000
    answers, and decoding each once is most of the saving. Callers must treat
    ``response`` and ``parts`` as read-only.
    """
    # Plain tuples: a report reads every answer, and a dict per row from the generic
    # query path doubles the time on 100,000 answers.
    cursor = db.conn.execute(
        """SELECT a.id, a.participant_id, a.question_id, a.response, a.confidence, a.reason,
                  a.score, a.parts, a.created_at
           FROM answer a JOIN participant p ON p.id = a.participant_id
           WHERE p.session_id = ? ORDER BY a.id""",
        [session_id],
    )
    decoded = _Decoded()
    return [
        {
            "id": r[0],
            "participant_id": r[1],
            "question_id": r[2],
            "response": decoded[r[3]],
            "confidence": r[4],
            "reason": r[5],
            "score": r[6],
            "parts": decoded[r[7]],
            "created_at": r[8],
        }
        for r in cursor
    ]


def activity(db: Database, session_id: int) -> dict:
    """Return the counters a facilitator's poll compares: state, joined, answers."""
    return one(
        db,
        """SELECT s.state_version AS state,
                  (SELECT count(*) FROM participant p WHERE p.session_id = s.id) AS joined,
                  (SELECT count(*) FROM answer a JOIN participant p ON p.id = a.participant_id
                   WHERE p.session_id = s.id) AS answers
           FROM session s WHERE s.id = ?""",
        [session_id],
    )


def delete_participant(db: Database, session_id: int, participant_id: str) -> bool:
    """Remove a participant and their answers; return whether one was removed."""
    cursor = db.execute(
        "DELETE FROM participant WHERE id = ? AND session_id = ?", [participant_id, session_id]
    )
    return cursor.rowcount == 1


def set_rejoin(
    db: Database, session_id: int, participant_id: str, digest: str, expires: str
) -> bool:
    """Store a participant's rejoin code hash; return whether they exist."""
    cursor = db.execute(
        "UPDATE participant SET rejoin_hash = ?, rejoin_expires = ? "
        "WHERE id = ? AND session_id = ?",
        [digest, expires, participant_id, session_id],
    )
    return cursor.rowcount == 1


def set_team(db: Database, session_id: int, participant_id: str, team_id: int | None) -> bool:
    """Move a participant to another team of the same session."""
    cursor = db.execute(
        "UPDATE participant SET team_id = ? WHERE id = ? AND session_id = ?",
        [team_id, participant_id, session_id],
    )
    return cursor.rowcount == 1


def delete_participants(db: Database, session_id: int) -> int:
    """Delete every participant of a session (their answers go with them)."""
    return db.execute("DELETE FROM participant WHERE session_id = ?", [session_id]).rowcount


def sessions_to_purge(db: Database, moment: str) -> list[int]:
    """Return sessions past retention that still hold participants.

    Class sessions count from when they were closed; practice sessions, which
    are never closed, from when they started.
    """
    found = rows(
        db,
        """SELECT id FROM session
           WHERE ((status = 'closed' AND closed_at < :at)
                  OR (mode = 'practice' AND created_at < :at))
           AND EXISTS (SELECT 1 FROM participant p WHERE p.session_id = session.id)""",
        {"at": moment},
    )
    return [r["id"] for r in found]
