"""SQL for sessions: their rows, teams, locked and revealed questions, and state."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from .common import now, one, rows


def insert_session(db: Database, code: str, version_id: int, settings: dict) -> dict | None:
    """Insert a session; return None when the code is already taken.

    ``settings``: mode, feedback, pace, title, owner_id, checks (a pair of check-form
    version ids, or None), word_filter (bool), confidence (when students are asked how
    sure they are: set, always or never), plan (the question ids to run in order, or None
    for all), shuffle (bool), timer (seconds, or None), ends (None, or the UTC time
    answers stop and how it reads in the school's time zone) and language (the
    interface's for its students, or None: the set's when the interface has it).
    """
    before, after = settings.get("checks") or (None, None)
    plan = settings.get("plan")
    ends_at, ends_label = settings.get("ends") or (None, None)
    try:
        db.execute(
            """INSERT INTO session (code, version_id, mode, pace, feedback, title, owner_id,
                   check_before, check_after, word_filter, confidence, created_at, plan,
                   shuffle, timer, ends_at, ends_label, language)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                int(bool(settings.get("word_filter"))),
                settings.get("confidence", "set"),
                now(),
                None if plan is None else json.dumps(list(plan)),
                1 if settings.get("shuffle") else 0,
                settings.get("timer"),
                ends_at,
                ends_label,
                settings.get("language"),
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
    row = db.conn.execute("SELECT state_version FROM session WHERE code = ?", [code]).fetchone()
    return row[0] if row else None


def session_by_code(db: Database, code: str) -> dict | None:
    """Return a session by its join code."""
    return one(db, "SELECT * FROM session WHERE code = ?", [code])


_SESSION_WITH_STATE = """SELECT s.*,
     (SELECT json_group_object(v.id, v.content_hash) FROM set_version v
      WHERE v.id IN (s.check_before, s.version_id, s.check_after)) AS "_hashes",
     (SELECT json_group_array(json_object(
         'id', t.id, 'session_id', t.session_id, 'name', t.name,
         'position', t.position))
      FROM team t WHERE t.session_id = s.id) AS "_teams",
     (SELECT json_group_array(json_object(
         'session_id', m.session_id, 'question_id', m.question_id,
         'locked_at', m.locked_at, 'revealed_at', m.revealed_at,
         'explained_at', m.explained_at, 'deadline', m.deadline, 'vote', m.vote))
      FROM session_question m WHERE m.session_id = s.id) AS "_marks"
   FROM session s WHERE s.code = ?"""


def session_with_state(db: Database, code: str) -> tuple[dict, dict, list, dict] | None:
    """Return a session by code with what a student's request reads beside it.

    That is (the session row as ``session_by_code`` returns it, the content hash of
    each set version it plays by id, its teams as ``teams_of`` returns them, its
    question marks as ``question_marks`` does), or None when no session has the code.
    One statement instead of four.
    """
    found = session_state_raw(db, code)
    return None if found is None else decode_state(*found)


def session_state_raw(db: Database, code: str) -> tuple[tuple, tuple] | None:
    """Return what ``session_with_state`` reads, undecoded: (the column names, the row's
    values as SQLite gives them), or None when no session has the code. The values are
    plain strings and numbers, so the pair names the session's whole state: equal pairs
    decode (``decode_state``) to equal states."""
    cursor = db.conn.execute(_SESSION_WITH_STATE, [code])
    values = cursor.fetchone()
    if values is None:
        return None
    return tuple([d[0] for d in cursor.description]), values


def decode_state(names: tuple, values: tuple) -> tuple[dict, dict, list, dict]:
    """Decode a ``session_state_raw`` pair as ``session_with_state`` returns it."""
    found = dict(zip(names, values, strict=True))
    hashes = {int(k): v for k, v in json.loads(found.pop("_hashes")).items()}
    teams = sorted(json.loads(found.pop("_teams")), key=lambda t: t["position"])
    marks = {m["question_id"]: m for m in json.loads(found.pop("_marks"))}
    return found, hashes, teams, marks


def close_session(db: Database, session_id: int) -> None:
    """Mark a session closed (answers are refused from then on); its screens see the change."""
    db.execute(
        "UPDATE session SET status = 'closed', closed_at = ?, state_version = state_version + 1 "
        "WHERE id = ? AND status = 'open'",
        [now(), session_id],
    )


# Facilitation ----------------------------------------------------------------


