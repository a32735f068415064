"""What the report's overview says to do next: the question most worth discussing, the
skill the group is weakest in, who may need help. Each follows a rule the overview
states, and names nothing a handful of answers would decide (vocabulary.MINIMUM_ANSWERS).
"""

from __future__ import annotations

from .data import enough

HELP_BELOW = 0.5  # under half the marks on the questions answered


def to_discuss(questions: list[dict]) -> dict | None:
    """The question where the most answers chose one and the same wrong option.

    Among questions with enough answers; ties go to the lower facility, then to the
    earlier question. None when no wrong option has been chosen yet.
    """
    candidates = [q for q in questions if q["wrong"] and enough(q["answered"], "discuss")]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda q: (q["wrong"]["count"], -(q["facility"] or 0), -q["number"]),
    )


def weakest_skill(skills: list[dict]) -> dict | None:
    """The skill with the lowest group mean among those with enough answers (ties: the
    one listed first)."""
    candidates = [s for s in skills if s["mean"] is not None and enough(s["answers"], "skill")]
    return min(candidates, key=lambda s: s["mean"]) if candidates else None


def needing_help(participants: list[dict]) -> list[dict]:
    """Participants under HELP_BELOW of the marks on the main-set questions they
    answered, having answered enough of them; lowest share first."""
    rows = [
        {**p, "share": p["score"] / p["answered"]}
        for p in participants
        if enough(p["answered"], "help") and p["score"] / p["answered"] < HELP_BELOW
    ]
    return sorted(rows, key=lambda p: (p["share"], p["number"]))


def next_steps(r: dict) -> dict:
    """Return the overview's advice from report.build()'s figures ``r``.

    Keys: ``discuss`` (a question row of r["questions"], or None), ``weakest`` (a skill
    row of r["skills"], or None), ``help`` (participant rows with their ``share``) and
    ``help_below`` (the share under which someone is named).
    """
    return {
        "discuss": to_discuss(r["questions"]),
        "weakest": weakest_skill(r["skills"]),
        "help": needing_help(r["participants"]),
        "help_below": HELP_BELOW,
    }
