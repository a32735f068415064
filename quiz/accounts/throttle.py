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
one household or phone gets a whole /64; a wiring may add a device cookie's id.
The rows hold the e-mail typed and the client address: teachers' data, kept for
WINDOW (failures) or KNOWN_FOR (successes) and deleted by `prune`.

SQL lives here for now; the coordinator moves it to the queries layer and adds
`migration` to the migrations list.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from sqlite_utils import Database

from .. import clock
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
        self.message = (
            f"Too many failed sign-ins for this account. Wait {_duration(retry_after)} "
            "and try again."
        )
        super().__init__(self.message)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def migration(db: Database) -> None:
    """Create the table of sign-in attempts (for the migrations list)."""
    db.execute(
        """CREATE TABLE sign_in_attempt (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            client TEXT NOT NULL,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'failed', 'ok'))
        )"""
    )
    db.execute("CREATE INDEX sign_in_attempt_pair ON sign_in_attempt (account, client, at)")
    db.execute("CREATE INDEX sign_in_attempt_at ON sign_in_attempt (at)")


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


def begin(db: Database, email: str, address: str, now: dt.datetime | None = None) -> int:
    """Record an attempt about to check a password; return its id or raise Throttled."""
    now = now or clock.utcnow()
    account, client = account_key(email), client_key(address)
    with immediate(db):
        wait, scope = _wait(db, account, client, now)
        if wait <= 0:
            cursor = db.execute(
                "INSERT INTO sign_in_attempt (account, client, at, outcome) "
                "VALUES (?, ?, ?, 'pending') RETURNING id",
                [account, client, clock.stamp(now)],
            )
            return cursor.fetchone()[0]
    raise Throttled(wait, scope)


def finish(db: Database, attempt_id: int, ok: bool, now: dt.datetime | None = None) -> None:
    """Record how an attempt ended; success clears its client's failures."""
    at = clock.stamp(now or clock.utcnow())
    if not ok:
        db.execute(
            "UPDATE sign_in_attempt SET outcome = 'failed', at = ? WHERE id = ?", [at, attempt_id]
        )
        return
    with immediate(db):
        db.execute(
            """DELETE FROM sign_in_attempt WHERE id != :id AND (account, client) IN
               (SELECT account, client FROM sign_in_attempt WHERE id = :id)""",
            {"id": attempt_id},
        )
        db.execute(
            "UPDATE sign_in_attempt SET outcome = 'ok', at = ? WHERE id = ?", [at, attempt_id]
        )


def retry_after(db: Database, email: str, address: str, now: dt.datetime | None = None) -> int:
    """Return how many seconds this account must wait from this client (0: none)."""
    return _wait(db, account_key(email), client_key(address), now or clock.utcnow())[0]


def prune(db: Database, now: dt.datetime | None = None) -> None:
    """Delete failures older than WINDOW and successes older than KNOWN_FOR."""
    now = now or clock.utcnow()
    db.execute(
        "DELETE FROM sign_in_attempt WHERE (outcome != 'ok' AND at < ?) OR at < ?",
        [clock.stamp(now - WINDOW), clock.stamp(now - KNOWN_FOR)],
    )


def _wait(db: Database, account: str, client: str, now: dt.datetime) -> tuple[int, str]:
    since = clock.stamp(now - WINDOW)
    pair = _failures(db, "account = ? AND client = ?", [account, client], since)
    wait = _seconds_left(pair, FREE_PER_CLIENT, now)
    if wait > 0:
        return wait, "client"
    if _known(db, account, client, now):
        return 0, "client"
    everywhere = _failures(db, "account = ?", [account], since)
    return _seconds_left(everywhere, FREE_PER_ACCOUNT, now), "account"


@dataclass(frozen=True)
class _Failures:
    count: int
    last: str | None


def _failures(db: Database, where: str, params: list[str], since: str) -> _Failures:
    row = db.execute(
        f"SELECT count(*), max(at) FROM sign_in_attempt WHERE {where} "
        "AND outcome != 'ok' AND at >= ?",
        [*params, since],
    ).fetchone()
    return _Failures(row[0], row[1])


def _seconds_left(failures: _Failures, free: int, now: dt.datetime) -> int:
    if failures.count < free or failures.last is None:
        return 0
    allowed_at = dt.datetime.fromisoformat(failures.last) + delay(failures.count, free)
    return max(0, math.ceil((allowed_at - now).total_seconds()))


def _known(db: Database, account: str, client: str, now: dt.datetime) -> bool:
    row = db.execute(
        "SELECT 1 FROM sign_in_attempt WHERE account = ? AND client = ? "
        "AND outcome = 'ok' AND at >= ? LIMIT 1",
        [account, client, clock.stamp(now - KNOWN_FOR)],
    ).fetchone()
    return row is not None
