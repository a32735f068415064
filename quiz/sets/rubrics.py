"""Written answers in set files: questions of type ``open``, marked on a rubric.

A written answer has no options and no key: the student writes, and the facilitator
(or, with ``marking = "peer"``, a classmate at the same table) marks the answer at one
of three levels. ``[questions.rubric]`` holds them, each a table with a
``descriptor`` (what an answer at that level does) and an ``example`` answer.
``lateral = true`` marks a lateral-reading task: one that sends students out of the
article to the material it rests on (its teacher note says where, marked "Outside the
article:", with a fallback for a room without internet).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from .problems import Checker
from .vocabulary import MARKING, RUBRIC_LEVELS

DESCRIPTOR_MAX = 600
EXAMPLE_MAX = 1500
# Fields a closed question has and a written answer does not.
CLOSED_ONLY = ("options", "key", "confidence", "reason", "discernment") + (
    "evidence_choices",
    "evidence_key",
    "evidence_feedback",
)
OPEN_ONLY = ("rubric", "marking", "lateral")


def open_parts(c: Checker, q: dict, qid: str) -> dict:
    """Check what a written answer (type open) has; return its normalised parts."""
    for key in CLOSED_ONLY:
        if q.get(key) not in (None, [], False):
            c.add(qid, key, _("is not used by a written answer (type open)"))
    out: dict[str, Any] = {
        "options": [],
        "key": [],
        "rubric": rubric(c, q.get("rubric"), qid),
        "lateral": c.flag(q, "lateral", qid),
    }
    marking = q.get("marking", "teacher")
    if not isinstance(marking, str) or marking not in MARKING:
        c.add(qid, "marking", _("must be 'teacher' or 'peer'"))
    elif marking != "teacher":
        out["marking"] = marking
    return out


def rubric(c: Checker, value: Any, qid: str) -> dict:
    """Check ``[questions.rubric]``: the three levels, each a descriptor and an example."""
    if not isinstance(value, dict):
        c.add(
            qid,
            "rubric",
            _("is missing: add [questions.rubric.beginning], .emerging and .mastery tables"),
        )
        return {}
    if unknown := sorted(set(value) - set(RUBRIC_LEVELS)):
        c.add(
            qid,
            "rubric",
            _("has levels the rubric does not use: %(levels)s", levels=", ".join(unknown)),
        )
    out = {}
    for level in RUBRIC_LEVELS:
        table = value.get(level)
        where = f"rubric.{level}"
        if not isinstance(table, dict):
            c.add(qid, where, _("is missing: give it a descriptor and an example answer"))
            continue
        texts = {}
        for key, limit in (("descriptor", DESCRIPTOR_MAX), ("example", EXAMPLE_MAX)):
            before = len(c.problems)
            texts[key] = c.text(table, key, qid, limit=limit)
            if len(c.problems) > before:
                problem = c.problems[-1]
                c.problems[-1] = type(problem)(c.file, qid, f"{where}.{key}", problem.message)
        out[level] = texts
    return out


def refuse_open_fields(c: Checker, q: dict, qid: str) -> None:
    """Name the written-answer fields a closed question carries by mistake."""
    if "open" in q:
        c.add(qid, "open", _('write type = "open" for a written answer marked on a rubric'))
    for key in OPEN_ONLY:
        if key in q:
            c.add(qid, key, _('is only for written answers (type = "open")'))
