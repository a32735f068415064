"""Two apps on two databases, one with ``EARLY_ANSWERS`` and ``EARLY_SCREENS`` on and one
with them off, driven through the same steps (``Pair``): what tests/test_early_answers.py,
tests/test_early_answers_refused.py and tests/test_early_screens.py compare, response by
response and row by row."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import html
import itertools
import re
from pathlib import Path

import brotli
import pytest
from flask import request_started

from quiz.play import joining, sessions
from quiz.storage.connection import connect

from .world import HX, ROOT, TEST_SETS, World, load_set, make_app

SHIPPED = ROOT / "questions"
SLUG = "russia-troops-feb-2022"
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
ENCODINGS = {"gzip": "gzip", "br": "gzip, deflate, br", "identity": None}
TOKEN_VALUE = re.compile(r'(name="csrf_token" type="hidden" value=")[^"]+"')
POLL_URL = re.compile(r'hx-get="(/play/[^"]+/poll[^"]*)"')


class Side:
    """One app of the pair, on its own database, with its students by nickname; it
    counts the answers that reached Flask."""

    def __init__(self, path: Path, early: bool) -> None:
        self.app = make_app(path, sets=TEST_SETS, EARLY_ANSWERS=early, EARLY_SCREENS=early)
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

        if request.path.endswith(("/answer", "/poll")):
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

    def post(
        self, code: str, nickname: str, form: dict, headers: dict, https=False, token_in="form"
    ):
        """Post an answer with the student's CSRF token in the form, or in the
        ``X-CSRFToken`` header (``token_in="header"``) as htmx sends it from the page's
        ``<body hx-headers>``."""
        over = _over(https, code)
        client = self.students[nickname]
        if token_in == "header":
            headers = {"X-CSRFToken": self.tokens[nickname], **headers}
        else:
            form = {"csrf_token": self.tokens[nickname], **form}
        form = {k: v for k, v in form.items() if v is not None}
        before = len(self.reached)
        response = client.post(f"/play/{code}/answer", data=form, headers=headers, **over)
        return response, len(self.reached) > before

    def get(self, nickname: str, url: str, headers: dict):
        """A GET by the student's phone (a poll, a screen); and whether it reached Flask."""
        before = len(self.reached)
        response = self.students[nickname].get(url, headers=headers)
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


def _same_token(seed: str, made, n: int) -> str:
    """A token as ``secrets.token_urlsafe(n)`` makes, the same on both sides."""
    digest = hashlib.sha256(f"{seed}:{next(made)}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:n]).rstrip(b"=").decode()


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
                side.world.session(
                    SLUG if "slug" not in settings else settings.pop("slug"), **settings
                )
        return code

    def join(self, code: str, *nicknames: str, https: bool = False) -> None:
        """Join on both sides, each participant with the same id on both (so that a
        shuffled session shows each the same order of options on both)."""
        for nickname in nicknames:
            for side in self.both():
                made = itertools.count()
                with pytest.MonkeyPatch.context() as patch:
                    patch.setattr(
                        joining.secrets,
                        "token_urlsafe",
                        lambda n, made=made, name=nickname: _same_token(f"{code}{name}", made, n),
                    )
                    side.join(code, nickname, https)

    def control(self, code: str, act) -> None:
        """A facilitator's step, on both databases (``act(db, loaded session)``)."""
        for side in self.both():
            act(side.db, sessions.load_session(side.db, code))

    def answer(
        self, code, nickname, form, encoding="gzip", https=False, headers=None, token_in="form"
    ):
        """Post the same answer on both sides; assert the responses are the same; return
        the early side's response and whether it reached Flask."""
        sent = {**HX, **({"Referer": f"https://localhost/play/{code}"} if https else {})}
        if ENCODINGS[encoding]:
            sent["Accept-Encoding"] = ENCODINGS[encoding]
        sent.update(headers or {})
        early, reached = self.on.post(code, nickname, form, sent, https, token_in)
        late, reached_off = self.off.post(code, nickname, form, sent, https, token_in)
        assert reached_off, "with EARLY_ANSWERS off every answer reaches Flask"
        assert_same(early, late)
        self.early += not reached
        return early, reached

    def get(self, nickname, url, encoding="gzip"):
        """The same htmx GET on both sides (a poll, or "Next question"); assert the
        responses are the same; return the early side's and whether it reached Flask."""
        sent = dict(HX)
        if ENCODINGS[encoding]:
            sent["Accept-Encoding"] = ENCODINGS[encoding]
        early, reached = self.on.get(nickname, url, sent)
        late, _ = self.off.get(nickname, url, sent)
        assert_same(early, late)
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
    assert _without(a, "Content-Length", "Set-Cookie") == _without(
        b, "Content-Length", "Set-Cookie"
    )


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


def poll_url(response) -> str | None:
    """The address the screen in ``response`` polls (its ``hx-get``), if it polls."""
    found = POLL_URL.search(plain_text(response))
    return found and html.unescape(found.group(1))


def plain_text(response) -> str:
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
