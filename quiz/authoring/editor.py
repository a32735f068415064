"""The question editor's form: its parts put together, and which problems it marks.

``QuestionForm`` holds one ``Part`` per part of editor_parts, in the order they are
shown and stored; ``question_form`` builds one for a question (from the stored
question, or from what was posted), ``to_question`` writes it back as a draft
question for the validator to judge.

A draft may be incomplete. The form marks a problem beside its field only once the
teacher has touched that field (changed it in a save; the form carries the list in
``touched``) or once publishing was attempted (``check``). ``Marks`` holds both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from wtforms import Form, FormField, HiddenField, StringField
from wtforms.fields import FieldList
from wtforms.utils import unset_value

from ..web.forms import Form as BaseForm
from .editor_parts import (
    CerPart,
    Context,
    EvidencePart,
    ExplainPart,
    OptionsPart,
    QuestionPart,
    StudentPart,
)

F = TypeVar("F", bound=Form)
# A field path of the validator ("stem", "options[b].feedback"), as ``touched`` lists it.
_PATH = re.compile(r"^[a-z_()]{2,20}(\[[a-z0-9_-]{1,20}\]\.[a-z]{2,15})?$")
MAX_TOUCHED = 200
# What a question's fields are compared by, to know which a save touched.
_COMPARED = (
    "type",
    "stem",
    "explanation",
    "skills",
    "difficulty",
    "teacher_note",
    "evidence",
    "key",
    "evidence_choices",
    "evidence_key",
    "evidence_feedback",
)
_OPTION_FIELDS = ("text", "passage", "feedback", "misconception")


class Part(FormField):
    """A form inside the editor's form whose fields keep their own names (no prefix),
    so the page's fields are ``stem`` and ``opt-0-text``, whatever part holds them."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self._obj = data
        self.object_data = data
        self.form = self.form_class(
            formdata=formdata, prefix="", data=data or None, meta={"_parent_form": self._form}
        )


class QuestionForm(BaseForm):
    """The whole question editor: its parts, and what the page keeps between saves."""

    question = Part(QuestionPart)
    options = Part(OptionsPart)
    cer = Part(CerPart)
    evidence = Part(EvidencePart)
    explain = Part(ExplainPart)
    student = Part(StudentPart)
    touched = HiddenField()
    check = HiddenField()
    action = StringField()  # the button pressed: "save", or "refresh" to switch the type

    def parts(self) -> list[Form]:
        """Return the part forms in the order they are shown and stored."""
        return [f.form for f in self if isinstance(f, Part)]

    def to_question(self, ctx: Context) -> dict:
        """Write the posted fields into a draft question (the validator judges it)."""
        q: dict = {"id": ctx.old["id"]}
        for part in self.parts():
            part.store(q, ctx)
        return q


@dataclass
class Marks:
    """Which problems the form shows: those of touched fields, or all once publishing
    was attempted."""

    touched: set[str] = field(default_factory=set)
    check: bool = False

    def shown(self, problems: dict[str, list[str]]) -> dict[str, list[str]]:
        """Return the problems to mark, by field path."""
        if self.check:
            return problems
        return {path: found for path, found in problems.items() if path in self.touched}

    @classmethod
    def read(cls, form: QuestionForm) -> Marks:
        """Read the marks a posted form carries (anything malformed is dropped)."""
        paths = (form.touched.data or "").split()[:MAX_TOUCHED]
        return cls({p for p in paths if _PATH.match(p)}, form.check.data == "1")

    def after(self, old: dict, new: dict) -> Marks:
        """Return the marks once a save changed ``old`` into ``new``."""
        return Marks(self.touched | changed(old, new), self.check)


def changed(old: dict, new: dict) -> set[str]:
    """Return the field paths whose values differ between two versions of a question."""
    paths = {k for k in _COMPARED if (old.get(k) or None) != (new.get(k) or None)}
    before = {o.get("id"): o for o in old.get("options") or []}
    after = {o.get("id"): o for o in new.get("options") or []}
    # Removing an option the teacher had written touches the list; the blank rows a
    # new question starts with do not count.
    if any(_written(o) for oid, o in before.items() if oid not in after):
        paths.add("options")
    for oid, option in after.items():
        was = before.get(oid, {})
        for name in _OPTION_FIELDS:
            if (was.get(name) or None) != (option.get(name) or None):
                paths.add(f"options[{oid}].{name}")
    return paths


def _written(option: dict) -> bool:
    return any(option.get(name) for name in _OPTION_FIELDS)


def question_form(
    ctx: Context, q: dict | None = None, marks: Marks | None = None, formdata=None
) -> QuestionForm:
    """Build the editor's form for a question: from ``q`` as stored, or from ``formdata``
    as posted; its fields' ids start with ``q-<question id>-``."""
    if formdata is not None:
        form = QuestionForm(formdata=formdata)
    else:
        q = q or ctx.old
        marks = marks or Marks()
        blank = QuestionForm(formdata=None)
        data = {
            name: part.form_class.initial(q, ctx)
            for name, part in blank._fields.items()
            if isinstance(part, Part)
        }
        data["touched"] = " ".join(sorted(marks.touched))
        data["check"] = "1" if marks.check else ""
        form = QuestionForm(formdata=None, data=data)
    for part in form.parts():
        part.prepare(ctx)
    return scope_ids(form, f"q-{ctx.old['id']}-")


def _leaves(fields):
    for f in fields:
        if isinstance(f, FormField):
            yield from _leaves(f.form)
        elif isinstance(f, FieldList):
            yield from _leaves(f.entries)
        else:
            yield f


def scope_ids(form: F, prefix: str) -> F:
    """Give every field of a form an id that starts with ``prefix``, unique on a page
    where several forms have fields of the same names; return the form."""
    for f in _leaves(form):
        f.id = prefix + f.name
        f.label.field_id = f.id
    return form


def attach(
    form: QuestionForm, problems: dict[str, list[str]], suggestions: dict[str, list[str]]
) -> None:
    """Put the validator's problems and the content check's suggestions beside their
    fields (``errors`` and ``suggestions``), or at the top of their part (``notes``)."""
    for part in form.parts():
        part.notes = [m for path in part.NOTES for m in problems.get(path, [])]
        part.hints = [m for path in part.NOTES for m in suggestions.get(path, [])]
        for f in _leaves(part):
            path = _path_of(f)
            f.errors = [*f.errors, *problems.get(path, [])]
            f.suggestions = suggestions.get(path, [])


def _path_of(f) -> str:
    """Return the validator's path for a field: ``stem``, or ``options[b].text``."""
    if f.name.startswith("opt-"):
        row = f._form  # the option row's form, which holds its id
        return f"options[{row.id.data or ''}].{f.short_name}"
    return f.short_name
