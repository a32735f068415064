"""URLs every area shares: the id converter, and full addresses for people."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, Map

from ..refusal import Refusal
from .cache import current


class IdConverter(IntegerConverter):
    """A database id in a URL (``<id:pk>``): a positive int SQLite can hold, else 404."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=2**63 - 1)


def kept_url(endpoint: str, **values: str | int) -> str:
    """Return ``url_for(endpoint, **values)``, built once per app and path prefix.

    A relative URL depends on nothing else here (no host matching, and the only
    ``url_defaults`` names static files by their fingerprint), and a room asks for the
    same few (the next question, the feedback, the poll at the session's state) on
    every answer: building the poll's query string alone cost more than a hello's
    whole request (issue 19).
    """
    key = url_key(request.script_root, endpoint, **values)
    return current().get(key, lambda: url_for(endpoint, **values))


def url_key(script_root: str, endpoint: str, **values: str | int) -> tuple:
    """The key ``kept_url`` keeps a URL under (``play.early_answer`` looks it up)."""
    return ("url", endpoint, script_root, tuple(sorted(values.items())))


NO_PUBLIC_ADDRESS = _l(
    "This server does not know its public address, so it can't make links for students or "
    "invitations. Set BASE_URL to the address people use (for example "
    "https://quiz.school.org), or add this host name to ALLOWED_HOSTS (the README's "
    "Configuration section says how)."
)


def public_base() -> str:
    """Return the site's address for links people type, scan or are sent, without a
    trailing slash.

    Built only from BASE_URL, or when it is unset from the request's host if that is
    one of ALLOWED_HOSTS (by default the loopback names), never from any Host header a
    client sends (issue 13, finding 10); otherwise the request is refused with a 400.
    """
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/")
    allowed = {h.lower().strip("[]") for h in current_app.config.get("ALLOWED_HOSTS") or ()}
    hostname = urlsplit(f"//{request.host}").hostname
    if hostname is None or hostname.lower() not in allowed:
        raise Refusal(400, NO_PUBLIC_ADDRESS)
    return request.host_url.rstrip("/")


def public_url(endpoint: str, **values: object) -> str:
    """Return the full address of a page, from ``public_base``."""
    return public_base() + url_for(endpoint, **values)


def cli_base_url(app: Flask) -> str:
    """Return the app's address for a command to print: BASE_URL, else the address
    ``flask run`` serves (FLASK_RUN_HOST and FLASK_RUN_PORT, 127.0.0.1:5000 unless set)."""
    if app.config.get("BASE_URL"):
        return app.config["BASE_URL"].rstrip("/")
    host = os.environ.get("FLASK_RUN_HOST") or "127.0.0.1"
    port = os.environ.get("FLASK_RUN_PORT") or "5000"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"
