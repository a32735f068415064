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
from . import passwords, throttle

# OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against this keeps unknown e-mails as slow as known ones.
_DUMMY_HASH = HASHER.hash("not a password anyone has")

# The longest password the sign-in form takes: more than a new one may have (passwords
# .MAX_LENGTH), since accounts made before the policy may have up to 200 characters.
SIGN_IN_MAX = 1024
SESSION_MAX_AGE = dt.timedelta(hours=8)
SESSION_IDLE = dt.timedelta(hours=2)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")


class AccountError(Refusal):
    """A refusal about an account, naming the form field it belongs to, if any."""


class SignInRefused(AccountError):
    """A refused sign-in (401, or 429 with ``retry_after`` seconds), with the id of the
    account it was for (None when no account has the e-mail), for the audit log."""

    def __init__(
        self, status: int, message: str, account_id: int | None, retry_after: int | None = None
    ) -> None:
        super().__init__(status, message, retry_after=retry_after)
        self.account_id = account_id


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


def check_password(password: str, *, email: str = "", name: str = "") -> str:
    """Check a new password against the policy (quiz.accounts.passwords) for this account."""
    found = passwords.problems(password, email=email, name=name)
    if found:
        raise AccountError(422, " ".join(found), "password")
    return password


def create_account(db: Database, email: str, name: str, password: str, role: str) -> int:
    """Create an account; refuse a taken e-mail or a weak password."""
    email = clean_email(email)
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 80:
        raise AccountError(422, _("Enter your name (up to 80 characters)."), "name")
    if role not in ROLES:
        raise AccountError(422, _("Unknown role."), "role")
    password = check_password(password, email=email, name=name)
    account_id = queries.insert_account(db, email, name, HASHER.hash(password), role)
    if account_id is None:
        raise AccountError(409, _("An account with that e-mail already exists."), "email")
    return account_id


def sign_in(
    db: Database, email: str, password: str, address: str = "", device: str | None = None
) -> dict:
    """Return the account for these credentials, or refuse (SignInRefused).

    Throttled per account and client (quiz.accounts.throttle): ``address`` is the
    client's, ``device`` the random id this browser's cookie carries (or will carry, if
    this sign-in succeeds).
    """
    email = (email or "").strip()[:254]
    account = queries.account_by_email(db, email) if email else None
    account_id = account["id"] if account else None
    client = throttle.sign_in_client(db, email, address, device)
    try:
        attempt = throttle.begin(db, email, client)
    except throttle.Throttled as exc:
        raise SignInRefused(429, exc.message, account_id, exc.retry_after) from None
    ok = _verify(account, password)
    throttle.finish(db, attempt, ok)
    if not ok:
        raise SignInRefused(401, _("That e-mail and password do not match an account."), account_id)
    if device:
        throttle.remember_device(db, email, device)
    if HASHER.check_needs_rehash(account["password_hash"]):
        queries.set_password(db, account["id"], HASHER.hash(password))
        account = queries.account_by_id(db, account["id"])
    return account


def _verify(account: dict | None, password: str) -> bool:
    """Check a password against an enabled account (an unknown one takes as long)."""
    try:
        HASHER.verify(account["password_hash"] if account else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return False
    return account is not None and account["disabled_at"] is None


def change_password(db: Database, account_id: int, current: str, new: str) -> None:
    """Change a password after checking the current one; signs out other browsers."""
    account = queries.account_by_id(db, account_id)
    try:
        HASHER.verify(account["password_hash"], current or "")
    except (VerificationError, InvalidHashError):
        raise AccountError(422, _("Your current password is not right."), "current") from None
    new = check_password(new, email=account["email"], name=account["name"])
    queries.set_password(db, account_id, HASHER.hash(new))


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
    account_id, version = state.get("id"), state.get("v")
    signed_in, seen = _aware(state.get("at")), _aware(state.get("seen"))
    if not (_row_id(account_id) and _row_id(version) and signed_in and seen):
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


def _row_id(value: object) -> bool:
    """Tell whether a cookie's number is a whole number SQLite can hold (not a bool)."""
    return type(value) is int and 0 < value < 2**63


def _aware(value: object) -> dt.datetime | None:
    """Read a cookie's time as written (ISO 8601 with its UTC offset), else None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def sign_out(db: Database, account_id: int) -> None:
    """End every session of the account: old cookies stop working."""
    queries.end_sessions(db, account_id)


def register(db: Database, email: str, name: str, password: str) -> int:
    """Create a teacher account by self-registration (when the setting allows)."""
    return create_account(db, email, name, password, "teacher")
