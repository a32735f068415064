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
from .validation import Checker, Problem
from .vocabulary import SKILLS

ALL_NONE = re.compile(
    r"\b(all|none|both|neither) of (the|these|those) (above|options|answers)\b", re.I
)


FULL_SET = 24  # from this many questions, a main set must cover every skill


def strict_problems(data: dict, name: str, misconceptions: dict[str, dict]) -> list[Problem]:
    """Return the content checks of CONTENT.md that a program can make."""
    c = Checker(name)
    for q in data["questions"]:
        _question(c, q, misconceptions)
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
        c.add(q["id"], "explanation", f"has {words} words; write 40–80")
    for o in q["options"]:
        if o["id"] not in q["key"] and q["type"] != "order":
            if not o["misconception"]:
                c.add(q["id"], f"options[{o['id']}].misconception", "names no misconception")
            elif o["misconception"] not in misconceptions:
                c.add(q["id"], f"options[{o['id']}].misconception", "is not in the shared list")
        if ALL_NONE.search(o["text"]):
            c.add(q["id"], f"options[{o['id']}].text", "uses 'all/none of the above'")


def _skills(c: Checker, data: dict) -> None:
    """Skills spread over the set; a full main set covers each one and discernment."""
    questions = data["questions"]
    tags: dict[str, int] = {}
    for q in questions:
        for s in q["skills"]:
            tags[s] = tags.get(s, 0) + 1
    for tag, count in sorted(tags.items()):
        if len(questions) >= 10 and count > len(questions) / 5:
            c.add(
                None,
                "skills",
                f"{tag} is on {count} of {len(questions)} questions; at most a fifth",
            )
    if data["kind"] != "main" or len(questions) < FULL_SET:
        return
    for tag in SKILLS:
        if tags.get(tag, 0) < 2:
            c.add(None, "skills", f"{tag} is on {tags.get(tag, 0)} questions; a full set needs 2")
    discerning = sum(q["discernment"] for q in questions)
    if discerning < len(questions) / 4:
        c.add(
            None,
            "discernment",
            f"{discerning} of {len(questions)} questions are keyed against blanket "
            "scepticism; at least a quarter",
        )


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
            c.add(
                None,
                "key",
                f"position {pos + 1} holds {count} of {len(singles)} single keys; at most 35%",
            )
    if longest > 0.4 * len(singles):
        c.add(
            None,
            "key",
            f"the key is the longest option in {longest} of {len(singles)} "
            "single questions; at most 40%",
        )
