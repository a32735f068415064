"""The home page's language switch: the choice is kept in the cookie (``web.i18n``)."""

from __future__ import annotations

from flask import Blueprint, redirect, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext
from wtforms import SelectField

from .forms import Form
from .i18n import COOKIE_KEY, interface_language_names

bp = Blueprint("language", __name__)


class LanguageForm(Form):
    """Choose the interface's language."""

    language = SelectField(lazy_gettext("Language"), choices=[], validate_choice=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = interface_language_names()


@bp.post("/language")
def choose() -> ResponseReturnValue:
    """Keep the chosen language in the cookie and go back to the home page (a bad
    choice changes nothing)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session[COOKIE_KEY] = form.language.data
    return redirect(url_for("play.home"), 303)
