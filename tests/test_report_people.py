"""The report's confidence, scepticism, learning gain, skills, participants and teams.

The session is tests/data/report_session.py: small enough to check every figure by
hand (six participants, two teams, check questions before and after, five main
questions of every type).
"""

from __future__ import annotations

import pytest

from quiz.results import charts, report
from quiz.sets.vocabulary import SKILLS

from .data.report_session import (
    MISCONCEPTIONS,
    make_questions,
    session_data,
)


@pytest.fixture
def r() -> dict:
    """The report of tests/data/report_session.py's session (a fresh one per test)."""
    questions, participants, teams, answers = session_data()
    return report.build(questions, participants, teams, answers, MISCONCEPTIONS)


def test_confidence_means_calibration_and_confident_wrong_answers(r):
    c = r["confidence"]
    assert c["rated"] == 20
    assert (c["n_right"], c["mean_right"]) == (9, 2.22)  # 20 / 9
    assert (c["n_wrong"], c["mean_wrong"]) == (11, 2.27)  # 25 / 11
    assert [
        (row["confidence"], row["n"], row["right"], row["share_right"]) for row in c["calibration"]
    ] == [
        (1, 4, 2, 0.5),
        (2, 7, 3, 0.429),
        (3, 9, 4, 0.444),
    ]
    assert [row["band"] for row in c["calibration"]] == [(0.0, 0.667), (0.667, 0.8), (0.8, 1.0)]
    assert c["confident_wrong_min"] == 2
    assert [(w["confidence"], w["question"], w["nickname"]) for w in c["confident_wrong"]] == [
        (3, 3, "Cleo"),
        (3, 4, "Cleo"),
        (3, 5, "Cleo"),
        (3, 7, "Ben"),
        (3, 7, "Eli"),
        (2, 3, "Eli"),
        (2, 4, "Eli"),
        (2, 5, "Dev"),
        (2, 7, "Cleo"),
    ]
    assert c["confident_wrong"][0]["chosen"] == ["It proves the withdrawal"]
    assert c["confident_wrong"][6]["chosen"] == ["Reuters", "Interfax", "Many outlets"]
    marks = {m["nickname"]: (m["rated"], m["mark"], m["max"]) for m in c["certainty"]}
    assert marks == {
        "Ada": (4, 12, 12),
        "Ben": (3, -2, 9),
        "Cleo": (4, -20, 12),
        "Dev": (3, 0, 9),
        "Eli": (4, -9, 12),
        "Fay": (2, 1, 6),
    }


def test_blanket_scepticism_index(r):
    s = r["scepticism"]
    assert [(q["number"], q["answered"], q["wrong"]) for q in s["questions"]] == [
        (5, 6, 3),
        (7, 5, 3),
    ]
    assert (s["answers"], s["wrong"], s["index"]) == (11, 6, 0.545)
    assert s["baseline"] == 0.556  # 10 of 18 on the other main questions
    people = {p["nickname"]: (p["answers"], p["wrong"], p["index"]) for p in s["participants"]}
    assert people["Ada"] == (2, 0, 0.0)
    assert people["Eli"] == (2, 1, 0.5)
    assert people["Fay"] == (1, 1, 1.0)


def test_scepticism_index_is_none_without_discernment_questions():
    questions, participants, teams, answers = session_data()
    plain = [{**q, "discernment": False} for q in questions]
    r = report.build(plain, participants, teams, answers, MISCONCEPTIONS)
    assert r["scepticism"]["index"] is None
    assert r["scepticism"]["questions"] == []


def test_learning_gain_overall_per_skill_and_per_participant(r):
    lg = r["learning"]
    assert lg["before"] == {"questions": 2, "answers": 12, "mean": 0.583}
    assert lg["after"] == {"questions": 2, "answers": 10, "mean": 0.8}
    assert lg["gain"] == 0.217
    assert [(s["tag"], s["before"], s["after"], s["gain"]) for s in lg["skills"]] == [
        ("EVI", 0.5, 0.8, 0.3),
        ("ATT", 0.667, 0.8, 0.133),
    ]
    people = {p["nickname"]: (p["before"], p["after"], p["gain"]) for p in lg["participants"]}
    assert people["Ben"] == (0.5, 1.0, 0.5)
    assert people["Fay"] == (1.0, None, None)
    paired = {k: lg["paired"][k] for k in ("n", "before", "after", "gain", "enough", "interval")}
    assert paired == {
        "n": 5,
        "before": 0.5,
        "after": 0.8,
        "gain": 0.3,
        "enough": False,
        "interval": None,
    }


