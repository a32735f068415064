"""Score answers (the rules are documented in questions/README.md)."""

from __future__ import annotations

from itertools import combinations

from ..sets.vocabulary import LEVEL_SCORES

# A score at least this high is full credit (is_right; SQL that counts right answers).
RIGHT = 1.0 - 1e-9
CBM = {True: {1: 1, 2: 2, 3: 3}, False: {1: 0, 2: -2, 3: -6}}


def select_all(chosen: list, keyed: list) -> float:
    """Score a select-all answer: (right − wrong) ÷ number right, at least 0."""
    right = len(set(chosen) & set(keyed))
    wrong = len(set(chosen) - set(keyed))
    return max(0.0, (right - wrong) / len(keyed))


def ordering(given: list, keyed: list) -> float:
    """Score an ordering: the share of item pairs in the right relative order."""
    if len(keyed) < 2:
        return 1.0 if given == keyed else 0.0
    place = {item: i for i, item in enumerate(given)}
    pairs = list(combinations(keyed, 2))
    return sum(place[a] < place[b] for a, b in pairs) / len(pairs)


def score(question: dict, response: dict) -> tuple[float, dict]:
    """Return the accuracy score (0–1) and its parts for a validated response."""
    qtype = question["type"]
    chosen = response.get("options", [])
    key = question["key"]
    if qtype in ("single", "true_false"):
        result = 1.0 if chosen == key else 0.0
        return result, {"choice": result}
    if qtype in ("multiple", "passage"):
        result = select_all(chosen, key)
        return result, {"choice": result}
    if qtype == "order":
        result = ordering(chosen, key)
        return result, {"order": result}
    if qtype == "cer":
        verdict = 1.0 if chosen == key else 0.0
        evidence = select_all(response.get("evidence", []), question["evidence_key"])
        return (verdict + evidence) / 2, {"verdict": verdict, "evidence": evidence}
    if qtype == "open":
        # Stored as 0 until marked; pending() keeps it out of every score till then.
        return 0.0, {"open": True}
    raise ValueError(f"unknown question type {qtype!r}")


def level_of(answer: dict) -> str | None:
    """Return the rubric level a written answer was marked at (None: not marked)."""
    return (answer.get("parts") or {}).get("level")


def pending(answer: dict) -> bool:
    """Whether an answer is a written one still waiting for its mark: it counts in no
    score (numerator or denominator) until marked."""
    parts = answer.get("parts") or {}
    return bool(parts.get("open")) and parts.get("level") not in LEVEL_SCORES


def is_right(score_value: float) -> bool:
    """Return whether an answer earned full credit."""
    return score_value >= RIGHT


def certainty_mark(right: bool, confidence: int | None) -> int | None:
    """Return the certainty-based mark for a rated answer, or None if unrated."""
    if confidence is None:
        return None
    return CBM[right][confidence]
