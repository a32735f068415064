"""The report's charts: accessible, self-contained SVG with escaped text.

The session is tests/data/report_session.py: small enough to check every figure by
hand (six participants, two teams, check questions before and after, five main
questions of every type).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from quiz.results import charts, report

from .data.report_session import (
    MISCONCEPTIONS,
    session_data,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def r() -> dict:
    """The report of tests/data/report_session.py's session (a fresh one per test)."""
    questions, participants, teams, answers = session_data()
    return report.build(questions, participants, teams, answers, MISCONCEPTIONS)


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
