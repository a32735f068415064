"""The session cookie: Flask's signed cookie, Secure and ``__Host-`` over HTTPS, and
read only in the shapes Lateral writes.

- **Name.** Over HTTPS the cookie is ``__Host-lateral`` (``SESSION_COOKIE_HOST_PREFIX``,
  on by default): browsers then accept it only when it is Secure, for this host alone
  (no Domain) and for the whole site (Path=/), so a sibling subdomain cannot plant or
  overwrite it. Over plain HTTP (a laptop in class) it stays ``lateral``.
- **Upgrading** a server from HTTP to HTTPS (or turning the prefix on) signs nobody out:
  a request that brings only the old ``lateral`` cookie is read from it, and the answer
  moves it to the new name and deletes the old one.
- **Shapes.** The cookie is signed with the app's key, so only the app writes it; but a
  leaked key, an old version or a test can hand it anything. Each key is read only in
  the shape Lateral writes (``SHAPES``); anything else is dropped as if absent (and
  the cookie rewritten), so no page meets a list where it expects a dict (issue 13,
  finding 13). The teacher's state is checked further by ``accounts.teachers``.
- **Read on first use.** The cookie is checked and decoded only when a request first
  looks into its session (``LazySession``): a no-change poll or a static file costs no
  signature check and no JSON decoding, and sends no cookie back (issue 19).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Request, Response, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadData

from .cache import EXTENSION
from .i18n import COOKIE_KEY

HOST_PREFIX = "__Host-"
CODE_MAX, ID_MAX, ENTRIES_MAX = 20, 64, 200


def _joined(value: object) -> bool:
    """``p``: participant ids by session code, both short strings."""
    return (
        isinstance(value, dict)
        and len(value) <= ENTRIES_MAX
        and all(
            isinstance(k, str) and isinstance(v, str) and len(k) <= CODE_MAX and len(v) <= ID_MAX
            for k, v in value.items()
        )
    )


def _flashes(value: object) -> bool:
    """``_flashes``: Flask's (category, message) pairs."""
    return isinstance(value, list) and all(
        isinstance(f, list | tuple) and len(f) == 2 and all(isinstance(x, str) for x in f)
        for f in value
    )


def _text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 200


# What each key may hold: the student's sessions, the teacher's state (checked in full
# by accounts.teachers.current_teacher), the throttle's device id, the CSRF token,
# flashed messages, Flask's permanent flag, the language chosen with the home page's switch.
SHAPES: dict[str, Callable[[object], bool]] = {
    "p": _joined,
    "t": lambda v: isinstance(v, dict),
    "d": _text,
    "csrf_token": _text,
    "_flashes": _flashes,
    "_permanent": lambda v: isinstance(v, bool),
    COOKIE_KEY: lambda v: isinstance(v, str) and len(v) <= 20,
}


def clean(data: object) -> tuple[dict, bool]:
    """Return the cookie's data with every key of the wrong shape dropped, and whether
    anything was."""
    if not isinstance(data, dict):
        return {}, True
    kept = {k: v for k, v in data.items() if k in SHAPES and SHAPES[k](v)}
    return kept, len(kept) != len(data)


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

    ``load`` returns the data and whether the cookie must be written again (a key of
    the wrong shape dropped, a move to the ``__Host-`` name). Any read or write loads
    it first, so it behaves as Flask's own session.
    """

    def __init__(self, load: Callable[[], tuple[dict[str, Any], bool]]) -> None:
        super().__init__()
        self._load: Callable[[], tuple[dict[str, Any], bool]] | None = load

    @property
    def loaded(self) -> bool:
        return self._load is None

    def _ensure(self) -> None:
        load, self._load = self._load, None
        if load is not None:
            data, rewrite = load()
            dict.update(self, data)  # not an update by the request itself
            self.modified = self.modified or rewrite


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
    """Flask's signed cookie with Lateral's name, its move to HTTPS and its shapes,
    read only when the request uses its session (``LazySession``).

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

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(
            app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure)
        )

    def get_cookie_name(self, app: Flask) -> str:
        return self.cookie_name(app, has_request_context() and request.is_secure)

    def cookie_name(self, app: Flask, secure: bool) -> str:
        """The cookie's name for a request over HTTPS (``secure``) or not."""
        name = app.config["SESSION_COOKIE_NAME"]
        prefixed = (
            app.config.get("SESSION_COOKIE_HOST_PREFIX", True)
            and not name.startswith("__")
            and bool(app.config["SESSION_COOKIE_SECURE"] or secure)
            and self.get_cookie_path(app) == "/"
            and not self.get_cookie_domain(app)
        )
        return HOST_PREFIX + name if prefixed else name

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        name, legacy = self.get_cookie_name(app), app.config["SESSION_COOKIE_NAME"]

        def load() -> tuple[dict, bool]:
            value = request.cookies.get(name)
            moved = not value and name != legacy and bool(request.cookies.get(legacy))
            data, changed = self.read(app, request.cookies.get(legacy) if moved else value)
            return data, bool(data) and (changed or moved)

        return LazySession(load)

    def read(self, app: Flask, value: str | None) -> tuple[dict, bool]:
        """The contents of a cookie's value as a request's session holds them, and
        whether the answer must write the cookie again (a key of the wrong shape)."""
        return clean(self._load(app, value))

    def read_signed(self, app: Flask, value: str) -> tuple[dict, bool, int] | None:
        """``read`` without the age check: the contents, whether to write the cookie
        again, and when it was signed (a Unix time), or None when the signature is bad.
        The age is the caller's to check against ``permanent_session_lifetime``, as
        ``_load`` does (``play.early_answer`` keeps what it read by the cookie's value)."""
        try:
            data, signed = self.get_signing_serializer(app).loads(value, return_timestamp=True)
        except BadData:
            return None
        kept, changed = clean(data)
        return kept, changed, int(signed.timestamp())

    def _load(self, app: Flask, value: str | None) -> object:
        if not value:
            return {}
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            return self.get_signing_serializer(app).loads(value, max_age=max_age)
        except BadData:  # a bad signature, or a signed payload that is not JSON
            return {}

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if isinstance(session, LazySession) and not session.loaded:
            return  # never read nor written: the browser's cookie stays as it is
        super().save_session(app, session, response)
        legacy = app.config["SESSION_COOKIE_NAME"]
        if self.get_cookie_name(app) != legacy and request.cookies.get(legacy):
            # Moved to the __Host- name: the old cookie goes.
            response.delete_cookie(
                legacy,
                domain=self.get_cookie_domain(app),
                path=self.get_cookie_path(app),
                httponly=True,
                samesite=self.get_cookie_samesite(app),
            )
