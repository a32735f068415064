"""Settings: the defaults, then instance/config.py, then ``LATERAL_`` environment
variables (the README's "Configuration" table lists them), and the instance secret."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> str:
    """Where the instance folder is: ``LATERAL_INSTANCE_PATH``, else ``instance/``."""
    return os.environ.get("LATERAL_INSTANCE_PATH", str(ROOT / "instance"))


def defaults(instance: str) -> dict[str, Any]:
    """Return every setting's default."""
    return dict(
        DATABASE=str(Path(instance) / "lateral.db"),
        QUESTIONS_DIR=str(ROOT / "questions"),
        # The public address for join links, QR codes and invitations. None: the request's
        # host, and only when it is one of ALLOWED_HOSTS (else those pages are a 400).
        BASE_URL=None,
        ALLOWED_HOSTS=["localhost", "127.0.0.1", "::1"],
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
        # Over HTTPS the cookie is "__Host-lateral": only this host, Secure, Path=/.
        SESSION_COOKIE_HOST_PREFIX=True,
        # Strict-Transport-Security over HTTPS, in seconds (one year); 0 sends none.
        HSTS_MAX_AGE=31_536_000,
        # Teachers join by an administrator's invitation unless this is turned on.
        REGISTRATION_OPEN=False,
        # Set when a reverse proxy terminates HTTPS in front of the app.
        TRUST_PROXY=False,
        # No-change polls (a student's, the room screen's) answered before Flask, with
        # the same 204 (quiz.web.early); False leaves every poll to Flask's own path.
        EARLY_POLLS=True,
        # The common answer (an htmx choice answer whose reply is a kept fragment)
        # answered before Flask, with the same response and the same row stored
        # (quiz.play.early_answer); False leaves every answer to Flask's own path.
        EARLY_ANSWERS=True,
        # The changed poll whose new screen is kept (the question, the wait, the
        # feedback, the wait for the reveal) answered before Flask, with the same
        # response (quiz.play.early_screens); False leaves it to Flask's own path.
        EARLY_SCREENS=True,
        # Numbers of quiz.play.limits.Limits to change, e.g. {"client_per_minute": 900}.
        JOIN_LIMITS={},
        # The word filter's list when no administrator has saved one in the app.
        NICKNAME_WORDS_FILE=str(ROOT / "quiz" / "data" / "blocked-nicknames.txt"),
        # The school's time zone (an IANA name such as "Europe/Helsinki"): the end
        # date and time a teacher gives a homework session are read in it.
        TIMEZONE="UTC",
    )


def load(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    """Fill the app's config: defaults, then the instance file and the environment
    (or, for tests, ``test_config`` alone); a secret key made once if none is set."""
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("LATERAL")
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))


def trust_proxy(app: Flask) -> None:
    """Behind one reverse proxy (nginx, Caddy) that sets X-Forwarded-For/Proto/Host, with
    TRUST_PROXY: read them before anything else does (the outermost middleware, put on
    after every other: ``web.early`` answers polls with the proxy's scheme)."""
    if app.config.get("TRUST_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)


def instance_secret(instance: Path) -> str:
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
