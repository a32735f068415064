"""Scoring rules, as documented in questions/README.md (plain functions, no Flask)."""

from __future__ import annotations

import pytest

from quiz.play import scoring


def q(qtype: str, key: list, **extra) -> dict:
    return {"type": qtype, "key": key, **extra}


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["a", "b"], 1.0),
        (["a"], 0.5),
        (["a", "c"], 0.0),
        (["a", "b", "c"], 0.5),
        (["a", "b", "c", "d"], 0.0),
        (["c"], 0.0),
    ],
)
def test_select_all_scores_right_minus_wrong_over_the_key(chosen, expected):
    assert scoring.score(q("multiple", ["a", "b"]), {"options": chosen})[0] == expected


def test_single_and_true_false_score_all_or_nothing():
    assert scoring.score(q("single", ["b"]), {"options": ["b"]}) == (1.0, {"choice": 1.0})
    assert scoring.score(q("true_false", ["true"]), {"options": ["false"]})[0] == 0.0


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["a", "b", "c", "d"], 1.0),
        (["b", "a", "c", "d"], 5 / 6),
        (["d", "c", "b", "a"], 0.0),
        (["a", "c", "b", "d"], 5 / 6),
    ],
)
def test_ordering_scores_the_share_of_pairs_in_the_right_order(given, expected):
    assert scoring.score(q("order", ["a", "b", "c", "d"]), {"options": given})[0] == pytest.approx(
        expected
    )


def test_claim_evidence_reasoning_scores_verdict_and_evidence_separately():
    question = q("cer", ["b"], evidence_key=[20, 21])
    value, parts = scoring.score(question, {"options": ["b"], "evidence": [20]})
    assert parts == {"verdict": 1.0, "evidence": 0.5}
    assert value == 0.75
    value, parts = scoring.score(question, {"options": ["a"], "evidence": [20, 21]})
    assert parts == {"verdict": 0.0, "evidence": 1.0}


@pytest.mark.parametrize(
    ("right", "confidence", "mark"),
    [
        (True, 1, 1),
        (True, 2, 2),
        (True, 3, 3),
        (False, 1, 0),
        (False, 2, -2),
        (False, 3, -6),
        (True, None, None),
    ],
)
def test_certainty_based_marking(right, confidence, mark):
    assert scoring.certainty_mark(right, confidence) == mark
