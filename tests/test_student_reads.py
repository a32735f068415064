"""A student's request reads the session, the participant and their answers in two
statements (JSON built by SQLite). What those reads return must be exactly what the
plain ``SELECT *`` reads return: same keys, same values, same types, scores to the
last bit.
"""

from __future__ import annotations

import json

from quiz.play import joining, sessions
from quiz.storage import queries
from quiz.storage.queries.common import rows

from .world import HX


def _plain_answers(db, participant_id: str) -> dict[int, dict]:
    found = rows(db, "SELECT * FROM answer WHERE participant_id = ?", [participant_id])
    return {
        r["question_id"]: {
            **r,
            "response": json.loads(r["response"]),
            "parts": json.loads(r["parts"]),
        }
        for r in found
    }


def _store(db, sess: sessions.LoadedSession, pid: str, q: dict, score: float, **answer) -> None:
    answer = {"response": {"options": ["a"]}, "confidence": None, "reason": None, **answer}
    stored = queries.insert_answer(
        db, pid, q, sess.row["id"], {**answer, "score": score, "parts": {"choice": score}}
    )
    assert stored is not None


def test_answers_read_as_json_equal_the_stored_rows_value_for_value(db, session_code):
    sess, pid = joining.join(db, session_code, "Ada")
    first, second, third = sess.questions[:3]
    _store(db, sess, pid, first, 1 / 3, confidence=2, reason='Quoted "twice" — ünïcode\nline')
    _store(db, sess, pid, second, 2 / 3, response={"options": ["b", "c"], "order": [3, 1]})
    _store(db, sess, pid, third, 1.0)
    plain = _plain_answers(db, pid)
    for read in (queries.answers_of(db, pid), queries.participant_answers(db, pid, sess.row["id"])):
        assert read == plain
        assert [type(a["score"]) for a in read.values()] == [float] * 3
        assert read[first["pk"]]["score"] == 1 / 3  # no digit lost on the way through JSON
        assert set(read[first["pk"]]) == set(plain[first["pk"]])


def test_a_participant_with_no_answers_reads_as_empty_and_a_stranger_as_none(db, session_code):
    sess, pid = joining.join(db, session_code, "Ada")
    other = sessions.open_session(db, "mini-set")["code"]
    _, elsewhere = joining.join(db, other, "Bo")
    assert queries.participant_answers(db, pid, sess.row["id"]) == {}
    assert queries.answers_of(db, pid) == {}
    assert queries.participant_answers(db, "no-such-id", sess.row["id"]) is None
    # Joined another session: not a participant of this one.
    assert queries.participant_answers(db, elsewhere, sess.row["id"]) is None
    queries.delete_participant(db, sess.row["id"], pid)
    assert queries.participant_answers(db, pid, sess.row["id"]) is None


def test_the_session_read_in_one_statement_equals_the_four_plain_reads(db):
    code = sessions.open_session(db, "mini-set", teams=["Red", "Blue", "Green"])["code"]
    plain = queries.session_by_code(db, code)
    sid = plain["id"]
    first, second = sessions.load_session(db, code).questions[:2]
    queries.mark_question(db, sid, first["pk"], "locked_at", True)
    queries.mark_question(db, sid, second["pk"], "revealed_at", True)
    row, hashes, teams, marks = queries.session_with_state(db, code)
    assert row == plain
    assert teams == queries.teams_of(db, sid)
    assert [t["name"] for t in teams] == ["Red", "Blue", "Green"]
    assert marks == queries.question_marks(db, sid)
    assert set(marks) == {first["pk"], second["pk"]}
    stored_hash = db.conn.execute(
        "SELECT content_hash FROM set_version WHERE id = ?", [plain["version_id"]]
    ).fetchone()[0]
    assert hashes == {plain["version_id"]: stored_hash}
    assert queries.session_with_state(db, "NOCODE") is None


def test_the_check_forms_hashes_come_with_the_session(db):
    code = sessions.open_session(db, "mini-set", checks=True)["code"]
    row, hashes, _, _ = queries.session_with_state(db, code)
    ids = [row["check_before"], row["version_id"], row["check_after"]]
    assert None not in ids and len(set(ids)) == 3
    plain = rows(db, "SELECT id, content_hash FROM set_version WHERE id IN (?, ?, ?)", ids)
    assert hashes == {r["id"]: r["content_hash"] for r in plain}
    # The session plays all three, in order.
    parts = [q["part"] for q in sessions.load_session(db, code).questions]
    assert list(dict.fromkeys(parts)) == ["before", "main", "after"]


def test_a_removed_student_is_refused_and_stores_nothing(student, db, session_code):
    student.join(session_code, "Ada")
    sess = sessions.load_session(db, session_code)
    pid = next(r["id"] for r in rows(db, "SELECT id FROM participant"))
    queries.delete_participant(db, sess.row["id"], pid)
    r = student.answer(session_code, sess.questions[0]["id"], ["a"], headers=HX)
    assert r.status_code == 403
    assert "Join again" in r.get_data(as_text=True)
    assert db.conn.execute("SELECT count(*) FROM answer").fetchone()[0] == 0
