"""Written answers in the report: how their marks fall on the rubric's levels, per
question, per skill and per table or team, and how many still wait for a mark.

Marked answers also count in every score of the report (0, ½ or 1: ``LEVEL_SCORES``);
answers waiting for a mark count in none (``SessionData.waiting``).
"""

from __future__ import annotations

from collections import Counter

from ..play.scoring import level_of
from ..sets.vocabulary import RUBRIC_LEVELS, SKILLS
from .data import SessionData, mean, round3, share, skill_order

# The heading of a question's column in the table per team.
QUESTION_COLUMN = "Question {number}"


def figures(d: SessionData) -> dict:
    """Return the report's section on written answers (empty lists without any)."""
    written = [q for q in d.questions if q["type"] == "open"]
    main = [q for q in written if q["part"] == "main"]
    tags = skill_order(t for q in main for t in q["skills"])
    return {
        "questions": [_question(d, q) for q in written],
        "columns": [QUESTION_COLUMN.format(number=q["number"]) for q in written],
        "skills": [
            {
                "tag": tag,
                "name": SKILLS.get(tag, tag),
                **_levels([a for q in main if tag in q["skills"] for a in d.by_q[q["pk"]]]),
            }
            for tag in tags
        ],
        "teams": [
            {
                "name": g["name"],
                "questions": [
                    {
                        "number": q["number"],
                        **_levels([a for a in d.by_q[q["pk"]] if a["participant_id"] in g["ids"]]),
                        "waiting": sum(1 for pid in g["ids"] if q["pk"] in d.waiting.get(pid, {})),
                    }
                    for q in written
                ],
            }
            for g in d.groups()
        ],
    }


def _levels(answers: list[dict]) -> dict:
    """How marked answers fall on the levels: counts, shares and the mean score."""
    counts = Counter(level_of(a) for a in answers)
    return {
        "marked": len(answers),
        "levels": [
            {
                "level": level,
                "label": label,
                "count": counts[level],
                "share": share(counts[level], len(answers)),
            }
            for level, label in RUBRIC_LEVELS.items()
        ],
        "mean": round3(mean(a["score"] for a in answers)),
    }


def _question(d: SessionData, q: dict) -> dict:
    waiting = sum(1 for mine in d.waiting.values() if q["pk"] in mine)
    marked = d.by_q[q["pk"]]
    return {
        "pk": q["pk"],
        "number": q["number"],
        "part": q["part"],
        "stem": q["stem"],
        "skills": list(q["skills"]),
        "lateral": bool(q.get("lateral")),
        "marking": q.get("marking") or "teacher",
        "answers": len(marked) + waiting,
        "waiting": waiting,
        **_levels(marked),
    }
