"""The session cookie: Flask's signed cookie, Secure whenever the request is HTTPS."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

from .cache import EXTENSION


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS.

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
