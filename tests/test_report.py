"""The facilitator's report, the live view and the charts (plain data, no Flask).

The session is tests/data/report_session.py: small enough to check every figure by
hand (six participants, two teams, check questions before and after, five main
questions of every type).
"""

from __future__ import annotations

import copy
import json
import statistics
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from quiz.results import charts, csv_files, page, report
from quiz.results.data import SessionData
from quiz.results.items import question_stats
from quiz.results.live import view as live_view
from quiz.results.misconceptions import figures as misconception_figures
from quiz.results.misconceptions import ranked_rows
from quiz.results.page import tables as report_tables
from quiz.sets.vocabulary import SKILLS
from quiz.web import formatting, templating

from .data.report_session import (
    MISCONCEPTIONS,
    make_participants,
    make_questions,
    opt,
    question,
    session_data,
    shared,
)

ROOT = Path(__file__).parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def r() -> dict:
    questions, participants, teams, answers = session_data()
    return report.build(questions, participants, teams, answers, MISCONCEPTIONS)


def stats(qid: str, **options) -> dict:
    """The statistics of one question of the report's session."""
    questions, participants, _, answers = session_data()
    q = next(q for q in questions if q["id"] == qid)
    return question_stats(q, answers, participants, **options)


def by_number(rows, key="number"):
    return {row[key]: row for row in rows}


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


# Charts ----------------------------------------------------------------------------


def parse_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    # Laid out in % and em, without a viewBox: its text is the body's size at any width.
    assert root.get("viewBox") is None
    assert root.get("height").endswith("em")
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc") is not None and root.find(f"{SVG}desc").text
    for el in root.iter():
        assert el.tag not in (f"{SVG}script", f"{SVG}foreignObject", f"{SVG}image", f"{SVG}use")
        assert "style" not in el.attrib
        assert not any("href" in name for name in el.attrib)
        assert not any(name.startswith("on") for name in el.attrib)
        if el.tag == f"{SVG}text":
            assert el.get("font-size") is None  # inherited from the page's body text
    return root


def test_every_report_chart_is_an_accessible_self_contained_svg(r):
    drawn = charts.charts_for(r)
    assert set(drawn) == {"facility", "skills", "misconceptions", "calibration", "before_after"}
    for key, svg in drawn.items():
        assert svg, key
        parse_svg(svg)
    facility = parse_svg(drawn["facility"])
    texts = [t.text for t in facility.iter(f"{SVG}text")]
    assert "Q6" in texts and "78%" in texts  # short labels beside their bars
    desc = facility.find(f"{SVG}desc").text
    assert "Question 3: 50%" in desc
    calibration = parse_svg(drawn["calibration"])
    assert "Fairly sure: 43% right of 7 answers" in calibration.find(f"{SVG}desc").text


def test_charts_without_checks_or_ratings_are_empty_strings():
    questions, participants, teams, answers = session_data(checks=False)
    unrated = [{**a, "confidence": None} for a in answers]
    r = report.build(questions, participants, teams, unrated, MISCONCEPTIONS)
    drawn = charts.charts_for(r)
    assert drawn["before_after"] == ""
    assert drawn["calibration"] == ""
    assert drawn["facility"]


def test_chart_text_is_escaped():
    hostile = '<script>alert(1)</script> & "quotes"'
    for svg in (
        charts.bar_chart(hostile, [(hostile, 0.5), ("none", None)]),
        charts.before_after_chart([(hostile, 0.2, None)], title=hostile),
    ):
        assert "<script>" not in svg
        root = parse_svg(svg)
        assert root.find(f"{SVG}title").text == hostile
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert any(t and t.startswith("<script>alert(1)") for t in texts)


def test_bar_chart_of_counts_and_empty_chart():
    svg = charts.bar_chart("Counts", [("A", 4), ("B", 1)], max_value=4, percent=False)
    texts = [t.text for t in parse_svg(svg).iter(f"{SVG}text")]
    assert "4" in texts and "1" in texts
    parse_svg(charts.bar_chart("Nothing", []))
    parse_svg(
        charts.calibration_chart(report.build([], [], [], [], {})["confidence"]["calibration"])
    )


# Template --------------------------------------------------------------------------


