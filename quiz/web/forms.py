"""The base form every area shares."""

from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm

from ..refusal import Refusal


class EmptyForm(FlaskForm):
    """A form with nothing but the CSRF token, for one-button POSTs."""


def require_csrf() -> None:
    """Refuse (400) a one-button POST whose CSRF token is missing or wrong."""
    if not EmptyForm().validate_on_submit():
        abort(400)


def show_refusal(form: FlaskForm, refusal: Refusal, default: str) -> None:
    """Put a refusal's message beside the form field it concerns (``default`` when it
    names none, or none of this form's)."""
    field = form._fields.get(refusal.field or "") or form._fields[default]
    field.errors = [refusal.message]
