"""Flask-WTF forms. Every form carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from .play import NICKNAME_MAX


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
