"""The learning gain: the check form before the set against the one after it."""

from __future__ import annotations

from ..sets.vocabulary import SKILLS
from .data import SessionData, enough, mean, round3, skill_order


def figures(d: SessionData) -> dict | None:
    """Return the learning-gain section of the report, or None without check forms."""
    parts = {part: [q for q in d.questions if q["part"] == part] for part in ("before", "after")}
    if not parts["before"] and not parts["after"]:
        return None
    out: dict = {
        part: {
            "questions": len(qs),
            "answers": sum(len(d.by_q[q["pk"]]) for q in qs),
            "mean": round3(_mean_score(d, qs)),
        }
        for part, qs in parts.items()
    }
    out["gain"] = _gain(out["before"]["mean"], out["after"]["mean"])
    tags = skill_order(t for qs in parts.values() for q in qs for t in q["skills"])
    out["skills"] = []
    for tag in tags:
        before = round3(_mean_score(d, parts["before"], tag=tag))
        after = round3(_mean_score(d, parts["after"], tag=tag))
        out["skills"].append(
            {
                "tag": tag,
                "name": SKILLS.get(tag, tag),
                "before": before,
                "after": after,
                "gain": _gain(before, after),
            }
        )
    out["participants"], out["paired"] = _people(d, parts)
    out["questions"] = [
        {
            "pk": q["pk"],
            "number": q["number"],
            "part": q["part"],
            "stem": q["stem"],
            "skills": list(q["skills"]),
            "answered": len(d.by_q[q["pk"]]),
            "facility": round3(mean(d.scores[q["pk"]])),
        }
        for qs in parts.values()
        for q in qs
    ]
    return out


def _mean_score(
    d: SessionData, qs: list[dict], who: str | None = None, tag: str | None = None
) -> float | None:
    """The mean score on some questions: one person's, or everyone's (on a skill)."""
    if who is not None:  # through the index: a scan per person is quadratic
        mine = d.by_p.get(who, {})
        return mean(mine[q["pk"]]["score"] for q in qs if q["pk"] in mine)
    return mean(s for q in qs if tag is None or tag in q["skills"] for s in d.scores[q["pk"]])


def _gain(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round3(after - before)


def _people(d: SessionData, parts: dict[str, list[dict]]) -> tuple[list[dict], dict]:
    """Each participant's before, after and gain; and the means of those who did both."""
    people, paired = [], []
    for p in d.people:
        before = _mean_score(d, parts["before"], who=p["id"])
        after = _mean_score(d, parts["after"], who=p["id"])
        if before is not None and after is not None:
            paired.append((before, after))
        people.append(
            {
                "number": p["number"],
                "nickname": p["nickname"],
                "before": round3(before),
                "after": round3(after),
                "gain": _gain(round3(before), round3(after)),
            }
        )
    return people, {
        "n": len(paired),
        "enough": enough(len(paired), "learning"),
        "before": round3(mean(b for b, _ in paired)),
        "after": round3(mean(a for _, a in paired)),
        "gain": round3(mean(a - b for b, a in paired)),
    }
