"""Security events as one structured (JSON) line each, without personal data.

Each line has a UTC time, the event, the route pattern (never the filled-in path,
which can hold an invitation token), the outcome, a request id, the client's address
(from the proxy's X-Forwarded-For only with TRUST_PROXY) and the signed-in account
acting (``actor``). Passwords, cookies, tokens, e-mail addresses and anything of a
student's (nicknames, answers) are never logged.

Every privileged action writes one line (issue 13, finding 12): ``sign_in`` (ok,
failed or throttled, with the account the e-mail belongs to), ``sign_out``,
``password_change``, ``register``, ``invite`` and ``invite_accept``, ``role``,
``disable`` and ``enable``, ``nickname_words``, ``set_publish``, ``set_archive``
and ``set_unarchive``, ``set_delete``, ``session_close`` and ``session_reopen``,
``session_delete_data``, and ``denied``, ``throttled`` and ``csrf`` refusals.
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
        line.update(client=request.remote_addr or "")
        teacher = g.get("teacher")
        if teacher is not None:
            line.update(actor=teacher.id)
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
