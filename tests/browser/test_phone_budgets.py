"""The shipped article set on a phone (390x844): how much of each screen fits, measured.

Budgets (issue 15), each failing the test when passed:
- question screen: the stem, every option and the passages the question rests on end
  above the fold (844 px) for the set's first ten questions, pick-the-passage questions
  included (each passage option shows its opening words, the whole passage folded after
  it: play/_passage_choice.html); a written question's stem and passages end above the
  fold and its answer box starts on the first screen, at least WRITTEN_BOX_SHOWN px of
  it in view (it may run below the fold);
- feedback on a single-choice question: at most 1.5 screens down to its last "Next
  question" (the site's footer below is not counted), for every single-choice question
  of the set, answered wrong and "very sure" (the longest feedback: your choice, the
  right one and the certainty mark);
- the summary before its review: at most 4 screens;
- the facilitator's report with 30 participants: its overview within OVERVIEW_SCREENS
  screens and the whole report, sections folded, within FOLDED_SCREENS; the charts' text
  the size of the body text; no sideways scroll with every section open.
axe-core runs on the question, feedback, summary, report and guide pages at phone and
desktop widths, on screen and as printed (print media emulated).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from werkzeug.datastructures import MultiDict

from quiz.play import answering, joining, sessions
from quiz.storage.queries import Answers

from .checks import assert_no_axe_violations, assert_no_sideways_scroll
from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAIN = "russia-troops-feb-2022"
SCREEN = PHONE["height"]
FIRST_SCREEN = 10  # questions whose stem, options and passages must fit the first screen
WRITTEN_BOX_SHOWN = 48  # px of a written answer's box on the first screen (two lines)
FEEDBACK_SCREENS = 1.5
SUMMARY_SCREENS = 4
OVERVIEW_SCREENS = 2
FOLDED_SCREENS = 3
PARTICIPANTS = 30

# The bottom of the lowest element matching a selector, in px from the top of the page.
BOTTOM = """sel => Math.max(...[...document.querySelectorAll(sel)]
    .map(e => e.getBoundingClientRect().bottom + window.scrollY))"""
HEIGHT = "() => document.documentElement.scrollHeight"


def answer_form(q: dict, wrong: bool) -> MultiDict:
    """The form an answer to ``q`` posts: the key, or (``wrong``) one option off it."""
    form = MultiDict([("question", str(q["pk"]))])
    if q["type"] == "open":  # a written answer: waits for its mark (``wrong`` has no say)
        form.add("text", 'The article\'s source is named: "a city survey", so I checked it.')
        return form
    key = list(q["key"])
    if q["type"] == "order":
        for place, oid in enumerate(reversed(key) if wrong else key, start=1):
            form.add(f"pos-{oid}", str(place))
        return form
    offered = [o["id"] for o in q["options"]]
    for oid in [next(o for o in offered if o not in key)] if wrong else key:
        form.add("option", oid)
    for n in q.get("evidence_key") or []:
        form.add("evidence", str(n))
    return form


def store(live_server, code: str, participant_id: str, q: dict, *, wrong: bool, sure=None):
    with live_server.db() as database:
        submit(database, sessions.load_session(database, code), participant_id, q, wrong, sure)


def submit(database, sess, participant_id: str, q: dict, wrong: bool, sure=None, answers=None):
    """Store an answer with answering.submit, as the answer form would post it."""
    form = answer_form(q, wrong)
    if sure:
        form.add("confidence", str(sure))
    answering.submit(database, sess, participant_id, form, answers)


def kai_wrong(q: dict) -> bool:
    """Kai answers every single-choice question wrong (the longest feedback) and every
    third of the others."""
    return q["type"] == "single" or q["number"] % 3 == 0


def join(page: Page, code: str, nickname: str) -> str:
    page.goto("/")
    page.get_by_label("Session code").fill(code)
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(rf"/play/{code}$"))
    return page.url


def axe_everywhere(page: Page, url: str, what: str) -> None:
    """axe-core on a page at the page's width, on screen and printed."""
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        page.goto(url)
        assert_no_axe_violations(page, f"{what} ({media})")
    page.emulate_media(media="screen")


