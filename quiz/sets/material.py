"""The strict check's rules for material and written answers (CONTENT.md rules 11, 12).

- **Images** (rule 11): the alt text is not the file's name or a placeholder, and says
  something (at least ``ALT_WORDS`` words); the caption, credit and licence are not
  placeholders; an image the project drew (credited to Lateral, or "drawn for" it)
  says what it is in its caption ("schematic", "not to scale", "diagram",
  "illustration", "drawn").
- **Rubrics** (rule 12): the three levels of every written answer are told apart: no
  two descriptors and no two example answers alike, and no example that repeats its
  descriptor.
- **Lateral-reading tasks** (rule 12): the teacher note is marked "Outside the
  article:" and gives a fallback for a room without internet ("without internet",
  "offline" or a printed extract).
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .images import every_image
from .problems import Checker
from .vocabulary import RUBRIC_LEVELS

ALT_WORDS = 4
PLACEHOLDERS = frozenset(
    """image picture photo photograph img pic graphic figure map screenshot alt alt-text
    caption credit licence license unknown none n/a na todo tbd tbc xxx untitled
    placeholder description text""".split()
)
DRAWN = re.compile(r"\blateral\b|\bdrawn for\b", re.I)
SAYS_DRAWN = re.compile(r"schematic|not to scale|diagram|illustration|drawn", re.I)
OUTSIDE = "Outside the article:"
FALLBACK = re.compile(r"without internet|offline|print", re.I)


def check(c: Checker, data: dict) -> None:
    """Add the problems of rules 11 and 12 for a set."""
    for q, where, img in every_image(data):
        _image(c, q, where, img)
    for q in data["questions"]:
        if q["type"] == "open":
            _rubric(c, q)
        if q.get("lateral"):
            _lateral(c, q)


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().lower()


def _image(c: Checker, q: str | None, where: str, img: dict) -> None:
    name = img["file"].rsplit("/", 1)[-1]
    alt = _bare(img["alt"])
    if alt in (_bare(name), _bare(name.rsplit(".", 1)[0])) or alt in PLACEHOLDERS:
        c.add(q, f"{where}.alt", _("is the file's name or a placeholder: say what the image shows"))
    elif len(alt.split()) < ALT_WORDS:
        c.add(
            q,
            f"{where}.alt",
            _("has fewer than %(count)s words: say what the image shows", count=ALT_WORDS),
        )
    for key in ("caption", "credit", "licence"):
        if _bare(img[key]) in PLACEHOLDERS or not _bare(img[key]):
            c.add(q, f"{where}.{key}", _("is a placeholder: say it as it is"))
    if DRAWN.search(img["credit"]) and not SAYS_DRAWN.search(img["caption"]):
        c.add(
            q,
            f"{where}.caption",
            _(
                "the project drew this image: say what it is in the caption "
                "(for example “Schematic map, not to scale”)"
            ),
        )


def _rubric(c: Checker, q: dict) -> None:
    levels = [q["rubric"].get(level) for level in RUBRIC_LEVELS]
    if not all(levels):
        return  # the validator has named what is missing
    for key in ("descriptor", "example"):
        texts = [_bare(level[key]) for level in levels]
        if len(set(texts)) < len(texts):
            c.add(
                q["id"],
                f"rubric.{key}",
                _("two levels have the same %(key)s: tell them apart", key=key),
            )
    for level, table in zip(RUBRIC_LEVELS, levels, strict=True):
        if _bare(table["descriptor"]) == _bare(table["example"]):
            c.add(q["id"], f"rubric.{level}.example", _("repeats the descriptor: write an answer"))


def _lateral(c: Checker, q: dict) -> None:
    note = q.get("teacher_note") or ""
    if not note.startswith(OUTSIDE):
        c.add(
            q["id"],
            "teacher_note",
            _(
                "a lateral-reading task's note says where to look, starting “%(start)s”",
                start=OUTSIDE,
            ),
        )
    elif not FALLBACK.search(note):
        c.add(
            q["id"],
            "teacher_note",
            _("say what to do in a room without internet (“Without internet: print …”)"),
        )