class Tags(HTMLParser):
    """Check that the HTML nests properly; count tables, captions, headers and headings."""

    VOID = {"br", "img", "input", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.h2: list[str] = []
        self.th = self.th_scoped = self.captions = self.tables = self.wrapped = 0

    def inside(self, tag: str) -> bool:
        return any(name == tag for name, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.inside("svg") or tag in self.VOID:
            return
        if tag == "table":
            self.tables += 1
            self.wrapped += "table-wrap" in self.stack[-1][1].get("class", "")
        self.th += tag == "th"
        self.th_scoped += tag == "th" and attrs.get("scope") in ("col", "row")
        self.captions += tag == "caption"
        if tag == "h2":
            self.h2.append("")
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in self.VOID or (self.inside("svg") and tag != "svg"):
            return
        assert self.stack and self.stack[-1][0] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data):
        if self.inside("h2"):
            self.h2[-1] += data.strip()


def render(r, **extra) -> str:
    env = Environment(loader=FileSystemLoader(str(ROOT / "templates")))
    templating.install(env)  # the app's filters and labels
    return env.get_template("results/_report.html").render(
        r=r,
        charts=charts.charts_for(r),
        view=report_tables(r),
        skills=SKILLS,
        misconceptions=MISCONCEPTIONS,
        **extra,
    )


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    assert tags.stack == []
    assert tags.th == tags.th_scoped
    assert tags.captions == tags.tables
    assert tags.wrapped == tags.tables
    return tags


def test_report_renders_every_section_with_checks_and_teams(r):
    html = render(r)
    tags = parsed(html)
    assert tags.h2 == [
        "Overview",
        "Questions",
        "Skills",
        "Misconceptions",
        "Confidence",
        "Blanket scepticism",
        "Learning gain",
        "Participants",
        "Teams",
    ]
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 5
    assert "Not proven means false" in html
    assert "Filmed in Crimea" in html
    assert "−20" in html or "-20" in html


def test_report_renders_without_checks_or_teams():
    questions, participants, teams, answers = session_data(checks=False, teams=False)
    r = report.build(questions, participants, teams, answers, MISCONCEPTIONS)
    html = render(r)
    tags = parsed(html)
    assert "Learning gain" not in tags.h2
    assert "Teams" not in tags.h2
    assert "Check before" not in html


def test_report_escapes_participant_text_even_without_autoescape():
    nicknames = ("<b>Ada</b>", "Ben", "Cleo", "Dev", "Eli", "Fay")
    questions, participants, teams, answers = session_data(nicknames=nicknames)
    answers = [{**a, "reason": "<script>alert(1)</script>"} if a["reason"] else a for a in answers]
    r = report.build(questions, participants, teams, answers, MISCONCEPTIONS)
    html = render(r)
    assert "<b>Ada</b>" not in html and "&lt;b&gt;Ada&lt;/b&gt;" in html
    assert "<script>" not in html


# What the template's macros wrote before the long tables took their text from
# reportview: the same text, figure for figure.
OLD_MACROS = (
    "{%- macro pct(x) -%}{% if x is none %}—{% else %}{{ (x * 100)|round|int }}%"
    "{% endif %}{%- endmacro -%}"
    "{%- macro signed(x) -%}{% if x is none %}—{% else %}{{ '%+d'|format(x) }}"
    "{% endif %}{%- endmacro -%}"
    "{%- macro change(x) -%}{% if x is none %}—{% else %}"
    "{{ '%+d'|format((x * 100)|round|int) }} points{% endif %}{%- endmacro -%}"
    "{%- macro check(c) -%}{% if c is none %}—{% else %}{{ '%g'|format(c.score) }} of "
    "{{ c.answered }} ({{ c.percent }}%){% endif %}{%- endmacro -%}"
)


WRITERS = {
    "pct": formatting.percent,
    "signed": formatting.signed,
    "change": formatting.change,
    "check": page.check,
}


@pytest.mark.parametrize("name", ["pct", "signed", "change", "check"])
def test_reportview_writes_what_the_template_macros_wrote(name):
    macros = Environment(autoescape=True).from_string(OLD_MACROS).module
    fractions = [None, 0.0, 0.004, 0.005, 0.015, 0.125, 0.333, 0.5, 0.667, 0.995, 1.0, -0.125]
    values = {
        "pct": fractions,
        "change": fractions,
        "signed": [None, -6, -2, 0, 3, 12],
        "check": [None]
        + [
            {"score": score, "answered": 2, "percent": round(100 * score / 2)}
            for score in (0, 0.5, 1.0, 4 / 3, 2)
        ],
    }[name]
    for value in values:
        assert WRITERS[name](value) == str(getattr(macros, name)(value)), value


# The rows of the long tables as the template wrote them before reportview did, with
# the data-labels that let them become cards on a phone (and each nickname in a
# <bdi>, as every page has it since issue 13).
OLD_ROWS = {
    "skills": '{% for p in r.participants %}{{ sep(loop) }}<tr><th scope="row">{{ p.number }}. '
    '<bdi>{{ p.nickname }}</bdi></th>{% for s in r.skills %}<td data-label="{{ s.name }}">'
    "{{ pct(p.skills[s.tag]) }}</td>"
    "{% endfor %}</tr>{% endfor %}",
    "participants": "{% set ov = r.overview %}{% for p in r.participants %}{{ sep(loop) }}"
    '<tr><th scope="row">{{ p.number }}. <bdi>{{ p.nickname }}</bdi></th>'
    "{% if ov.has_teams %}<td data-label=\"Team\">{{ p.team or '—' }}</td>{% endif %}"
    '<td data-label="Answered">{{ p.answered }} of {{ p.total }}</td>'
    "<td data-label=\"Score\">{{ '%g'|format(p.score) }}</td>"
    '<td data-label="Percent">{% if p.percent is none %}—{% else %}{{ p.percent }}%{% endif %}'
    '</td><td data-label="Certainty mark">{{ signed(p.certainty) }}{% if p.rated %} '
    '<span class="meta">of {{ p.certainty_max }}</span>{% endif %}</td>{% if ov.has_checks %}'
    '<td data-label="Check before">{{ check(p.before) }}</td>'
    '<td data-label="Check after">{{ check(p.after) }}</td>{% endif %}</tr>{% endfor %}',
    "misconceptions": "{% for p in r.misconceptions.participants %}{{ sep(loop) }}"
    '<tr><th scope="row">{{ p.number }}. <bdi>{{ p.nickname }}</bdi></th>'
    '<td data-label="Misconceptions chosen">{% if p.rows %}'
    '<ul class="plain">{% for m in p.rows %}<li>{{ m.label }}: {{ m.count }} (question '
    "{{ m.question.number }})</li>{% endfor %}</ul>{% else %}None{% endif %}</td></tr>"
    "{% endfor %}",
    "confident_wrong": "{% for w in r.confidence.confident_wrong %}{{ sep(loop) }}"
    '<tr><th scope="row">{{ w.number }}. <bdi>{{ w.nickname }}</bdi></th><td data-label="Question">'
    '<a href="#report-q{{ w.question }}">{{ w.question }}</a></td>'
    '<td data-label="Confidence">{{ w.confidence }} {{ w.confidence_label }}</td>'
    "<td data-label=\"Chose\">{{ w.chosen|join('; ') }}</td></tr>{% endfor %}",
    "certainty": "{% for m in r.confidence.certainty %}{{ sep(loop) }}"
    '<tr><th scope="row">{{ m.number }}. <bdi>{{ m.nickname }}</bdi></th>'
    '<td data-label="Rated answers">{{ m.rated }}</td>'
    '<td data-label="Mark">{{ signed(m.mark) }}</td>'
    '<td data-label="Highest possible">{{ m.max }}</td></tr>{% endfor %}',
    "scepticism": "{% for p in r.scepticism.participants if p.answers %}{{ sep(loop) }}"
    '<tr><th scope="row">{{ p.number }}. <bdi>{{ p.nickname }}</bdi></th>'
    '<td data-label="Answers">{{ p.answers }}</td>'
    '<td data-label="Not fully right">{{ p.wrong }}</td><td data-label="Index">'
    '{% if p.enough %}{{ pct(p.index) }}{% else %}<span class="too-few">too few answers to '
    "say (needs 5)</span>{% endif %}</td></tr>{% endfor %}",
    "learning": "{% for p in (r.learning.participants if r.learning else []) %}"
    '{{ sep(loop) }}<tr><th scope="row">{{ p.number }}. <bdi>{{ p.nickname }}</bdi></th>'
    '<td data-label="Before">{{ pct(p.before) }}</td><td data-label="After">'
    '{{ pct(p.after) }}</td><td data-label="Change">{{ change(p.gain) }}</td>'
    "</tr>{% endfor %}",
}
OLD_REASONS = (
    "{% for x in q.reasons %}{{ sep(loop) }}<li><strong><bdi>{{ x.nickname }}</bdi></strong>"
    '{% if not x.right %} <span class="meta">(not fully right)</span>{% endif %}: '
    "{{ x.reason }}</li>{% endfor %}"
)


@pytest.mark.parametrize("full", [True, False])
def test_reportview_rows_are_what_the_template_wrote(full):
    nicknames = ("<b>Ada</b>", "Ben & Co", 'Cleo "C"', "Dev", "Eli", "=Fay")
    questions, participants, teams, answers = session_data(
        checks=full, teams=full, nicknames=nicknames
    )
    answers = [
        {**a, "reason": f"<i>{a['reason']}</i> & more"} if a["reason"] else a for a in answers
    ]
    teams = [{**t, "name": f"<{t['name']}>"} for t in teams]
    r = report.build(questions, participants, teams, answers, MISCONCEPTIONS)
    view = report_tables(r)
    env = Environment(autoescape=True)
    env.globals["sep"] = lambda loop: "" if loop.first else "\n"
    for key, source in OLD_ROWS.items():
        old = env.from_string(OLD_MACROS + source).render(r=r)
        assert str(view[key]) == old, key
    assert "&lt;b&gt;Ada&lt;/b&gt;" in view["participants"]
    for q, reasons in zip(r["questions"], view["reasons"], strict=True):
        assert str(reasons) == env.from_string(OLD_REASONS).render(q=q)
    assert any("&lt;i&gt;" in reasons for reasons in view["reasons"])


def test_empty_report_renders():
    r = report.build(make_questions(checks=False), [], [], [], MISCONCEPTIONS)
    tags = parsed(render(r))
    assert "Participants" in tags.h2
