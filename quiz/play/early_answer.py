"""The common answer answered before Flask (issue 19), with Flask's exact response.

When a question opens, a room answers within seconds, and Flask's own work per request
(the request context, routing, the hooks, the response object) cost more than the
answer. So ``web.early`` hands ``POST /play/<code>/answer`` here first, and the hot case
is answered with the same status, headers and body bytes Flask's path sends, and the
same row stored: an htmx POST (``HX-Request``, not boosted) of a choice answer (not a
written one) with a valid Flask-WTF CSRF token, by a participant of the session in the
signed cookie, to a question that takes that vote now, whose reply is a fragment
already kept (``play.fragments``: the feedback, or the wait for the reveal) with its
compressed bytes for this ``Accept-Encoding`` (``web.compression``).

It runs the same plain functions as the view: ``sessions.load_session`` (as
``sessions.kept_session``: the same read, its state decoded once per state),
``queries.participant_answers``, ``counterbalance``, ``answering.read``,
``refuse_if_not_open``, ``grade`` and ``queries.insert_answer`` (the group commit).
Everything the reply depends on is found before the insert: the answer as it will be
stored is added to a copy of the participant's answers, and the kept fragment, its
compressed bytes and its URLs are looked up (``Cache.find``). Only when every one of
them is there is the answer stored; if the insert stores nothing (the question closed,
the same answer sent twice at once) or meets a database error, the request goes on to
Flask as it came (its body put back), and Flask's path answers as it always did.

Everything else goes on to Flask: ``EARLY_ANSWERS`` off, no ``HX-Request``, a body that
is not a small urlencoded form, a missing or bad token (Flask-WTF's 400), HTTPS without
a Referer of this host, a cookie that is missing, unreadable, of a teacher, or that
Flask would write again (a key of the wrong shape, the move to ``__Host-``), a written
answer, a repeat, a closed or paused session or question, feedback at the end, a reply
not kept yet, ``TRUSTED_HOSTS`` or ``SERVER_NAME`` set, anything that raises.

Flask's path still runs its hourly retention check (``facilitation.retention``) on
every other request.
"""

from __future__ import annotations

import hmac
import io
import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.http import parse_cookie
from werkzeug.wsgi import get_host

from ..storage import queries
from ..storage.connection import kept
from ..storage.queries import Answers
from ..web import early, security
from ..web.cache import EXTENSION as CACHE
from ..web.cache import Cache
from ..web.compression import compressed_key
from ..web.i18n import session_language
from ..web.urls import url_key
from . import answering, counterbalance, fragments, progress
from .sessions import LoadedSession, kept_session

STATUS = "200 OK"
CONTENT_TYPE = ("Content-Type", "text/html; charset=utf-8")
FORM = "application/x-www-form-urlencoded"
BODY_MOST = 16 * 1024  # a choice answer's form is well under 1 KB
CSRF_SALT = "wtf-csrf-token"
MISSING = object()
SIGNED_MOST = 8192  # a class of 1,000: a cookie and a token each, twice over


class Unsure(Exception):
    """Leave this request to Flask."""


def sent(
    start_response: Callable, make: Callable[[], tuple[list, bytes] | None]
) -> list[bytes] | None:
    """Send ``make()``'s headers and body as a 200; None (the request goes on to Flask)
    when it returns None or raises (``Unsure``, or anything unforeseen: Flask's path
    meets it again and answers)."""
    try:
        reply = make()
    except Exception:
        return None
    if reply is None:
        return None
    headers, data = reply
    start_response(STATUS, headers)
    return [data]


