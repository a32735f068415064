"""The question editor's parts: one small form each, read from a question and written
back into one.

Each part is a ``wtforms.Form`` with:
- ``template``: the partial that renders it (templates/authoring/parts/);
- ``initial(q, ctx)``: the part's field data for a stored question;
- ``prepare(ctx)``: the choices that depend on the set (passages, misconceptions);
- ``store(q, ctx)``: write the submitted fields into the question being built;
- ``NOTES``: the validator's field paths shown at the top of the part rather than
  beside one field (``options``, ``key``).

``editor.QuestionForm`` puts the parts together, one ``Part`` each, in the order
they are shown and stored. A new part (images, a rubric) is a class here with the
same methods, one ``Part`` line in ``QuestionForm`` and its template. A question's
image and a written answer's rubric, marking and lateral flag are edited on their own
pages (media_views), linked beside the form (_question_parts.html); saving the form
keeps them (drafts.replace_question).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import FieldList
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from ..numbers import whole
from ..sets.validation import OPTION_ID
from ..sets.vocabulary import DIFFICULTIES, QUESTION_TYPES, SKILLS

MAX_OPTIONS = 8
OPTION_IDS = "abcdefgh" + "ijklmnop"
# The words the editor's choices show beside their values.
CHOICES = {
    "no_passage": _l("None"),
    "no_misconception": _l("None (a right option)"),
    "no_position": _l("None"),
    "no_difficulty": _l("Choose…"),
    "not_sent": _l("This field was not sent. Reload the page and try again."),
}


@dataclass
class Context:
    """What the editor's parts need beside the form: the set's passages, the shared
    misconception list and the question as it was before this edit."""

    passages: list[str]
    misconceptions: dict[str, dict]
    old: dict


class Sent:
    """Refuse a form that lacks a field its page always sends (a malformed request);
    an empty value is fine, since drafts may be incomplete."""

    def __call__(self, form: Form, field) -> None:
        if not field.raw_data:
            raise StopValidation(CHOICES["not_sent"])


class Checkboxes(SelectMultipleField):
    """Several values ticked from a list. Values not offered are dropped when stored,
    as a page with a changed article can send them."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        if self.validate_choice:
            super().pre_validate(form)


class RowList(FieldList):
    """Option rows ``opt-0-…`` to ``opt-7-…``; a row number that is not a plain
    number is ignored (not every ``isdigit`` string is one)."""

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if isinstance(key, str) and key.startswith(prefix + "-"):  # multipart may give None
                index = key[offset:].split("-", 1)[0]
                if index.isascii() and index.isdigit() and len(index) <= 2:
                    yield int(index)


def _numbers(values: list[str] | None, limit: int) -> list[int]:
    """Read passage numbers 1…limit, once each, in order; others are dropped."""
    out: list[int] = []
    for value in values or []:
        n = whole(value, low=1, high=limit)
        if n is not None and n not in out:
            out.append(n)
    return sorted(out)


def choices(pairs) -> list[SelectChoice]:
    """Return (value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _text(value: str | None) -> str:
    return (value or "").strip()


def passage_choices(passages: list[str], width: int = 70) -> list[SelectChoice]:
    """Return one choice per passage: its number and the start of its text."""
    out = []
    for n, text in enumerate(passages, start=1):
        shown = text if len(text) <= width else text[: width - 1].rstrip() + "…"
        out.append(SelectChoice(str(n), f"{n}: {shown}"))
    return out


class QuestionPart(Form):
    """The question's type and its text."""

    template = "authoring/parts/_question.html"
    NOTES = ("(question)", "id")
    type = SelectField(_l("Type"), choices=choices(QUESTION_TYPES.items()), validators=[Sent()])
    stem = TextAreaField(_l("Question"), [Sent()], description=_l("About 25 words or fewer."))

    @staticmethod
    def initial(q: dict, ctx: Context) -> dict:
        return {"type": q.get("type") or "single", "stem": q.get("stem") or ""}

    def prepare(self, ctx: Context) -> None:
        pass

    def store(self, q: dict, ctx: Context) -> None:
        q["type"] = self.type.data
        q["stem"] = _text(self.stem.data)


class OptionRow(Form):
    """One option: its text (or passage), feedback, misconception, and the key."""

    id = HiddenField()
    text = StringField(_l("Option"))
    passage = SelectField(_l("Passage"), validate_choice=False)
    feedback = TextAreaField(_l("Feedback"))
    misconception = SelectField(_l("Misconception it tempts with"), validate_choice=False)
    correct = BooleanField(_l("Right answer"))
    position = SelectField(
        _l("Right position"),
        choices=choices([("", CHOICES["no_position"])] + [(str(n), str(n)) for n in range(1, 9)]),
        validate_choice=False,
    )


