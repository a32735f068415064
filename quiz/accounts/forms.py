"""The account forms: sign in, passwords, invitations, registration, roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length

from ..sets.vocabulary import ROLES
from ..web.forms import Form
from ..web.i18n import interface_language_names
from .passwords import MIN_LENGTH
from .teachers import SIGN_IN_MAX

ROLE_CHOICES = [SelectChoice(code, label) for code, label in ROLES.items()]


class SignInForm(Form):
    """Sign in with e-mail and password."""

    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(_l("Enter your e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=SIGN_IN_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


def _new_password(label: str | None = None) -> PasswordField:
    # The policy (quiz.accounts.passwords, through teachers.check_password) says what is
    # wrong with a password, its length included, beside this field.
    return PasswordField(
        label or _l("New password"),
        validators=[InputRequired(_l("Choose a password."))],
        description=_l(
            "At least %(min)s characters. A few unrelated words make a good one; common "
            "passwords and ones made from your name are refused.",
            min=MIN_LENGTH,
        ),
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH},
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


class PasswordChangeForm(Form):
    """Change one's password."""

    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password.")), Length(max=SIGN_IN_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password()
    confirm = _confirm()


class AcceptInviteForm(Form):
    """Create the invited account."""

    name = _name()
    password = _new_password(_l("Password"))
    confirm = _confirm()


class RegisterForm(Form):
    """Register a teacher account (only when registration is open)."""

    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(_l("Enter your e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    name = _name()
    password = _new_password(_l("Password"))
    confirm = _confirm()


class AccountLanguageForm(Form):
    """The language of a teacher's own pages."""

    language = SelectField(_l("Language of your pages"), default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice("", _l("As my browser asks")),
            *(SelectChoice(code, name) for code, name in interface_language_names()),
        ]


class InviteForm(Form):
    """Invite a teacher or an administrator by e-mail."""

    email = EmailField(
        _l("E-mail"), validators=[InputRequired(_l("Enter an e-mail.")), Length(max=254)]
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="teacher")


class RoleForm(Form):
    """Change an account's role."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class WordListForm(Form):
    """Edit the nickname word filter's list."""

    words = TextAreaField(
        _l("Words refused as nicknames"),
        description=_l(
            "One entry per line; # starts a comment; * stands for any letters. "
            "Matching ignores case, accents, look-alike letters, digits for letters and "
            "repeated letters."
        ),
        render_kw={"rows": 16, "spellcheck": "false"},
    )
