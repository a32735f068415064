"""The facilitator's marking forms: give an answer a level of the rubric, or undo it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from ..sets.vocabulary import RUBRIC_LEVELS
from ..web.forms import Form


class UndoForm(Form):
    """Put back the mark an answer had before (the answer, and where the screen was)."""

    answer = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    at = IntegerField(validators=[Optional(), NumberRange(min=1)])
    names = BooleanField()


class MarkForm(UndoForm):
    """Mark an answer at a level: one button per level sends ``level``."""

    level = RadioField(
        choices=[SelectChoice(k, v) for k, v in RUBRIC_LEVELS.items()],
        validators=[InputRequired(_l("Choose Beginning, Emerging or Mastery."))],
    )
    # The view the screen shows after marking: "next" (the next answer) or "stay".
    then = HiddenField(default="next")
