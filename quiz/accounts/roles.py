"""Roles and access: change an account's role, disable or enable it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlite_utils import Database

from ..sets.vocabulary import ROLES
from ..storage import queries
from ..storage.connection import immediate
from .teachers import AccountError, Teacher


def set_role(db: Database, actor: Teacher, account_id: int, role: str) -> None:
    """Change a role, keeping at least one enabled administrator."""
    if role not in ROLES:
        raise AccountError(422, _("Unknown role."), "role")
    with immediate(db):
        target = queries.account_by_id(db, account_id)
        if target is None:
            raise AccountError(404, _("There is no such account."))
        if target["role"] == "admin" and role != "admin" and queries.count_admins(db) <= 1:
            raise AccountError(409, _("Keep at least one administrator."))
        queries.set_role(db, account_id, role)


def set_disabled(db: Database, actor: Teacher, account_id: int, disabled: bool) -> None:
    """Disable or re-enable an account; an administrator cannot disable themself."""
    with immediate(db):
        target = queries.account_by_id(db, account_id)
        if target is None:
            raise AccountError(404, _("There is no such account."))
        if disabled and target["id"] == actor.id:
            raise AccountError(409, _("You cannot disable your own account."))
        queries.set_disabled(db, account_id, disabled)
