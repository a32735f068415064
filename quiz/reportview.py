"""The report's long tables as display text, for templates/run/_report.html.

A session of a few thousand participants puts a few thousand rows in each of the
report's per-participant tables. Formatting every figure there through Jinja macros
took most of the page's time, so the figures of those rows become their text here,
once, and the template only places them. The functions below write exactly what the
template's macros of the same name write (tests/test_report.py compares them).

Nothing is escaped here: the text goes through the template's autoescape like any
other value.
"""

from __future__ import annotations

from typing import NamedTuple

NONE = "—"


def pct(x: float | None) -> str:
    """A fraction as a whole percent: 0.567 -> "57%"."""
    return NONE if x is None else f"{round(x * 100)}%"


def signed(x: int | None) -> str:
    """A whole number with its sign: 3 -> "+3"."""
    return NONE if x is None else f"{x:+d}"


def change(x: float | None) -> str:
    """A change of a fraction in percentage points: 0.125 -> "+12 points"."""
    return NONE if x is None else f"{round(x * 100):+d} points"


def check(c: dict | None) -> str:
    """A check-form result: "1.5 of 2 (75%)"."""
    return NONE if c is None else f"{c['score']:g} of {c['answered']} ({c['percent']}%)"


class Person(NamedTuple):
    """A participant's row of the skills and participants tables."""

    who: str  # "3. Ada"
    skills: list[str]  # in the order of r["skills"]
    team: str
    answered: str
    score: str
    percent: str
    certainty: str
    rated: int
    certainty_max: int
    before: str
    after: str


class Misconceptions(NamedTuple):
    who: str
    rows: list[tuple[str, int, int]]  # (label, times chosen, question number)


class ConfidentWrong(NamedTuple):
    who: str
    question: int
    confidence: str  # "3 Very sure"
    chosen: str


class Certainty(NamedTuple):
    who: str
    rated: int
    mark: str
    max: int


class Scepticism(NamedTuple):
    who: str
    answers: int
    wrong: int
    index: str


class Learning(NamedTuple):
    who: str
    before: str
    after: str
    gain: str


class Reason(NamedTuple):
    nickname: str
    right: bool
    reason: str


def _who(row: dict) -> str:
    return f"{row['number']}. {row['nickname']}"


def tables(r: dict) -> dict:
    """Return the rows of the report's long tables, from report.build()'s ``r``.

    Keys: ``people`` (Person, as r["participants"]), ``misconceptions``
    (r["misconceptions"]["participants"]), ``confident_wrong``, ``certainty``,
    ``scepticism`` (only those who answered a discernment question), ``learning``
    (empty without check forms) and ``reasons`` (one list per question of r["questions"]).
    """
    tags = [s["tag"] for s in r["skills"]]
    people = [
        Person(
            who=_who(p),
            skills=[pct(p["skills"][tag]) for tag in tags],
            team=p["team"] or NONE,
            answered=f"{p['answered']} of {p['total']}",
            score=f"{p['score']:g}",
            percent=NONE if p["percent"] is None else f"{p['percent']}%",
            certainty=signed(p["certainty"]),
            rated=p["rated"],
            certainty_max=p["certainty_max"],
            before=check(p["before"]),
            after=check(p["after"]),
        )
        for p in r["participants"]
    ]
    c = r["confidence"]
    learning = r["learning"]
    return {
        "people": people,
        "misconceptions": [
            Misconceptions(
                _who(p), [(m["label"], m["count"], m["question"]["number"]) for m in p["rows"]]
            )
            for p in r["misconceptions"]["participants"]
        ],
        "confident_wrong": [
            ConfidentWrong(
                _who(w),
                w["question"],
                f"{w['confidence']} {w['confidence_label']}",
                "; ".join(w["chosen"]),
            )
            for w in c["confident_wrong"]
        ],
        "certainty": [
            Certainty(_who(m), m["rated"], signed(m["mark"]), m["max"]) for m in c["certainty"]
        ],
        "scepticism": [
            Scepticism(_who(p), p["answers"], p["wrong"], pct(p["index"]))
            for p in r["scepticism"]["participants"]
            if p["answers"]
        ],
        "learning": [
            Learning(_who(p), pct(p["before"]), pct(p["after"]), change(p["gain"]))
            for p in (learning["participants"] if learning else [])
        ],
        "reasons": [
            [Reason(x["nickname"], x["right"], x["reason"]) for x in q["reasons"]]
            for q in r["questions"]
        ],
    }
