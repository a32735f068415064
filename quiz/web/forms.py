"""The base form every area shares."""

from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.widgets import HiddenInput

from ..refusal import Refusal


class Form(FlaskForm):
    """Flask-WTF's form, whose CSRF token field has no ``id``: a page holds many forms
    (one per practice set, per control), and an ``id`` must be unique on a page."""

    def hidden_tag(self, *fields) -> Markup:
        chosen = [getattr(self, f, None) if isinstance(f, str) else f for f in fields or self]
        return Markup(
            "\n".join(
                str(f(id=False) if f.name == "csrf_token" else f)
                for f in chosen
                if f is not None and isinstance(f.widget, HiddenInput)
            )
        )


class EmptyForm(Form):
    """A form with nothing but the CSRF token, for one-button POSTs."""


def require_csrf() -> None:
    """Refuse (400) a one-button POST whose CSRF token is missing or wrong."""
    if not EmptyForm().validate_on_submit():
        abort(400)


def show_refusal(form: Form, refusal: Refusal, default: str) -> None:
    """Put a refusal's message beside the form field it concerns (``default`` when it
    names none, or none of this form's)."""
    field = form._fields.get(refusal.field or "") or form._fields[default]
    field.errors = [refusal.message]
