"""The live panel's figures from answers counted in groups (``queries.answer_groups``),
not read one by one: the same numbers as ``live.view`` gives from every answer, in
the same shape, for each question and each team side by side.

A group is (question id, team id, response JSON, parts JSON, score, how many, the
answer's id when it gives a written reason). Each distinct JSON text is decoded once
and kept for the next refreshes. Sums of scores are exact (``items.Totals``), so
counting in groups gives what counting answer by answer gives.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from fractions import Fraction
from functools import lru_cache

from ..play.counterbalance import arrange
from ..play.scoring import is_right, pending
from ..sets.vocabulary import NO_TEAM
from .data import Rows
from .items import Totals, figures

# A session's few hundred distinct response texts come back at every refresh of its
# panel: each is decoded once and kept (up to DECODED texts, the least recently used
# dropped first), not decoded again each refresh. The decoded values are shared by
# every refresh and only read, never changed.
DECODED = 4096
_decoded = lru_cache(maxsize=DECODED)(json.loads)


@lru_cache(maxsize=DECODED)
def _parts_of(text: str) -> tuple[dict, bool]:
    """A parts JSON text -> (its decoded value, whether the answer waits for a mark)."""
    parts = json.loads(text)
    return parts, pending({"parts": parts})


class _Pile:
    """One question's answers (of everyone, or of one team), as counted groups."""

    def __init__(self) -> None:
        self.n = self.right = 0
        # value -> how many answers have it: scores, and a claim-evidence-reasoning
        # question's verdict and evidence parts.
        self.scores: Counter = Counter()
        self.verdict: Counter = Counter()
        self.evidence: Counter = Counter()
        # id of a decoded response -> [the response, how many gave it] (the teams' piles
        # share the decoded objects, so everyone's pile counts each response once).
        self.responses: dict[int, list] = {}
        self.reasons: list[dict] = []

    def add(self, response, parts: dict, score: float, n: int, right: bool, cer: bool) -> None:
        self.n += n
        if right:
            self.right += n
        self.scores[score] += n
        if cer:
            self.verdict[parts.get("verdict", 0.0)] += n
            self.evidence[parts.get("evidence", 0.0)] += n
        seen = self.responses.get(id(response))
        if seen is None:
            self.responses[id(response)] = [response, n]
        else:
            seen[1] += n

    def figures(self, q: dict, labels: dict) -> dict:
        parts = (_sum(self.verdict), _sum(self.evidence)) if q["type"] == "cer" else None
        totals = Totals(self.n, self.right, _sum(self.scores), parts)
        responses = [(response, n) for response, n in self.responses.values()]
        return figures(q, totals, responses, self.reasons, labels)


def _sum(counts: Counter) -> float:
    """The exact sum of each value times its count, rounded once: what ``math.fsum``
    of every value gives (``items.stats``), whatever the order."""
    # Whole values (most scores are 0 or 1) summed as integers, exactly; the others as
    # fractions, exactly: Fraction arithmetic only where it is needed.
    whole, rest = 0, Fraction(0)
    for value, n in counts.items():
        if value % 1 == 0:
            whole += int(value) * n
        else:
            rest += Fraction(value) * n
    return float(rest + whole)


def panel(
    questions: Rows,
    teams: Rows,
    team_sizes: dict,
    groups: list[tuple],
    reasons: list[tuple],
    labels: dict,
) -> dict:
    """Return ``answers`` (marked or scored answers), ``questions`` and ``teams`` as
    ``live.view`` gives them, from ``queries.answer_groups``, ``queries.reasons_of``
    (the reasons of those groups) and ``queries.team_sizes``."""
    names = {t["id"]: t["name"] for t in teams}
    by_pk = {q["pk"]: q for q in questions}
    piles: dict[tuple, _Pile] = defaultdict(_Pile)  # (pk, team bucket or "all")
    waiting: dict[int, int] = defaultdict(int)
    cer = {q["pk"] for q in questions if q["type"] == "cer"}
    for pk, team_id, response, parts, score, n, _with_reason in groups:
        if pk not in by_pk:
            continue
        parts, waits = _parts_of(parts)
        if waits:
            waiting[pk] += n
            continue
        response, right, is_cer = _decoded(response), is_right(score), pk in cer
        piles[pk, "all"].add(response, parts, score, n, right, is_cer)
        bucket = team_id if team_id in names else None
        piles[pk, bucket].add(response, parts, score, n, right, is_cer)
    for pk, team_id, nickname, reason, score, parts in reasons:
        if pk in by_pk and not _parts_of(parts)[1]:
            row = {"nickname": nickname, "reason": reason, "right": is_right(score)}
            piles[pk, "all"].reasons.append(row)
            piles[pk, team_id if team_id in names else None].reasons.append(row)
    swapped = {q["pk"]: q["number"] for q in arrange(list(questions), "BA")}
    # A question nobody (of a team) answered has the same figures for every team:
    # made once, when first asked for.
    empty: dict[int, dict] = {}

    def figures_of(q: dict, bucket) -> dict:
        pile = piles.get((q["pk"], bucket))
        if pile:
            return pile.figures(q, labels)
        if q["pk"] not in empty:
            empty[q["pk"]] = _Pile().figures(q, labels)
        return empty[q["pk"]]

    return {
        "answers": sum(pile.n for (pk, bucket), pile in piles.items() if bucket == "all"),
        "questions": [
            {
                **_written(q, figures_of(q, "all"), waiting[q["pk"]]),
                "opens_at": min(q["number"], swapped[q["pk"]]),
            }
            for q in questions
        ],
        "teams": [
            {
                "id": bucket,
                "name": name,
                "members": members,
                "questions": [figures_of(q, bucket) for q in questions],
            }
            for bucket, name, members in _buckets(teams, names, team_sizes)
        ],
    }


def _buckets(teams: Rows, names: dict, sizes: dict) -> list[tuple]:
    """(team id, name, members) of each team, then "No team" when some have none (as
    ``SessionData.groups``); none without teams."""
    if not teams:
        return []
    out = [(t["id"], t["name"], sizes.get(t["id"], 0)) for t in teams]
    loose = sum(n for team_id, n in sizes.items() if team_id not in names)
    if loose:
        out.append((None, NO_TEAM, loose))
    return out


def _written(q: dict, figures: dict, waiting: int) -> dict:
    """Add to a written question's figures how many answers it has and how many wait."""
    if q["type"] == "open":
        return {**figures, "waiting": waiting, "written": figures["answered"] + waiting}
    return figures
