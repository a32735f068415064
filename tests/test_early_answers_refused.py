"""What the early answer (``play.early_answer``) leaves to Flask, and Flask then answers
as it always did: refusals, repeats, no-JS posts, closed sessions, strangers, database
errors, cookies Flask would write again, the setting turned off. Each compared with an
app that has ``EARLY_ANSWERS`` off (``tests/early_pair.py``)."""

from __future__ import annotations

import sqlite3

import pytest

from quiz.play import sessions
from quiz.storage import queries

from .early_pair import fields

# What goes on to Flask ------------------------------------------------------------------------


@pytest.fixture
def answered(pair):
    """A session where Ada has answered a single-choice question that asks how sure
    (its reply is kept)."""
    code = pair.session("PAIRGO", feedback="now")
    pair.join(code, "Ada", "Bo")
    questions = sessions.load_session(pair.on.db, code).questions
    q = next(q for q in questions if q["type"] == "single" and q.get("confidence"))
    pair.answer(code, "Ada", fields(q, "right"))
    return code, q


@pytest.mark.parametrize(
    "change",
    [
        {"csrf_token": "not-a-token"},
        {"csrf_token": None},
        {"csrf_token": ""},
        {"question": "999999"},
        {"question": "x"},
        {"option": ["nonsense"]},
        {"option": None},
        {"vote": "3"},
        {"confidence": "9"},
    ],
    ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()),
)
def test_a_refused_answer_is_flasks_refusal_and_stores_nothing(pair, answered, change):
    code, q = answered
    response, reached = pair.answer(code, "Bo", {**fields(q, "right"), **change})
    assert reached and 400 <= response.status_code < 500
    pair.assert_same_answers_stored()


@pytest.mark.parametrize("token", ["not-a-token", ""], ids=["bad", "empty"])
def test_a_bad_token_in_the_header_is_flasks_refusal(pair, answered, token):
    code, q = answered
    sent = {"X-CSRFToken": token}
    response, reached = pair.answer(
        code, "Bo", {**fields(q, "right"), "csrf_token": None}, headers=sent
    )
    assert reached and response.status_code == 400
    pair.assert_same_answers_stored()


def test_a_repeat_submit_is_flasks_repeat(pair, answered):
    code, q = answered
    response, reached = pair.answer(code, "Ada", fields(q, "wrong"))
    assert reached and response.status_code == 200
    pair.assert_same_answers_stored()


def test_a_post_without_htmx_gets_flasks_redirect(pair, answered):
    code, q = answered
    for side in pair.both():
        response = side.students["Bo"].post(
            f"/play/{code}/answer", data={"csrf_token": side.tokens["Bo"], **fields(q, "right")}
        )
        assert response.status_code == 303
        assert side.reached[-1] == f"/play/{code}/answer"
    pair.assert_same_answers_stored()


def test_an_answer_to_a_closed_session_is_flasks_refusal(pair, answered):
    code, q = answered
    pair.control(code, lambda db, s: sessions.close_session(db, code))
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert reached and response.status_code == 409
    pair.assert_same_answers_stored()


def test_a_stranger_with_a_token_but_no_place_in_the_session_is_flasks(pair, answered):
    code, q = answered
    other = pair.session("PAIROT", feedback="now")
    pair.join(other, "Zed")
    for side in pair.both():  # Zed's cookie, posted to the first session
        side.students["Bo"] = side.students["Zed"]
        side.tokens["Bo"] = side.tokens["Zed"]
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert reached and response.status_code == 403
    pair.assert_same_answers_stored()


def test_a_database_error_at_the_insert_goes_on_to_flask(pair, answered, monkeypatch):
    code, q = answered
    real = queries.insert_answer
    failures = []

    def fails_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise sqlite3.OperationalError("disk I/O error")
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "insert_answer", fails_once)
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert failures and reached and response.status_code == 200
    pair.assert_same_answers_stored()


def test_a_cookie_flask_would_write_again_goes_on_to_flask(pair, answered):
    code, q = answered
    for side in pair.both():
        client = side.students["Bo"]
        # A teacher's state beside the student's: Flask refreshes it and writes the cookie.
        with client.session_transaction() as cookie:
            cookie["t"] = {"id": 0}
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert reached
    pair.assert_same_answers_stored()


def test_with_early_answers_off_every_answer_reaches_flask(pair, answered):
    code, q = answered
    pair.on.app.config["EARLY_ANSWERS"] = False
    response, reached = pair.answer(code, "Bo", fields(q, "right"))
    assert reached and response.status_code == 200
    pair.assert_same_answers_stored()
