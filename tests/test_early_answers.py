"""The common answer answered before Flask (issue 19, ``play.early_answer``): the same
sequence of answers through two apps, one with ``EARLY_ANSWERS`` on and one with it
off, each on its own database (``tests/early_pair.py``), gives the same status, headers
and body bytes for every request and stores the same answers, and the early path
answers the hot case itself. What goes on to Flask: tests/test_early_answers_refused.py."""

from __future__ import annotations

import brotli
import pytest

from quiz.facilitation import control
from quiz.play import sessions

from .early_pair import ENCODINGS, fields, plain_text
from .world import HX

# The shipped set, self-paced, feedback after each answer ------------------------------------


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_a_class_answering_the_shipped_set_gets_flasks_responses_and_rows(pair, encoding):
    code = pair.session("PAIRAA", feedback="now")
    kinds = {"Ada": "right", "Bo": "right", "Cy": "sure", "Di": "sure", "Ed": "wrong"}
    pair.join(code, *kinds)
    questions = sessions.load_session(pair.on.db, code).questions
    for q in questions:
        for nickname, kind in kinds.items():
            response, reached = pair.answer(code, nickname, fields(q, kind), encoding)
            assert response.status_code == 200, (q["type"], kind, plain_text(response))
            if nickname in ("Bo", "Di") and q["type"] != "open":
                # The second of two alike: its reply is kept, so it never reaches Flask.
                assert not reached, (q["id"], q["type"], nickname)
            if q["type"] == "open":
                assert reached
    pair.assert_same_answers_stored()
    assert pair.early >= 2 * sum(q["type"] != "open" for q in questions)


def test_a_token_sent_in_htmxs_header_is_read_as_flask_wtf_reads_it(pair):
    """The question fragment's form has no token field: htmx sends the page's in
    ``X-CSRFToken`` (``<body hx-headers>``)."""
    code = pair.session("PAIRHX", feedback="now")
    pair.join(code, "Ada", "Bo", "Cy")
    for q in sessions.load_session(pair.on.db, code).questions[:6]:
        for nickname in ("Ada", "Bo", "Cy"):
            response, reached = pair.answer(code, nickname, fields(q, "right"), token_in="header")
            assert response.status_code == 200
        if q["type"] != "open":
            assert not reached
    pair.assert_same_answers_stored()


def test_a_finnish_session_gets_flasks_finnish_replies(pair):
    code = pair.session("PAIRFI", feedback="now", language="fi")
    pair.join(code, "Aino", "Eino")
    for q in sessions.load_session(pair.on.db, code).questions[:12]:
        for nickname in ("Aino", "Eino"):
            response, reached = pair.answer(code, nickname, fields(q, "right"), "br")
            assert response.status_code == 200
        if q["type"] != "open":
            assert not reached  # Eino's reply, in Finnish, before Flask
            assert "Seuraava kysymys" in brotli.decompress(response.data).decode()
    pair.assert_same_answers_stored()


def test_over_https_the_early_reply_carries_hsts_as_flasks_does(pair):
    code = pair.session("PAIRTS", feedback="now")
    pair.join(code, "Ada", "Bo", https=True)
    q = sessions.load_session(pair.on.db, code).questions[0]
    pair.answer(code, "Ada", fields(q, "right"), https=True)
    response, reached = pair.answer(code, "Bo", fields(q, "right"), https=True)
    assert not reached and response.headers["Strict-Transport-Security"] == "max-age=31536000"
    pair.assert_same_answers_stored()


@pytest.mark.parametrize("referrer", ["https://elsewhere.example/", ""], ids=["other", "none"])
def test_over_https_an_answer_without_this_hosts_referrer_is_flasks_refusal(pair, referrer):
    code = pair.session("PAIRTR", feedback="now")
    pair.join(code, "Ada", "Bo", https=True)
    q = sessions.load_session(pair.on.db, code).questions[0]
    pair.answer(code, "Ada", fields(q, "right"), https=True)
    sent = {"Referer": referrer}
    response, reached = pair.answer(code, "Bo", fields(q, "right"), https=True, headers=sent)
    assert reached and response.status_code == 400
    pair.assert_same_answers_stored()


