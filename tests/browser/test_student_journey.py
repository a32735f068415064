"""The student journey in a real browser, with JavaScript (htmx) on and off.

Every test runs against a live server with CSRF on; the ``new_page`` fixture
fails a test whose pages logged a console error or a CSP violation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .checks import assert_no_axe_violations, assert_no_sideways_scroll

pytestmark = pytest.mark.browser

TOTAL = 6
NICK = "Ada"
REASON_Q1 = "It says the video is geo-located for Crimea, not the border."
REASON_CER = "Passage 2: NATO saw no signs of troops leaving."


# Helpers -------------------------------------------------------------------------


def question_heading(page: Page, n: int):
    return page.get_by_role("heading", level=1, name=f"Question {n} of {TOTAL}")


def join(page: Page, code: str, nickname: str = NICK) -> None:
    """Join from the home page, typing the code in lower case."""
    page.goto("/")
    page.get_by_label("Session code").fill(code.lower())
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join").click()
    expect(question_heading(page, 1)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/play/{code}(/question/\d+)?$"))


def fill(page: Page, q: dict, *, options=None, evidence=None, order=None, reason=None) -> None:
    """Fill a question's controls from its data; by default with the keyed answer."""
    if q["type"] == "order":
        for place, oid in enumerate(order or q["key"], start=1):
            page.locator(f"select[name='pos-{oid}']").select_option(str(place))
    else:
        for oid in options or q["key"]:
            page.locator(f"input[name=option][value='{oid}']").check()
    if q["type"] == "cer":
        for n in evidence or q["evidence_key"]:
            page.locator(f"input[name=evidence][value='{n}']").check()
    if reason is not None:
        page.locator("textarea[name=reason]").fill(reason)


def submit(page: Page) -> None:
    page.locator("form.answer-form button[type=submit]").click()


def next_step(page: Page, n: int, *, last: bool = False) -> None:
    """From feedback on question n, go on to question n + 1 (or the summary)."""
    page.get_by_role("link", name="See your summary" if last else "Next question").last.click()
    if last:
        expect(page.get_by_role("heading", level=1, name="Your summary")).to_be_visible()
    else:
        expect(question_heading(page, n + 1)).to_be_visible()


def answer_all(page: Page, questions: list[dict], *, start: int = 1) -> None:
    """Answer questions start..end rightly, through each feedback, to the summary."""
    for q in questions[start - 1 :]:
        n = q["number"]
        expect(question_heading(page, n)).to_be_visible()
        fill(page, q)
        submit(page)
        expect(page.locator("h1.feedback-heading")).to_have_text("Right")
        next_step(page, n, last=n == len(questions))
    expect(page.get_by_role("heading", level=1, name="Your summary")).to_be_visible()


