"""The report's figures per question: options chosen, facility, discrimination.

The session is tests/data/report_session.py: small enough to check every figure by
hand (six participants, two teams, check questions before and after, five main
questions of every type).
"""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.results import items, report
from quiz.results.items import question_stats

from .data.report_session import (
    MISCONCEPTIONS,
    opt,
    question,
    session_data,
)


@pytest.fixture
def r() -> dict:
    """The report of tests/data/report_session.py's session (a fresh one per test)."""
    questions, participants, teams, answers = session_data()
    return report.build(questions, participants, teams, answers, MISCONCEPTIONS)


def stats(qid: str, **options) -> dict:
    """The statistics of one question of the report's session."""
    questions, participants, _, answers = session_data()
    q = next(q for q in questions if q["id"] == qid)
    return question_stats(q, answers, participants, **options)


# Per question ----------------------------------------------------------------------


def test_question_stats_count_options_and_find_the_most_chosen_wrong_option():
    s = stats("video", misconceptions=MISCONCEPTIONS)
    assert s["answered"] == 6
    assert s["right"] == 3
    assert s["facility"] == 0.5
    assert [(o["id"], o["count"], o["share"], o["keyed"]) for o in s["options"]] == [
        ("a", 2, 0.333, False),
        ("b", 3, 0.5, True),
        ("c", 1, 0.167, False),
    ]
    assert s["wrong"]["id"] == "a"
    assert s["wrong"]["count"] == 2
    assert s["wrong"]["text"] == "It proves the withdrawal"
    assert s["wrong"]["feedback"] == "Feedback on It proves the withdrawal."
    assert s["wrong"]["misconception"] == "seeing-is-believing"
    assert s["wrong"]["misconception_label"] == "Seeing is believing"
    assert s["reasons"] == [
        {"nickname": "Ada", "reason": "Filmed in Crimea", "right": True},
        {"nickname": "Cleo", "reason": "It is a video!", "right": False},
    ]


def test_question_stats_for_one_team_and_ties_go_to_the_first_option():
    blues = stats("video", team_id=2)
    assert blues["answered"] == 2
    assert blues["facility"] == 0.0
    # Dev chose a, Eli chose c: a tie, settled by option order.
    assert (blues["wrong"]["id"], blues["wrong"]["count"]) == ("a", 1)
    assert blues["wrong"]["misconception_label"] == "seeing-is-believing"  # no labels given


def test_select_all_counts_every_option_chosen():
    s = stats("sources")
    assert s["facility"] == 0.5
    assert {o["id"]: o["count"] for o in s["options"]} == {"a": 5, "b": 4, "c": 2, "d": 1}
    assert s["wrong"]["id"] == "c"


def test_order_questions_count_items_placed_right_instead_of_orderings():
    s = stats("chain")
    assert s["counts"] == "placed right"
    assert s["facility"] == 0.778  # (1 + 1 + 2/3 + 2/3 + 1/3 + 1) / 6
    assert [(o["position"], o["id"], o["count"]) for o in s["options"]] == [
        (1, "c", 4),
        (2, "a", 3),
        (3, "b", 4),
    ]
    assert s["wrong"] is None


def test_claim_evidence_questions_report_verdict_and_evidence_separately():
    s = stats("claim", misconceptions=MISCONCEPTIONS)
    assert s["answered"] == 5
    assert s["facility"] == 0.6
    assert s["verdict_facility"] == 0.6
    assert s["evidence_facility"] == 0.6
    assert [(e["number"], e["keyed"], e["count"]) for e in s["evidence"]] == [
        (2, False, 2),
        (4, True, 4),
        (6, False, 0),
    ]
    assert s["wrong"]["id"] == "no"
    assert s["wrong"]["misconception_label"] == "Not proven means false"