def option_rows(q: dict) -> list[dict]:
    """Return the option rows the editor shows: the question's, plus blanks up to 6."""
    key = q.get("key") or []
    rows = []
    for o in q.get("options") or []:
        oid = o.get("id")
        rows.append(
            {
                "id": oid or "",
                "text": o.get("text", ""),
                "passage": str(o["passage"]) if o.get("passage") else "",
                "feedback": o.get("feedback", ""),
                "misconception": o.get("misconception") or "",
                "correct": oid in key,
                "position": str(key.index(oid) + 1) if oid in key else "",
            }
        )
    if q.get("type") != "true_false":
        # Blank rows to add options without JavaScript: up to 6, and one spare, at most 8.
        while len(rows) < min(MAX_OPTIONS, max(6, len(q.get("options") or []) + 1)):
            rows.append({"id": "", "correct": False})
    return rows


class OptionsPart(Form):
    """The options with their feedback and misconceptions, and which are right."""

    template = "authoring/parts/_options.html"
    NOTES = ("options", "key")
    opt = RowList(FormField(OptionRow), max_entries=MAX_OPTIONS)

    @staticmethod
    def initial(q: dict, ctx: Context) -> dict:
        return {"opt": option_rows(q)}

    def prepare(self, ctx: Context) -> None:
        passages = choices([("", CHOICES["no_passage"])]) + passage_choices(ctx.passages)
        misconceptions = choices(
            [("", CHOICES["no_misconception"])]
            + [(key, m.get("label", key)) for key, m in ctx.misconceptions.items()]
        )
        for entry in self.opt:
            entry.form.passage.choices = passages
            entry.form.misconception.choices = misconceptions

    def store(self, q: dict, ctx: Context) -> None:
        qtype = q["type"]
        if qtype == "open":  # a written answer has no options and no key
            q["options"], q["key"] = [], []
            return
        rows = []
        for entry in self.opt:
            n, row = entry.index, entry.form
            text, feedback = _text(row.text.data), _text(row.feedback.data)
            if qtype == "true_false":
                if n > 1:
                    continue
                text = "True" if n == 0 else "False"
            elif not (text or feedback or (qtype == "passage" and whole(row.passage.data))):
                continue
            rows.append((n, row, text, feedback))
        options, key, positions = [], [], {}
        ids = self._ids(qtype, [(n, row) for n, row, *_ in rows])
        for index, ((_n, row, text, feedback), oid) in enumerate(zip(rows, ids, strict=True)):
            option: dict = {"id": oid, "feedback": feedback}
            if qtype == "passage":
                option["passage"] = whole(row.passage.data) or 0
            else:
                option["text"] = text
            if row.misconception.data:
                option["misconception"] = row.misconception.data
            options.append(option)
            if qtype == "order":
                position = whole(row.position.data or "")
                positions[oid] = position if position is not None else 99 + index
            elif row.correct.data:
                key.append(oid)
        if qtype == "order":
            key = sorted(positions, key=lambda oid: positions[oid])
        q["options"] = options
        q["key"] = key

    @staticmethod
    def _ids(qtype: str, rows: list[tuple[int, Form]]) -> list[str]:
        """Keep the ids options already have (answers and keys refer to them)."""
        if qtype == "true_false":
            return [("true", "false")[n] for n, _row in rows]
        kept = [_text(row.id.data) for _n, row in rows]
        used = {oid for oid in kept if OPTION_ID.match(oid)}
        spare = (oid for oid in OPTION_IDS if oid not in used)
        out = []
        for index, oid in enumerate(kept):
            keep = OPTION_ID.match(oid) and oid not in kept[:index]
            out.append(oid if keep else next(spare))
        return out


