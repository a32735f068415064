"""The student's forms: join a session, mark a classmate's written answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from ..sets.vocabulary import RUBRIC_LEVELS
from ..web.forms import Form
from .nicknames import NICKNAME_MAX


class JoinForm(Form):
    """Join a class session with the code on the projector and a nickname."""

    code = StringField(
        _l("Session code"),
        validators=[InputRequired(_l("Type the code your teacher shows.")), Length(max=20)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    nickname = StringField(
        _l("Nickname"),
        validators=[
            InputRequired(_l("Choose a nickname.")),
            Length(
                max=200,
                message=_l("Choose a nickname of 1 to %(max)s characters.", max=NICKNAME_MAX),
            ),
        ],
        description=_l(
            "1 to %(max)s characters. Others in the session may see it; don't use your full name.",
            max=NICKNAME_MAX,
        ),
        render_kw={"autocomplete": "off", "maxlength": NICKNAME_MAX},
    )
    rejoin = StringField(
        _l("Rejoin code from your facilitator"),
        validators=[Length(max=20)],
        description=_l(
            "Only if you lost your device: ask your facilitator for a code, "
            "then use the same nickname as before."
        ),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class PeerMarkForm(Form):
    """Mark a classmate's written answer at a level of the rubric (one button a level)."""

    answer = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    level = RadioField(
        choices=[SelectChoice(k, v) for k, v in RUBRIC_LEVELS.items()],
        validators=[InputRequired(_l("Choose Beginning, Emerging or Mastery."))],
    )
