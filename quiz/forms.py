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
from wtforms.validators import Length

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
