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
from ..web.formatting import NONE, change, nickname, percent, points, signed
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


def _openings() -> dict[str, str]:
    """Each column's cell opening tag in the page's language (read once per table)."""
    language = current_language()
    if language not in _OPEN:
        _OPEN[language] = {
            name: f'<td data-label="{escape(_heading(name))}">'
            for names in COLUMNS.values()
            for name in names
        }
    return _OPEN[language]


class _Cells:
    """Writes a cell of a column: ``td("Score", "4.5")``; the page's language is read
    once, not once per cell (it was a third of the tables' time at 3,000 rows)."""

    def __init__(self) -> None:
        self.opening = _openings()

    def __call__(self, label: str, content) -> str:
        return f"{self.opening[label]}{content}</td>"


class _Memo(dict):
    """A formatter's results by value: a few hundred distinct figures fill 100,000 cells."""

    def __init__(self, format_) -> None:
        super().__init__()
        self.format = format_

    def __missing__(self, value) -> str:
        got = self[value] = self.format(value)
        return got


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
        score=points(c["score"]),
        answered=c["answered"],
        percent=c["percent"],
    )


class _Texts(dict):
    """Labels and other texts that repeat, each escaped once."""

    def __missing__(self, value: str) -> Markup:
        got = self[value] = escape(value)
        return got


class _Writer:
    """What every row is written with, made once per page: the cells' opening tags,
    the number formats (web.formatting's, by value) and the patterns of the texts in
    the rows, translated once (flask_babel's gettext looks the language up on each
    call, some 20 µs: 100,000 of them were a third of the tables' time)."""

    def __init__(self) -> None:
        self.td = _Cells()
        self.texts = _Texts()
        self.percent = _Memo(percent)
        self.whole_percent = _Memo(lambda n: percent(n / 100))  # 57 -> "57%" ("57 %")
        self.points = _Memo(points)  # 23.42 -> "23.42" ("23,42")
        self.signed = _Memo(signed)
        self.change = _Memo(change)
        self.check = _Memo(lambda c: check(dict(c)))
        self.of_most = gettext("of %(most)s")
        self.answered = gettext("%(count)s of %(total)s")
        self.chose = gettext("%(label)s: %(count)s (question %(number)s)")
        self.none = escape(gettext("None"))


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
    w = _Writer()
    pct = w.percent
    # A skill's cell, labelled with the skill's name for the phone's cards.
    skill_td = [(s["tag"], f'<td data-label="{escape(s["name"])}">') for s in r["skills"]]
    return {
        "skills": _rows(
            th[p["number"]]
            + "".join(f"{td}{pct[p['skills'][t]]}</td>" for t, td in skill_td)
            + "</tr>"
            for p in r["participants"]
        ),
        "participants": _rows(_person(th, p, r["overview"], w) for p in r["participants"]),
        "misconceptions": _rows(
            _misconceptions(th, p, w) for p in r["misconceptions"]["participants"]
        ),
        **_confidence_rows(th, r["confidence"], w),
        "scepticism": _scepticism_rows(th, r["scepticism"], w),
        "learning": _learning_rows(th, r["learning"], w),
        "reasons": [_reasons(q, w.texts) for q in r["questions"]],
        "columns": columns(r),
    }


def _confidence_rows(th: dict, c: dict, w: _Writer) -> dict[str, Markup]:
    """The rows of the confident-but-wrong answers and of certainty-based marks."""
    _, q_, conf_, chose_ = COLUMNS["confident_wrong"]
    _, rated_, mark_, max_ = COLUMNS["certainty"]
    td, texts = w.td, w.texts
    # The confidence's words by level (lazy texts: made into text once per level).
    words: dict[tuple, str] = {}
    return {
        "confident_wrong": _rows(
            th[x["number"]]
            + td(q_, f'<a href="#report-q{x["question"]}">{x["question"]}</a>')
            + td(conf_, _confidence(words, x, texts))
            + td(chose_, texts["; ".join(x["chosen"])])
            + "</tr>"
            for x in c["confident_wrong"]
        ),
        "certainty": _rows(
            th[m["number"]]
            + td(rated_, m["rated"])
            + td(mark_, w.signed[m["mark"]])
            + td(max_, m["max"])
            + "</tr>"
            for m in c["certainty"]
        ),
    }


