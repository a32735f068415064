"""What an LMS export (GIFT, Moodle XML, QTI) cannot carry, said in the export itself.

Written answers marked on a rubric have no equivalent that keeps the rubric and the
marking (an LMS essay loses both), so they are left out and named; images are left
out too (each keeps its caption, credit and licence in Lateral), and counted.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..sets.images import every_image

# One message each: the export's language for what it leaves out.
WRITTEN = _l(
    "Left out: {questions}. They are written answers marked on a rubric in Lateral, "
    "which this file cannot carry."
)
QUESTION = _l("question {number} (“{stem}”)")
IMAGES = _l(
    "Images are left out ({count}): the questions keep their text, and each image with its "
    "caption, credit and licence stays in Lateral."
)
STEM_CHARACTERS = 60


def closed_questions(data: dict) -> list[dict]:
    """The questions an LMS export writes: all but the written ones."""
    return [q for q in data["questions"] if q["type"] != "open"]


def notes(data: dict) -> list[str]:
    """The sentences that say what an export of this set leaves out (none: empty)."""
    out = []
    written = [
        str(QUESTION).format(number=n, stem=_short(q["stem"]))
        for n, q in enumerate(data["questions"], start=1)
        if q["type"] == "open"
    ]
    if written:
        out.append(str(WRITTEN).format(questions="; ".join(written)))
    count = sum(1 for _ in every_image(data))
    if count:
        out.append(str(IMAGES).format(count=count))
    return out


def gift_note(data: dict) -> str:
    """The notes as GIFT comment lines, each starting on a new line."""
    return "".join(f"\n// {line}" for line in notes(data))


def xml_note(data: dict, description: str) -> str:
    """A Moodle category's description with the notes after it."""
    return "\n\n".join(part for part in (description, *notes(data)) if part)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= STEM_CHARACTERS else text[: STEM_CHARACTERS - 1].rstrip() + "…"
