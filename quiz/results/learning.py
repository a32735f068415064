"""The learning gain: the check form a participant took before the set against the one
they took after it.

With counterbalanced forms (``play.counterbalance``) half the room takes form A first
and half form B first, so "before" and "after" are each participant's own: their first
form and their second. Each student's before and after are paired; the gain is the mean
of their differences, with a 95% bootstrap interval: ``RESAMPLES`` resamples of the
paired students, drawn with a fixed seed so the same answers always give the same
interval (the percentile method). Below ``MIN_PAIRED`` paired students the report says
there are too few to tell. Per form, the means when taken first and when taken second
show how far the forms differ in difficulty.
"""

from __future__ import annotations

import random

from ..sets.vocabulary import MINIMUM_ANSWERS, SKILLS
from .data import SessionData, enough, mean, round3, skill_order
from .people import forms_of

# Paired students below which the report says there are too few to tell (one minimum
# with the report's other "too few" figures: vocabulary.MINIMUM_ANSWERS["learning"]).
MIN_PAIRED = MINIMUM_ANSWERS["learning"]
RESAMPLES = 2000
SEED = 20220215
LEVEL = 0.95
FORMS = {"A": "before", "B": "after"}  # each form by the part the session files it under


def figures(d: SessionData) -> dict | None:
    """Return the learning-gain section of the report, or None without check forms."""
    forms = {name: [q for q in d.questions if q["part"] == part] for name, part in FORMS.items()}
    if not forms["A"] and not forms["B"]:
        return None
    taken = {p["id"]: _taken(p, forms) for p in d.people}
    out: dict = {}
    for when in ("before", "after"):
        scores = [s for pid, t in taken.items() for s in _scores(d, t[when], pid)]
        out[when] = {
            "questions": len(forms["A"] if when == "before" else forms["B"]),
            "answers": len(scores),
            "mean": round3(mean(scores)),
        }
    out["gain"] = _gain(out["before"]["mean"], out["after"]["mean"])
    tags = skill_order(t for qs in forms.values() for q in qs for t in q["skills"])
    out["skills"] = [_skill(d, taken, tag) for tag in tags]
    out["participants"], out["paired"] = _people(d, taken)
    # A led session gives everyone A first (play.counterbalance): not counterbalanced.
    out["counterbalanced"] = len({p.get("check_order") for p in d.people} - {None}) > 1
    out["forms"] = _by_form(d, forms, taken)
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
        for qs in forms.values()
        for q in qs
    ]
    return out


def _taken(p: dict, forms: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The questions a participant took before the set and after it."""
    first, _second = forms_of(p)
    return (
        {"before": forms["A"], "after": forms["B"]}
        if first == "before"
        else {"before": forms["B"], "after": forms["A"]}
    )


def _scores(d: SessionData, qs: list[dict], who: str, tag: str | None = None) -> list[float]:
    """One participant's scores on some questions (on a skill), through the index."""
    mine = d.by_p.get(who, {})
    return [
        mine[q["pk"]]["score"]
        for q in qs
        if q["pk"] in mine and (tag is None or tag in q["skills"])
    ]


def _gain(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round3(after - before)


def _skill(d: SessionData, taken: dict, tag: str) -> dict:
    before = round3(mean(s for pid, t in taken.items() for s in _scores(d, t["before"], pid, tag)))
    after = round3(mean(s for pid, t in taken.items() for s in _scores(d, t["after"], pid, tag)))
    return {
        "tag": tag,
        "name": SKILLS.get(tag, tag),
        "before": before,
        "after": after,
        "gain": _gain(before, after),
    }


def _people(d: SessionData, taken: dict) -> tuple[list[dict], dict]:
    """Each participant's before, after and gain; and the paired gain with its interval."""
    people, paired = [], []
    for p in d.people:
        before = mean(_scores(d, taken[p["id"]]["before"], p["id"]))
        after = mean(_scores(d, taken[p["id"]]["after"], p["id"]))
        if before is not None and after is not None:
            paired.append((before, after))
        people.append(
            {
                "number": p["number"],
                "nickname": p["nickname"],
                "order": p.get("check_order") or "AB",
                "before": round3(before),
                "after": round3(after),
                "gain": _gain(round3(before), round3(after)),
            }
        )
    gains = [a - b for b, a in paired]
    known = enough(len(paired), "learning")
    return people, {
        "n": len(paired),
        "before": round3(mean(b for b, _ in paired)),
        "after": round3(mean(a for _, a in paired)),
        "gain": round3(mean(gains)),
        "enough": known,
        "interval": bootstrap_interval(gains) if known else None,
        "min": MIN_PAIRED,
        "resamples": RESAMPLES,
        "level": LEVEL,
    }


def bootstrap_interval(
    values: list[float], resamples: int = RESAMPLES, seed: int = SEED, level: float = LEVEL
) -> tuple[float, float]:
    """Return the percentile bootstrap interval of the mean of ``values``."""
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(resamples))
    cut = (1 - level) / 2
    return round3(means[int(cut * resamples)]), round3(means[int((1 - cut) * resamples) - 1])


def _by_form(d: SessionData, forms: dict, taken: dict) -> list[dict]:
    """Each form's mean score when taken before the set and when taken after it."""
    out = []
    for name, qs in forms.items():
        row = {"form": name, "questions": len(qs)}
        for when in ("before", "after"):
            people = [pid for pid, t in taken.items() if t[when] is qs]
            scores = [s for pid in people for s in _scores(d, qs, pid)]
            row[when] = round3(mean(scores))
            row[f"{when}_people"] = sum(1 for pid in people if _scores(d, qs, pid))
        out.append(row)
    return out
