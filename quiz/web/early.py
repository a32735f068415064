"""No-change polls answered before Flask: a WSGI middleware around the app (issue 19).

A room of phones polls every 2 s, and most polls change nothing. Flask's own work per
request (the request context, URL matching, the response object, the response hooks)
costs more than the answer, so a poll whose answer is "nothing changed" is answered
here, with the bare 204 Flask's path would send: the same status line and headers
(``security.standard_headers``), from one indexed read on the server thread's kept
connection (``storage.connection.kept``: the one Flask's requests use, opened with the
same pragmas, one per thread and process).

Each area names its polls (``answer``): the path's shape (``/<area>/<code>/<tail>``)
and a check that tells, from the database, the code and the query string, whether
nothing changed. Everything else goes on to Flask as it came: another method (HEAD
too), another path, a code that is not plain ASCII letters and digits, a query string
that is not UTF-8, a check that says no or cannot tell (or meets a database error),
``TRUSTED_HOSTS`` set (Flask checks the host first), ``EARLY_POLLS`` turned off. The
student's poll is checked by ``play.polls``; the room screen's by
``facilitation.signed_poll``.

Areas may also take a POST before Flask (``post``): the student's answer
(``play.early_answer``), whose handler answers the hot case itself, with Flask's
exact response, and returns None for anything else, which then goes on to Flask; and
a poll that found something changed (``changed``): the student's new screen, when it
is kept (``play.early_screens``), in the same way.

This sits outside every other middleware but ProxyFix (``config.trust_proxy``), which
wraps it: behind a trusted proxy, the scheme that decides HSTS is already the proxy's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask
from sqlite_utils import Database

from ..storage.connection import kept
from . import security
from .cache import EXTENSION as CACHE

EXTENSION = "lateral.early"
STATUS = "204 NO CONTENT"  # as werkzeug words it
CONTENT_TYPE = ("Content-Type", "text/html; charset=utf-8")  # Flask's default, on a 204 too

# A POST answered before Flask: the WSGI environ and start_response; the body sent, or
# None to leave the request to Flask (with the environ's input as it came).
Handler = Callable[[dict[str, Any], Callable], Iterable[bytes] | None]

# Whether nothing changed for this poll: the database, the code as the path gives it
# and the query string's values (the first of each name, as Flask's request.args).
Check = Callable[[Database, str, Mapping[str, str]], bool]


@dataclass(frozen=True)
class Poll:
    check: Check
    private: bool  # the 204 says Cache-Control: no-store, as a teacher's page does


class EarlyPolls:
    """Answer the registered polls' no-change case; hand everything else to ``inner``."""

    def __init__(self, app: Flask, inner: Callable) -> None:
        self.inner = inner
        self.config = app.config
        self.cache = app.extensions.get(CACHE)
        self.polls: dict[tuple[str, str], Poll] = {}
        self.posts: dict[tuple[str, str], Handler] = {}
        self.changed: dict[tuple[str, str], Handler] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method == "GET" and environ.get("PATH_INFO", "").endswith("/poll"):
            headers = self.answer(environ)
            if headers is not None:
                start_response(STATUS, headers)
                return []
            if self.changed:
                sent = self.handle(self.changed, environ, start_response)
                if sent is not None:
                    return sent
        elif method == "POST" and self.posts:
            sent = self.handle(self.posts, environ, start_response)
            if sent is not None:
                return sent
        return self.inner(environ, start_response)

    def handle(
        self, handlers: dict[tuple[str, str], Handler], environ: dict[str, Any], start_response
    ) -> Iterable[bytes] | None:
        """Hand a request to its area's handler (``/<area>/<code>/<tail>``), if it has one."""
        if self.config.get("TRUSTED_HOSTS"):
            return None
        parts = environ.get("PATH_INFO", "").split("/", 3)
        if len(parts) != 4 or parts[0]:
            return None
        handler = handlers.get((parts[1], parts[3]))
        code = parts[2]
        if handler is None or not (code.isascii() and code.isalnum()):
            return None
        return handler(environ, start_response)

    def answer(self, environ: dict[str, Any]) -> list[tuple[str, str]] | None:
        """Return the 204's headers when nothing changed for this poll, else None."""
        config = self.config
        if not config["EARLY_POLLS"] or config.get("TRUSTED_HOSTS"):
            return None
        # "/play/<code>/poll" -> ["", "play", code, "poll"]
        parts = environ["PATH_INFO"].split("/", 3)
        if len(parts) != 4 or parts[0]:
            return None
        poll = self.polls.get((parts[1], parts[3]))
        code = parts[2]
        if poll is None or not (code.isascii() and code.isalnum()):
            return None
        args = query_args(environ.get("QUERY_STRING", ""))
        if args is None:
            return None
        try:
            if not poll.check(kept(config["DATABASE"], self.cache), code, args):
                return None
        except sqlite3.Error:
            return None  # Flask's path meets it again, and answers with its error page
        secure = environ.get("wsgi.url_scheme") in ("https", "wss")  # request.is_secure
        return [
            CONTENT_TYPE,
            *security.standard_headers(
                private=poll.private, secure=secure, hsts_max_age=config["HSTS_MAX_AGE"]
            ),
        ]


def query_args(query: str) -> dict[str, str] | None:
    """Read a query string as Flask's ``request.args`` does (the first value of each
    name), or None when it is not UTF-8 (Flask is left to refuse it)."""
    try:
        text = query.encode("latin-1").decode()
    except UnicodeError:
        return None
    args: dict[str, str] = {}
    for name, value in parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote"):
        args.setdefault(name, value)
    return args


def install(app: Flask) -> None:
    """Wrap the app's WSGI callable (outside the static files') in the middleware."""
    early = EarlyPolls(app, app.wsgi_app)
    app.wsgi_app = early  # type: ignore[method-assign]
    app.extensions[EXTENSION] = early


def answer(app: Flask, area: str, tail: str, check: Check, *, private: bool = False) -> None:
    """Answer ``GET /<area>/<code>/<tail>`` before Flask whenever ``check`` says nothing
    changed."""
    app.extensions[EXTENSION].polls[(area, tail)] = Poll(check, private)


def post(app: Flask, area: str, tail: str, handler: Handler) -> None:
    """Offer ``POST /<area>/<code>/<tail>`` to ``handler`` before Flask."""
    app.extensions[EXTENSION].posts[(area, tail)] = handler


def changed(app: Flask, area: str, tail: str, handler: Handler) -> None:
    """Offer a poll ``GET /<area>/<code>/<tail>`` that found something changed to
    ``handler`` before Flask (it returns None to leave the request to Flask)."""
    app.extensions[EXTENSION].changed[(area, tail)] = handler