def sessions_owned_by(db: Database, owner_id: int) -> list[dict]:
    """List a facilitator's sessions, newest first, with counts."""
    return list(
        rows(
            db,
            """SELECT s.*, v.title AS set_title, json_extract(v.body, '$.language') AS set_language,
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


def _mark_row(db: Database, session_id: int, question_id: int) -> None:
    db.execute(
        "INSERT INTO session_question (session_id, question_id) VALUES (?, ?) "
        "ON CONFLICT DO NOTHING",
        [session_id, question_id],
    )


def mark_question(db: Database, session_id: int, question_id: int, column: str, on: bool) -> None:
    """Set or clear a question's locked_at, revealed_at or explained_at in a session."""
    if column not in ("locked_at", "revealed_at", "explained_at"):
        raise ValueError(column)
    _mark_row(db, session_id, question_id)
    db.execute(
        f"UPDATE session_question SET {column} = ? WHERE session_id = ? AND question_id = ?",
        [now() if on else None, session_id, question_id],
    )


def set_joining(db: Database, session_id: int, locked: bool) -> None:
    """Lock a session's joining (new nicknames are refused) or open it again."""
    db.execute(
        "UPDATE session SET joining_locked_at = ? WHERE id = ?",
        [now() if locked else None, session_id],
    )


def set_word_filter(db: Database, session_id: int, on: bool) -> None:
    """Turn a session's nickname word filter on or off."""
    db.execute("UPDATE session SET word_filter = ? WHERE id = ?", [int(on), session_id])


def set_deadline(db: Database, session_id: int, question_id: int, deadline: str | None) -> None:
    """Set when a question of a session stops taking answers (None: no timer)."""
    _mark_row(db, session_id, question_id)
    db.execute(
        "UPDATE session_question SET deadline = ? WHERE session_id = ? AND question_id = ?",
        [deadline, session_id, question_id],
    )


def second_vote(db: Database, session_id: int, question_id: int, deadline: str | None) -> None:
    """Open a question to its second vote: unlocked, with a new deadline (or none)."""
    _mark_row(db, session_id, question_id)
    db.execute(
        "UPDATE session_question SET vote = 2, locked_at = NULL, deadline = ? "
        "WHERE session_id = ? AND question_id = ?",
        [deadline, session_id, question_id],
    )


def set_status(db: Database, session_id: int, status: str) -> None:
    """Open or close a session; reopening also lifts a homework's end."""
    db.execute(
        "UPDATE session SET status = ?, closed_at = ?, state_version = state_version + 1, "
        "ends_at = CASE WHEN ? = 'open' THEN NULL ELSE ends_at END, "
        "ends_label = CASE WHEN ? = 'open' THEN NULL ELSE ends_label END "
        "WHERE id = ?",
        [status, now() if status == "closed" else None, status, status, session_id],
    )


def activity(db: Database, session_id: int) -> dict:
    """Return the counters a facilitator's poll compares: state, joined, and answers
    (the session's latest answer id, 0 for none: it moves whenever an answer comes; a
    removed answer bumps the state)."""
    return one(
        db,
        """SELECT s.state_version AS state,
                  (SELECT count(*) FROM participant p WHERE p.session_id = s.id) AS joined,
                  -- The newest answer first, stopping at the first of this session's:
                  -- a live session's answers are the newest (max() over a JOIN read
                  -- every answer of the session: 1.2 ms at 10,000).
                  coalesce((SELECT a.id FROM answer a
                            CROSS JOIN participant p ON p.id = a.participant_id
                            WHERE p.session_id = s.id ORDER BY a.id DESC LIMIT 1), 0) AS answers
           FROM session s WHERE s.id = ?""",
        [session_id],
    )


# Whether a session (row ``s``) is as a poll saw it: the same state counter, as many
# participants, and no answer newer than the latest seen, found by the answer ids after
# it (few, or none) rather than by reading every answer of the session. CROSS JOIN
# keeps SQLite to that order: left to itself it walks the session's participants and
# their answers (0.45 ms at 1,000 participants, against 0.007 ms).
_AS_SEEN = """s.state_version = :state
       AND (SELECT count(*) FROM participant p WHERE p.session_id = s.id) = :joined
       AND NOT EXISTS (SELECT 1 FROM answer a
                       CROSS JOIN participant p ON p.id = a.participant_id
                       WHERE a.id > :answers AND p.session_id = s.id)"""
_SQLITE_INT = range(-(2**63), 2**63)


def _seen_counts(seen: dict) -> dict | None:
    """Read a poll's state, joined and answers (query-string values) as whole numbers
    SQLite can hold, or None."""
    try:
        counts = {k: int(seen[k]) for k in ("state", "joined", "answers")}
    except (KeyError, TypeError, ValueError):
        return None
    return counts if all(v in _SQLITE_INT for v in counts.values()) else None


def activity_unchanged(db: Database, session_id: int, seen: dict) -> bool:
    """Whether ``seen`` (query-string values, as ``activity`` gave them) is still so.

    Cheaper than reading ``activity`` again (see ``_AS_SEEN``); garbage in ``seen`` is
    a change.
    """
    counts = _seen_counts(seen)
    if counts is None:
        return False
    row = db.conn.execute(
        f"SELECT {_AS_SEEN} FROM session s WHERE s.id = :id", {**counts, "id": session_id}
    ).fetchone()
    return bool(row and row[0])


def room_watch(db: Database, code: str, seen: dict) -> dict | None:
    """Return what the room screen's poll checks, in one indexed read: the session's
    ``owner_id``, the ``session_version`` of the owner's account (it moves when they sign
    out everywhere) and whether the session is ``unchanged`` from ``seen`` (as
    ``activity_unchanged`` says). None for no such session, or one without an owner
    whose account is enabled.
    """
    counts = _seen_counts(seen)
    row = db.conn.execute(
        f"""SELECT s.owner_id, a.session_version, {_AS_SEEN if counts else "0"}
            FROM session s JOIN account a ON a.id = s.owner_id AND a.disabled_at IS NULL
            WHERE s.code = :code""",
        {**(counts or {}), "code": code},
    ).fetchone()
    if row is None:
        return None
    return {"owner_id": row[0], "session_version": row[1], "unchanged": bool(row[2])}


def sessions_to_purge(db: Database, moment: str) -> list[int]:
    """Return sessions past retention that still hold participants.

    Class sessions count from when they were closed (a homework session from its
    end, if it came first); practice sessions, which are never closed, from when
    they started.
    """
    found = rows(
        db,
        """SELECT id FROM session
           WHERE ((status = 'closed' AND closed_at < :at)
                  OR (ends_at IS NOT NULL AND ends_at < :at)
                  OR (mode = 'practice' AND created_at < :at))
           AND EXISTS (SELECT 1 FROM participant p WHERE p.session_id = session.id)""",
        {"at": moment},
    )
    return [r["id"] for r in found]
