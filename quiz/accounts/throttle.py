"""Slow down password guessing without locking the real teacher out.

Issue 13, finding 7: the old count was read before the password check and written
after it, so 60 parallel wrong attempts got 19 checks, not 10; and ten wrong
guesses by anyone, from anywhere, paused the account for 15 minutes.

Here a sign-in calls `begin` before it checks a password and `finish` after.
`begin` counts the recent failures and records the attempt as pending in one
BEGIN IMMEDIATE transaction, and a pending attempt counts as a failure until
`finish` says otherwise, so however many requests arrive together, no more
checks run than the counts allow. The counts (OWASP ASVS 4.0 2.2.1; NIST SP
800-63B 5.2.2, which allows at most 100 failures in a row per account):

- per account and client: FREE_PER_CLIENT failures free, then each next attempt
  waits after the last failure 1 s, 2 s, 4 s ... doubling up to MAX_DELAY
  (15 minutes). A student guessing from the classroom slows only that address;
  the teacher signing in from another one is not slowed at all.
- per account across all clients: FREE_PER_ACCOUNT failures, then the same
  doubling. This bounds guessing spread over many addresses, and it does not
  apply to a client that signed in to the account successfully within KNOWN_FOR,
  so the teacher's own school or home address keeps working even then.

Failures older than WINDOW do not count; a successful sign-in clears its own
client's failures. `client` is an opaque string: the address (from the proxy
when trusted), with an IPv6 address cut to its /64 network (`client_key`), since
one household or phone gets a whole /64; or a device (`sign_in_client`).

Devices: a class and its teacher often share the school's one address, so a student
guessing the teacher's password from the classroom would slow the teacher too. A
browser that signed in to the account before carries a random device id in its
(signed) cookie, and `remember_device` records that success; such a browser's
attempts are counted under its device instead of the address (`sign_in_client`), so
it is neither slowed by the guesses from the address nor held by the account
ceiling. A device id counts only for the account it signed in to, and only once it
has (a made-up or another account's id counts as the address), so dropping or
forging the cookie gains an attacker nothing.

The rows hold the e-mail typed and the client address or device: teachers' data,
kept for WINDOW (failures) or KNOWN_FOR (successes) and deleted by `prune`, which
the hourly retention purge runs. The SQL is in quiz/storage/queries/accounts.py and
the table is made by migration 0010_sign_in_throttle.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import secrets

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlite_utils import Database

from .. import clock
from ..storage import queries
from ..storage.connection import immediate

FREE_PER_CLIENT = 5  # failures for one account from one client before any wait
FREE_PER_ACCOUNT = 100  # failures for one account from all clients (NIST's ceiling)
FIRST_DELAY = dt.timedelta(seconds=1)  # the first wait; each failure after doubles it
MAX_DELAY = dt.timedelta(minutes=15)
# How long a failure counts, and how long a success makes its client known.
WINDOW = dt.timedelta(hours=24)
KNOWN_FOR = dt.timedelta(days=30)


class Throttled(Exception):
    """A sign-in that must wait; `retry_after` is in whole seconds (for Retry-After)."""

    def __init__(self, retry_after: int, scope: str) -> None:
        self.retry_after = retry_after
        self.scope = scope  # "client": this account from this client; "account": from anywhere
        self.message = _(
            "Too many failed sign-ins for this account. Wait %(time)s and try again.",
            time=_duration(retry_after),
        )
        super().__init__(self.message)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def account_key(email: str) -> str:
    """Return the e-mail as the throttle counts it: trimmed, case folded."""
    return (email or "").strip().casefold()[:254]


def client_key(address: str) -> str:
    """Return the client as counted: an IPv6 address as its /64, others as given."""
    address = (address or "").strip()[:100]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def delay(failures: int, free: int) -> dt.timedelta:
    """Return how long after the last failure the next attempt must wait."""
    if failures < free:
        return dt.timedelta(0)
    doublings = min(failures - free, 20)  # 2**20 s is far past MAX_DELAY already
    return min(FIRST_DELAY * 2**doublings, MAX_DELAY)


def sign_in_client(
    db: Database, email: str, address: str, device: str | None, now: dt.datetime | None = None
) -> str:
    """Return the client an attempt counts under: the device, when this browser signed
    in to the account within KNOWN_FOR, else the address (see the module)."""
    if device:
        key = device_key(device)
        since = clock.stamp((now or clock.utcnow()) - KNOWN_FOR)
        if queries.signed_in_since(db, account_key(email), key, since):
            return key
    return client_key(address)


def new_device_id() -> str:
    """Return a new random device id for a browser's cookie."""
    return secrets.token_urlsafe(18)


def device_key(device: str) -> str:
    """Return a device id as the throttle counts it."""
    return "device:" + device[:64]


def begin(db: Database, email: str, client: str, now: dt.datetime | None = None) -> int:
    """Record an attempt about to check a password; return its id or raise Throttled.

    ``client`` is a ``client_key`` or ``sign_in_client`` (a plain address is keyed here).
    """
    now = now or clock.utcnow()
    account, client = account_key(email), _keyed(client)
    with immediate(db):
        wait, scope = _wait(db, account, client, now)
        if wait <= 0:
            return queries.insert_attempt(db, account, client, clock.stamp(now), "pending")
    raise Throttled(wait, scope)


def finish(db: Database, attempt_id: int, ok: bool, now: dt.datetime | None = None) -> None:
    """Record how an attempt ended; success clears its client's failures."""
    at = clock.stamp(now or clock.utcnow())
    if not ok:
        queries.fail_attempt(db, attempt_id, at)
        return
    with immediate(db):
        queries.succeed_attempt(db, attempt_id, at)


def remember_device(db: Database, email: str, device: str, now: dt.datetime | None = None) -> None:
    """Record that this device signed in to the account (after a successful attempt)."""
    key, at = device_key(device), clock.stamp(now or clock.utcnow())
    with immediate(db):
        attempt_id = queries.insert_attempt(db, account_key(email), key, at, "ok")
        queries.succeed_attempt(db, attempt_id, at)


def retry_after(db: Database, email: str, client: str, now: dt.datetime | None = None) -> int:
    """Return how many seconds this account must wait from this client (0: none)."""
    return _wait(db, account_key(email), _keyed(client), now or clock.utcnow())[0]


def prune(db: Database, now: dt.datetime | None = None) -> int:
    """Delete failures older than WINDOW and successes older than KNOWN_FOR; return how many."""
    now = now or clock.utcnow()
    return queries.prune_attempts(db, clock.stamp(now - WINDOW), clock.stamp(now - KNOWN_FOR))


def _keyed(client: str) -> str:
    return client if client.startswith("device:") else client_key(client)


def _wait(db: Database, account: str, client: str, now: dt.datetime) -> tuple[int, str]:
    since = clock.stamp(now - WINDOW)
    wait = _seconds_left(queries.failed_attempts(db, account, client, since), FREE_PER_CLIENT, now)
    if wait > 0:
        return wait, "client"
    if queries.signed_in_since(db, account, client, clock.stamp(now - KNOWN_FOR)):
        return 0, "client"
    everywhere = queries.failed_attempts(db, account, None, since)
    return _seconds_left(everywhere, FREE_PER_ACCOUNT, now), "account"


def _seconds_left(failures: tuple[int, str | None], free: int, now: dt.datetime) -> int:
    count, last = failures
    if count < free or last is None:
        return 0
    allowed_at = dt.datetime.fromisoformat(last) + delay(count, free)
    return max(0, math.ceil((allowed_at - now).total_seconds()))
