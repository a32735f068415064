"""The session cookie: Flask's signed cookie, Secure whenever the request is HTTPS, and
read only when a request first looks into it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Request, Response, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature

from .cache import EXTENSION

# Every dict method that reads or writes the contents: each loads the cookie first.
_DICT_METHODS = (
    "__getitem__",
    "__setitem__",
    "__delitem__",
    "__contains__",
    "__iter__",
    "__reversed__",
    "__len__",
    "__eq__",
    "__ne__",
    "__or__",
    "__ior__",
    "__repr__",
    "get",
    "setdefault",
    "pop",
    "popitem",
    "update",
    "clear",
    "keys",
    "items",
    "values",
    "copy",
)


class LazySession(SecureCookieSession):
    """The signed cookie's contents, checked and decoded on first use.

    A request that never looks into its session (a screen's no-change poll, a static
    file) then costs no signature check and no JSON decoding, and sends no cookie
    back. Any read or write loads it first, so it behaves as Flask's own session.
    """

    def __init__(self, load: Callable[[], dict[str, Any]]) -> None:
        super().__init__()
        self._load: Callable[[], dict[str, Any]] | None = load

    @property
    def loaded(self) -> bool:
        return self._load is None

    def _ensure(self) -> None:
        load, self._load = self._load, None
        if load is not None:
            dict.update(self, load())  # not an update by the request: modified stays False


def _loading(name: str):
    method = getattr(SecureCookieSession, name)

    def wrapped(self: LazySession, *args, **kwargs):
        self._ensure()
        return method(self, *args, **kwargs)

    wrapped.__name__ = name
    return wrapped


for _name in _DICT_METHODS:
    setattr(LazySession, _name, _loading(_name))
LazySession.__hash__ = None  # type: ignore[assignment]  # a dict: unhashable


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS,
    decoded only when the request uses its session (``LazySession``).

    The signing serializer is built once per secret key and kept in the app's cache,
    rather than on every request (Flask builds a new one each time, which costs more
    than checking the signature).
    """

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        return app.extensions[EXTENSION].get(
            ("cookie serializer", keys),
            lambda: SecureCookieSessionInterface.get_signing_serializer(self, app),
        )

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        name = self.get_cookie_name(app)
        max_age = int(app.permanent_session_lifetime.total_seconds())

        def load() -> dict[str, Any]:
            value = request.cookies.get(name)
            if not value:
                return {}
            try:
                return serializer.loads(value, max_age=max_age)
            except BadSignature:
                return {}

        return LazySession(load)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if isinstance(session, LazySession) and not session.loaded:
            return  # never read nor written: the browser's cookie stays as it is
        super().save_session(app, session, response)

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(
            app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure)
        )
