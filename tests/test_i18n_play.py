"""The student's, the facilitator's and the report's pages in the interface's language
(issue 18): every string their templates write goes through the catalogue, in every
branch (read from the templates' source, not only the states a test renders), and the
pages read in Finnish, set content keeping its own language.

The pseudo-locale test (test_i18n_pages.py) renders every page once; this file adds the
branches a single render misses (a second vote, a reveal, a summary with ratings, the
report with answers, marking) and checks the Finnish a class actually reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment

from quiz.play import sessions

from .i18n_pseudo import _Reader
from .test_facilitator import join, start
from .test_i18n_pages import pages, scene  # noqa: F401 (the pseudo-locale test's scene)
from .world import ROOT, load_set

FOLDERS = ("play", "facilitation", "results")
TEMPLATES = sorted(
    path for folder in FOLDERS for path in (ROOT / "templates" / folder).glob("*.html")
)
WORD = re.compile(r"[A-Za-z]{2,}")
# What a template may write outside gettext: the product's name, and letters that are
# keys (shown on buttons as the key to press) or units of notation, not words.
NOT_WORDS = {"Lateral", "kbd"}
# Strings in template expressions that are not interface text: element classes, names
# of things in code, the command a guide quotes.
GETTEXT = {"_", "gettext", "ngettext", "pgettext"}
KEYWORDS = {"class", "none", "command"}
PLACEHOLDER = "\u2063"
FINNISH = {"Accept-Language": "fi-FI,fi;q=0.9"}


def unwrapped_text(source: str) -> list[str]:
    """The words a template writes outside gettext: its text and read attributes with
    every ``{{ … }}`` and ``{% … %}`` taken out and every ``{% trans %}`` block dropped."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    kept, in_trans, block = [], 0, []
    for _line, kind, value in env.lex(source):
        if kind == "block_begin":
            block = []
        elif kind == "name" and not block:
            block.append(value)
            if value == "trans":
                in_trans += 1
            elif value == "endtrans":
                in_trans -= 1
        elif kind == "data" and not in_trans:
            kept.append(value)
        elif kind == "variable_end" and not in_trans:
            kept.append(PLACEHOLDER)
        if kind != "block_begin" and kind != "whitespace":
            block.append(value)
    reader = _Reader()
    reader.feed("".join(kept))
    reader.close()
    return [w for w in WORD.findall(" ".join(reader.read)) if w not in NOT_WORDS]