class EarlyAnswers:
    """Answer the hot case of ``POST /play/<code>/answer`` (see the module)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.config = app.config
        self.cache: Cache = app.extensions[CACHE]
        # Signed values (cookie headers, CSRF tokens) whose signature was checked, by
        # value and key, with when they were signed: a room's every answer brings the
        # same cookie and token as the student's last one. Their age is checked each time.
        # It keeps the CSRF tokens' serializer too, by its secret.
        self.signed = Cache(SIGNED_MOST)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes] | None:
        if not self.config["EARLY_ANSWERS"] or not _wanted(environ):
            return None
        raw = _body(environ, min(BODY_MOST, self.config["MAX_CONTENT_LENGTH"] or BODY_MOST))
        if raw is None:
            return None
        return sent(start_response, lambda: self.reply(environ, raw))

    def reply(self, environ: dict[str, Any], raw: bytes) -> tuple[list, bytes] | None:
        """Store the answer and return the response's headers and body, or None (nothing
        stored) to leave the request to Flask."""
        config = self.config
        if config.get("SERVER_NAME") or config["SESSION_REFRESH_EACH_REQUEST"]:
            return None
        form = ImmutableMultiDict(
            parse_qsl(raw.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
        )
        secure = environ.get("wsgi.url_scheme") in ("https", "wss")  # request.is_secure
        cookie = self.cookie(environ, secure)
        self.check_csrf(environ, form, cookie, secure)
        db = kept(config["DATABASE"], self.cache)
        sess, participant_id, answers = self.student(db, environ["PATH_INFO"].split("/")[2], cookie)
        question, vote, stored = answering.read(sess, form, answers)
        if stored is not None or question["type"] == "open" or sess.feedback == "end":
            return None  # a repeat, a written answer, feedback at the end: Flask's
        answering.refuse_if_not_open(sess, question, vote)
        answer = answering.grade(question, form, sess.asks_confidence(question))
        after = _with(answers, question, {**answer, "question_id": question["pk"], "vote": vote})
        language = session_language(sess.row, sess.version["body"], config)
        script_root = (environ.get("SCRIPT_NAME") or "").rstrip("/")
        found = Reply(self.cache, script_root).after_answer(language, sess, question, after)
        headers, data = found.response(environ.get("HTTP_ACCEPT_ENCODING", ""), secure, config)
        try:
            row = queries.insert_answer(
                db, participant_id, question, sess.row["id"], answer, vote, decoded=False
            )
        except sqlite3.Error:
            return None  # nothing stored: Flask's path meets it again
        return None if row is None else (headers, data)

    def cookie(self, environ: dict[str, Any], secure: bool) -> dict:
        """The signed cookie's contents, when Flask would read them as they are and
        write no cookie back; else Unsure."""
        interface = self.app.session_interface
        name = interface.cookie_name(self.app, secure)
        legacy = self.config["SESSION_COOKIE_NAME"]
        keys = (self.app.secret_key, tuple(self.config.get("SECRET_KEY_FALLBACKS") or ()))
        header = environ.get("HTTP_COOKIE", "")
        key = ("cookie", name, legacy, keys, header)  # all that decides what is read
        found = self.signed.find(key)
        if found is None:
            cookies = parse_cookie(header)
            if name != legacy and legacy in cookies:
                raise Unsure  # Flask moves it to the __Host- name, or deletes the old one
            value = cookies.get(name)
            found = interface.read_signed(self.app, value) if value else None
            if found is None:
                raise Unsure  # none, or a bad signature: Flask reads no session from it
            found = self.signed.get(key, lambda: found)
        data, rewrite, signed_at = found
        _check_age(signed_at, int(self.app.permanent_session_lifetime.total_seconds()))
        if rewrite or not data or "t" in data:
            raise Unsure  # written again, absent, or a teacher's (the idle clock)
        return data

    def check_csrf(self, environ: dict[str, Any], form, cookie: dict, secure: bool) -> None:
        """Check the token as Flask-WTF's ``CSRFProtect`` does, or raise Unsure (Flask
        then refuses it)."""
        config = self.config
        if not config["WTF_CSRF_ENABLED"] or not config["WTF_CSRF_CHECK_DEFAULT"]:
            return
        if "POST" not in config["WTF_CSRF_METHODS"]:
            return
        field = config["WTF_CSRF_FIELD_NAME"]
        given, raw = _given_token(environ, form, config), cookie.get(field)
        if not given or not isinstance(raw, str):
            raise Unsure
        secret = config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key
        found = self.signed.find(("csrf", secret, given))
        if found is None:
            signer = self.signed.get(
                ("csrf serializer", secret), lambda: URLSafeTimedSerializer(secret, salt=CSRF_SALT)
            )
            try:
                token, signed = signer.loads(given, return_timestamp=True)
            except BadData as exc:
                raise Unsure from exc
            found = self.signed.get(("csrf", secret, given), lambda: (token, signed.timestamp()))
        token, signed_at = found
        time_limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
        if time_limit is not None:
            _check_age(int(signed_at), time_limit)
        if not isinstance(token, str) or not hmac.compare_digest(raw, token):
            raise Unsure
        if secure and config["WTF_CSRF_SSL_STRICT"]:
            referrer = environ.get("HTTP_REFERER")
            if not referrer or not same_origin(referrer, f"https://{get_host(environ)}/"):
                raise Unsure

    def student(self, db, code: str, cookie: dict) -> tuple[LoadedSession, str, Answers]:
        """The session as this participant plays it, their id and their answers, as the
        view's ``_student`` reads them; else Unsure."""
        sess = kept_session(db, code, self.cache)
        joined = cookie.get("p")
        participant_id = joined.get(sess.code) if isinstance(joined, dict) else None
        if not isinstance(participant_id, str):
            raise Unsure
        answers = queries.participant_answers(db, participant_id, sess.row["id"])
        if answers is None:
            raise Unsure
        if sess.row["check_before"] is not None:
            order = queries.check_order_of(db, participant_id)
            sess = counterbalance.arranged(sess, order, self.cache)
        return sess, participant_id, answers


