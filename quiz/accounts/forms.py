"""The account forms: sign in, passwords, invitations, registration, roles."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length

from ..sets.vocabulary import ROLES
from ..web.forms import Form
from .passwords import MIN_LENGTH
from .teachers import SIGN_IN_MAX

ROLE_CHOICES = [SelectChoice(code, label) for code, label in ROLES.items()]


class SignInForm(Form):
    """Sign in with e-mail and password."""

    email = EmailField(
        "E-mail",
        validators=[InputRequired("Enter your e-mail."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=SIGN_IN_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


def _new_password(label: str = "New password") -> PasswordField:
    # The policy (quiz.accounts.passwords, through teachers.check_password) says what is
    # wrong with a password, its length included, beside this field.
    return PasswordField(
        label,
        validators=[InputRequired("Choose a password.")],
        description=f"At least {MIN_LENGTH} characters. A few unrelated words make a good "
        "one; common passwords and ones made from your name are refused.",
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH},
    )


def _confirm() -> PasswordField:
    return PasswordField(
        "Repeat the password",
        validators=[
            InputRequired("Repeat the password."),
            EqualTo("password", "The passwords differ."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _name() -> StringField:
    return StringField(
        "Your name",
        validators=[InputRequired("Enter your name."), Length(max=80)],
        render_kw={"autocomplete": "name"},
    )


class PasswordChangeForm(Form):
    """Change one's password."""

    current = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), Length(max=SIGN_IN_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password()
    confirm = _confirm()


class AcceptInviteForm(Form):
    """Create the invited account."""

    name = _name()
    password = _new_password("Password")
    confirm = _confirm()


class RegisterForm(Form):
    """Register a teacher account (only when registration is open)."""

    email = EmailField(
        "E-mail",
        validators=[InputRequired("Enter your e-mail."), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    name = _name()
    password = _new_password("Password")
    confirm = _confirm()


class InviteForm(Form):
    """Invite a teacher or an administrator by e-mail."""

    email = EmailField("E-mail", validators=[InputRequired("Enter an e-mail."), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="teacher")


class RoleForm(Form):
    """Change an account's role."""

    role = SelectField("Role", choices=ROLE_CHOICES)


class WordListForm(Form):
    """Edit the nickname word filter's list."""

    words = TextAreaField(
        "Words refused as nicknames",
        description="One entry per line; # starts a comment; * stands for any letters. "
        "Matching ignores case, accents, look-alike letters, digits for letters and "
        "repeated letters.",
        render_kw={"rows": 16, "spellcheck": "false"},
    )