def unwrapped_strings(source: str) -> list[str]:
    """Sentences written as strings in template expressions without gettext (a table's
    caption or column, a label chosen in the template)."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    tokens = [
        (kind, value) for _line, kind, value in env.lex(source) if kind not in ("whitespace",)
    ]
    found = []
    for i, (kind, raw) in enumerate(tokens):
        value = raw[1:-1]
        if kind != "string" or not re.search(r"[A-Za-z]+ [A-Za-z]{2,}|^[A-Z][a-z]*\b", value):
            continue
        before = [v for _k, v in tokens[max(i - 4, 0) : i]]
        called = len(before) >= 2 and before[-1] == "(" and before[-2] in GETTEXT
        plural = len(before) >= 4 and before[-1] == "," and before[-4] in GETTEXT
        keyword = len(before) >= 2 and before[-1] == "=" and before[-2] in KEYWORDS
        if not (called or plural or keyword):
            found.append(value)
    return found


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_template_writes_no_interface_text_outside_the_catalogue(path: Path):
    source = path.read_text(encoding="utf-8")
    assert unwrapped_text(source) == []
    assert unwrapped_strings(source) == []


def test_the_check_finds_text_and_sentences_left_outside_gettext():
    source = (
        '<p>{{ _("Wrapped") }} Left alone</p><img alt="A picture">'
        "{% trans n=1 %}Inside {{ n }}{% endtrans %}"
        '{% call table("A caption", [_("Kept"), "Column"]) %}{% endcall %}'
        '<p class="{{ \'data-table compact\' }}">{{ ngettext("one", "Two things", 2) }}</p>'
    )
    assert unwrapped_text(source) == ["Left", "alone", "picture"]
    assert unwrapped_strings(source) == ["A caption", "Column", "data-table compact"]


# The pages in Finnish ----------------------------------------------------------------


@pytest.fixture
def facilitator(as_teacher):
    client = as_teacher("teacher_a")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = FINNISH["Accept-Language"]
    return client


def student_in_finnish(app, db, code: str, nickname: str, team: str | None = None):
    student = join(app, db, code, nickname, team)
    student.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = FINNISH["Accept-Language"]
    return student


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.get_data(as_text=True)
    assert '<html lang="fi">' in html, url
    return html


def texts(html: str) -> str:
    """What a reader reads, one space between pieces."""
    reader = _Reader()
    reader.feed(html)
    return " ".join(" ".join(reader.read).split())


def test_a_student_works_through_a_self_paced_set_in_finnish(app, db, facilitator):
    code = start(facilitator, confidence="always", language="fi")
    ada = student_in_finnish(app, db, code, "Ada")
    q = sessions.load_session(db, code).questions[0]
    html = page(ada.client, f"/play/{code}")
    assert "Kysymys 1 / 6" in html
    assert "Kuinka varma olet?" in html
    assert "Tarkista vastaukseni" in html
    assert f'id="stem-{q["pk"]}" lang="en">{q["stem"]}' in html
    response = ada.answer(code, q["id"], ["c"], confidence="3")
    feedback = page(ada.client, response.location)
    assert "Seuraava kysymys" in feedback
    for other in sessions.load_session(db, code).questions[1:]:
        ada.answer_right(code, other)
    summary = page(ada.client, f"/play/{code}/summary")
    read = texts(summary)
    assert "Yhteenvetosi" in read
    assert "Tarkistustaidoittain" in read
    assert "Varma, mutta väärin" in read
    assert "Käy läpi kaikki kysymykset" in read
    assert "kysymyksestä täysin oikein" in read


def test_a_led_lesson_reads_in_finnish_on_the_room_screen_the_phone_and_the_live_view(
    app, db, facilitator
):
    code = start(
        facilitator, pace="led", feedback="reveal", teams="Punainen\nSininen", language="fi"
    )
    ada = student_in_finnish(app, db, code, "Ada", team="Punainen")
    room = texts(page(facilitator, f"/run/{code}/room"))
    assert "Liity istuntoon" in room
    assert "1 mukana" in room
    waiting = texts(page(ada.client, f"/play/{code}"))
    assert "Odotetaan ohjaajaa" in waiting
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    q = sessions.load_session(db, code).questions[0]
    room = page(facilitator, f"/run/{code}/room")
    assert "Kysymys 1 / 6" in room
    assert "<strong>0</strong>/1 vastannut" in room
    ada.answer(code, q["id"], ["c"])
    pending = texts(page(ada.client, f"/play/{code}/feedback/{q['pk']}"))
    assert "Vastaus vastaanotettu" in pending
    facilitator.post(f"/run/{code}/questions/{q['pk']}/vote")
    assert "Toinen äänestys" in texts(page(ada.client, f"/play/{code}"))
    ada.answer(code, q["id"], ["a"], vote="2")
    facilitator.post(f"/run/{code}/questions/{q['pk']}/reveal")
    room = texts(page(facilitator, f"/run/{code}/room"))
    assert "Ensimmäinen äänestys" in room
    assert "Keskustelun jälkeen" in room
    assert "Miksi joku voisi valita tämän?" in room
    live = texts(page(facilitator, f"/run/{code}"))
    assert "Ohjaus" in live
    assert "Vastaukset kysymyksittäin" in live
    assert "Joukkueittain" in live
    facilitator.post(f"/run/{code}/close")
    assert "Istunto on päättynyt" in texts(page(facilitator, f"/run/{code}/room"))
    summary = texts(page(ada.client, f"/play/{code}/summary"))
    assert "Toiset äänesi" in summary


def test_the_report_reads_in_finnish(app, db, facilitator):
    code = start(facilitator, teams="Punainen\nSininen", language="fi")
    for nickname, team in (("Ada", "Punainen"), ("Bea", "Sininen"), ("Cai", "Punainen")):
        student = student_in_finnish(app, db, code, nickname, team)
        for q in sessions.load_session(db, code).questions:
            student.answer_right(code, q)
    html = page(facilitator, f"/run/{code}/report")
    report = texts(html)
    for finnish in ("Yleiskuva", "Mitä seuraavaksi", "Onnistumisprosentti", "Virhekäsitykset"):
        assert finnish in report
    # The long per-participant tables, written in Python once per page: their cells
    # are labelled and their texts written in Finnish too (the page's language is read
    # once for the whole table, not per cell).
    questions = sessions.load_session(db, code).questions
    total = sum(1 for q in questions if q["part"] == "main")
    assert f'<td data-label="Vastattu">{total} / {total}</td>' in html
    assert '<td data-label="Varmuuspisteet">' in html
    assert '<td data-label="Answered">' not in html
    # Their figures are written the Finnish way too ("100 %", not "100%").
    assert re.search(r"<td data-label=\"[^\"]+\">100\s%</td>", html.replace("\xa0", " "))
    assert not re.search(r">100%</td>", html)
    assert "Lataa vastaukset (CSV)" in report
    assert "Keskiarvo prosentteina" in report


def test_every_page_renders_in_finnish(scene):  # noqa: F811 (the fixture imported above)
    """Every GET route (test_i18n_pages.pages), as its person opens it, in Finnish: a
    translation that breaks its message's format would be a 500 here."""
    for who in ("student", "owner", "admin", "anonymous"):
        scene[who].environ_base["HTTP_ACCEPT_LANGUAGE"] = FINNISH["Accept-Language"]
    for _endpoint, url, who in pages(scene["owner"].application, scene):
        assert scene[who].get(url).status_code < 500, url


