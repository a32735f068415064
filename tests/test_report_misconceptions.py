"""The report's misconceptions: ranked, per team and per participant.

The session is tests/data/report_session.py: small enough to check every figure by
hand (six participants, two teams, check questions before and after, five main
questions of every type).
"""

from __future__ import annotations

import pytest

from quiz.results import report
from quiz.results.data import SessionData
from quiz.results.misconceptions import figures as misconception_figures
from quiz.results.misconceptions import ranked_rows

from .data.report_session import (
    MISCONCEPTIONS,
    make_participants,
    opt,
    question,
    session_data,
    shared,
)


@pytest.fixture
def r() -> dict:
    """The report of tests/data/report_session.py's session (a fresh one per test)."""
    questions, participants, teams, answers = session_data()
    return report.build(questions, participants, teams, answers, MISCONCEPTIONS)


def by_number(rows, key="number"):
    return {row[key]: row for row in rows}


def test_misconceptions_are_ranked_with_a_question_to_discuss_them_on(r):
    overall = r["misconceptions"]["overall"]
    assert [(m["id"], m["count"], m["participants"]) for m in overall] == [
        ("not-proven-means-false", 5, 4),
        ("official-means-true", 3, 3),
        ("seeing-is-believing", 2, 2),
        ("repetition-is-confirmation", 1, 1),
    ]
    top = overall[0]
    assert top["label"] == "Not proven means false"
    assert top["question"] == {
        "pk": 3,
        "number": 5,
        "stem": "Stem of unconfirmed?",
        "count": 3,
        "option": "False",
    }
    assert overall[1]["question"]["number"] == 4  # two on "sources", one on "video"
    # The check forms' misconceptions stay out of the main figures.
    assert "an-error-means-fake" not in {m["id"] for m in overall}


def test_misconceptions_per_team_and_per_participant(r):
    teams = {
        t["name"]: [(m["id"], m["count"]) for m in t["rows"]] for t in r["misconceptions"]["teams"]
    }
    assert teams == {
        "Reds": [
            ("not-proven-means-false", 2),
            ("official-means-true", 1),
            ("seeing-is-believing", 1),
        ],
        "Blues": [
            ("not-proven-means-false", 2),
            ("official-means-true", 1),
            ("repetition-is-confirmation", 1),
            ("seeing-is-believing", 1),
        ],
        "No team": [("not-proven-means-false", 1), ("official-means-true", 1)],
    }
    people = by_number(r["misconceptions"]["participants"])
    assert people[1]["rows"] == []
    assert [(m["id"], m["count"]) for m in people[3]["rows"]] == [
        ("not-proven-means-false", 2),
        ("official-means-true", 1),
        ("seeing-is-believing", 1),
    ]


def test_misconceptions_counted_by_response_are_those_counted_by_answer():
    questions, participants, _, answers = session_data(teams=False)
    d = SessionData(questions, participants, [], shared(answers))
    found = [
        (q, a["participant_id"], hits)
        for a in d.answers
        if (hits := d.hits(q := d.by_pk[a["question_id"]], a.get("response")))
    ]
    fast = misconception_figures(d, MISCONCEPTIONS)["overall"]
    assert fast == ranked_rows(d, found, MISCONCEPTIONS)
    assert [m["id"] for m in fast][:2] == ["not-proven-means-false", "official-means-true"]


def test_misconceptions_that_tie_on_everything_keep_the_order_first_chosen():
    options = [opt("a", "Right"), opt("b", "Wrong", "m-later-question")]
    questions = [
        question(1, 1, "main", "q1", "single", ["EVI"], options, ["a"]),
        question(
            2,
            2,
            "main",
            "q2",
            "single",
            ["EVI"],
            [{**options[1], "misconception": "m-first"}, options[0]],
            ["a"],
        ),
    ]
    participants = make_participants(("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay"))
    answers = [
        {
            "participant_id": "secret-2",
            "question_id": 2,
            "response": {"options": ["b"]},
            "score": 0.0,
            "created_at": "2024-03-01T10:00:00",
        },
        {
            "participant_id": "secret-1",
            "question_id": 1,
            "response": {"options": ["b"]},
            "score": 0.0,
            "created_at": "2024-03-01T10:05:00",
        },
    ]
    labels = {"m-first": {"label": "Same"}, "m-later-question": {"label": "same"}}
    r = report.build(questions, participants, [], answers, labels)
    assert [m["id"] for m in r["misconceptions"]["overall"]] == ["m-first", "m-later-question"]
    r = report.build(questions, participants, [], answers[::-1], labels)
    assert [m["id"] for m in r["misconceptions"]["overall"]] == ["m-first", "m-later-question"]
