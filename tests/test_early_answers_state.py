"""The early answer keeps the session's decoded state (``sessions.kept_session``) under
everything the session's one read returns, so a change to the session, by any writer
and whether or not it bumps ``state_version``, is seen by the very next answer. Each
step compared with an app that has ``EARLY_ANSWERS`` off (``tests/early_pair.py``)."""

from __future__ import annotations

import pytest

from quiz.facilitation import control
from quiz.play import sessions
from quiz.web.cache import Cache

from .early_pair import fields


def _choice_questions(pair, code):
    return [q for q in sessions.load_session(pair.on.db, code).questions if q["type"] != "open"]


def _quietly(sql: str):
    """A write to the session's state that leaves ``state_version`` as it was."""
    return lambda db, s: db.conn.execute(sql, {"id": s.row["id"]}) and db.conn.commit()


def test_a_session_closed_without_a_new_state_version_refuses_the_next_answer(pair):
    code = pair.session("PAIRSV", feedback="now")
    pair.join(code, "Ada", "Bo", "Cy")
    q = _choice_questions(pair, code)[0]
    pair.answer(code, "Ada", fields(q, "right"))
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert response.status_code == 200 and not reached  # the state is kept now
    pair.control(code, _quietly("UPDATE session SET status = 'closed' WHERE id = :id"))
    response, reached = pair.answer(code, "Cy", fields(q, "right"))
    assert reached and response.status_code == 409
    pair.assert_same_answers_stored()


def test_a_question_locked_without_a_new_state_version_refuses_the_next_answer(pair):
    code = pair.session("PAIRLK", pace="led", feedback="now")
    pair.join(code, "Ada", "Bo", "Cy")
    pair.control(code, lambda db, s: control.go_to(db, s, 1))
    q = sessions.load_session(pair.on.db, code).questions[0]
    pair.answer(code, "Ada", fields(q, "right"))
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert response.status_code == 200 and not reached
    pair.control(
        code,
        _quietly(
            "INSERT INTO session_question (session_id, question_id, locked_at) "
            f"VALUES (:id, {q['pk']}, '2026-01-01T00:00:00+00:00') "
            "ON CONFLICT DO UPDATE SET locked_at = excluded.locked_at"
        ),
    )
    response, reached = pair.answer(code, "Cy", fields(q, "right"))
    assert reached and response.status_code == 409
    assert "Answers are closed for this question" in response.get_data(as_text=True)
    pair.assert_same_answers_stored()


def test_a_reveal_without_a_new_state_version_is_in_the_next_reply(pair):
    """Stored or not, the reply follows the state: the wait for the reveal until the
    question is revealed, its feedback from then on (a kept stale state would send the
    wait, which Flask's path does not)."""
    code = pair.session("PAIRRV", pace="led", feedback="reveal")
    pair.join(code, "Ada", "Bo", "Cy", "Di")
    pair.control(code, lambda db, s: control.go_to(db, s, 1))
    q = sessions.load_session(pair.on.db, code).questions[0]
    pair.answer(code, "Ada", fields(q, "right"))
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert response.status_code == 200 and not reached  # the wait, kept
    pair.control(
        code,
        _quietly(
            "INSERT INTO session_question (session_id, question_id, revealed_at) "
            f"VALUES (:id, {q['pk']}, '2026-01-01T00:00:00+00:00') "
            "ON CONFLICT DO UPDATE SET revealed_at = excluded.revealed_at"
        ),
    )
    for nickname in ("Cy", "Di"):  # Cy's reply is made by Flask; Di's is kept
        response, reached = pair.answer(code, nickname, fields(q, "right"))
        assert response.status_code == 200
    assert not reached
    pair.assert_same_answers_stored()


def test_a_reopened_session_takes_answers_early_again(pair):
    code = pair.session("PAIRRO", feedback="now")
    pair.join(code, "Ada", "Bo", "Cy", "Di")
    q = _choice_questions(pair, code)[0]
    pair.answer(code, "Ada", fields(q, "right"))
    pair.control(code, _quietly("UPDATE session SET status = 'closed' WHERE id = :id"))
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert reached and response.status_code == 409
    pair.control(code, _quietly("UPDATE session SET status = 'open' WHERE id = :id"))
    response, reached = pair.answer(code, "Cy", fields(q, "right"))
    assert response.status_code == 200
    response, reached = pair.answer(code, "Di", fields(q, "right"))
    assert response.status_code == 200 and not reached
    pair.assert_same_answers_stored()


def test_the_kept_state_is_the_loaded_state_and_read_only(pair):
    code = pair.session("PAIRKS", feedback="now")
    db, cache = pair.on.db, Cache()
    kept = sessions.kept_session(db, code, cache)
    loaded = sessions.load_session(db, code, cache)
    assert (kept.row, kept.teams, kept.marks) == (loaded.row, loaded.teams, loaded.marks)
    assert kept.questions == loaded.questions
    assert sessions.kept_session(db, code, cache) is kept  # the same state: kept
    with pytest.raises(TypeError):
        kept.row["status"] = "closed"
    db.conn.execute("UPDATE session SET title = 'Renamed' WHERE code = ?", [code])
    db.conn.commit()
    again = sessions.kept_session(db, code, cache)
    assert again is not kept and again.row["title"] == "Renamed"
