"""The facilitator's form: start a session."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import DateInput, TimeInput

from ..sets.vocabulary import FEEDBACK_CHOICES, PACE_CHOICES
from . import homework


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


class StartSessionForm(FlaskForm):
    """Start a session from a published set (set choices are filled per teacher)."""

    set_id = SelectField("Question set", validate_choice=True)
    title = StringField(
        "Name for this session (optional)",
        validators=[Length(max=100)],
        description="For your list, e.g. “Year 10, Tuesday”. Students don't see it.",
    )
    pace = RadioField("Pace", choices=_choices(PACE_CHOICES), default="self")
    feedback = RadioField("Feedback", choices=_choices(FEEDBACK_CHOICES), default="now")
    teams = TextAreaField(
        "Tables or teams (optional)",
        validators=[Length(max=1000)],
        description="One name per line. Students pick theirs when they join.",
    )
    checks = BooleanField("Run the set's short check forms before and after it")
    # Homework: a self-paced session that closes by itself (facilitation/homework.py).
    ends_on = StringField("Closes on (optional)", widget=DateInput())
    ends_time = StringField("Time of day", default="23:59", widget=TimeInput())

    def validate_ends_on(self, field) -> None:
        self.ends = homework.read_end(
            field.data, self.ends_time.data, self.pace.data, current_app.config["TIMEZONE"]
        )
