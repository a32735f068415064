"""The account forms: sign in, passwords, invitations, registration, roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length

from ..sets.vocabulary import ROLES
from ..web.i18n import interface_language_names
from .teachers import PASSWORD_MAX, PASSWORD_MIN

ROLE_CHOICES = [SelectChoice(code, label) for code, label in ROLES.items()]


class SignInForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(_l("Enter your e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


def _new_password(label: str | None = None) -> PasswordField:
    return PasswordField(
        label or _l("New password"),
        validators=[
            InputRequired(_l("Choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("Choose a password of %(min)d to %(max)d characters."),
            ),
        ],
        description=_l(
            "At least %(min)s characters. A few unrelated words make a good one.", min=PASSWORD_MIN
        ),
        render_kw={"autocomplete": "new-password"},
    )


def _confirm() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[
            InputRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _name() -> StringField:
    return StringField(
        _l("Your name"),
        validators=[InputRequired(_l("Enter your name.")), Length(max=80)],
        render_kw={"autocomplete": "name"},
    )


class PasswordChangeForm(FlaskForm):
    """Change one's password."""

    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password()
    confirm = _confirm()


class AcceptInviteForm(FlaskForm):
    """Create the invited account."""

    name = _name()
    password = _new_password(_l("Password"))
    confirm = _confirm()


class RegisterForm(FlaskForm):
    """Register a teacher account (only when registration is open)."""

    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(_l("Enter your e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    name = _name()
    password = _new_password(_l("Password"))
    confirm = _confirm()


class AccountLanguageForm(FlaskForm):
    """The language of a teacher's own pages."""

    language = SelectField(_l("Language of your pages"), default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice("", _l("As my browser asks")),
            *(SelectChoice(code, name) for code, name in interface_language_names()),
        ]


class InviteForm(FlaskForm):
    """Invite a teacher or an administrator by e-mail."""

    email = EmailField(
        _l("E-mail"), validators=[InputRequired(_l("Enter an e-mail.")), Length(max=254)]
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="teacher")


class RoleForm(FlaskForm):
    """Change an account's role."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
