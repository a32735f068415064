"""The report page: its template and the long tables' rows (page.tables).

The session is tests/data/report_session.py: small enough to check every figure by
hand (six participants, two teams, check questions before and after, five main
questions of every type).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from quiz.results import charts, page, report
from quiz.results.page import tables as report_tables
from quiz.sets.vocabulary import SKILLS
from quiz.web import formatting, templating

from .data.report_session import (
    MISCONCEPTIONS,
    make_questions,
    session_data,
)

ROOT = Path(__file__).parent.parent


@pytest.fixture
def r() -> dict:
    """The report of tests/data/report_session.py's session (a fresh one per test)."""
    questions, participants, teams, answers = session_data()
    return report.build(questions, participants, teams, answers, MISCONCEPTIONS)


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
    # A check form's score is written like every other score (formatting.points: at
    # most two decimals, 1.33 rather than '%g''s 1.33333), in the reader's numbers.
    "{%- macro check(c) -%}{% if c is none %}—{% else %}"
    "{{ ('%.2f'|format(c.score)).rstrip('0').rstrip('.') }} of "
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