def _confidence(words: dict, x: dict, texts: _Texts) -> str:
    """The confidence column, "3 very sure": a level and its words, written once per level."""
    key = (x["confidence"], id(x["confidence_label"]))
    got = words.get(key)
    if got is None:
        # The label object stays alive in x, so its id is not reused while words lives.
        got = words[key] = f"{x['confidence']} {texts[str(x['confidence_label'])]}"
    return got


def _scepticism_rows(th: dict, scepticism: dict, w: _Writer) -> Markup:
    """The rows of those who answered a discernment question."""
    _, answers_, wrong_, index_ = COLUMNS["scepticism"]
    # One participant's scepticism index on too few answers (the count is in its row).
    minimum = MINIMUM_ANSWERS["scepticism_participant"]
    too_few = f'<span class="too-few">{escape(TOO_FEW_PERSON.format(minimum=minimum))}</span>'
    td = w.td
    return _rows(
        th[p["number"]]
        + td(answers_, p["answers"])
        + td(wrong_, p["wrong"])
        + td(index_, w.percent[p["index"]] if p["enough"] else too_few)
        + "</tr>"
        for p in scepticism["participants"]
        if p["answers"]
    )


def _learning_rows(th: dict, learning: dict | None, w: _Writer) -> Markup:
    """Each participant's check forms before and after (no rows without check forms)."""
    _, before_, after_, change_ = COLUMNS["learning"]
    td = w.td
    return _rows(
        th[p["number"]]
        + td(before_, w.percent[p["before"]])
        + td(after_, w.percent[p["after"]])
        + td(change_, w.change[p["gain"]])
        + "</tr>"
        for p in (learning["participants"] if learning else [])
    )


def _rows(rows: Iterable[str]) -> Markup:
    return Markup("\n".join(rows))


def _person(th: dict, p: dict, ov: dict, w: _Writer) -> str:
    _, team_, answered_, score_, percent_, mark_, before_, after_ = COLUMNS["participants"]
    td = w.td
    team = td(team_, w.texts[p["team"] or NONE]) if ov["has_teams"] else ""
    of = (
        f' <span class="meta">{w.of_most % {"most": p["certainty_max"]}}</span>'
        if p["rated"]
        else ""
    )
    checks = (
        td(before_, _check(w, p["before"])) + td(after_, _check(w, p["after"]))
        if ov["has_checks"]
        else ""
    )
    share = NONE if p["percent"] is None else w.whole_percent[p["percent"]]
    answered = w.answered % {"count": p["answered"], "total": p["total"]}
    score = w.points[p["score"]]
    mark = f"{w.signed[p['certainty']]}{of}"
    return (
        f"{th[p['number']]}{team}{td(answered_, answered)}{td(score_, score)}"
        f"{td(percent_, share)}{td(mark_, mark)}{checks}</tr>"
    )


def _check(w: _Writer, c: dict | None) -> str:
    """check(c), once per distinct result."""
    return NONE if c is None else w.check[tuple(c.items())]


def _misconceptions(th: dict, p: dict, w: _Writer) -> str:
    texts, chose = w.texts, w.chose
    items = "".join(
        "<li>"
        + chose
        % {"label": texts[m["label"]], "count": m["count"], "number": m["question"]["number"]}
        + "</li>"
        for m in p["rows"]
    )
    cell = f'<ul class="plain">{items}</ul>' if items else w.none
    return f"{th[p['number']]}{w.td(COLUMNS['misconceptions'][1], cell)}</tr>"


def _reasons(q: dict, texts: _Texts) -> Markup:
    not_right = f' <span class="meta">{escape(NOT_RIGHT)}</span>'
    return _rows(
        f"<li><strong>{nickname(x['nickname'])}</strong>{'' if x['right'] else not_right}: "
        f"{escape(x['reason'])}</li>"
        for x in q["reasons"]
    )
