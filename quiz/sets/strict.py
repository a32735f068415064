"""The content checks of the content guide that a program can make (``--strict``).

They judge a set that is already valid: explanation length, a misconception on each
wrong option, skill balance, key positions and lengths; the answer cues of rule 6
(``cues``: true/false keys, absolute words); images, rubrics and lateral-reading tasks
(``material``: rules 11 and 12). In the editor they show as suggestions; they never
block publishing.
"""

from __future__ import annotations

import re

from . import cues, material
from .messages import label
from .problems import Checker, Problem
from .vocabulary import SKILLS

ALL_NONE = re.compile(
    r"\b(all|none|both|neither) of (the|these|those) (above|options|answers)\b", re.I
)


# A recipe's gap still to fill: "[the claim, in the article's words]".
GAP = re.compile(r"\[[^\[\]\n]{2,160}\]")
FULL_SET = 24  # from this many questions, a main set must cover every skill


def strict_problems(data: dict, name: str, misconceptions: dict[str, dict]) -> list[Problem]:
    """Return the content checks of CONTENT.md that a program can make."""
    c = Checker(name)
    for c.number, q in enumerate(data["questions"], start=1):
        _question(c, q, misconceptions)
    c.number = None
    _skills(c, data)
    singles = [q for q in data["questions"] if q["type"] == "single"]
    if len(singles) >= 5:
        _keys(c, singles)
    cues.check(c, data["questions"])
    material.check(c, data)
    return c.problems


def _question(c: Checker, q: dict, misconceptions: dict[str, dict]) -> None:
    words = len(q["explanation"].split())
    if not 40 <= words <= 80:
        c.add(q["id"], "explanation", "explanation_words", words=words)
    for n, o in enumerate(q["options"], start=1):
        where = f"options[{o['id']}]"
        if o["id"] not in q["key"] and q["type"] != "order":
            if not o["misconception"]:
                c.add(q["id"], f"{where}.misconception", "no_misconception", n=n)
            elif o["misconception"] not in misconceptions:
                c.add(q["id"], f"{where}.misconception", "unlisted_misconception", n=n)
        if ALL_NONE.search(o["text"]):
            c.add(q["id"], f"{where}.text", "all_none", n=n)
    _scaffolds(c, q)


def draft_gaps(raw: dict, name: str) -> list[Problem]:
    """Return the recipe gaps of a draft that is not valid yet, so that a teacher sees
    them while other fields are still unfinished (the other checks need a valid set)."""
    c = Checker(name)
    questions = raw.get("questions")
    for c.number, q in enumerate(questions if isinstance(questions, list) else [], start=1):
        if isinstance(q, dict) and isinstance(q.get("id"), str):
            _scaffolds(c, _texts_of(q))
    return c.problems


def _texts_of(q: dict) -> dict:
    """A draft question's texts as ``_scaffolds`` reads them, whatever else it lacks."""

    def text(value) -> str:
        return value if isinstance(value, str) else ""

    options = q.get("options") if isinstance(q.get("options"), list) else []
    return {
        "id": q["id"],
        "type": text(q.get("type")),
        "stem": text(q.get("stem")),
        "explanation": text(q.get("explanation")),
        "options": [
            {
                "id": text(o.get("id")),
                "text": text(o.get("text")),
                "feedback": text(o.get("feedback")),
            }
            for o in options
            if isinstance(o, dict)
        ],
    }


def _scaffolds(c: Checker, q: dict) -> None:
    """Recipe text still to replace: a gap in square brackets, as recipes write them."""
    texts = [("stem", "stem", q["stem"]), ("explanation", "explanation", q["explanation"])]
    for n, o in enumerate(q["options"], start=1):
        where = f"options[{o['id']}]"
        if q["type"] != "passage":
            texts.append((f"{where}.text", label("option.text", n=n), o["text"]))
        texts.append((f"{where}.feedback", label("option.feedback", n=n), o["feedback"]))
    for path, name, text in texts:
        gap = GAP.search(text or "")
        if gap:
            c.add(q["id"], path, "scaffold", label=label(name), gap=gap.group(0))


def _skills(c: Checker, data: dict) -> None:
    """Skills spread over the set; a full main set covers each one and discernment."""
    questions = data["questions"]
    tags: dict[str, int] = {}
    for q in questions:
        for s in q["skills"]:
            tags[s] = tags.get(s, 0) + 1
    for tag, count in sorted(tags.items()):
        if len(questions) >= 10 and count > len(questions) / 5:
            c.add(None, "skills", "skill_share", tag=tag, count=count, total=len(questions))
    if data["kind"] != "main" or len(questions) < FULL_SET:
        return
    for tag in SKILLS:
        if tags.get(tag, 0) < 2:
            c.add(None, "skills", "skill_cover", tag=tag, count=tags.get(tag, 0))
    discerning = sum(q["discernment"] for q in questions)
    if discerning < len(questions) / 4:
        c.add(None, "discernment", "discernment_share", count=discerning, total=len(questions))


def _keys(c: Checker, singles: list[dict]) -> None:
    """Single-choice keys spread over the positions, and not the longest option."""
    positions: dict[int, int] = {}
    longest = 0
    for q in singles:
        ids = [o["id"] for o in q["options"]]
        positions[ids.index(q["key"][0])] = positions.get(ids.index(q["key"][0]), 0) + 1
        lengths = {o["id"]: len(o["text"]) for o in q["options"]}
        if lengths[q["key"][0]] == max(lengths.values()):
            longest += 1
    for pos, count in sorted(positions.items()):
        if count > 0.35 * len(singles):
            c.add(None, "key", "key_position", position=pos + 1, count=count, total=len(singles))
    if longest > 0.4 * len(singles):
        c.add(None, "key", "key_longest", count=longest, total=len(singles))