# Led, with the reveal and a second vote -----------------------------------------------------


def test_a_led_round_with_a_second_vote_and_the_reveal_matches_flask(pair):
    code = pair.session("PAIRLD", pace="led", feedback="reveal")
    names = ("Ada", "Bo", "Cy")
    pair.join(code, *names)
    questions = sessions.load_session(pair.on.db, code).questions
    choice = [q for q in questions if q["type"] in ("single", "true_false")][:3]
    for q in choice:
        pair.control(code, lambda db, s, q=q: control.go_to(db, s, q["number"]))
        for nickname in names:
            response, reached = pair.answer(code, nickname, fields(q, "right"))
            assert response.status_code == 200
        assert not reached  # the wait for the reveal is the same for the room
        pair.control(code, lambda db, s, q=q: control.vote_again(db, s, q["pk"]))
        for nickname in names:
            pair.answer(code, nickname, {**fields(q, "wrong"), "vote": "2"})
        # A first vote sent once the second one opened: Flask's refusal.
        response, _ = pair.answer(code, "Ada", {**fields(q, "right"), "vote": "1"})
        pair.control(code, lambda db, s, q=q: control.mark(db, s, q["pk"], "reveal"))
        # Locked by the reveal: Flask's 409 with the room's screen.
        response, reached = pair.answer(code, "Cy", {**fields(q, "right"), "vote": "2"})
        assert reached
    pair.assert_same_answers_stored()


def test_a_stale_question_and_a_locked_one_are_flasks(pair):
    code = pair.session("PAIRST", pace="led", feedback="now")
    pair.join(code, "Ada", "Bo")
    first, second = sessions.load_session(pair.on.db, code).questions[:2]
    pair.control(code, lambda db, s: control.go_to(db, s, 1))
    pair.answer(code, "Ada", fields(first, "right"))
    pair.control(code, lambda db, s: control.go_to(db, s, 2))
    response, reached = pair.answer(code, "Bo", fields(first, "right"))  # the room moved on
    assert reached
    pair.control(code, lambda db, s: control.mark(db, s, second["pk"], "lock"))
    response, reached = pair.answer(code, "Bo", fields(second, "right"))
    assert reached and response.status_code == 409
    pair.assert_same_answers_stored()


def test_a_session_with_check_forms_matches_flask(pair):
    code = pair.session("PAIRCK", feedback="now", checks=True)
    names = ("Ada", "Bo", "Cy", "Di")
    pair.join(code, *names)
    for nickname in names:
        sess = sessions.load_session(pair.on.db, code)
        for q in sess.questions[:4]:
            pair.answer(code, nickname, fields(q, "right"))
    pair.assert_same_answers_stored()
    assert pair.early


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_in_one_app_the_early_reply_is_the_very_bytes_flask_sends(pair, encoding):
    """Within one app both paths send the kept fragment's kept compressed bytes: Bo's
    early reply and Cy's from Flask (the setting turned off for it) are byte-identical."""
    code = pair.session("PAIRIN", feedback="now")
    pair.join(code, "Ada", "Bo", "Cy")
    q = sessions.load_session(pair.on.db, code).questions[0]
    side = pair.on
    sent = {**HX, **({"Accept-Encoding": ENCODINGS[encoding]} if ENCODINGS[encoding] else {})}
    side.post(code, "Ada", fields(q, "right"), sent)
    early, reached = side.post(code, "Bo", fields(q, "right"), sent)
    side.app.config["EARLY_ANSWERS"] = False
    late, reached_late = side.post(code, "Cy", fields(q, "right"), sent)
    assert not reached and reached_late
    assert early.status == late.status == "200 OK"
    assert list(early.headers.items()) == list(late.headers.items())
    assert early.data == late.data
    assert early.headers.get("Content-Encoding") == {"gzip": "gzip", "br": "br"}.get(encoding)
