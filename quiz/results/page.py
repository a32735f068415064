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
these rows (tests/test_report_page.py compares both).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext, lazy_pgettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..sets.vocabulary import MINIMUM_ANSWERS, TOO_FEW_PERSON
from ..web.formatting import NONE, change, nickname, percent, signed
from ..web.i18n import current_language


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it (translated when shown)."""
    return message


NOT_RIGHT = _l("(not fully right)")
# The column headings of these tables; on a phone, where a table's rows become cards,
# each cell is labelled with its column's heading (its data-label).
COLUMNS = {
    "participants": (
        N_("Participant"),
        N_("Team"),
        N_("Answered"),
        N_("Score"),
        N_("Percent"),
        N_("Certainty mark"),
        N_("Check before"),
        N_("Check after"),
    ),
    "misconceptions": (N_("Participant"), N_("Misconceptions chosen")),
    "confident_wrong": (N_("Participant"), N_("Question"), N_("Confidence"), N_("Chose")),
    "certainty": (N_("Participant"), N_("Rated answers"), N_("Mark"), N_("Highest possible")),
    "scepticism": (N_("Participant"), N_("Answers"), N_("Not fully right"), N_("Index")),
    "learning": (N_("Participant"), N_("Before"), N_("After"), N_("Change")),
}


# "Mark" heads the certainty mark's column; elsewhere "Mark" is a button (to mark an
# answer), so the column's word has a context of its own in the catalogue.
CERTAINTY_MARK = lazy_pgettext("report column: the certainty mark", "Mark")


def _heading(name: str) -> str:
    """A column's heading in the page's language."""
    return str(CERTAINTY_MARK) if name == "Mark" else gettext(name)


# Each cell's opening tag, written once per language.
_OPEN: dict[str, dict[str, str]] = {}


def _opening(label: str) -> str:
    language = current_language()
    if language not in _OPEN:
        _OPEN[language] = {
            name: f'<td data-label="{escape(_heading(name))}">'
            for names in COLUMNS.values()
            for name in names
        }
    return _OPEN[language][label]


def _td(label: str, content) -> str:
    return f"{_opening(label)}{content}</td>"


def columns(r: dict) -> dict[str, list[str]]:
    """The column headings of each long table, as ``tables()`` writes its rows."""
    ov = r["overview"]
    out = {key: [_heading(name) for name in names] for key, names in COLUMNS.items()}
    out["participants"] = [
        _heading(name)
        for name in COLUMNS["participants"]
        if (name != "Team" or ov["has_teams"])
        and (name not in ("Check before", "Check after") or ov["has_checks"])
    ]
    return out


def check(c: dict | None) -> str:
    """A check-form result: "1.5 of 2 (75%)"."""
    if c is None:
        return NONE
    return gettext(
        "%(score)s of %(answered)s (%(percent)s%%)",
        score=f"{c['score']:g}",
        answered=c["answered"],
        percent=c["percent"],
    )


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
    th = {
        p["number"]: f'<tr><th scope="row">{p["number"]}. {nickname(p["nickname"])}</th>'
        for p in r["participants"]
    }
    texts = _Texts()
    # A skill's cell, labelled with the skill's name for the phone's cards.
    skill_td = [(s["tag"], f'<td data-label="{escape(s["name"])}">') for s in r["skills"]]
    return {
        "skills": _rows(
            th[p["number"]]
            + "".join(f"{td}{percent(p['skills'][t])}</td>" for t, td in skill_td)
            + "</tr>"
            for p in r["participants"]
        ),
        "participants": _rows(_person(th, p, r["overview"]) for p in r["participants"]),
        "misconceptions": _rows(
            _misconceptions(th, p, texts) for p in r["misconceptions"]["participants"]
        ),
        **_confidence_rows(th, r["confidence"], texts),
        "scepticism": _scepticism_rows(th, r["scepticism"]),
        "learning": _learning_rows(th, r["learning"]),
        "reasons": [_reasons(q, texts) for q in r["questions"]],
        "columns": columns(r),
    }


def _confidence_rows(th: dict, c: dict, texts: _Texts) -> dict[str, Markup]:
    """The rows of the confident-but-wrong answers and of certainty-based marks."""
    _, q_, conf_, chose_ = COLUMNS["confident_wrong"]
    _, rated_, mark_, max_ = COLUMNS["certainty"]
    return {
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
    }


def _scepticism_rows(th: dict, scepticism: dict) -> Markup:
    """The rows of those who answered a discernment question."""
    _, answers_, wrong_, index_ = COLUMNS["scepticism"]
    # One participant's scepticism index on too few answers (the count is in its row).
    minimum = MINIMUM_ANSWERS["scepticism_participant"]
    too_few = f'<span class="too-few">{escape(TOO_FEW_PERSON.format(minimum=minimum))}</span>'
    return _rows(
        th[p["number"]]
        + _td(answers_, p["answers"])
        + _td(wrong_, p["wrong"])
        + _td(index_, percent(p["index"]) if p["enough"] else too_few)
        + "</tr>"
        for p in scepticism["participants"]
        if p["answers"]
    )


def _learning_rows(th: dict, learning: dict | None) -> Markup:
    """Each participant's check forms before and after (no rows without check forms)."""
    _, before_, after_, change_ = COLUMNS["learning"]
    return _rows(
        th[p["number"]]
        + _td(before_, percent(p["before"]))
        + _td(after_, percent(p["after"]))
        + _td(change_, change(p["gain"]))
        + "</tr>"
        for p in (learning["participants"] if learning else [])
    )


def _rows(rows: Iterable[str]) -> Markup:
    return Markup("\n".join(rows))


def _person(th: dict, p: dict, ov: dict) -> str:
    _, team_, answered_, score_, percent_, mark_, before_, after_ = COLUMNS["participants"]
    team = _td(team_, escape(p["team"] or NONE)) if ov["has_teams"] else ""
    of = (
        f' <span class="meta">{gettext("of %(most)s", most=p["certainty_max"])}</span>'
        if p["rated"]
        else ""
    )
    checks = (
        _td(before_, check(p["before"])) + _td(after_, check(p["after"]))
        if ov["has_checks"]
        else ""
    )
    share = NONE if p["percent"] is None else f"{p['percent']}%"
    answered = gettext("%(count)s of %(total)s", count=p["answered"], total=p["total"])
    score = f"{p['score']:g}"
    mark = f"{signed(p['certainty'])}{of}"
    return (
        f"{th[p['number']]}{team}{_td(answered_, answered)}{_td(score_, score)}"
        f"{_td(percent_, share)}{_td(mark_, mark)}{checks}</tr>"
    )


def _misconceptions(th: dict, p: dict, texts: _Texts) -> str:
    items = "".join(
        "<li>"
        + gettext(
            "%(label)s: %(count)s (question %(number)s)",
            label=texts[m["label"]],
            count=m["count"],
            number=m["question"]["number"],
        )
        + "</li>"
        for m in p["rows"]
    )
    cell = f'<ul class="plain">{items}</ul>' if items else escape(gettext("None"))
    return f"{th[p['number']]}{_td(COLUMNS['misconceptions'][1], cell)}</tr>"


def _reasons(q: dict, texts: _Texts) -> Markup:
    not_right = f' <span class="meta">{escape(NOT_RIGHT)}</span>'
    return _rows(
        f"<li><strong>{nickname(x['nickname'])}</strong>{'' if x['right'] else not_right}: "
        f"{escape(x['reason'])}</li>"
        for x in q["reasons"]
    )
