"""The editor's forms for a question's image, the article's images, and a written
question's rubric (each on its own page, beside the question form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ..sets.vocabulary import MARKING, RUBRIC_LEVELS
from ..web.forms import Form
from .media import MESSAGES


class ImageForm(Form):
    """An image file and what it shows and where it comes from (CONTENT.md rule 11)."""

    file = FileField(
        _l("Image file"),
        description=_l(
            "PNG, JPEG, WebP or SVG, at most 1 MB and 4,096 pixels a side. "
            "Leave it empty to keep the image and change its texts."
        ),
        render_kw={
            "accept": ".png,.jpg,.jpeg,.webp,.svg,image/png,image/jpeg,image/webp,image/svg+xml"
        },
    )
    alt = TextAreaField(
        _l("Alt text"),
        validators=[InputRequired(MESSAGES["alt"]), Length(max=1000)],
        description=_l(
            "What the image shows, for a student who cannot see it: what is where, "
            "the labels, and what it does not show. Not the file name."
        ),
        render_kw={"rows": 4},
    )
    caption = StringField(
        _l("Caption"),
        validators=[InputRequired(MESSAGES["caption"]), Length(max=500)],
        description=_l(
            "Shown under the image. Say what it is: “Schematic map, not to scale”; "
            "never show a made-up screenshot or frame as real."
        ),
    )
    credit = StringField(
        _l("Credit"),
        validators=[InputRequired(MESSAGES["credit"]), Length(max=300)],
        description=_l("Who made it: “Drawn for Lateral”, or the photographer and the agency."),
    )
    licence = StringField(
        _l("Licence"),
        validators=[InputRequired(MESSAGES["licence"]), Length(max=200)],
        description=_l("For example “CC BY 4.0”, “Public domain” or “Used with permission”."),
    )
    note = TextAreaField(
        _l("Note for teachers (optional)"),
        validators=[Length(max=2000, message=MESSAGES["note"])],
        description=_l(
            "What the image can and cannot show. The guide shows it; students never see it."
        ),
        render_kw={"rows": 2},
    )


class ArticleImageForm(ImageForm):
    """An image shown with one passage of the article (passage choices set per set)."""

    passage = SelectField(_l("Show it with passage"), coerce=int, validate_choice=True)


def _level(label: str, missing: str) -> TextAreaField:
    return TextAreaField(
        label, validators=[InputRequired(missing), Length(max=1500)], render_kw={"rows": 3}
    )


# Each rubric field's label and the message when it is left empty.
LEVEL_TEXTS = {
    ("beginning", "descriptor"): (
        _l("Beginning: what such an answer does"),
        _l("Describe a Beginning answer."),
    ),
    ("beginning", "example"): (
        _l("Beginning: an example answer"),
        _l("Give an example Beginning answer."),
    ),
    ("emerging", "descriptor"): (
        _l("Emerging: what such an answer does"),
        _l("Describe an Emerging answer."),
    ),
    ("emerging", "example"): (
        _l("Emerging: an example answer"),
        _l("Give an example Emerging answer."),
    ),
    ("mastery", "descriptor"): (
        _l("Mastery: what such an answer does"),
        _l("Describe a Mastery answer."),
    ),
    ("mastery", "example"): (
        _l("Mastery: an example answer"),
        _l("Give an example Mastery answer."),
    ),
}


class RubricForm(Form):
    """A written question's three levels, who marks it, and whether it is lateral reading."""

    beginning_descriptor = _level(*LEVEL_TEXTS["beginning", "descriptor"])
    beginning_example = _level(*LEVEL_TEXTS["beginning", "example"])
    emerging_descriptor = _level(*LEVEL_TEXTS["emerging", "descriptor"])
    emerging_example = _level(*LEVEL_TEXTS["emerging", "example"])
    mastery_descriptor = _level(*LEVEL_TEXTS["mastery", "descriptor"])
    mastery_example = _level(*LEVEL_TEXTS["mastery", "example"])
    marking = RadioField(
        _l("Who marks the answers"),
        choices=[SelectChoice(k, v) for k, v in MARKING.items()],
        default="teacher",
    )
    lateral = BooleanField(_l("A lateral-reading task: it sends students out of the article"))

    def levels(self) -> list[tuple[str, str, object, object]]:
        """Each level: its key, its label, its descriptor field and its example field."""
        return [
            (key, label, self[f"{key}_descriptor"], self[f"{key}_example"])
            for key, label in RUBRIC_LEVELS.items()
        ]
