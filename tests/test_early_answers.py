"""The common answer answered before Flask (issue 19, ``play.early_answer``): the same
sequence of answers through two apps, one with ``EARLY_ANSWERS`` on and one with it
off, each on its own database, gives the same status, headers and body bytes for every
request and stores the same answers; the early path answers the hot case itself, and
everything else (refusals, repeats, written answers, bad tokens, no-JS posts…) goes on
to Flask."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import sqlite3
from pathlib import Path

import brotli
import pytest
from flask import request_started

from quiz import clock
from quiz.facilitation import control
from quiz.play import sessions
from quiz.storage import queries
from quiz.storage.connection import connect

from .world import HX, ROOT, TEST_SETS, World, load_set, make_app

SHIPPED = ROOT / "questions"
SLUG = "russia-troops-feb-2022"
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
ENCODINGS = {"gzip": "gzip", "br": "gzip, deflate, br", "identity": None}
TOKEN_VALUE = re.compile(r'(name="csrf_token" type="hidden" value=")[^"]+"')


class Side:
    """One app of the pair, on its own database, with its students by nickname; it
    counts the answers that reached Flask."""

    def __init__(self, path: Path, early: bool) -> None:
        self.app = make_app(path, sets=TEST_SETS, EARLY_ANSWERS=early)
        for name in ("russia-troops-feb-2022", "russia-troops-check-a", "russia-troops-check-b"):
            load_set(path, SHIPPED / f"{name}.toml")
        self.db = connect(path)
        self.world = World(self.app, self.db)
        self.students: dict[str, object] = {}
        self.tokens: dict[str, str] = {}
        self.reached: list[str] = []
        request_started.connect(self._started, self.app, weak=False)

    def _started(self, _sender, **_extra) -> None:
        from flask import request

        if request.path.endswith("/answer"):
            self.reached.append(request.path)

    def join(self, code: str, nickname: str, https: bool = False) -> None:
        client = self.app.test_client()
        over = _over(https, code)
        token = csrf_token_over(client, "/", over)
        response = client.post(
            "/join",
            data={"code": code, "nickname": nickname, "csrf_token": token},
            headers={"Referer": "https://localhost/"} if https else {},
            **over,
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        self.students[nickname] = client
        self.tokens[nickname] = token  # the same raw token in the cookie: valid for answers

    def post(self, code: str, nickname: str, form: dict, headers: dict, https: bool = False):
        over = _over(https, code)
        client = self.students[nickname]
        form = {"csrf_token": self.tokens[nickname], **form}
        form = {k: v for k, v in form.items() if v is not None}
        before = len(self.reached)
        response = client.post(f"/play/{code}/answer", data=form, headers=headers, **over)
        return response, len(self.reached) > before

    def stored(self) -> list[tuple]:
        return [
            tuple(r)
            for r in self.db.conn.execute(
                """SELECT p.nickname, a.question_id, a.response, a.confidence, a.reason,
                          a.score, a.parts, a.created_at, a.vote
                   FROM answer a JOIN participant p ON p.id = a.participant_id ORDER BY a.id"""
            )
        ]


def _over(https: bool, code: str) -> dict:
    """The test client's arguments for a request over HTTPS from the session's page."""
    return {"base_url": "https://localhost"} if https else {}


def csrf_token_over(client, url: str, over: dict) -> str:
    html = client.get(url, **over).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


class Pair:
    """The same steps on both sides; every answer's responses compared at once."""

    def __init__(self, tmp_path: Path) -> None:
        self.on = Side(tmp_path / "on.db", early=True)
        self.off = Side(tmp_path / "off.db", early=False)
        self.early = 0  # answers the early side answered itself

    def both(self):
        return (self.on, self.off)

    def session(self, code: str, **settings) -> str:
        for side in self.both():
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(sessions, "new_code", lambda: code)
                side.world.session(SLUG if "slug" not in settings else settings.pop("slug"), **settings)
        return code

    def join(self, code: str, *nicknames: str, https: bool = False) -> None:
        for nickname in nicknames:
            for side in self.both():
                side.join(code, nickname, https)

    def control(self, code: str, act) -> None:
        """A facilitator's step, on both databases (``act(db, loaded session)``)."""
        for side in self.both():
            act(side.db, sessions.load_session(side.db, code))

    def answer(self, code, nickname, form, encoding="gzip", https=False, headers=None):
        """Post the same answer on both sides; assert the responses are the same; return
        the early side's response and whether it reached Flask."""
        sent = {**HX, **({"Referer": f"https://localhost/play/{code}"} if https else {})}
        if ENCODINGS[encoding]:
            sent["Accept-Encoding"] = ENCODINGS[encoding]
        sent.update(headers or {})
        early, reached = self.on.post(code, nickname, form, sent, https)
        late, reached_off = self.off.post(code, nickname, form, sent, https)
        assert reached_off, "with EARLY_ANSWERS off every answer reaches Flask"
        assert_same(early, late)
        self.early += not reached
        return early, reached

    def assert_same_answers_stored(self) -> None:
        assert self.on.stored() == self.off.stored()


