"""The room screen's poll, signed so that its no-change case is answered before Flask.

The room screen (``room_views``) is the teacher's: Flask's path checks the sign-in
cookie, loads the teacher and the session they own, then asks whether anything changed.
Before Flask (``web.early``) none of that runs; instead the poll URL the room screen
holds carries the time it was issued (``t``) and a signature (``sig``): an HMAC, with
the app's secret key, of the session's code, its owner's account id and session version,
and every value of the URL (``state``, ``joined``, ``answers``, ``until``, ``t``). A poll
is answered 204 there only when that signature fits, it was issued less than
``FRESH_SECONDS`` ago, the owner's account is enabled, no timer on screen ran out, and
nothing changed (``queries.room_watch``: the same test as ``activity_unchanged``).

Why that keeps the room screen the teacher's:

- Before Flask the only answer is an empty 204, "nothing changed since the screen this
  URL was issued with". Content (the room, its counts, its question) is only ever sent
  by Flask's path, after the sign-in check, as before.
- Only the signed-in owner is handed such a URL (in the room screen's page), and its
  values cannot be changed without the secret key: a URL of one's own making (another
  count, another session, another owner, a later time) does not fit, and goes to Flask,
  which refuses anyone but the owner. So the 204 cannot be used to probe a session's
  counts; who holds the URL learns only that nothing moved since it was shown to them.
- It stops working by itself: signing out everywhere, a new password or a disabled
  account changes or drops what it was signed with, at once; otherwise it lasts
  ``FRESH_SECONDS``. A URL older than that goes to Flask, which answers the signed-in
  owner with the room as it is (200, with a new URL) even when nothing changed, so an
  open room screen still keeps its teacher signed in (the idle clock is refreshed on
  Flask's path, at least that often) and a leaked URL is worth ten minutes at most.
- A new secret key (or its fallbacks) makes every old URL go to Flask, which hands out
  new ones.
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Callable, Mapping

from sqlite_utils import Database

from .. import clock
from ..play.sessions import normalise_code
from ..storage import queries

FRESH_SECONDS = 600
SIGNED = ("state", "joined", "answers", "until", "t")
CONTEXT = "lateral room poll"


def _key(secret: str | bytes) -> bytes:
    return secret if isinstance(secret, bytes) else secret.encode()


def _signature(secret: str | bytes, code: str, watch: Mapping, args: Mapping[str, str]) -> str:
    fields = [CONTEXT, code, watch["owner_id"], watch["session_version"]]
    fields += [args.get(k, "") for k in SIGNED]
    digest = hmac.digest(_key(secret), json.dumps(fields).encode(), "sha256")
    return base64.urlsafe_b64encode(digest[:18]).decode()


def signed(secret: str | bytes, code: str, watch: Mapping, params: Mapping) -> dict[str, str]:
    """Return the poll URL's values (``state``, ``joined``, ``answers``, maybe ``until``)
    with the time they are issued and their signature, for ``code``'s owner as
    ``queries.room_watch`` gave them (``watch``)."""
    args = {k: str(v) for k, v in params.items()}
    args["t"] = str(int(clock.utcnow().timestamp()))
    args["sig"] = _signature(secret, code, watch, args)
    return args


def answerable(
    secret: str | bytes, code: str, watch: Mapping | None, args: Mapping[str, str]
) -> bool:
    """Whether the room screen's poll may be answered 204: nothing changed, no timer on
    screen ran out, and the URL is one signed for the session's owner less than
    ``FRESH_SECONDS`` ago."""
    if watch is None or not watch["unchanged"] or clock.passed(args.get("until")):
        return False
    try:
        issued = int(args.get("t", ""))
    except ValueError:
        return False
    if abs(clock.utcnow().timestamp() - issued) > FRESH_SECONDS:
        return False
    sig = args.get("sig", "")
    return sig.isascii() and hmac.compare_digest(sig, _signature(secret, code, watch, args))


def early_check(config: Mapping) -> Callable[[Database, str, Mapping[str, str]], bool]:
    """Return ``web.early``'s check of the room screen's poll; ``config`` is the app's
    (its secret key is read when a poll comes)."""

    def check(db: Database, code: str, args: Mapping[str, str]) -> bool:
        code = normalise_code(code)
        return answerable(config["SECRET_KEY"], code, queries.room_watch(db, code, args), args)

    return check
