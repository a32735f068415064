"""The live view's tallies and what the report reads from the answers (shared, ordered).

The session is tests/data/report_session.py: small enough to check every figure by
hand (six participants, two teams, check questions before and after, five main
questions of every type).
"""

from __future__ import annotations

import copy
import json

from quiz.results import csv_files, report
from quiz.results.data import SessionData
from quiz.results.live import view as live_view
from quiz.results.page import tables as report_tables

from .data.report_session import (
    MISCONCEPTIONS,
    session_data,
    shared,
)

# Live view -------------------------------------------------------------------------


def test_live_view_progress_questions_and_teams_side_by_side():
    questions, participants, teams, answers = session_data()
    v = live_view(questions, participants, teams, answers, MISCONCEPTIONS)
    assert (v["joined"], v["answers"], v["questions_total"], v["finished"]) == (6, 51, 9, 5)
    fay = v["participants"][5]
    assert (fay["nickname"], fay["answered"], fay["current"], fay["done"]) == ("Fay", 6, 7, False)
    assert (fay["main_answered"], fay["score"]) == (4, 2.0)
    ada = v["participants"][0]
    assert (ada["current"], ada["done"], ada["score"], ada["team"]) == (None, True, 5.0, "Reds")
    assert [q["number"] for q in v["questions"]] == list(range(1, 10))
    assert v["questions"][0]["part"] == "before"
    video = v["questions"][2]
    assert video["wrong"]["misconception_label"] == "Seeing is believing"
    side = {t["name"]: t["questions"][2] for t in v["teams"]}
    assert {name: s["facility"] for name, s in side.items()} == {
        "Reds": 0.667,
        "Blues": 0.0,
        "No team": 1.0,
    }
    assert side["Reds"]["wrong"]["id"] == "a"
    assert side["No team"]["wrong"] is None


# Shared answers ----------------------------------------------------------------------


def test_shared_responses_give_the_same_figures_and_are_left_alone():
    questions, participants, teams, answers = session_data()
    answers = shared(answers)
    assert len({id(a["response"]) for a in answers}) < len(answers)
    before = copy.deepcopy(answers)
    apart = json.loads(json.dumps(answers))  # equal, but no object shared
    args = (questions, participants, teams)
    r = report.build(*args, answers, MISCONCEPTIONS)
    assert r == report.build(*args, apart, MISCONCEPTIONS)
    assert live_view(*args, answers, MISCONCEPTIONS) == live_view(*args, apart, MISCONCEPTIONS)
    assert csv_files.answers_csv(*args, answers) == csv_files.answers_csv(*args, apart)
    assert csv_files.participants_csv(*args, answers) == csv_files.participants_csv(*args, apart)
    report_tables(r)
    assert answers == before


def test_answers_are_ordered_by_time_then_joining_order_whatever_their_input_order():
    questions, participants, teams, answers = session_data()
    # Two answers at the same second: the earlier joiner comes first.
    answers = [{**a, "created_at": "2024-03-01T10:00:00"} for a in answers]
    d = SessionData(questions, participants, teams, answers[::-1])
    numbers = [d.person[a["participant_id"]]["number"] for a in d.answers]
    assert numbers == sorted(numbers)
    # Without times (or with a missing one) the order is still the documented one.
    untimed = [{k: v for k, v in a.items() if k != "created_at"} for a in answers]
    d = SessionData(questions, participants, teams, untimed[::-1])
    numbers = [d.person[a["participant_id"]]["number"] for a in d.answers]
    assert numbers == sorted(numbers)