class CerPart(Form):
    """For claim–evidence–reasoning: the passages offered and those that are evidence."""

    template = "authoring/parts/_cer.html"
    NOTES = ("evidence_choices", "evidence_key")
    evidence_choice = Checkboxes(_l("Offered"), validate_choice=False)
    evidence_right = Checkboxes(_l("Is evidence"), validate_choice=False)
    evidence_feedback = TextAreaField(_l("Feedback on the evidence"))

    @staticmethod
    def initial(q: dict, ctx: Context) -> dict:
        return {
            "evidence_choice": [str(n) for n in q.get("evidence_choices") or []],
            "evidence_right": [str(n) for n in q.get("evidence_key") or []],
            "evidence_feedback": q.get("evidence_feedback") or "",
        }

    def prepare(self, ctx: Context) -> None:
        self.evidence_choice.choices = passage_choices(ctx.passages, 90)
        self.evidence_right.choices = passage_choices(ctx.passages, 90)

    def store(self, q: dict, ctx: Context) -> None:
        if q["type"] != "cer":
            return
        choices = _numbers(self.evidence_choice.data, len(ctx.passages))
        right = _numbers(self.evidence_right.data, len(ctx.passages))
        q["evidence_choices"] = sorted(set(choices) | set(right))
        q["evidence_key"] = right
        q["evidence_feedback"] = _text(self.evidence_feedback.data)


class EvidencePart(Form):
    """The evidence in the article: whole passages, or exact quotes."""

    template = "authoring/parts/_evidence.html"
    NOTES = ("evidence",)
    evidence_passage = Checkboxes(_l("Whole passages"), validate_choice=False)
    evidence_quotes = TextAreaField(
        _l("Exact quotes, one per line"),
        description=_l("Copy them from the article character for character."),
    )

    @staticmethod
    def initial(q: dict, ctx: Context) -> dict:
        whole_passages, quotes = [], []
        for quote in q.get("evidence") or []:
            if quote in ctx.passages:
                whole_passages.append(str(ctx.passages.index(quote) + 1))
            else:
                quotes.append(quote)
        return {"evidence_passage": whole_passages, "evidence_quotes": "\n".join(quotes)}

    def prepare(self, ctx: Context) -> None:
        self.evidence_passage.choices = passage_choices(ctx.passages, 10_000)

    def store(self, q: dict, ctx: Context) -> None:
        numbers = _numbers(self.evidence_passage.data, len(ctx.passages))
        evidence = [ctx.passages[n - 1] for n in numbers]
        for line in (self.evidence_quotes.data or "").splitlines():
            line = line.strip()
            if line and line not in evidence:
                evidence.append(line)
        q["evidence"] = evidence


class ExplainPart(Form):
    """The explanation, the skills, the difficulty and the teacher's note."""

    template = "authoring/parts/_explain.html"
    NOTES = ()
    explanation = TextAreaField(
        _l("Explanation"),
        [Sent()],
        description=_l(
            "40–80 words: the verdict, the evidence, the reasoning move, a rule to reuse."
        ),
    )
    skills = Checkboxes(
        _l("Skills (one or two)"),
        choices=choices(
            (code, _l("%(skill)s (%(code)s)", skill=name, code=code))
            for code, name in SKILLS.items()
        ),
    )
    difficulty = SelectField(
        _l("Difficulty"),
        choices=choices([("", CHOICES["no_difficulty"]), *DIFFICULTIES.items()]),
        validators=[Sent()],
    )
    teacher_note = TextAreaField(_l("Teacher note"))

    @staticmethod
    def initial(q: dict, ctx: Context) -> dict:
        return {
            "explanation": q.get("explanation") or "",
            "skills": list(q.get("skills") or []),
            "difficulty": q.get("difficulty") or "",
            "teacher_note": q.get("teacher_note") or "",
        }

    def prepare(self, ctx: Context) -> None:
        pass

    def store(self, q: dict, ctx: Context) -> None:
        skills = [s for s in self.skills.data or [] if s in SKILLS][:2]
        old = ctx.old.get("skills") or []
        if set(skills) == set(old):
            skills = list(old)  # checkboxes lose the order; keep the author's
        q["skills"] = skills
        q["difficulty"] = self.difficulty.data or ""
        q["explanation"] = _text(self.explanation.data)
        note = _text(self.teacher_note.data)
        if note:
            q["teacher_note"] = note


class StudentPart(Form):
    """What students are asked beside the answer, and the scepticism index."""

    template = "authoring/parts/_student.html"
    NOTES = ()
    confidence = BooleanField(_l("Ask how sure they are before the feedback"))
    reason = BooleanField(_l("Ask for a written reason"))
    discernment = BooleanField(_l("Blanket scepticism gets this wrong (for the scepticism index)"))

    @staticmethod
    def initial(q: dict, ctx: Context) -> dict:
        return {flag: bool(q.get(flag)) for flag in ("confidence", "reason", "discernment")}

    def prepare(self, ctx: Context) -> None:
        pass

    def store(self, q: dict, ctx: Context) -> None:
        if q["type"] == "open":  # asked of closed questions only
            return
        for flag in ("confidence", "reason", "discernment"):
            if self[flag].data:
                q[flag] = True
