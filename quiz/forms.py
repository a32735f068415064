"""Flask-WTF forms. Every form carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length

from .accounts import PASSWORD_MAX, PASSWORD_MIN
from .play import NICKNAME_MAX

ROLE_CHOICES = [SelectChoice("teacher", "Teacher"), SelectChoice("admin", "Administrator")]


class JoinForm(FlaskForm):
    """Join a class session with the code on the projector and a nickname."""

    code = StringField(
        "Session code",
        validators=[InputRequired("Type the code your teacher shows."), Length(max=20)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    nickname = StringField(
        "Nickname",
        validators=[
            InputRequired("Choose a nickname."),
            Length(max=200, message=f"Choose a nickname of 1 to {NICKNAME_MAX} characters."),
        ],
        description=f"1 to {NICKNAME_MAX} characters. Others in the session may see it; "
        "don't use your full name.",
        render_kw={"autocomplete": "off", "maxlength": NICKNAME_MAX},
    )
    rejoin = StringField(
        "Rejoin code from your facilitator",
        validators=[Length(max=20)],
        description="Only if you lost your device: ask your facilitator for a code, "
        "then use the same nickname as before.",
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class SignInForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(
        "E-mail",
        validators=[InputRequired("Enter your e-mail."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


def _new_password(label: str = "New password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired("Choose a password."),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Choose a password of {PASSWORD_MIN} to {PASSWORD_MAX} characters.",
            ),
        ],
        description=f"At least {PASSWORD_MIN} characters. A few unrelated words make a good one.",
        render_kw={"autocomplete": "new-password"},
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


class PasswordChangeForm(FlaskForm):
    """Change one's password."""

    current = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password()
    confirm = _confirm()


class AcceptInviteForm(FlaskForm):
    """Create the invited account."""

    name = _name()
    password = _new_password("Password")
    confirm = _confirm()


class RegisterForm(FlaskForm):
    """Register a teacher account (only when registration is open)."""

    email = EmailField(
        "E-mail",
        validators=[InputRequired("Enter your e-mail."), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    name = _name()
    password = _new_password("Password")
    confirm = _confirm()


class InviteForm(FlaskForm):
    """Invite a teacher or an administrator by e-mail."""

    email = EmailField("E-mail", validators=[InputRequired("Enter an e-mail."), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="teacher")


class RoleForm(FlaskForm):
    """Change an account's role."""

    role = SelectField("Role", choices=ROLE_CHOICES)


PACE_CHOICES = [
    SelectChoice("self", "Self-paced: each student goes at their own speed"),
    SelectChoice("led", "Facilitator-led: I move the room from question to question"),
]
FEEDBACK_CHOICES = [
    SelectChoice("now", "After each answer"),
    SelectChoice("end", "At the end, in the summary"),
    SelectChoice("reveal", "When I reveal it to the room"),
]


class StartSessionForm(FlaskForm):
    """Start a session from a published set (set choices are filled per teacher)."""

    set_id = SelectField("Question set", validate_choice=True)
    title = StringField(
        "Name for this session (optional)",
        validators=[Length(max=100)],
        description="For your list, e.g. “Year 10, Tuesday”. Students don't see it.",
    )
    pace = RadioField("Pace", choices=PACE_CHOICES, default="self")
    feedback = RadioField("Feedback", choices=FEEDBACK_CHOICES, default="now")
    teams = TextAreaField(
        "Tables or teams (optional)",
        validators=[Length(max=1000)],
        description="One name per line. Students pick theirs when they join.",
    )
    checks = BooleanField("Run the set's short check forms before and after it")
