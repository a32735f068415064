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

from ..web.formatting import NONE, change, nickname, percent, signed

NOT_RIGHT = ' <span class="meta">(not fully right)</span>'


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
    question of r["questions"], its written reasons as a Markup of <li> items.
    """
    # Each row starts with the participant, "3. Ada", as a row header.
    th = {
        p["number"]: f'<tr><th scope="row">{p["number"]}. {nickname(p["nickname"])}</th>'
        for p in r["participants"]
    }
    texts = _Texts()
    ov, c = r["overview"], r["confidence"]
    tags = [s["tag"] for s in r["skills"]]
    learning = r["learning"]["participants"] if r["learning"] else []
    return {
        "skills": _rows(
            th[p["number"]] + "".join(f"<td>{percent(p['skills'][t])}</td>" for t in tags) + "</tr>"
            for p in r["participants"]
        ),
        "participants": _rows(_person(th, p, ov) for p in r["participants"]),
        "misconceptions": _rows(
            _misconceptions(th, p, texts) for p in r["misconceptions"]["participants"]
        ),
        "confident_wrong": _rows(
            f'{th[w["number"]]}<td><a href="#report-q{w["question"]}">{w["question"]}</a></td>'
            f"<td>{w['confidence']} {texts[w['confidence_label']]}</td>"
            f"<td>{texts['; '.join(w['chosen'])]}</td></tr>"
            for w in c["confident_wrong"]
        ),
        "certainty": _rows(
            f"{th[m['number']]}<td>{m['rated']}</td><td>{signed(m['mark'])}</td>"
            f"<td>{m['max']}</td></tr>"
            for m in c["certainty"]
        ),
        "scepticism": _rows(
            f"{th[p['number']]}<td>{p['answers']}</td><td>{p['wrong']}</td>"
            f"<td>{percent(p['index'])}</td></tr>"
            for p in r["scepticism"]["participants"]
            if p["answers"]
        ),
        "learning": _rows(
            f"{th[p['number']]}<td>{percent(p['before'])}</td><td>{percent(p['after'])}</td>"
            f"<td>{change(p['gain'])}</td></tr>"
            for p in learning
        ),
        "reasons": [_reasons(q, texts) for q in r["questions"]],
    }


def _rows(rows: Iterable[str]) -> Markup:
    return Markup("\n".join(rows))


def _person(th: dict, p: dict, ov: dict) -> str:
    team = f"<td>{escape(p['team'] or NONE)}</td>" if ov["has_teams"] else ""
    of = f' <span class="meta">of {p["certainty_max"]}</span>' if p["rated"] else ""
    checks = (
        f"<td>{check(p['before'])}</td><td>{check(p['after'])}</td>" if ov["has_checks"] else ""
    )
    share = NONE if p["percent"] is None else f"{p['percent']}%"
    return (
        f"{th[p['number']]}{team}<td>{p['answered']} of {p['total']}</td>"
        f"<td>{p['score']:g}</td><td>{share}</td>"
        f"<td>{signed(p['certainty'])}{of}</td>{checks}</tr>"
    )


def _misconceptions(th: dict, p: dict, texts: _Texts) -> str:
    items = "".join(
        f"<li>{texts[m['label']]}: {m['count']} (question {m['question']['number']})</li>"
        for m in p["rows"]
    )
    cell = f'<ul class="plain">{items}</ul>' if items else "None"
    return f"{th[p['number']]}<td>{cell}</td></tr>"


def _reasons(q: dict, texts: _Texts) -> Markup:
    return _rows(
        f"<li><strong>{nickname(x['nickname'])}</strong>{'' if x['right'] else NOT_RIGHT}: "
        f"{escape(x['reason'])}</li>"
        for x in q["reasons"]
    )
