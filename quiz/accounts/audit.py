"""Security events as one structured (JSON) line each, without personal data.

Each line has a UTC time, the event, the route pattern (never the filled-in path,
which can hold an invitation token), the outcome and a request id. Passwords,
cookies, tokens and nicknames are never logged.
"""

from __future__ import annotations

import json
import logging
import secrets

from flask import Flask, g, has_request_context, request

from .. import clock

logger = logging.getLogger("lateral.audit")


def denial(status: int, outcome: str) -> None:
    """Log a 403 or 429 once per request, unless a more specific line was written."""
    if status in (403, 429) and not g.get("audited"):
        log("denied" if status == 403 else "throttled", outcome)


def request_id() -> str:
    """Return a random id for this request (to match lines of one request)."""
    if "request_id" not in g:
        g.request_id = secrets.token_hex(8)
    return g.request_id


def log(event: str, outcome: str, **fields: object) -> None:
    """Write one audit line: event (sign_in, csrf, denied, throttled...) and outcome."""
    line: dict[str, object] = {"time": clock.stamp(), "event": event, "outcome": outcome}
    if has_request_context():
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        line.update(route=rule, method=request.method, id=request_id())
        g.audited = True
    line.update(fields)
    logger.info(json.dumps(line, sort_keys=True))


def send_to_stderr(app: Flask) -> None:
    """Send audit lines to standard error (gunicorn's error log), once per process."""
    logger.setLevel(logging.INFO)
    if not app.testing and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
