"""Per-question figures: facility, option counts, the most chosen wrong option, and
discrimination (the corrected point-biserial and the upper-lower 27% index)."""

from __future__ import annotations

from collections import Counter
from math import fsum, sqrt
from operator import mul
from typing import NamedTuple

from ..play.scoring import is_right
from ..sets.vocabulary import MINIMUM_ANSWERS
from .data import (
    SessionData,
    chosen,
    enough,
    mean,
    option_label,
    right_of,
    round3,
    share,
    tally,
)
from .people import People

UPPER_LOWER_SHARE = 0.27
# Each distinct response and how many answers gave it (data.tally).
Tally = list[tuple[dict | None, int]]
MIN_FOR_DISCRIMINATION = MINIMUM_ANSWERS["discrimination"]


def question_stats(
    question: dict,
    answers: list[dict],
    participants: list[dict] | None = None,
    team_id: int | None = None,
    *,
    misconceptions: dict | None = None,
) -> dict:
    """Return the answer statistics of one question.

    ``answers`` may hold answers to any question; only this question's are used. With
    ``team_id`` (and ``participants``), only that team's members' answers count.
    ``participants`` also gives the nicknames of the written reasons. ``misconceptions``
    (optional) adds the misconception's readable label to the most chosen wrong option.
    """
    people = {p["id"]: p for p in participants or []}
    mine = [a for a in answers if a["question_id"] == question["pk"]]
    if team_id is not None:
        mine = [a for a in mine if people.get(a["participant_id"], {}).get("team_id") == team_id]
    mine.sort(key=lambda a: a.get("created_at") or "")
    nicknames = {pid: p["nickname"] for pid, p in people.items()}
    return stats(question, mine, nicknames, misconceptions or {})


def stats(
    q: dict,
    answers: list[dict],
    nicknames: dict,
    labels: dict,
    responses: Tally | None = None,
    scores: list[float] | None = None,
) -> dict:
    """The statistics of question_stats(); ``responses``: tally(answers) and ``scores``:
    the answers' scores in their order, if known (``SessionData``'s).

    Options are counted per distinct response: one look at a response chosen 500 times
    counts 500.
    """
    if scores is None:
        scores = [a["score"] for a in answers]
    parts = None
    if q["type"] == "cer":
        given = [a.get("parts") or {} for a in answers]
        parts = (
            fsum(p.get("verdict", 0.0) for p in given),
            fsum(p.get("evidence", 0.0) for p in given),
        )
    reasons = [
        {
            "nickname": nicknames.get(a["participant_id"], ""),
            "reason": a["reason"],
            "right": is_right(a["score"]),
        }
        for a in answers
        if a.get("reason")
    ]
    if responses is None:
        responses = tally(answers)
    totals = Totals(len(answers), sum(map(right_of, scores)), fsum(scores), parts)
    return figures(q, totals, responses, reasons, labels)


class Totals(NamedTuple):
    """What a question's figures need of its answers, however they were counted: how
    many, how many fully right, the sum of their scores (exact: ``math.fsum``, so that
    it does not depend on the order they are added in), and for a claim-evidence-
    reasoning question the sums of its verdict and evidence parts."""

    n: int
    right: int
    score: float
    parts: tuple[float, float] | None = None


def _mean(total: float, n: int) -> float | None:
    return round3(total / n) if n else None


def figures(q: dict, totals: Totals, responses: Tally, reasons: list[dict], labels: dict) -> dict:
    """A question's statistics from its totals, its tally and its written reasons (as
    ``stats`` gives them; ``results.tallies`` counts them in SQL for the live panel)."""
    n = totals.n
    options = (_order_options if q["type"] == "order" else _choice_options)(q, responses, n)
    out = {
        "pk": q["pk"],
        "number": q["number"],
        "part": q["part"],
        "id": q["id"],
        "type": q["type"],
        "stem": q["stem"],
        "skills": list(q["skills"]),
        "difficulty": q.get("difficulty"),
        "discernment": bool(q.get("discernment")),
        "answered": n,
        "right": totals.right,
        "facility": _mean(totals.score, n),
        "enough": enough(n, "facility"),
        "counts": "placed right" if q["type"] == "order" else "chosen",
        "options": options,
        "verdict_facility": None,
        "evidence_facility": None,
        "evidence": None,
        "wrong": None if q["type"] == "order" else _most_chosen_wrong(options, labels),
        "reasons": reasons,
    }
    if q["type"] == "cer":
        out.update(_evidence_figures(q, totals, responses))
    return out


def _option(q: dict, o: dict, keyed: bool, position: int | None, count: int, n: int) -> dict:
    return {
        "id": o["id"],
        "label": option_label(q, o),
        "text": o.get("text", ""),
        "keyed": keyed,
        "position": position,
        "count": count,
        "share": share(count, n),
        "feedback": o.get("feedback"),
        "misconception": o.get("misconception"),
    }