def test_question_feedback_and_summary_fit_their_budgets_on_a_phone(live_server, new_page):
    live_server.load_shipped()
    code = live_server.open_session(slug=MAIN, confidence="always")
    questions = live_server.questions(code)
    page = new_page(viewport="phone")
    join(page, code, "Kai")
    kai = live_server.participant(code, "Kai")["id"]
    singles = [q for q in questions if q["type"] == "single"]
    assert len(singles) >= 10, "the article set's single-choice questions"

    first_types = {q["type"] for q in questions[:FIRST_SCREEN]}
    assert {"passage", "open"} <= first_types, "passage options and a written answer are measured"
    tall = {}
    for q in questions[:FIRST_SCREEN]:
        page.goto(f"/play/{code}")
        expect(page.locator(f"#stem-{q['pk']}")).to_be_visible()
        assert page.evaluate("() => window.scrollY") == 0
        parts = ".ask-stem, .answer-form fieldset:first-of-type, .question-source > ol.passages"
        if q["type"] == "open":  # a written answer: what to read is in view, the box starts
            parts = ".ask-stem, .question-source > ol.passages"
            box = page.locator(f"#text-{q['pk']}").evaluate("e => e.getBoundingClientRect().top")
            if box > SCREEN - WRITTEN_BOX_SHOWN:
                tall[f"{q['number']} (answer box's top)"] = round(box)
        bottom = page.evaluate(BOTTOM, parts)
        if bottom > SCREEN:
            tall[q["number"]] = round(bottom)
        store(live_server, code, kai, q, wrong=kai_wrong(q), sure=3)
    assert not tall, f"below the first screen ({SCREEN}px) on these questions: {tall}"
    for q in questions[FIRST_SCREEN:]:
        store(live_server, code, kai, q, wrong=kai_wrong(q), sure=3)

    long = {}
    for q in singles:
        page.goto(f"/play/{code}/feedback/{q['pk']}")
        expect(page.get_by_role("heading", level=1, name="Not quite")).to_be_visible()
        # "Next question" is on the first screen and again at the end.
        assert page.evaluate(BOTTOM, ".step-bar .button") <= SCREEN
        expect(page.locator("p.next .button")).to_be_visible()
        height = page.evaluate(BOTTOM, "p.next")
        if height > FEEDBACK_SCREENS * SCREEN:
            long[q["number"]] = height
    assert not long, f"feedback over {FEEDBACK_SCREENS} screens: {long}"

    page.goto(f"/play/{code}/summary")
    expect(page.get_by_role("heading", level=1, name="Your summary")).to_be_visible()
    before_review = page.evaluate(BOTTOM, "#review-heading")
    assert before_review <= SUMMARY_SCREENS * SCREEN, f"{before_review}px before the review"
    expect(page.locator(".look-again > li")).to_have_count(3)
    assert page.locator(".review-list details[open]").count() == 0  # every review folded
    assert_no_sideways_scroll(page, "the summary")

    first, feedback = questions[0], singles[0]
    pages = {
        "the question screen": f"/play/{code}/question/{first['pk']}",
        "feedback": f"/play/{code}/feedback/{feedback['pk']}",
        "the summary": f"/play/{code}/summary",
    }
    desktop = new_page(viewport="desktop")
    desktop.context.add_cookies(page.context.cookies())
    for what, url in pages.items():
        axe_everywhere(page, url, f"{what} on a phone")
        axe_everywhere(desktop, url, f"{what} on a desktop")


