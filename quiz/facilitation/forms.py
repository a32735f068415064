"""The facilitator's form: start a session."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from ..sets.vocabulary import FEEDBACK_CHOICES, PACE_CHOICES
from ..web.forms import Form


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


class StartSessionForm(Form):
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
    word_filter = BooleanField(
        "Refuse rude nicknames (the word filter)",
        description="Nicknames on the school's word list can't be used. You can turn it "
        "on or off later.",
    )
