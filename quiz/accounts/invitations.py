"""Invitations: an administrator's single-use link that lets a teacher make an account."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask_babel import gettext as _
from sqlite_utils import Database

from .. import clock
from ..sets.vocabulary import ROLES
from ..storage import queries
from ..storage.connection import immediate
from .teachers import AccountError, clean_email, create_account

INVITE_LIFETIME = dt.timedelta(days=7)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(db: Database, created_by: int, email: str, role: str) -> str:
    """Create a single-use invitation and return its secret token."""
    email = clean_email(email)
    if role not in ROLES:
        raise AccountError(422, _("Unknown role."), "role")
    if queries.account_by_email(db, email):
        raise AccountError(409, _("An account with that e-mail already exists."), "email")
    token = secrets.token_urlsafe(24)
    expires = clock.stamp(clock.utcnow() + INVITE_LIFETIME)
    queries.insert_invite(db, _hash_token(token), email, role, created_by, expires)
    return token


def pending_invite(db: Database, token: str) -> dict:
    """Return the open invitation for a token, or refuse."""
    row = queries.invite_by_hash(db, _hash_token(token or ""))
    if row is None:
        raise AccountError(404, _("This invitation link is not valid. Ask for a new one."))
    if row["used_at"]:
        raise AccountError(410, _("This invitation has already been used. Sign in instead."))
    if row["expires_at"] <= clock.stamp(clock.utcnow()):
        raise AccountError(410, _("This invitation has expired. Ask for a new one."))
    return row


def accept_invite(db: Database, token: str, name: str, password: str) -> int:
    """Create the invited account once; return its id."""
    with immediate(db):
        row = pending_invite(db, token)
        account_id = create_account(db, row["email"], name, password, row["role"])
        queries.use_invite(db, row["id"])
    return account_id
