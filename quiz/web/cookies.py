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
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Request, Response, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadData

from .cache import EXTENSION

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
# flashed messages, Flask's permanent flag.
SHAPES: dict[str, Callable[[object], bool]] = {
    "p": _joined,
    "t": lambda v: isinstance(v, dict),
    "d": _text,
    "csrf_token": _text,
    "_flashes": _flashes,
    "_permanent": lambda v: isinstance(v, bool),
}


def clean(data: object) -> tuple[dict, bool]:
    """Return the cookie's data with every key of the wrong shape dropped, and whether
    anything was."""
    if not isinstance(data, dict):
        return {}, True
    kept = {k: v for k, v in data.items() if k in SHAPES and SHAPES[k](v)}
    return kept, len(kept) != len(data)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie with Lateral's name, its move to HTTPS and its shapes.

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
        name = app.config["SESSION_COOKIE_NAME"]
        prefixed = (
            app.config.get("SESSION_COOKIE_HOST_PREFIX", True)
            and not name.startswith("__")
            and self.get_cookie_secure(app)
            and self.get_cookie_path(app) == "/"
            and not self.get_cookie_domain(app)
        )
        return HOST_PREFIX + name if prefixed else name

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        name, legacy = self.get_cookie_name(app), app.config["SESSION_COOKIE_NAME"]
        value = request.cookies.get(name)
        moved = not value and name != legacy and bool(request.cookies.get(legacy))
        data, changed = clean(self._load(app, request.cookies.get(legacy) if moved else value))
        session = self.session_class(data)
        session.modified = bool(data) and (changed or moved)
        return session

    def _load(self, app: Flask, value: str | None) -> object:
        if not value:
            return {}
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            return self.get_signing_serializer(app).loads(value, max_age=max_age)
        except BadData:  # a bad signature, or a signed payload that is not JSON
            return {}

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
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