def test_no_learning_gain_without_check_forms():
    questions, participants, teams, answers = session_data(checks=False)
    r = report.build(questions, participants, teams, answers, MISCONCEPTIONS)
    assert r["learning"] is None
    assert r["overview"]["has_checks"] is False
    assert all(p["before"] is None and p["after"] is None for p in r["participants"])


def test_skills_for_the_group_and_each_participant(r):
    assert r["skill_tags"] == ["EVI", "SRC", "ATT", "COR", "GEO"]  # documented order
    skills = {s["tag"]: s for s in r["skills"]}
    assert skills["EVI"]["name"] == SKILLS["EVI"]
    assert (skills["EVI"]["questions"], skills["EVI"]["answers"]) == (3, 17)
    assert skills["EVI"]["mean"] == 0.529  # 9 / 17
    assert {t: s["mean"] for t, s in skills.items()} == {
        "EVI": 0.529,
        "SRC": 0.5,
        "ATT": 0.778,
        "COR": 0.6,
        "GEO": 0.5,
    }
    evi = {p["nickname"]: (p["answered"], p["mean"]) for p in skills["EVI"]["participants"]}
    assert evi["Ben"] == (3, 0.833)
    assert evi["Fay"] == (2, 0.5)


def test_participants_table(r):
    rows = r["participants"]
    assert [row["nickname"] for row in rows] == ["Ada", "Ben", "Cleo", "Dev", "Eli", "Fay"]
    assert [row["percent"] for row in rows] == [100, 90, 13, 43, 47, 40]
    fay = rows[5]
    assert fay["number"] == 6
    assert fay["team"] is None
    assert (fay["answered"], fay["total"], fay["score"], fay["right"]) == (4, 5, 2.0, 2)
    assert fay["before"] == {"answered": 2, "total": 2, "score": 2.0, "mean": 1.0, "percent": 100}
    assert fay["after"] is None
    ben = rows[1]
    assert (ben["team"], ben["score"], ben["certainty"], ben["certainty_max"]) == (
        "Reds",
        4.5,
        -2,
        9,
    )
    assert ben["skills"]["EVI"] == 0.833
    assert ben["after"]["percent"] == 100


def test_teams_table(r):
    teams = {t["name"]: t for t in r["teams"]}
    assert list(teams) == ["Reds", "Blues", "No team"]
    assert (teams["Reds"]["members"], teams["Reds"]["answered"], teams["Reds"]["percent"]) == (
        3,
        15,
        68,  # mean of 100, 90 and 13
    )
    assert teams["Reds"]["nicknames"] == ["Ada", "Ben", "Cleo"]
    assert teams["Blues"]["percent"] == 45
    assert teams["Reds"]["skills"]["EVI"] == 0.611  # 5.5 / 9
    assert teams["No team"]["members"] == 1


def test_no_teams_means_no_team_rows():
    questions, participants, teams, answers = session_data(teams=False)
    r = report.build(questions, participants, teams, answers, MISCONCEPTIONS)
    assert r["teams"] == []
    assert r["misconceptions"]["teams"] == []
    assert r["overview"]["has_teams"] is False


def test_an_empty_session_builds():
    r = report.build(make_questions(), [], [], [], MISCONCEPTIONS)
    assert r["overview"]["mean_percent"] is None
    assert r["questions"][0]["facility"] is None
    assert r["confidence"]["rated"] == 0
    assert r["scepticism"]["index"] is None
    assert r["learning"]["before"]["mean"] is None
    assert all(v == "" or v.startswith("<svg") for v in charts.charts_for(r).values())