def test_question_screen_before_answering_passes_axe(live_server, new_page):
    """The question form itself (not yet answered), at both widths and printed."""
    live_server.load_shipped()
    code = live_server.open_session(slug=MAIN)
    for viewport in ("phone", "desktop"):
        page = new_page(viewport=viewport)
        url = join(page, code, f"Kai {viewport}")
        expect(page.locator("form.answer-form")).to_be_visible()
        axe_everywhere(page, url, f"the question form on a {viewport}")


def fill_session(live_server, code: str, questions: list[dict]) -> None:
    """30 participants answer the whole set, each wrong on a different third of it."""
    with live_server.db() as database:
        ids = [joining.join(database, code, f"Student {n:02}")[1] for n in range(PARTICIPANTS)]
        sess = sessions.load_session(database, code)
        for n, pid in enumerate(ids):
            answers = Answers()
            for q in questions:
                wrong = (q["number"] + n) % 3 == 0 or (n < 4 and q["number"] % 2 == 0)
                submit(database, sess, pid, q, wrong, 1 + (q["number"] + n) % 3, answers)


def test_report_with_thirty_participants_fits_a_phone(
    live_server, new_page, teacher_account, sign_in
):
    live_server.load_shipped()
    with live_server.db() as database:
        code = sessions.open_session(
            database, MAIN, owner_id=teacher_account.id, confidence="always"
        )["code"]
    fill_session(live_server, code, live_server.questions(code))
    page = new_page(viewport="phone")
    sign_in(page, teacher_account)
    page.goto(f"/run/{code}/report")
    overview = page.locator("section.report-overview")
    expect(overview.get_by_role("heading", name="What to do next")).to_be_visible()
    expect(overview).to_contain_text("Discuss question")
    expect(overview).to_contain_text("Weakest skill:")
    expect(overview).to_contain_text("May need help:")
    for n in range(4):  # the four who got every other question wrong as well
        expect(overview).to_contain_text(f"Student {n:02}")
    overview_height = page.evaluate(BOTTOM, "section.report-overview")
    assert overview_height <= OVERVIEW_SCREENS * SCREEN, f"overview {overview_height}px"
    folded = page.evaluate(HEIGHT)
    assert folded <= FOLDED_SCREENS * SCREEN, f"report with its sections folded: {folded}px"
    assert_no_sideways_scroll(page, "the report")

    page.locator("details.report-fold").evaluate_all("els => els.forEach(d => d.open = true)")
    body = page.evaluate("() => getComputedStyle(document.body).fontSize")
    sizes = page.locator("svg.chart text").evaluate_all(
        "els => [...new Set(els.map(e => getComputedStyle(e).fontSize))]"
    )
    assert sizes == [body], f"chart text {sizes}, body text {body}"
    assert_no_sideways_scroll(page, "the report with every section open")
    # The main tables are cards on a phone, not a table to scroll sideways.
    assert page.locator("table.stacked").count() >= 5
    row = page.locator("table.stacked tbody tr").first
    assert row.evaluate("e => getComputedStyle(e).display") == "flex"

    url = f"/run/{code}/report"
    axe_everywhere(page, url, "the report on a phone")
    desktop = new_page(viewport="desktop")
    sign_in(desktop, teacher_account)
    axe_everywhere(desktop, url, "the report on a desktop")
    for p, width in ((page, "phone"), (desktop, "desktop")):
        axe_everywhere(p, f"/sets/{MAIN}/guide", f"the set guide on a {width}")


def test_printing_unfolds_the_report_sections(live_server, new_page, teacher_account, sign_in):
    """beforeprint opens every folded section, afterprint folds them again."""
    live_server.load_shipped()
    with live_server.db() as database:
        code = sessions.open_session(database, MAIN, owner_id=teacher_account.id)["code"]
    page = new_page(viewport="desktop")
    sign_in(page, teacher_account)
    page.goto(f"/run/{code}/report")
    folds = page.locator("details.report-fold")
    expect(folds.first).not_to_have_attribute("open", "")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert folds.evaluate_all("els => els.every(d => d.open)")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert folds.evaluate_all("els => els.every(d => !d.open)")