def test_the_guide_and_the_marking_screens_read_in_finnish(app, db, db_path, facilitator):
    app.config["QUESTIONS_DIR"] = str(ROOT / "questions")
    for name in ("russia-troops-check-a", "russia-troops-check-b", "russia-troops-feb-2022"):
        load_set(db_path, ROOT / "questions" / f"{name}.toml")
    guide = texts(page(facilitator, "/sets/russia-troops-feb-2022/guide"))
    assert "Ohjaajan opas" in guide
    assert "Kirjoitetut vastaukset ja sivuttaislukemisen tehtävät" in guide
    code = start(facilitator, set_id="russia-troops-feb-2022")
    marking = texts(page(facilitator, f"/run/{code}/marking"))
    assert "Arvioi kirjoitetut vastaukset" in marking
    assert "Sivuttaislukeminen" in marking


def test_a_review_kept_for_many_students_is_kept_per_language(app, db, db_path, facilitator):
    """The same written answer in two sessions of one set: the review, rendered once and
    kept for everyone who answered alike (play.fragments), reads in each one's language."""
    app.config["QUESTIONS_DIR"] = str(ROOT / "questions")
    for name in ("russia-troops-check-a", "russia-troops-check-b", "russia-troops-feb-2022"):
        load_set(db_path, ROOT / "questions" / f"{name}.toml")
    reviews = {}
    for language in ("en", "fi"):
        code = start(facilitator, set_id="russia-troops-feb-2022", language=language)
        student = join(app, db, code, "Ada")
        q = student.question(code, "lateral-kuleba-reuters")
        data = {"question": str(q["pk"]), "text": "Reuters quoted Interfax Ukraine."}
        response = student.client.post(f"/play/{code}/answer", data=data)
        reviews[language] = texts(student.client.get(response.location).get_data(as_text=True))
    assert "Your teacher will mark this." in reviews["en"]
    assert "Opettajasi arvioi tämän." in reviews["fi"]
    assert "Your teacher will mark this." not in reviews["fi"]
