"""Export a published set as an IMS QTI 1.2 package, as Canvas imports it.

Library: text2qti (BSD-3-Clause, Geoffrey M. Poore; on PyPI since 2020, releases
into 2026). It builds the whole Canvas package in memory (`QTI(quiz).zip_bytes()`:
imsmanifest.xml, the assessment and its assessment_meta.xml) and carries what
Lateral's questions teach with: per-option feedback, general feedback, text-only
items (the article) and multiple-answer questions. Its input is its own plain-text
quiz format, which this module writes.

Not chosen: qti-package-maker (LGPL-3.0, 2025–2026). Its Canvas QTI 1.2 writer
has no feedback at all (neither per option nor general), does not write order
questions, prints to standard output, and stages every package in a folder of the
current directory named after the set and the minute, so two exports of one set
in the same minute would overwrite and delete each other's files. Its QTI 2.1
writer targets Blackboard; text2qti writes 1.2 only, which Canvas, Blackboard,
Brightspace and Schoology all import.

text2qti reads Markdown (and `$…$` as LaTeX). So that a set's text stays text,
every ASCII punctuation character is written as a numeric character reference
(`&#33;`) and a line break as `<br />`: no Markdown, HTML, LaTeX, image or code
syntax can form, a stem with `<script>` arrives as those characters, and a
`![](path)` in a stem cannot make text2qti read a file.

Mapping: `single`, `true_false`, `multiple` directly (a true/false question whose
options read "True" and "False" becomes a QTI true/false item); `passage` options
as "Passage N: …" (one or several right); `cer` as its verdict, with the keyed
passages and the evidence feedback after the explanation (as the GIFT and Moodle
XML exports do). `order` questions are left out, because text2qti has no ordering
or matching item; the package description names each one, and the written answers
and images it leaves out too (``authoring.left_out``). Confidence ratings,
written reasons, skills, difficulty and teacher notes are not in QTI.
"""

from __future__ import annotations

import copy

from flask_babel import lazy_gettext as _l
from text2qti.config import Config
from text2qti.err import Text2qtiError
from text2qti.qti import QTI
from text2qti.quiz import Quiz

from ..left_out import QUESTION
from .lateral import InvalidSet, general_feedback, is_multi, left_out, option_text, validate
from .report import short

LETTERS = "abcdefghijklmnopqrstuvwxyz"
PLAIN = " ,;?/@%"  # punctuation no Markdown, HTML or LaTeX rule gives a meaning inside a line


class QtiError(ValueError):
    """A set that cannot be written as QTI; the message says what to change."""


def to_qti(raw: dict) -> bytes:
    """Write a set (set-file data) as a Canvas QTI 1.2 zip package."""
    try:
        data = validate(copy.deepcopy(raw), raw.get("id") or "set")
    except InvalidSet:
        raise QtiError("This set has errors; fix them and publish it before exporting.") from None
    _check_unique(data)
    try:
        quiz = Quiz(source(data), config=Config(), source_name=data["id"])
    except Text2qtiError as exc:
        raise QtiError(f"The set could not be written as QTI: {exc}") from None
    return QTI(quiz).zip_bytes()


def source(data: dict) -> str:
    """Write a validated set in text2qti's quiz format."""
    lines = [f"Quiz title: {_one_line(data['title'])}"]
    lines.append(f"Quiz description: {inert(_description(data))}")
    art = data["article"]
    numbered = "\n\n".join(f"{n}. {p}" for n, p in enumerate(art["passages"], start=1))
    heading = f"{art['title']}\n{art['outlet']}, {art['date']}"
    lines += ["", f"Text title: {_one_line(art['title'])}"]
    lines.append(f"Text: {inert(heading + chr(10) * 2 + numbered)}")
    number = 0
    for q in data["questions"]:
        if q["type"] in ("order", "open"):
            continue
        number += 1
        lines += ["", f"Title: {q['id']}", f"{number}.  {inert(q['stem'])}"]
        lines.append(f"... {inert(general_feedback(q))}")
        for n, o in enumerate(q["options"]):
            right = o["id"] in q["key"]
            if is_multi(q):
                mark = "[*]" if right else "[ ]"
            else:
                mark = f"{'*' if right else ''}{LETTERS[n]})"
            lines.append(f"{mark} {inert(option_text(q, o))}")
            if o["feedback"]:
                lines.append(f"... {inert(o['feedback'])}")
    return "\n".join(lines) + "\n"


def inert(text: str) -> str:
    """Write plain text so that Markdown, HTML and LaTeX see no syntax in it."""
    out = []
    for ch in " ".join(text.replace("\r\n", "\n").split(" ")).strip():
        if ch == "\n":
            out.append("<br />")
        elif ch < " " or ch == "\x7f":
            out.append(" ")
        elif ch.isascii() and not ch.isalnum() and ch not in PLAIN:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


# The package's description, for the teacher who imports it (in the exporting
# teacher's language), and the refusals.
NO_ORDER = _l(
    "Left out: {questions}. They are put-in-order questions, and this QTI export has no "
    "ordering question."
)
CER_VERDICT = _l(
    "Claim–evidence–reasoning questions are their verdict only: the keyed passages and the "
    "evidence feedback follow the explanation."
)
EXPORTED = _l(
    "Exported from Lateral. Confidence ratings and written reasons are not in QTI; they stay "
    "in Lateral."
)
SAME_TEXT = _l(
    "Questions {first} and {second} have the same text, which QTI cannot tell apart; change "
    "one of them and publish again."
)
SAME_OPTION = _l(
    "Question {number} offers the same option twice, which QTI cannot tell apart; change one "
    "of them and publish again."
)


def _description(data: dict) -> str:
    parts = [data.get("description") or ""]
    order = [
        str(QUESTION).format(number=n, stem=short(q["stem"], 60))
        for n, q in enumerate(data["questions"], start=1)
        if q["type"] == "order"
    ]
    if order:
        parts.append(str(NO_ORDER).format(questions="; ".join(order)))
    if any(q["type"] == "cer" for q in data["questions"]):
        parts.append(str(CER_VERDICT))
    parts += left_out(data)  # written answers and images
    parts.append(str(EXPORTED))
    return "\n\n".join(p for p in parts if p)


def _check_unique(data: dict) -> None:
    """Canvas tells questions and options apart by their text: refuse repeats clearly."""
    seen: dict[str, int] = {}
    for n, q in enumerate(data["questions"], start=1):
        if q["type"] in ("order", "open"):
            continue
        if q["stem"] in seen:
            raise QtiError(str(SAME_TEXT).format(first=seen[q["stem"]], second=n))
        seen[q["stem"]] = n
        texts = [option_text(q, o) for o in q["options"]]
        if len(set(texts)) != len(texts):
            raise QtiError(str(SAME_OPTION).format(number=n))


def _one_line(text: str) -> str:
    return " ".join(text.split())