def _order_options(q: dict, responses: Tally, n: int) -> list[dict]:
    """Whole orderings rarely repeat: count, per item, who put it in its right place."""
    by_id = {o["id"]: o for o in q["options"]}
    placed = Counter()
    for response, times in responses:
        ids = chosen(response)
        for position, oid in enumerate(q["key"]):
            if len(ids) > position and ids[position] == oid:
                placed[position] += times
    return [
        _option(q, by_id[oid], True, position + 1, placed[position], n)
        for position, oid in enumerate(q["key"])
    ]


def _choice_options(q: dict, responses: Tally, n: int) -> list[dict]:
    counts = Counter()
    for response, times in responses:
        # set(chosen(response)), without the list: a few thousand responses a report.
        for oid in set((response or _NO_RESPONSE).get("options") or ()):
            counts[oid] += times
    return [_option(q, o, o["id"] in q["key"], None, counts[o["id"]], n) for o in q["options"]]


_NO_RESPONSE: dict = {}


def _most_chosen_wrong(options: list[dict], labels: dict) -> dict | None:
    wrong = [o for o in options if not o["keyed"] and o["count"]]
    if not wrong:
        return None
    top = max(wrong, key=lambda o: o["count"])  # ties: the first in option order
    label = top["misconception"]
    readable = labels.get(label, {}).get("label", label) if label else None
    return {**top, "misconception_label": readable}


def _evidence_figures(q: dict, totals: Totals, responses: Tally) -> dict:
    """A claim-evidence-reasoning question's verdict and evidence parts."""
    n = totals.n
    picked = Counter()
    for response, times in responses:
        for e in set((response or {}).get("evidence") or []):
            picked[e] += times
    verdict, evidence = totals.parts or (0.0, 0.0)
    return {
        "verdict_facility": _mean(verdict, n),
        "evidence_facility": _mean(evidence, n),
        "evidence": [
            {
                "number": e,
                "keyed": e in q.get("evidence_key", []),
                "count": picked[e],
                "share": share(picked[e], n),
            }
            for e in q.get("evidence_choices", [])
        ],
    }


def discrimination(d: SessionData, people: People) -> list[dict]:
    """Corrected item-total point-biserial and the upper-lower 27% index of each main
    question, in question order.

    The rest score is the participant's mean score on the other main questions they
    answered (the same correlation as the usual sum when everyone answered everything,
    and fair to those who did not finish). Upper and lower groups are ranked by the mean
    score on every main question answered, ties broken by joining order.
    """
    # Each person's main scores with their sum and count, in joining order.
    totals = []
    for p in d.people:
        scores = people.main_scores[p["id"]]
        if scores:
            values = list(scores.values())
            totals.append((scores, sum(values), len(values), p["number"]))
    # The ranking is the same for every question: sort once, then keep those who
    # answered the question, in that order.
    ranked = [t[0] for t in sorted(totals, key=lambda t: (-t[1] / t[2], t[3]))]
    out = []
    for q in d.main:
        pk = q["pk"]
        # In one pass over those who answered the question: their mean on every main
        # question, and (for those with another answer) the item's score and the rest
        # score, from the person's totals: linear, not a rescan per question.
        means, xs, ys = [], [], []
        for scores, total, count, _ in totals:
            item = scores.get(pk)
            if item is None:
                continue
            means.append(total / count)
            if count > 1:
                xs.append(item)
                ys.append((total - item) / (count - 1))
        n = len(means)
        row = {
            "n": n,
            "enough": enough(n, "discrimination"),
            "point_biserial": None,
            "upper_lower": None,
            "group_size": None,
        }
        if len(xs) >= MIN_FOR_DISCRIMINATION:
            # More than one distinct value (rounding is monotonic: the extremes tell).
            if min(xs) != max(xs) and round(min(ys), 9) != round(max(ys), 9):
                row["point_biserial"] = round3(correlation(xs, ys))
        if n >= MIN_FOR_DISCRIMINATION and round(min(means), 9) != round(max(means), 9):
            items = [scores[pk] for scores in ranked if pk in scores]
            size = max(1, round(UPPER_LOWER_SHARE * n))
            upper = mean(items[:size])
            lower = mean(items[-size:])
            row["upper_lower"] = round3(upper - lower)
            row["group_size"] = size
        out.append(row)
    return out


def correlation(x: list[float], y: list[float]) -> float:
    """Pearson's r as Python 3.11's statistics.correlation computes it (the same sums,
    each rounded once by fsum), with the deviations made once: its generators were
    most of the discrimination's time over 100,000 answers. Needs two or more points
    and neither input constant (the caller checks)."""
    n = len(x)
    xbar = fsum(x) / n
    ybar = fsum(y) / n
    dx = [xi - xbar for xi in x]
    dy = [yi - ybar for yi in y]
    return fsum(map(mul, dx, dy)) / sqrt(fsum(map(mul, dx, dx)) * fsum(map(mul, dy, dy)))
