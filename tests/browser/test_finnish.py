"""Lateral in Finnish, in a real browser (issue 18): a student plays a set through to the
summary, and a facilitator runs a live lesson with the room screen, every page in
Finnish (``<html lang="fi">``, no English of the interface left) while the set, which
is in English, keeps its own ``lang``; axe-core finds nothing on any of them.

The set content is English (the test set): the pages must say so with ``lang="en"`` on
it, and the interface around it is Finnish.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .checks import assert_no_axe_violations
from .test_student_journey import fill  # the keyed answer, chosen by its controls' values

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# English an untranslated page would show (the interface's own words, not the set's).
ENGLISH = (
    "Check my answer",
    "Send my answer",
    "Next question",
    "Question 1 of",
    "Your summary",
    "Your answer",
    "Skip to content",
    "Sign out",
    "How sure are you",
    "Time left",
    "joined",
    "answered",
)
# The interface's text on a page: its main content and header without set content
# (elements with their own lang) and without what only scripts read.
INTERFACE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang], script, style, template').forEach(el => el.remove());
  return copy.textContent.replace(/\\s+/g, ' ');
}"""


def assert_finnish(page: Page, what: str) -> None:
    """The page is Finnish: <html lang="fi">, no English interface text, axe clean."""
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    text = page.evaluate(INTERFACE_TEXT)
    left = [phrase for phrase in ENGLISH if phrase in text]
    assert not left, f"English on {what} ({page.url}): {left}"
    assert_no_axe_violations(page, f"{what} in Finnish")


def join(page: Page, code: str, nickname: str) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    page.get_by_label("Istunnon koodi").fill(code)
    page.get_by_label("Nimimerkki").fill(nickname)
    page.locator("form[action='/join'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/play/{code}(/question/\d+)?$"))


def test_a_student_plays_a_set_in_finnish_through_to_the_summary(live_server, new_page):
    code = live_server.open_session(language="fi")
    questions = live_server.questions(code)
    page = new_page(js=True, viewport="phone", locale="fi-FI")
    join(page, code, "Aino")
    for q in questions:
        form = page.locator("form.answer-form")
        expect(form).to_be_visible()
        # The question is the set's, in English, and marked so.
        expect(page.locator(f"[lang=en]:has-text('{q['stem'][:20]}')").first).to_be_visible()
        if q["number"] == 1:
            assert_finnish(page, "the first question")
        fill(page, q)
        form.locator("button[type=submit]").click()
        expect(page.locator("h1.feedback-heading")).to_have_text("Oikein")
        if q["number"] == 1:
            assert_finnish(page, "the feedback")
        page.locator("main a[href*='/question/'], main a[href$='/summary']").last.click()
    expect(page).to_have_url(re.compile(rf"/play/{code}/summary$"))
    assert_finnish(page, "the summary")


def test_a_facilitator_runs_a_live_lesson_in_finnish_with_the_room_screen(
    live_server, new_page, teacher_account, sign_in
):
    fac = new_page(js=True, viewport="desktop")
    sign_in(fac, teacher_account)
    # The teacher's own pages in Finnish: the account page's setting.
    fac.goto("/account/password")
    fac.get_by_label("Language of your pages").select_option("fi")
    fac.locator("form[action='/account/language'] button[type=submit]").click()
    expect(fac.get_by_text("Sivujesi kieli on tallennettu.")).to_be_visible()
    expect(fac.locator("html")).to_have_attribute("lang", "fi")

    # A led session for students in Finnish; it opens on the room screen.
    fac.goto("/run/")
    fac.get_by_label("Kysymyssarja").select_option("mini-set")
    fac.locator("input[name=pace][value=led]").check()
    fac.locator("input[name=feedback][value=reveal]").check()
    fac.get_by_label("Oppilaiden näkymien kieli").select_option("fi")
    assert_finnish(fac, "the start form")
    fac.locator("button.primary[type=submit]:not([name])").click()
    expect(fac).to_have_url(re.compile(r"/run/[A-Z0-9]{6}/room$"))
    code = fac.url.rsplit("/", 2)[-2]
    room = fac.locator("#room")
    expect(room.locator(".join-code")).to_have_text(code)
    assert_finnish(fac, "the room screen's join screen")

    # A student whose browser asks for English still sees the session's Finnish.
    student = new_page(js=True, viewport="phone", locale="en-GB")
    student.goto("/")
    student.get_by_label("Session code").fill(code)
    student.get_by_label("Nickname").fill("Eero")
    student.locator("form[action='/join'] button[type=submit]").click()
    expect(student).to_have_url(re.compile(rf"/play/{code}$"))
    expect(student.locator("html")).to_have_attribute("lang", "fi")

    # The room opens the first question; the student's screen follows.
    first = live_server.questions(code)[0]
    fac.locator("body").press("n")
    expect(room.locator("[lang=en]").first).to_be_visible()
    expect(student.locator("form.answer-form")).to_be_visible()
    assert_finnish(fac, "the room screen's question")
    assert_finnish(student, "the student's question in a led session")
    fill(student, first)
    student.locator("form.answer-form button[type=submit]").click()
    expect(student.locator("form.answer-form")).to_have_count(0)
    assert_finnish(student, "the student's answer received")

    # Reveal on the room screen: the distribution and the key, in Finnish around it.
    fac.locator("body").press("r")
    expect(room.locator(".tag-keyed").first).to_be_visible()
    assert_finnish(fac, "the room screen after the reveal")

    # The facilitator's live view and the report, in the teacher's Finnish.
    fac.goto(f"/run/{code}")
    assert_finnish(fac, "the live view")
    fac.goto(f"/run/{code}/report")
    assert_finnish(fac, "the report")
