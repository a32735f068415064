"""The teachers' set pages' forms (the question editor's is in ``editor``).

Flask-WTF checks each form's CSRF token; every field a page always sends is
``Sent`` (a request without it is malformed and changes nothing), and what a draft
may leave empty stays allowed, since the set validator judges drafts.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, StopValidation, ValidationError
from wtforms.widgets import DateInput

from ..numbers import whole
from ..sets.vocabulary import QUESTION_TYPES
from ..web.forms import Form
from .editor_parts import Sent, choices

# What these forms say when a field is refused.
MESSAGES = {
    "no_file": _l("Choose a file to upload: a Lateral set file, GIFT, Moodle XML, CSV or XLSX."),
    "position": _l("Type a position from 1 to {total}."),
    "target": _l("Choose one of your sets."),
    "title": _l("Give the set a title of 1 to 200 characters."),
    "passage": _l("Pick one of the article's passages for the question to rest on."),
    "recipe": _l("Choose one of the recipes offered."),
}


def strip(value: str | None) -> str | None:
    """Drop the spaces around a typed value."""
    return value.strip() if isinstance(value, str) else value


class NewSetForm(Form):
    """Start an empty draft."""

    title = StringField(_l("Title"), [Sent()])


class DetailsForm(Form):
    """A set's title, description, audience and language."""

    title = StringField(_l("Title"), [Sent()])
    description = TextAreaField(_l("Description (optional)"))
    audience = StringField(_l("Audience"), [Sent()])
    language = StringField(
        _l("Language of the questions"),
        [Sent()],
        description=_l(
            "A code such as en or fi. Lateral never translates a set: students read it "
            "as you write it."
        ),
    )


class ArticleForm(Form):
    """The source article: what it is, and its text (split into passages)."""

    title = StringField(_l("Title (say so if the headline is not known)"), [Sent()])
    outlet = StringField(_l("Outlet"), [Sent()])
    date = StringField(_l("Date published"), [Sent()], widget=DateInput())
    language = StringField(_l("Language of the text"), [Sent()])
    url = StringField(_l("Address of the original (optional)"))
    translation_note = TextAreaField(_l("Translation note (optional)"))
    text = TextAreaField(
        _l("The article's text"),
        [Sent()],
        description=_l(
            "Paste it exactly as published. A blank line starts a new numbered "
            "passage; questions point to passages by number, so check them after changing "
            "the split."
        ),
    )


class AddQuestionForm(Form):
    """Add a blank question of a type."""

    type = SelectField(
        _l("Add a question of type"), choices=choices(QUESTION_TYPES.items()), default="single"
    )


class MoveForm(Form):
    """Move a question to a position typed as a number."""

    position = StringField(_l("Move to position"), [Sent()], filters=[strip])

    def __init__(self, *args, total: int = 1, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.total = total

    def validate_position(self, field) -> None:
        number = whole(field.data or "", low=1, high=self.total)
        if number is None:
            raise ValidationError(MESSAGES["position"].format(total=self.total))
        field.number = number


class CopyForm(Form):
    """Copy a question into another set of the teacher's (choices filled per teacher)."""

    target = SelectField(_l("Copy to another of your sets"), validate_choice=False)

    def validate_target(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices or []}:
            raise StopValidation(MESSAGES["target"])


class UploadForm(Form):
    """A file to bring in: a Lateral set file, GIFT, Moodle XML, CSV or XLSX."""

    file = FileField(_l("File"))
    title = StringField(
        _l("Title for the new set (optional)"),
        [Length(max=200)],
        description=_l(
            "For a file without one: GIFT, Moodle XML and spreadsheets carry no set title."
        ),
    )

    def validate_file(self, field) -> None:
        if field.data is None or not getattr(field.data, "filename", ""):
            raise StopValidation(MESSAGES["no_file"])


class RecipeForm(Form):
    """Start a question from a recipe, on a passage picked first (choices per set)."""

    passage = SelectField(_l("1. The passage the question rests on"), validate_choice=False)
    recipe = SelectField(_l("2. The recipe"), validate_choice=False)

    def validate_passage(self, field) -> None:
        number = whole(field.data or "", low=1, high=len(field.choices or []))
        if number is None:
            raise StopValidation(MESSAGES["passage"])
        field.number = number

    def validate_recipe(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices or []}:
            raise StopValidation(MESSAGES["recipe"])
