"""The base form every area shares."""

from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A form with nothing but the CSRF token, for one-button POSTs."""


def require_csrf() -> None:
    """Refuse (400) a one-button POST whose CSRF token is missing or wrong."""
    if not EmptyForm().validate_on_submit():
        abort(400)
