"""Lateral: teach media literacy with real news."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, abort, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from .storage import connection, migrations

ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: config, database migrations, blueprints, CLI."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("LATERAL_INSTANCE_PATH", str(ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(
        DATABASE=str(Path(app.instance_path) / "lateral.db"),
        QUESTIONS_DIR=str(ROOT / "questions"),
        # The public address for join links and QR codes; None: the request's host.
        BASE_URL=None,
        # Days after a session closes before its participants' data is deleted.
        RETENTION_DAYS=30,
        MAX_CONTENT_LENGTH=256 * 1024,
        # A token lives as long as the browser session: never mid-lesson expiry.
        WTF_CSRF_TIME_LIMIT=None,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(days=7),
        # The cookie is written only when it changes (joining, signing in): re-signing
        # it on every answer and poll of a class costs more than the rest of a poll.
        # A signed-in teacher's cookie still changes on each request (the idle clock).
        SESSION_REFRESH_EACH_REQUEST=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="lateral",
        # Teachers join by an administrator's invitation unless this is turned on.
        REGISTRATION_OPEN=False,
        # Set when a reverse proxy terminates HTTPS in front of the app.
        TRUST_PROXY=False,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("LATERAL")
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    app.session_interface = _SessionInterface()
    if app.config.get("TRUST_PROXY"):
        # Behind one reverse proxy (nginx, Caddy) that sets X-Forwarded-For/Proto/Host.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    _audit_to_stderr(app)
    database = connection.connect(app.config["DATABASE"])
    try:
        migrations.apply(database)
    finally:
        database.close()
    app.teardown_appcontext(connection.close_db)
    csrf.init_app(app)

    from . import auth, author, cli, errors, facilitator, ops, sets, student

    app.url_map.converters["id"] = IdConverter

    @app.before_request
    def forms_only():
        # Every form here posts form fields; a JSON body would hand WTForms and the
        # views values of the wrong type.
        if request.method == "POST" and request.mimetype not in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "",
        ):
            abort(415)

    app.register_blueprint(student.bp)
    app.register_blueprint(sets.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(author.bp)
    app.register_blueprint(facilitator.bp)
    app.register_blueprint(ops.bp)
    _schedule_purge(app)
    errors.register(app)
    cli.register(app)

    @app.template_filter("points")
    def points(value: float) -> str:
        """Show a score without a needless decimal: 6, 4.5, 2.67."""
        return f"{value:.2f}".rstrip("0").rstrip(".")

    @app.context_processor
    def template_flags():
        from .htmx import is_partial

        return {"htmx_partial": is_partial()}

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # strict-origin-when-cross-origin keeps the Referer Flask-WTF checks over HTTPS.
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        return response

    _settle_garbage_collector()
    return app


def _settle_garbage_collector() -> None:
    """Keep Python's cyclic garbage collector from walking the app's own objects.

    Everything made while starting (modules, the app, templates) lives as long as the
    process; ``gc.freeze()`` moves it out of the collector's view, so a collection
    walks only what requests made since. Found by profiling a server after a class of
    1,000 (``bench/``): collections took a fifth of each worker's time. Only the first
    app of a process does it (a server makes one; the tests make many).
    """
    import gc

    if not gc.get_freeze_count():
        gc.freeze()


class IdConverter(IntegerConverter):
    """A database id in a URL: a positive int that SQLite can hold, else 404."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**63 - 1)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS.

    The signing serializer is built once per secret key rather than on every request
    (Flask builds a new one each time, which costs more than checking the signature).
    """

    _serializers: dict = {}

    def get_signing_serializer(self, app: Flask):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if len(self._serializers) > 16:
                self._serializers.clear()
            self._serializers[key] = serializer
        return serializer

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(
            app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure)
        )


def _audit_to_stderr(app: Flask) -> None:
    """Send audit lines to standard error (gunicorn's error log), once per process."""
    import logging

    audit = logging.getLogger("lateral.audit")
    audit.setLevel(logging.INFO)
    if not app.testing and not audit.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        audit.addHandler(handler)


def _schedule_purge(app: Flask) -> None:
    """Purge participant data past retention at most once an hour per process."""
    import time

    from . import facilitation
    from .storage.connection import get_db

    last = {"at": 0.0}

    @app.before_request
    def purge_now_and_then() -> None:
        if time.monotonic() - last["at"] < 3600:
            return
        last["at"] = time.monotonic()
        purged = facilitation.purge(get_db(), app.config["RETENTION_DAYS"])
        if purged:
            app.logger.info("retention: purged participant data of %d sessions", purged)


def _instance_secret(instance: Path) -> str:
    """Return the instance's secret key, generating it on first start."""
    path = instance / "secret_key"
    if not path.exists():
        tmp = instance / f".secret_key.{os.getpid()}"
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        # link() is atomic and refuses to overwrite: when two workers start at
        # once, one key wins and both read it.
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