class Reply:
    """A kept fragment sent as Flask sends it (its key and HX-Push-Url): the reply to an
    answer (``after_answer``), or a changed poll's screen (``play.early_screens``).
    Every part is looked up in the app's cache, and any part not kept there is Unsure."""

    def __init__(self, cache: Cache, script_root: str) -> None:
        self.cache, self.script_root = cache, script_root
        self.key: tuple = ()
        self.push_url = ""

    def after_answer(
        self, language: str, sess: LoadedSession, question: dict, answers: Answers
    ) -> Reply:
        """The reply to an answer as ``screens.feedback_view`` makes it for htmx: the
        feedback fragment, or the wait for the reveal."""
        pk, code = question["pk"], sess.code
        self.push_url = self.url("play.feedback", code=code, pk=pk)
        upcoming = progress.next_question(sess, answers)
        if upcoming is None:
            next_url = self.url("play.question", code=code)
        else:
            next_url = self.url("play.ask", code=code, pk=upcoming["pk"])
        follows = (progress.finished(sess, answers), next_url)
        version = sess.versions[question["version_id"]]
        if progress.feedback_open(sess, question, answers):
            pair = (answers[pk], answers.second.get(pk))
            self.key = fragments.feedback_key(language, sess.row, version, question, pair, follows)
        else:
            poll = self.url(
                "play.poll", code=code, v=sess.row["state_version"], at=f"pending:{pk}", last=pk
            )
            self.key = fragments.pending_key(language, sess.row, version, question, follows, poll)
        return self

    def url(self, endpoint: str, **values: str | int) -> str:
        return self.found(url_key(self.script_root, endpoint, **values))

    def found(self, key: tuple) -> Any:
        value = self.cache.find(key, MISSING)
        if value is MISSING:
            raise Unsure
        return value

    def response(self, accepts: str, secure: bool, config, extra=()) -> tuple[list, bytes]:
        """The headers and body Flask's path sends for this reply: ``respond`` (Vary,
        HX-Push-Url), the view's own (``extra``), ``web.compression``'s kept bytes,
        ``web.security``'s headers, and the session's ``Vary: Cookie``."""
        body = self.found(self.key)
        compressed = self.found(compressed_key(self.key, accepts))
        if compressed is None:  # sent as it is for this Accept-Encoding
            data, encoding, vary = body.encode(), None, "HX-Request, Accept-Encoding"
        else:
            data, encoding, vary = compressed
        headers = [
            CONTENT_TYPE,
            ("Content-Length", str(len(data))),
            ("Vary", f"{vary}, Cookie"),
            ("HX-Push-Url", self.push_url),
            *extra,
        ]
        if encoding is not None:
            headers.append(("Content-Encoding", encoding))
        headers += security.standard_headers(
            private=False, secure=secure, hsts_max_age=config["HSTS_MAX_AGE"]
        )
        return headers, data


def _given_token(environ: dict[str, Any], form, config) -> str | None:
    """The CSRF token sent, where Flask-WTF's ``CSRFProtect`` looks for it: the form's
    field, a prefixed form's, else the headers (``X-CSRFToken``: htmx sends the page's
    from ``<body hx-headers>``, the question fragment's form has no field)."""
    field = config["WTF_CSRF_FIELD_NAME"]
    token = form.get(field)
    if token:
        return token
    for key in form:
        if key.endswith(field) and form[key]:
            return form[key]
    for header in config["WTF_CSRF_HEADERS"]:
        token = environ.get("HTTP_" + header.upper().replace("-", "_"))
        if token:
            return token
    return None


def _check_age(signed_at: int, max_age: int) -> None:
    """Refuse, as itsdangerous's ``TimestampSigner`` does, a value signed more than
    ``max_age`` seconds ago or in the future."""
    age = int(time.time()) - signed_at
    if age > max_age or age < 0:
        raise Unsure


def _wanted(environ: dict[str, Any]) -> bool:
    """An htmx request for a fragment (``htmx.is_partial``) with a urlencoded form."""
    if (
        environ.get("HTTP_HX_REQUEST") != "true"
        or environ.get("HTTP_HX_BOOSTED") == "true"
        or environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") == "true"
    ):
        return False
    mimetype, _, options = environ.get("CONTENT_TYPE", "").partition(";")
    if mimetype.strip().lower() != FORM:
        return False
    return options.strip().lower() in ("", "charset=utf-8")


def _body(environ: dict[str, Any], most: int) -> bytes | None:
    """Read a small body whole and put it back for Flask (a fresh stream over the same
    bytes); None, reading nothing, when its length is not given or over ``most``."""
    length = environ.get("CONTENT_LENGTH", "")
    if not length.isdigit() or not 0 < int(length) <= most:
        return None
    raw = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw if len(raw) == int(length) else None


def _with(answers: Answers, question: dict, stored: dict) -> Answers:
    """A copy of the participant's answers with one more, as ``answering.record`` adds
    it once stored."""
    after = Answers()
    dict.update(after, answers)
    after.second = dict(answers.second)
    answering.record(after, question, stored)
    return after


def install(app: Flask) -> EarlyAnswers:
    """Offer the student's answers to ``EarlyAnswers`` before Flask (``web.early``)."""
    answers = EarlyAnswers(app)
    early.post(app, "play", "answer", answers)
    return answers
