"""The facilitator's forms: start a session (with its lesson plan), time a question."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as RowForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import DateInput, TimeInput

from ..numbers import whole
from ..sets.vocabulary import CONFIDENCE_MODE_CHOICES, FEEDBACK_CHOICES, PACE_CHOICES, TIMERS
from ..web.forms import Form
from ..web.i18n import interface_language_names
from . import homework

# The start form's first language choice: none chosen, the session follows its set.
SET_LANGUAGE = _l("The set's language, if Lateral has it (else English)")

PLAN_MAX = 200  # rows of a lesson plan read from a form; a set has far fewer questions


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


class PlanRowForm(RowForm):
    """One question of the lesson plan: run it or not, and where (part of the start form,
    so a plain WTForms form: the start form's CSRF token covers it)."""

    qid = HiddenField(validators=[Length(max=200)])
    include = BooleanField(_l("Run"))
    position = StringField(_l("Position"), validators=[Length(max=6)])


class PlanRows(FieldList):
    """The plan's rows, numbered ``plan-<n>-…``: only ASCII row numbers up to PLAN_MAX
    count (WTForms' own reading turns any digit, "²" too, into int() and fails). A
    multipart part without a readable name comes as a key of None: not a row."""

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if isinstance(key, str) and key.startswith(prefix):
                index = whole(key[offset:].split(self._field_separator, 1)[0], high=PLAN_MAX)
                if index is not None:
                    yield index


class StartSessionForm(Form):
    """Start a session from a published set (set choices are filled per teacher)."""

    set_id = SelectField(_l("Question set"), validate_choice=True)
    title = StringField(
        _l("Name for this session (optional)"),
        validators=[Length(max=100)],
        description=_l("For your list, e.g. “Year 10, Tuesday”. Students don't see it."),
    )
    pace = RadioField(_l("Pace"), choices=_choices(PACE_CHOICES), default="self")
    feedback = RadioField(_l("Feedback"), choices=_choices(FEEDBACK_CHOICES), default="now")
    confidence = RadioField(
        _l("Ask “how sure are you?”"), choices=_choices(CONFIDENCE_MODE_CHOICES), default="set"
    )
    teams = TextAreaField(
        _l("Tables or teams (optional)"),
        validators=[Length(max=1000)],
        description=_l("One name per line. Students pick theirs when they join."),
    )
    checks = BooleanField(_l("Run the set's short check forms before and after it"))
    word_filter = BooleanField(
        _l("Refuse rude nicknames (the word filter)"),
        description=_l(
            "Nicknames on the school's word list can't be used. You can turn it on or off later."
        ),
    )
    timer = SelectField(
        _l("Timer for each question"),
        choices=_choices(TIMERS),
        default="",
        description=_l(
            "Facilitator-led sessions only. A question closes when its time is up; "
            "you can add 30 seconds. Time never counts in any score."
        ),
    )
    shuffle = BooleanField(
        _l("Shuffle the options: each student sees them in an order of their own"),
        description=_l("Answers, reports and CSV files stay the same."),
    )
    language = SelectField(
        _l("Language of the students' screens"),
        default="",
        description=_l(
            "Buttons, instructions and messages. The set's own text stays in the language "
            "it is written in."
        ),
    )
    # The set the plan's rows were drawn for: a changed set draws them again.
    plan_for = HiddenField(validators=[Length(max=200)])
    plan = PlanRows(FormField(PlanRowForm), max_entries=PLAN_MAX)
    # Homework: a self-paced session that closes by itself (facilitation/homework.py).
    ends_on = StringField(_l("Closes on (optional)"), widget=DateInput())
    ends_time = StringField(_l("Time of day"), default="23:59", widget=TimeInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice("", SET_LANGUAGE),
            *(SelectChoice(code, name) for code, name in interface_language_names()),
        ]

    def validate_ends_on(self, field) -> None:
        self.ends = homework.read_end(
            field.data, self.ends_time.data, self.pace.data, current_app.config["TIMEZONE"]
        )


class TimerForm(Form):
    """Start a timer on the room's question."""

    seconds = SelectField(_l("Timer"), choices=_choices({k: v for k, v in TIMERS.items() if k}))