def test_passage_options_are_named_by_their_number():
    q = question(
        9,
        1,
        "main",
        "where",
        "passage",
        ["EVI"],
        [opt("p1", "Long passage one", passage=1), opt("p2", "Long passage two", passage=2)],
        ["p2"],
    )
    answer = {
        "participant_id": "x",
        "question_id": 9,
        "response": {"options": ["p1"]},
        "score": 0.0,
        "parts": {"choice": 0.0},
        "confidence": None,
        "reason": None,
    }
    s = question_stats(q, [answer])
    assert [o["label"] for o in s["options"]] == ["Passage 1", "Passage 2"]
    assert s["wrong"]["label"] == "Passage 1"
    assert s["reasons"] == []


# Report ----------------------------------------------------------------------------


def test_overview_and_questions_cover_the_main_set_only(r):
    ov = r["overview"]
    assert ov == {
        "participants": 6,
        "started": 6,
        "finished": 5,
        "questions": 5,
        "answers": 29,
        "mean_percent": 56,  # 100, 90, 13, 43, 47, 40
        "median_percent": 45,
        "facility": 0.576,
        "has_checks": True,
        "has_teams": True,
    }
    assert [q["number"] for q in r["questions"]] == [3, 4, 5, 6, 7]
    assert [q["facility"] for q in r["questions"]] == [0.5, 0.5, 0.5, 0.778, 0.6]


def test_point_biserial_is_the_corrected_item_total_correlation(r):
    video = r["questions"][0]["discrimination"]
    item = [1, 1, 0, 0, 0, 1]
    # Each participant's mean on the other main questions they answered.
    rest = [1.0, 3.5 / 4, (2 / 3) / 4, (0.5 + 2 / 3 + 1) / 4, (0.5 + 1 + 1 / 3 + 0.5) / 4, 1 / 3]
    assert video["n"] == 6
    assert video["point_biserial"] == round(statistics.correlation(item, rest), 3)
    assert video["point_biserial"] == 0.531


def test_upper_lower_index_uses_the_top_and_bottom_27_percent(r):
    d = {q["id"]: q["discrimination"] for q in r["questions"]}
    # Six participants: groups of round(0.27 × 6) = 2. By mean main score the top two are
    # Ada (1.0) and Ben (0.9), the bottom two Cleo (0.13) and Dev (0.43).
    assert d["video"]["group_size"] == 2
    assert d["video"]["upper_lower"] == 1.0
    assert d["sources"]["upper_lower"] == 0.75  # (1 + 1)/2 − (0 + 0.5)/2
    assert d["chain"]["upper_lower"] == 0.333  # 1 − (2/3 + 2/3)/2
    # Five answered the last question: groups of one.
    assert d["claim"]["group_size"] == 1
    assert d["claim"]["upper_lower"] == 1.0


def test_discrimination_is_none_with_fewer_than_four_answers_or_no_spread():
    questions, participants, teams, answers = session_data()
    few = [a for a in answers if a["participant_id"] in ("secret-1", "secret-2", "secret-3")]
    r = report.build(questions, participants, teams, few, MISCONCEPTIONS)
    assert all(q["discrimination"]["point_biserial"] is None for q in r["questions"])
    assert all(q["discrimination"]["upper_lower"] is None for q in r["questions"])
    # Everyone right on every question: no variance at all.
    right = [{**a, "score": 1.0} for a in answers]
    r = report.build(questions, participants, teams, right, MISCONCEPTIONS)
    assert r["questions"][0]["discrimination"]["point_biserial"] is None
    assert r["questions"][0]["discrimination"]["upper_lower"] is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.25, 0.5, 2 / 3, 1.0]), st.floats(0, 1)),
        min_size=2,
        max_size=60,
    )
)
def test_the_item_total_correlation_is_the_standard_librarys_to_the_last_bit(pairs):
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    try:
        expected = statistics.correlation(xs, ys)
    except (statistics.StatisticsError, ZeroDivisionError):
        return  # a constant input: the report checks for that before it asks
    assert items.correlation(xs, ys) == expected
