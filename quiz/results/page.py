"""The rows of the report's long tables, for templates/results/_report.html.

A session of a few thousand participants puts a few thousand rows in each of the
report's per-participant tables: some 200,000 figures and texts in all. Placed one by
one by Jinja (a macro call or at least an escape each) they took most of the page's
time, so each row is written here with one f-string and the template puts the rows in
its tables, which keep their captions and column headers there.

Every text that people wrote or chose (nicknames, team names, written reasons, the
labels of options and misconceptions) goes through markupsafe.escape, as the
template's autoescape did, and every nickname through web.formatting.nickname (in a
<bdi>, as the templates' ``|nickname``); the rest are numbers formatted by quiz.web.formatting (the
same functions the templates use as filters). The markup is what the template wrote for
these rows (tests/test_report.py compares both).
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from ..sets.vocabulary import CHECK_PARTS, MINIMUM_ANSWERS, TOO_FEW_PERSON
from ..web.formatting import NONE, change, nickname, percent, signed

NOT_RIGHT = ' <span class="meta">(not fully right)</span>'
# The column headings of these tables; on a phone, where a table's rows become cards,
# each cell is labelled with its column's heading (its data-label).
COLUMNS = {
    "participants": (
        "Participant",
        "Team",
        "Answered",
        "Score",
        "Percent",
        "Certainty mark",
        CHECK_PARTS["before"],
        CHECK_PARTS["after"],
    ),
    "misconceptions": ("Participant", "Misconceptions chosen"),
    "confident_wrong": ("Participant", "Question", "Confidence", "Chose"),
    "certainty": ("Participant", "Rated answers", "Mark", "Highest possible"),
    "scepticism": ("Participant", "Answers", "Not fully right", "Index"),
    "learning": ("Participant", "Before", "After", "Change"),
}


# Each cell's opening tag, written once.
_OPEN = {name: f'<td data-label="{escape(name)}">' for names in COLUMNS.values() for name in names}


def _td(label: str, content) -> str:
    return f"{_OPEN[label]}{content}</td>"


def columns(r: dict) -> dict[str, list[str]]:
    """The column headings of each long table, as ``tables()`` writes its rows."""
    ov = r["overview"]
    out = {key: list(names) for key, names in COLUMNS.items()}
    out["participants"] = [
        name
        for name in COLUMNS["participants"]
        if (name != "Team" or ov["has_teams"])
        and (name not in CHECK_PARTS.values() or ov["has_checks"])
    ]
    return out


def check(c: dict | None) -> str:
    """A check-form result: "1.5 of 2 (75%)"."""
    return NONE if c is None else f"{c['score']:g} of {c['answered']} ({c['percent']}%)"


class _Texts(dict):
    """Labels and other texts that repeat, each escaped once."""

    def __missing__(self, value: str) -> Markup:
        got = self[value] = escape(value)
        return got


def tables(r: dict) -> dict:
    """Return the body rows of the report's long tables from report.build()'s ``r``.

    Keys (each a Markup of <tr> rows, in the order of r): ``skills`` (results per
    skill for each participant), ``participants``, ``misconceptions`` (per participant),
    ``confident_wrong``, ``certainty``, ``scepticism`` (those who answered a
    discernment question), ``learning`` (empty without check forms); ``reasons``: per
    question of r["questions"], its written reasons as a Markup of <li> items;
    ``columns``: each table's column headings (columns()).
    """
    # Each row starts with the participant, "3. Ada", as a row header.
    _, q_, conf_, chose_ = COLUMNS["confident_wrong"]
    _, rated_, mark_, max_ = COLUMNS["certainty"]
    _, answers_, wrong_, index_ = COLUMNS["scepticism"]
    _, before_, after_, change_ = COLUMNS["learning"]
    th = {
        p["number"]: f'<tr><th scope="row">{p["number"]}. {nickname(p["nickname"])}</th>'
        for p in r["participants"]
    }
    texts = _Texts()
    ov, c = r["overview"], r["confidence"]
    # A skill's cell, labelled with the skill's name for the phone's cards.
    skill_td = [(s["tag"], f'<td data-label="{escape(s["name"])}">') for s in r["skills"]]
    learning = r["learning"]["participants"] if r["learning"] else []
    # One participant's scepticism index on too few answers (the count is in its row).
    minimum = MINIMUM_ANSWERS["scepticism_participant"]
    too_few = f'<span class="too-few">{escape(TOO_FEW_PERSON.format(minimum=minimum))}</span>'
    return {
        "skills": _rows(
            th[p["number"]]
            + "".join(f"{td}{percent(p['skills'][t])}</td>" for t, td in skill_td)
            + "</tr>"
            for p in r["participants"]
        ),
        "participants": _rows(_person(th, p, ov) for p in r["participants"]),
        "misconceptions": _rows(
            _misconceptions(th, p, texts) for p in r["misconceptions"]["participants"]
        ),
        "confident_wrong": _rows(
            th[w["number"]]
            + _td(q_, f'<a href="#report-q{w["question"]}">{w["question"]}</a>')
            + _td(conf_, f"{w['confidence']} {texts[w['confidence_label']]}")
            + _td(chose_, texts["; ".join(w["chosen"])])
            + "</tr>"
            for w in c["confident_wrong"]
        ),
        "certainty": _rows(
            th[m["number"]]
            + _td(rated_, m["rated"])
            + _td(mark_, signed(m["mark"]))
            + _td(max_, m["max"])
            + "</tr>"
            for m in c["certainty"]
        ),
        "scepticism": _rows(
            th[p["number"]]
            + _td(answers_, p["answers"])
            + _td(wrong_, p["wrong"])
            + _td(index_, percent(p["index"]) if p["enough"] else too_few)
            + "</tr>"
            for p in r["scepticism"]["participants"]
            if p["answers"]
        ),
        "learning": _rows(
            th[p["number"]]
            + _td(before_, percent(p["before"]))
            + _td(after_, percent(p["after"]))
            + _td(change_, change(p["gain"]))
            + "</tr>"
            for p in learning
        ),
        "reasons": [_reasons(q, texts) for q in r["questions"]],
        "columns": columns(r),
    }


def _rows(rows: Iterable[str]) -> Markup:
    return Markup("\n".join(rows))


def _person(th: dict, p: dict, ov: dict) -> str:
    _, team_, answered_, score_, percent_, mark_, before_, after_ = COLUMNS["participants"]
    team = _td(team_, escape(p["team"] or NONE)) if ov["has_teams"] else ""
    of = f' <span class="meta">of {p["certainty_max"]}</span>' if p["rated"] else ""
    checks = (
        _td(before_, check(p["before"])) + _td(after_, check(p["after"]))
        if ov["has_checks"]
        else ""
    )
    share = NONE if p["percent"] is None else f"{p['percent']}%"
    answered = f"{p['answered']} of {p['total']}"
    score = f"{p['score']:g}"
    mark = f"{signed(p['certainty'])}{of}"
    return (
        f"{th[p['number']]}{team}{_td(answered_, answered)}{_td(score_, score)}"
        f"{_td(percent_, share)}{_td(mark_, mark)}{checks}</tr>"
    )


def _misconceptions(th: dict, p: dict, texts: _Texts) -> str:
    items = "".join(
        f"<li>{texts[m['label']]}: {m['count']} (question {m['question']['number']})</li>"
        for m in p["rows"]
    )
    cell = f'<ul class="plain">{items}</ul>' if items else "None"
    return f"{th[p['number']]}{_td(COLUMNS['misconceptions'][1], cell)}</tr>"


def _reasons(q: dict, texts: _Texts) -> Markup:
    return _rows(
        f"<li><strong>{nickname(x['nickname'])}</strong>{'' if x['right'] else NOT_RIGHT}: "
        f"{escape(x['reason'])}</li>"
        for x in q["reasons"]
    )
