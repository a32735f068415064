"""Anti-automation for joining and practising, kept in SQLite so every worker shares it.

Issue 13, finding 4: 2,000 joins from one client in 44 s were all accepted, 300
anonymous practice starts in 2.8 s were each stored, and a removed joke nickname
rejoined at once under another name. So each join and practice start is counted, in
fixed windows of a minute and an hour (the table rate_window, one atomic statement a
count), per client and per session, against `Limits` that a real class never meets:

- per client (one address; an IPv6 /64): 600 joins a minute and 3,000 an hour; the
  same again for practice starts. A class of 300 joining through the school's one
  address at the same moment uses half the minute's;
- per session: 1,200 joins a minute and 5,000 participants in all (a 1,000-student
  workshop joins in one minute);
- a removed participant's client may not join that session again for
  `removal_hold` seconds (2 minutes), and the browser that was removed (its cookie
  still holds the removed participant's id) may not join it again at all.

Past a limit a request is refused with 429 (409 for a full session) and a message
saying what to do; the `JOIN_LIMITS` setting changes any number (README,
"Configuration"). The client is kept only as an HMAC of its address under the app's
secret key (`client_id`), so the database never holds a student's address; counts go
after two hours (`prune`, run by the hourly purge).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlite_utils import Database

from .. import clock
from ..accounts.throttle import client_key
from ..storage import queries
from .sessions import PlayError

KEEP = dt.timedelta(hours=2)  # how long counts are kept (longer than the longest window)

MESSAGES = {
    "client_per_minute": _l(
        "Too many people joined from this network in the last minute. Wait a minute and try again."
    ),
    "client_per_hour": _l(
        "Too many people joined from this network in the last hour. Ask your facilitator."
    ),
    "session_per_minute": _l(
        "Too many people are joining this session at once. Wait a minute and try again."
    ),
    "practice_per_minute": _l(
        "Too many practice sessions were started from this network in the "
        "last minute. Wait a minute and try again."
    ),
    "practice_per_hour": _l(
        "Too many practice sessions were started from this network in the "
        "last hour. Try again later."
    ),
    "session_size": _l("This session is full. Ask your facilitator."),
    "removed": _l(
        "The facilitator removed this device's nickname from this session, so it can't "
        "join it again. Ask your facilitator."
    ),
    "removal_hold": _l(
        "Someone on this network was just removed from this session, so new "
        "nicknames from it can join again in two minutes. Ask your facilitator if you are waiting."
    ),
}


@dataclass(frozen=True)
class Limits:
    """The most joins and practice starts allowed (see the module)."""

    client_per_minute: int = 600
    client_per_hour: int = 3_000
    session_per_minute: int = 1_200
    session_size: int = 5_000
    practice_per_minute: int = 600
    practice_per_hour: int = 3_000
    removal_hold: int = 120  # seconds


def limits_from(setting: Mapping[str, int] | None) -> Limits:
    """Return the limits with a setting's numbers in place of the defaults (names as in
    Limits); an unknown name or a number below 1 is refused at start."""
    changed = dict(setting or {})
    names = {f.name for f in dataclasses.fields(Limits)}
    unknown = set(changed) - names
    if unknown:
        raise ValueError(f"JOIN_LIMITS: unknown limits {sorted(unknown)}; known: {sorted(names)}")
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 1 for v in changed.values()):
        raise ValueError("JOIN_LIMITS: every limit is a whole number of at least 1")
    return Limits(**changed)


def client_id(secret: str, address: str) -> str:
    """Return the client as counted and stored: a keyed hash of its address (an IPv6
    address by its /64), meaningless without the app's secret key."""
    digest = hmac.new(secret.encode(), client_key(address).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def participant_hash(participant_id: str) -> str:
    """Return how a removed participant's id is remembered."""
    return hashlib.sha256(participant_id.encode()).hexdigest()


def check_join(
    db: Database,
    session_id: int,
    client: str,
    previous: str | None,
    limits: Limits,
    now: dt.datetime | None = None,
) -> None:
    """Count a join and refuse it (PlayError) past a limit, or from a removed browser or
    client; ``previous`` is the participant id this browser's cookie holds for the
    session, if any."""
    now = now or clock.utcnow()
    held = clock.stamp(now - dt.timedelta(seconds=limits.removal_hold))
    removal = queries.removal_of(
        db, session_id, participant_hash(previous) if previous else None, client, held
    )
    if removal is not None:
        if previous and removal["participant_hash"] == participant_hash(previous):
            raise PlayError(403, MESSAGES["removed"], "nickname")
        raise _refusal("removal_hold", _retry(removal["removed_at"], limits.removal_hold, now))
    _count(db, f"join:client:{client}", limits, now, "client")
    if _counted(db, f"join:session:{session_id}", _minute(now)) > limits.session_per_minute:
        raise _refusal("session_per_minute", 60 - now.second)
    if queries.participant_count(db, session_id) >= limits.session_size:
        raise PlayError(409, MESSAGES["session_size"], "code")


def check_practice(
    db: Database, client: str, limits: Limits, now: dt.datetime | None = None
) -> None:
    """Count a practice start from a client and refuse it (429) past a limit."""
    _count(db, f"practice:client:{client}", limits, now or clock.utcnow(), "practice")


def prune(db: Database, now: dt.datetime | None = None) -> int:
    """Delete counts older than KEEP; return how many."""
    return queries.prune_windows(db, _minute((now or clock.utcnow()) - KEEP))


def _count(db: Database, key: str, limits: Limits, now: dt.datetime, prefix: str) -> None:
    if _counted(db, key, _minute(now)) > getattr(limits, f"{prefix}_per_minute"):
        raise _refusal(f"{prefix}_per_minute", 60 - now.second)
    if _counted(db, key, now.strftime("%Y-%m-%dT%H")) > getattr(limits, f"{prefix}_per_hour"):
        raise _refusal(f"{prefix}_per_hour", 3600 - now.minute * 60 - now.second)


def _counted(db: Database, key: str, bucket: str) -> int:
    return queries.count_in_window(db, key, bucket)


def _minute(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _retry(removed_at: str, hold: int, now: dt.datetime) -> int:
    until = dt.datetime.fromisoformat(removed_at) + dt.timedelta(seconds=hold)
    return max(1, int((until - now).total_seconds()) + 1)


def _refusal(name: str, retry_after: int) -> PlayError:
    return PlayError(429, MESSAGES[name], "code", retry_after=retry_after)
