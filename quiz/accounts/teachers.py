"""Teacher accounts: creating one, passwords, sign-in with throttling, and the cookie
state that keeps a teacher signed in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlite_utils import Database

from .. import clock
from ..refusal import Refusal
from ..sets.vocabulary import ROLES
from ..storage import queries
from ..storage.connection import immediate

# OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against this keeps unknown e-mails as slow as known ones.
_DUMMY_HASH = HASHER.hash("not a password anyone has")

PASSWORD_MIN = 10
PASSWORD_MAX = 200
THROTTLE_FAILURES = 10
THROTTLE_WINDOW = dt.timedelta(minutes=15)
SESSION_MAX_AGE = dt.timedelta(hours=8)
SESSION_IDLE = dt.timedelta(hours=2)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")


class AccountError(Refusal):
    """A refusal about an account, naming the form field it belongs to, if any."""


@dataclass(frozen=True)
class Teacher:
    """The signed-in account, as views need it."""

    id: int
    email: str
    name: str
    role: str
    # The language of their own pages (None: as their browser asks).
    language: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def clean_email(email: str) -> str:
    """Trim and check an e-mail address."""
    email = (email or "").strip()
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError(422, _("Enter an e-mail address like name@school.org."), "email")
    return email


def check_password(password: str) -> str:
    """Check a new password's length (long passphrases welcome)."""
    if not PASSWORD_MIN <= len(password or "") <= PASSWORD_MAX:
        raise AccountError(
            422,
            _(
                "Choose a password of %(min)d to %(max)d characters.",
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
            ),
            "password",
        )
    return password


def create_account(db: Database, email: str, name: str, password: str, role: str) -> int:
    """Create an account; refuse a taken e-mail or a weak password."""
    email = clean_email(email)
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 80:
        raise AccountError(422, _("Enter your name (up to 80 characters)."), "name")
    if role not in ROLES:
        raise AccountError(422, _("Unknown role."), "role")
    account_id = queries.insert_account(
        db, email, name, HASHER.hash(check_password(password)), role
    )
    if account_id is None:
        raise AccountError(409, _("An account with that e-mail already exists."), "email")
    return account_id


def sign_in(db: Database, email: str, password: str) -> dict:
    """Return the account for these credentials, or refuse (throttled per account)."""
    email = (email or "").strip()[:254]
    now = clock.utcnow()
    if queries.failures_since(db, email, clock.stamp(now - THROTTLE_WINDOW)) >= THROTTLE_FAILURES:
        raise AccountError(
            429,
            _("Too many failed sign-ins for this account. Wait 15 minutes and try again."),
        )
    account = queries.account_by_email(db, email) if email else None
    try:
        HASHER.verify(account["password_hash"] if account else _DUMMY_HASH, password or "")
        ok = account is not None and account["disabled_at"] is None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        with immediate(db):
            queries.record_failure(db, email, clock.stamp(now))
            queries.clear_failures(db, email, before=clock.stamp(now - THROTTLE_WINDOW))
        raise AccountError(401, _("That e-mail and password do not match an account."))
    queries.clear_failures(db, email)
    if HASHER.check_needs_rehash(account["password_hash"]):
        queries.set_password(db, account["id"], HASHER.hash(password))
        account = queries.account_by_id(db, account["id"])
    return account


def change_password(db: Database, account_id: int, current: str, new: str) -> None:
    """Change a password after checking the current one; signs out other browsers."""
    account = queries.account_by_id(db, account_id)
    try:
        HASHER.verify(account["password_hash"], current or "")
    except (VerificationError, InvalidHashError):
        raise AccountError(422, _("Your current password is not right."), "current") from None
    queries.set_password(db, account_id, HASHER.hash(check_password(new)))


def session_state(account: dict, now: dt.datetime | None = None) -> dict:
    """Return what the cookie keeps for a signed-in teacher."""
    moment = clock.stamp(now or clock.utcnow())
    return {"id": account["id"], "v": account["session_version"], "at": moment, "seen": moment}


def current_teacher(db: Database, state: object) -> tuple[Teacher | None, dict | None]:
    """Check a cookie's teacher state; return the teacher and the refreshed state.

    A cookie is refused when its session version is stale (signed out, password
    changed, disabled), after 8 hours, or after 2 hours without a request.
    """
    if not isinstance(state, dict):
        return None, None
    try:
        account_id = int(state["id"])
        version = int(state["v"])
        signed_in = dt.datetime.fromisoformat(state["at"])
        seen = dt.datetime.fromisoformat(state["seen"])
    except (KeyError, TypeError, ValueError):
        return None, None
    now = clock.utcnow()
    if now - signed_in > SESSION_MAX_AGE or now - seen > SESSION_IDLE:
        return None, None
    account = queries.account_by_id(db, account_id)
    if account is None or account["session_version"] != version or account["disabled_at"]:
        return None, None
    teacher = Teacher(
        account["id"], account["email"], account["name"], account["role"], account.get("language")
    )
    return teacher, {**state, "seen": clock.stamp(now)}


def sign_out(db: Database, account_id: int) -> None:
    """End every session of the account: old cookies stop working."""
    queries.end_sessions(db, account_id)


def register(db: Database, email: str, name: str, password: str) -> int:
    """Create a teacher account by self-registration (when the setting allows)."""
    return create_account(db, email, name, password, "teacher")