def assert_same(early, late) -> None:
    """Byte-identical, but for a CSRF token in a page (each side's own) and gzip's
    header, which holds the time it was compressed at (each side compressed its own;
    within one app the early reply sends the very bytes Flask keeps)."""
    assert early.status == late.status
    a, b = _headers(early), _headers(late)
    if early.data == late.data:
        assert a == b
        return
    if early.headers.get("Content-Encoding") == "gzip" and a == b:
        assert early.data[:4] == late.data[:4] and early.data[8:] == late.data[8:]
        return
    assert _plain(early) == _plain(late)
    assert _without(a, "Content-Length", "Set-Cookie") == _without(b, "Content-Length", "Set-Cookie")


def _plain(response) -> str:
    data = response.data
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "br":
        data = brotli.decompress(data)
    text = data.decode()
    assert TOKEN_VALUE.search(text), "only a token may differ"
    return TOKEN_VALUE.sub(r'\1TOKEN"', text)


def _plain_text(response) -> str:
    data = response.data
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        data = gzip.decompress(data)
    elif encoding == "br":
        data = brotli.decompress(data)
    return data.decode()


def _headers(response) -> list[tuple[str, str]]:
    """The headers in order, a cookie's value left out (each side has its own)."""
    return [
        (name, re.sub(r"^([^=]+)=[^;]*", r"\1=…", value) if name == "Set-Cookie" else value)
        for name, value in response.headers.items()
    ]


def _without(headers, *names):
    return [h for h in headers if h[0] not in names]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def pair(tmp_path) -> Pair:
    return Pair(tmp_path)


def right(q: dict) -> dict:
    if q["type"] == "order":
        return {f"pos-{oid}": str(i) for i, oid in enumerate(q["key"], start=1)}
    form: dict = {"option": list(q["key"])}
    if q["type"] == "cer":
        form["evidence"] = [str(n) for n in q["evidence_key"]]
    return form


def wrong(q: dict) -> dict:
    if q["type"] == "order":
        ids = [o["id"] for o in q["options"]]
        return {f"pos-{oid}": str(i) for i, oid in enumerate(reversed(ids), start=1)}
    other = next(o["id"] for o in q["options"] if o["id"] not in q["key"])
    form: dict = {"option": [other]}
    if q["type"] == "cer":
        form["evidence"] = [str(q["evidence_choices"][0])]
    return form


def written(q: dict) -> dict:
    return {"text": "The report quotes no one by name."}


def fields(q: dict, kind: str) -> dict:
    if q["type"] == "open":
        return {"question": str(q["pk"]), **written(q)}
    form = right(q) if kind == "right" else wrong(q)
    if kind == "sure" and q.get("confidence"):
        form["confidence"] = "3"
    if kind == "reason" and q.get("reason"):
        form["reason"] = "The passage says so."
    return {"question": str(q["pk"]), **form}


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
            assert response.status_code == 200, (q["type"], kind, _plain_text(response))
            if nickname in ("Bo", "Di") and q["type"] != "open":
                # The second of two alike: its reply is kept, so it never reaches Flask.
                assert not reached, (q["id"], q["type"], nickname)
            if q["type"] == "open":
                assert reached
    pair.assert_same_answers_stored()
    assert pair.early >= 2 * sum(q["type"] != "open" for q in questions)


def test_a_finnish_session_gets_flasks_finnish_replies(pair):
    code = pair.session("PAIRFI", feedback="now", language="fi")
    pair.join(code, "Aino", "Eino")
    for q in sessions.load_session(pair.on.db, code).questions[:12]:
        for nickname in ("Aino", "Eino"):
            response, reached = pair.answer(code, nickname, fields(q, "right"), "br")
            assert response.status_code == 200
        if q["type"] != "open":
            assert not reached
    assert 'lang="fi"' in brotli.decompress(response.data).decode() or pair.early
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