def shoot(page: Page, folder: Path, name: str) -> Path:
    """Save a full-page screenshot for a human to look at."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# JavaScript on: the whole journey ---------------------------------------------


def test_journey_with_htmx_keyboard_reload_and_summary(live_server, new_page):
    code = live_server.open_session()
    qs = {q["id"]: q for q in live_server.questions(code)}
    page = new_page(js=True)
    join(page, code)

    # 1 · single, with a confidence rating and a reason.
    page.get_by_role("radio", name="No, it was filmed in Crimea.").check()
    page.get_by_role("radio", name="3 · Very sure").check()
    page.get_by_label("Your reason").fill(REASON_Q1)
    page.get_by_role("button", name="Check my answer").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Right")
    expect(heading).to_be_focused()  # lateral.js moves focus to the new step
    expect(page).to_have_url(re.compile(rf"/play/{code}/feedback/{qs['video']['pk']}$"))
    expect(page).to_have_title(re.compile(r"^Feedback on question 1 · Lateral$"))
    expect(page.locator(".verdict-line")).to_contain_text("You said: Very sure")
    chosen = page.locator(".option-review li.chosen")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("Right: where it was filmed limits what it shows.")
    expect(page.locator(".explanation")).to_have_text(
        "The video was filmed in Crimea, not at the border."
    )
    expect(page.locator(".review mark")).to_have_text("geo-located for Crimea")
    expect(page.locator(".your-reason")).to_have_text(REASON_Q1)
    next_step(page, 1)
    expect(page).to_have_url(re.compile(rf"/play/{code}(/question/\d+)?$"))

    # 2 · multiple, with the keyboard only: Tab, Space, Enter.
    expect(question_heading(page, 2)).to_be_focused()
    boxes = page.locator("input[name=option]")
    page.keyboard.press("Tab")  # the passages come first, then the whole article's fold
    expect(page.locator(".question-source .whole-article > summary")).to_be_focused()
    page.keyboard.press("Tab")
    expect(boxes.nth(0)).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(boxes.nth(1)).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(boxes.nth(2)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Check my answer")).to_be_focused()
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(1)).to_be_checked()
    expect(boxes.nth(2)).not_to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    expect(page.locator(".review mark")).to_have_count(2)
    next_link = page.get_by_role("link", name="Next question").last
    for _ in range(10):  # past "Read the whole article" to the Next link
        page.keyboard.press("Tab")
        if next_link.evaluate("el => el === document.activeElement"):
            break
    expect(next_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(question_heading(page, 3)).to_be_visible()

    # A reload mid-quiz resumes at the first unanswered question.
    page.reload()
    expect(question_heading(page, 3)).to_be_visible()
    expect(page).to_have_title(f"Question 3 of {TOTAL} · Lateral")

    # 3 · true_false.
    page.get_by_role("radio", name="True", exact=True).check()
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    next_step(page, 3)

    # 4 · passage: a wrong pick, to see a wrong verdict and a 0% skill.
    page.get_by_role("radio", name=re.compile(r"^Passage 1\b")).check()
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Not quite")
    expect(page.locator(".option-review li.chosen")).to_contain_text("No number here.")
    next_step(page, 4)

    # 5 · order, by position selects.
    page.get_by_label("Stoltenberg").select_option("1")
    page.get_by_label("Reuters").select_option("2")
    page.get_by_label("This article").select_option("3")
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    expect(page.locator(".your-order")).to_contain_text(
        "1. Stoltenberg; 2. Reuters; 3. This article"
    )
    next_step(page, 5)

    # 6 · cer: verdict, evidence and reason.
    page.get_by_role("radio", name="Not confirmed yet").check()
    page.get_by_role("checkbox", name=re.compile(r"^Passage 2\b")).check()
    page.get_by_label("Your reasoning").fill(REASON_CER)
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    expect(page.locator(".your-reason")).to_have_text(REASON_CER)
    next_step(page, 6, last=True)
    expect(page).to_have_url(re.compile(rf"/play/{code}/summary$"))

    # The summary: score, skills, calibration, review.
    expect(page.locator(".big-score")).to_have_text(re.compile(r"^5(\.0)? out of 6 \(83%\)$"))
    expect(page.locator(".score-card")).to_contain_text("5 of 6 questions fully right")
    expect(page.locator(".score-card")).to_contain_text("Certainty mark: +3 out of a possible 3")
    rows = page.locator(".skills-table tbody tr")
    expect(rows).to_have_count(6)
    expected = {
        "Actions vs words": ("1", "100%"),
        "Attribution and quote chains": ("2", "100%"),
        "Corroboration": ("2", "100%"),
        "Evidence vs claim": ("1", "100%"),
        "Place": ("1", "100%"),
        "Numbers": ("1", "0%"),
    }
    for skill, (count, percent) in expected.items():
        row = rows.filter(has=page.get_by_role("rowheader", name=skill, exact=True))
        expect(row.locator("td").nth(0)).to_have_text(count)
        expect(row.locator("td").nth(1)).to_have_text(percent)
    items = page.locator(".review-list > li")
    expect(items).to_have_count(TOTAL)
    expect(items.locator("details[open]")).to_have_count(0)  # every review folded
    expect(items.nth(3).locator("summary").first).to_contain_text("Not quite")
    expect(items.nth(3).locator("summary").first).to_contain_text(qs["pick-number"]["stem"])

    # The database: one answer per question, with confidence and reasons kept.
    answers = live_server.answers(code, NICK)
    assert [a["qid"] for a in answers] == list(qs)
    by_qid = {a["qid"]: a for a in answers}
    assert by_qid["video"]["confidence"] == 3
    assert by_qid["video"]["reason"] == REASON_Q1
    assert by_qid["cer-withdrawal"]["reason"] == REASON_CER
    assert by_qid["pick-number"]["score"] == 0
    assert sum(a["score"] for a in answers) == 5


def test_back_button_after_answering_shows_feedback_not_the_question_again(live_server, new_page):
    code = live_server.open_session()
    first = live_server.questions(code)[0]
    page = new_page(js=True)
    join(page, code)
    fill(page, first)
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    next_step(page, 1)
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/play/{code}/feedback/{first['pk']}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/play/{code}(/question/\d+)?$"))
    expect(question_heading(page, 2)).to_be_visible()
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    assert len(live_server.answers(code, NICK)) == 1


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_double_click_on_submit_stores_one_answer(live_server, new_page, js):
    code = live_server.open_session()
    first = live_server.questions(code)[0]
    page = new_page(js=js)
    join(page, code)
    fill(page, first)
    page.locator("form.answer-form button[type=submit]").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    expect(page).to_have_url(re.compile(rf"/play/{code}/feedback/{first['pk']}$"))
    page.wait_for_load_state("networkidle")
    answers = live_server.answers(code, NICK)
    assert [a["qid"] for a in answers] == [first["id"]]


# JavaScript off: full page loads ----------------------------------------------


def test_journey_without_javascript(live_server, new_page):
    code = live_server.open_session()
    questions = live_server.questions(code)
    page = new_page(js=False)
    join(page, code)
    first = questions[0]
    fill(page, first, reason="Filmed in Crimea.")
    page.get_by_role("radio", name="2 · Fairly sure").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page).to_have_url(re.compile(rf"/play/{code}/feedback/{first['pk']}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    expect(page.locator(".review mark")).to_have_text("geo-located for Crimea")
    expect(page).to_have_title("Feedback on question 1 · Lateral")
    next_step(page, 1)
    expect(page).to_have_url(re.compile(rf"/play/{code}(/question/\d+)?$"))
    answer_all(page, questions, start=2)
    expect(page).to_have_url(re.compile(rf"/play/{code}/summary$"))
    expect(page.locator(".big-score")).to_have_text(re.compile(r"^6(\.0)? out of 6 \(100%\)$"))
    expect(page.locator(".review-list > li")).to_have_count(TOTAL)
    answers = live_server.answers(code, NICK)
    assert [a["qid"] for a in answers] == [q["id"] for q in questions]
    assert answers[0]["confidence"] == 2
    assert answers[0]["reason"] == "Filmed in Crimea."


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_feedback_at_the_end_goes_straight_on_and_reviews_in_the_summary(live_server, new_page, js):
    code = live_server.open_session(feedback="end")
    questions = live_server.questions(code)
    page = new_page(js=js)
    join(page, code)
    expect(page.get_by_role("button", name="Submit answer")).to_be_visible()
    for q in questions[:-1]:
        fill(page, q)
        submit(page)
        expect(question_heading(page, q["number"] + 1)).to_be_visible()
        expect(page.locator("h1.feedback-heading")).to_have_count(0)
        expect(page).to_have_url(re.compile(rf"/play/{code}(/question/\d+)?$"))
    # Mid-quiz, a feedback address leads back to the quiz instead of giving answers away.
    page.goto(f"/play/{code}/feedback/{questions[0]['pk']}")
    expect(page).to_have_url(re.compile(rf"/play/{code}(/question/\d+)?$"))
    expect(question_heading(page, TOTAL)).to_be_visible()
    fill(page, questions[-1])
    submit(page)
    expect(page.get_by_role("heading", level=1, name="Your summary")).to_be_visible()
    expect(page.locator(".big-score")).to_have_text(re.compile(r"^6(\.0)? out of 6 \(100%\)$"))
    items = page.locator(".review-list > li")
    expect(items).to_have_count(TOTAL)
    items.nth(0).locator("summary").first.click()
    expect(items.nth(0).locator(".explanation")).to_have_text(
        "The video was filmed in Crimea, not at the border."
    )
    expect(items.nth(0).locator("mark")).to_have_text("geo-located for Crimea")
    assert len(live_server.answers(code, NICK)) == TOTAL


# Error paths -------------------------------------------------------------------


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_unknown_code_says_so(live_server, new_page, console, js):
    # The refusal is a 404 page, which Chromium logs as a failed load.
    console.allow(r"status of 404 \(NOT FOUND\) \(http://[^ ]+/join\)$")
    page = new_page(js=js)
    page.goto("/")
    page.get_by_label("Session code").fill("zzzzzz")
    page.get_by_label("Nickname").fill(NICK)
    page.get_by_role("button", name="Join").click()
    error = page.locator(".field-error")
    expect(error).to_have_text(re.compile(r"There is no session with that code"))
    code_input = page.get_by_label("Session code")
    expect(code_input).to_have_attribute("aria-invalid", "true")
    expect(code_input).to_have_attribute("aria-describedby", re.compile(r"code-error"))
    expect(code_input).to_have_value("zzzzzz")
    expect(page.get_by_label("Nickname")).to_have_value(NICK)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_submitting_nothing_shows_the_error_and_keeps_the_question(
    live_server, new_page, console, js
):
    # The refusal is a 422 (swapped in by htmx), which Chromium logs as a failed load.
    console.allow(r"status of 422 \(UNPROCESSABLE ENTITY\) \(http://[^ ]+/answer\)$")
    code = live_server.open_session()
    first = live_server.questions(code)[0]
    page = new_page(js=js)
    join(page, code)
    page.get_by_role("button", name="Check my answer").click()
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Choose an answer before you submit.")
    expect(question_heading(page, 1)).to_be_visible()
    # htmx swapped the refusal in place; without JS it is the page the POST returned.
    expect(page).to_have_url(re.compile(rf"/play/{code}{'' if js else '/answer'}$"))
    expect(page.locator("form.answer-form")).to_have_attribute("aria-describedby", "answer-error")
    expect(page.get_by_role("button", name="Check my answer")).to_be_enabled()
    assert live_server.answers(code, NICK) == []
    # The student can go on from there.
    fill(page, first)
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    assert len(live_server.answers(code, NICK)) == 1


# Accessibility and layout ------------------------------------------------------


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_axe_finds_no_violations(live_server, new_page, console, tmp_path, viewport):
    console.allow(r"status of 422 \(UNPROCESSABLE ENTITY\) \(http://[^ ]+/answer\)$")
    code = live_server.open_session()
    questions = live_server.questions(code)
    page = new_page(js=True, viewport=viewport)
    shots = tmp_path / "shots"
    shots.mkdir()

    page.goto("/")
    assert_no_axe_violations(page, "the home page")
    assert_no_sideways_scroll(page, "the home page")
    shoot(page, shots, f"{viewport}-1-home")

    join(page, code)
    submit(page)  # nothing chosen: the question with its error message
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page, "a question with an error")

    for q in questions:
        n = q["number"]
        expect(question_heading(page, n)).to_be_visible()
        if q["type"] in ("single", "cer", "order"):
            assert_no_axe_violations(page, f"question {n} ({q['type']})")
            assert_no_sideways_scroll(page, f"question {n}")
            shoot(page, shots, f"{viewport}-2-question-{n}-{q['type']}")
        fill(page, q, reason="Because." if q["reason"] else None)
        submit(page)
        expect(page.locator("h1.feedback-heading")).to_have_text("Right")
        if q["type"] in ("single", "cer", "order"):
            assert_no_axe_violations(page, f"feedback on question {n}")
            assert_no_sideways_scroll(page, f"feedback on question {n}")
            shoot(page, shots, f"{viewport}-3-feedback-{n}-{q['type']}")
        next_step(page, n, last=n == len(questions))

    assert_no_axe_violations(page, "the summary")
    assert_no_sideways_scroll(page, "the summary")
    shoot(page, shots, f"{viewport}-4-summary")

    # The same pages loaded whole (no htmx), as after a reload or with JS off.
    page.goto(f"/play/{code}/feedback/{questions[0]['pk']}")
    assert_no_axe_violations(page, "a feedback page loaded whole")
    page.goto(f"/play/{code}/summary")
    assert_no_axe_violations(page, "the summary loaded whole")
    print(f"screenshots: {shots}")
