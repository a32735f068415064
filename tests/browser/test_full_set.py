"""The shipped question set in a real browser: the whole main set with its check forms.

A student takes the February 2022 set (41 questions, 5 of them written) in a
session with checks (check form A, the main set, check form B, 9 questions each
with one written: 59 questions) on a phone, with the keyboard only, answering some
right and some wrong and writing the written ones, to the summary with its "Before
and after" table (the written answers waiting for their mark count in no score);
then the same kind of session with JavaScript off, one question of each format
through the browser, the rest stored directly, and the summary. The question data
(keys, types) comes from the database, so the tests follow the shipped files as
they change.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from werkzeug.datastructures import MultiDict

from quiz.play import answering, sessions

from .checks import assert_no_axe_violations, assert_no_sideways_scroll

pytestmark = pytest.mark.browser

MAIN = "russia-troops-feb-2022"
TOTAL = 59
MAIN_COUNT = 41
MAIN_WRITTEN = 5
CHECK_COUNT = 9
CHECK_WRITTEN = 1
NICK = "Kai"
REASON = "Observers saw no pull-back."
WRITTEN = "The original says more than the article: I quote “already begun loading”."
FORMATS = ("single", "multiple", "true_false", "passage", "order", "cer", "open")
CLOSED = FORMATS[:-1]


# Answers: which to get wrong, and the score each should get -----------------------


def make_plans(questions: list[dict]) -> dict[int, dict]:
    """Plan every answer: every third question (by number) wrong, and the last question
    of each closed format that has none wrong that way, so every format is answered
    wrong somewhere."""
    wrong = {q["number"] for q in questions if q["number"] % 3 == 0}
    for qtype in CLOSED:
        of_type = [q["number"] for q in questions if q["type"] == qtype]
        if of_type and not wrong.intersection(of_type):
            wrong.add(of_type[-1])
    return {q["pk"]: plan(q, q["number"] in wrong) for q in questions}


def plan(q: dict, wrong: bool) -> dict:
    """Decide how to answer a question: right, or wrong in a way its type allows.

    Returns the options (or the order) to give, the evidence for a cer, and the
    score the answer should get by the scoring rules in questions/README.md.
    """
    key = list(q["key"])
    offered = [o["id"] for o in q["options"]]
    answer: dict = {"wrong": wrong, "evidence": list(q.get("evidence_key") or [])}
    if q["type"] == "open":
        # Written: stored at 0 and waiting for its mark, in no score until then.
        answer.update(wrong=False, options=[], text=WRITTEN, score=0.0, pending=True)
    elif q["type"] == "order":
        answer["options"] = list(reversed(key)) if wrong else key
        pairs = [(a, b) for i, a in enumerate(key) for b in key[i + 1 :]]
        given = answer["options"]
        ok = sum(given.index(a) < given.index(b) for a, b in pairs)
        answer["score"] = ok / len(pairs)
    elif q["type"] in ("multiple", "passage") and len(key) > 1:
        # Part marks: only the first right option.
        answer["options"] = key[:1] if wrong else key
        right = sum(o in key for o in answer["options"])
        answer["score"] = max(0.0, (right - (len(answer["options"]) - right)) / len(key))
    else:
        answer["options"] = [next(o for o in offered if o not in key)] if wrong else key
        answer["score"] = 0.0 if wrong else 1.0
        if q["type"] == "cer":
            answer["score"] = 0.5 if wrong else 1.0  # the evidence is always right here
    return answer


def verdict_text(answer: dict) -> re.Pattern:
    if answer.get("pending"):
        return re.compile(r"^Sent: your teacher will mark this$")
    score = answer["score"]
    if score == 1:
        return re.compile(r"^Right$")
    if score == 0:
        return re.compile(r"^Not quite$")
    return re.compile(rf"^Partly right \({round(score * 100)}%\)$")


def points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# Keyboard helpers -----------------------------------------------------------------


def has_focus(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, locator: Locator, *, limit: int = 60, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element has the focus."""
    for _ in range(limit):
        if has_focus(locator):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{limit} presses of Tab never reached {locator}")


def checked_values(form: Locator, name: str) -> list[str]:
    return form.evaluate(
        "(f, name) => Array.from(f.querySelectorAll(`input[name=${name}]:checked`), e => e.value)",
        name,
    )


def question_heading(page: Page, n: int) -> Locator:
    return page.get_by_role("heading", level=1, name=re.compile(rf"^Question {n} of {TOTAL}\b"))


def keyboard_answer(
    page: Page, q: dict, answer: dict, *, rate: bool, change_mind: bool = False
) -> None:
    """Fill a question's controls with Tab, Space, arrows and typing; submit with Enter.

    With ``change_mind`` (a single-answer question), first pick the first option,
    Tab on to the submit button, then Shift+Tab back and pick the planned one.
    """
    form = page.locator("form.answer-form")
    if q["type"] == "open":
        tab_to(page, form.locator("textarea[name=text]"))
        page.keyboard.type(answer["text"])
    elif q["type"] == "order":
        selects = form.locator("select.position")
        names = selects.evaluate_all("els => els.map(e => e.name)")
        assert selects.evaluate_all("els => els.map(e => e.value)") == [""] * len(names)
        want = {f"pos-{oid}": place for place, oid in enumerate(answer["options"], start=1)}
        for index, name in enumerate(names):  # in page order
            tab_to(page, selects.nth(index))
            for _ in range(want[name]):  # from "Position…", each ArrowDown is one place on
                page.keyboard.press("ArrowDown")
        values = selects.evaluate_all("els => els.map(e => e.value)")
        assert dict(zip(names, values, strict=True)) == {k: str(v) for k, v in want.items()}
    else:
        choices = form.locator("input[name=option]")
        ids = choices.evaluate_all("els => els.map(e => e.value)")
        if choices.first.get_attribute("type") == "radio":
            # Tab enters the group on its first radio; arrows move and check.
            index = ids.index(answer["options"][0])
            tab_to(page, choices.first)
            if change_mind:
                assert index > 0, "changing one's mind needs another option to go to"
                page.keyboard.press("Space")
                assert checked_values(form, "option") == [ids[0]]
                tab_to(page, form.locator("button[type=submit]"))
                tab_to(page, choices.first, back=True)  # back into the group, on the checked one
                page.keyboard.press("ArrowDown")
            else:
                page.keyboard.press("Space" if index == 0 else "ArrowDown")
            for _ in range(index - 1):
                page.keyboard.press("ArrowDown")
        else:
            for index, oid in enumerate(ids):
                if oid in answer["options"]:
                    tab_to(page, choices.nth(index))
                    page.keyboard.press("Space")
        assert sorted(checked_values(form, "option")) == sorted(answer["options"])
    if q["type"] == "cer":
        boxes = form.locator("input[name=evidence]")
        numbers = [int(v) for v in boxes.evaluate_all("els => els.map(e => e.value)")]
        for index, n in enumerate(numbers):
            if n in answer["evidence"]:
                tab_to(page, boxes.nth(index))
                page.keyboard.press("Space")
        assert sorted(int(v) for v in checked_values(form, "evidence")) == sorted(
            answer["evidence"]
        )
        tab_to(page, form.locator("textarea[name=reason]"))
        page.keyboard.type(REASON)
    if rate and q["confidence"]:
        # Tab into the group, then ArrowDown: "2 · Fairly sure".
        tab_to(page, form.locator("input[name=confidence]").first)
        page.keyboard.press("ArrowDown")
        assert checked_values(form, "confidence") == ["2"]
    button = form.locator("button[type=submit]")
    tab_to(page, button)
    page.keyboard.press("Enter")


def assert_summary(page: Page, questions: list[dict], plans: dict[int, dict]) -> None:
    """Check the summary's score, its before-and-after table and its review list."""
    expect(page.get_by_role("heading", level=1, name="Your summary")).to_be_visible()
    main = [q for q in questions if q["part"] == "main" and q["type"] != "open"]
    scored = MAIN_COUNT - MAIN_WRITTEN
    assert len(main) == scored
    score = sum(plans[q["pk"]]["score"] for q in main)
    percent = round(100 * score / scored)
    expect(page.locator(".big-score")).to_have_text(
        f"{points(round(score, 2))} out of {scored} ({percent}%)"
    )
    right = sum(plans[q["pk"]]["score"] == 1 for q in main)
    expect(page.locator(".score-card")).to_contain_text(
        f"{right} of {scored} questions fully right"
    )
    waiting = MAIN_WRITTEN + 2 * CHECK_WRITTEN
    expect(
        page.get_by_text(f"{waiting} written answers are waiting for your teacher's mark")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Before and after")).to_be_visible()
    rows = page.get_by_role("table", name="Your check form scores").locator("tbody tr")
    expect(rows).to_have_count(2)
    for row, part, label in (
        (rows.nth(0), "before", "Check before"),
        (rows.nth(1), "after", "Check after"),
    ):
        done = [
            plans[q["pk"]]["score"]
            for q in questions
            if q["part"] == part and not plans[q["pk"]].get("pending")
        ]
        closed = CHECK_COUNT - CHECK_WRITTEN
        assert len(done) == closed
        check_score = sum(done)
        expect(row.get_by_role("rowheader")).to_have_text(re.compile(rf"^{label}: Check form"))
        expect(row.get_by_role("cell")).to_have_text(
            f"{points(round(check_score, 2))} of {closed} ({round(100 * check_score / closed)}%)"
        )
    items = page.locator(".review-list > li")
    expect(items).to_have_count(TOTAL)
    expect(items.locator(".tag", has_text="Check before")).to_have_count(CHECK_COUNT)
    expect(items.locator(".tag", has_text="Check after")).to_have_count(CHECK_COUNT)


def assert_stored(live_server, code: str, nickname: str, questions, plans) -> None:
    answers = live_server.answers(code, nickname)
    assert len(answers) == TOTAL
    by_pk = {a["question_id"]: a for a in answers}
    for q in questions:
        stored = by_pk[q["pk"]]
        assert stored["score"] == pytest.approx(plans[q["pk"]]["score"]), q["id"]


# JavaScript on: the whole set on a phone, keyboard only --------------------------------


def test_the_full_set_with_checks_on_a_phone_with_the_keyboard_only(live_server, new_page):
    live_server.load_shipped()
    code = live_server.open_session(slug=MAIN, checks=True)
    questions = live_server.questions(code)
    assert len(questions) == TOTAL
    assert [q["part"] for q in questions] == (
        ["before"] * CHECK_COUNT + ["main"] * MAIN_COUNT + ["after"] * CHECK_COUNT
    )
    assert {q["type"] for q in questions} == set(FORMATS)
    plans = make_plans(questions)
    assert {q["type"] for q in questions if plans[q["pk"]]["wrong"]} == set(CLOSED)
    page = new_page(js=True, viewport="phone")

    # Join with the keyboard: the code in lower case, then the nickname, then Enter.
    page.goto("/")
    tab_to(page, page.get_by_label("Session code"))
    page.keyboard.type(code.lower())
    tab_to(page, page.get_by_label("Nickname"))
    page.keyboard.type(NICK)
    page.keyboard.press("Enter")
    expect(question_heading(page, 1)).to_be_visible()
    expect(question_heading(page, 1)).to_have_text(f"Question 1 of {TOTAL} · Check before")

    checked: set[str] = set()  # formats already checked with axe
    for q in questions:
        n = q["number"]
        heading = question_heading(page, n)
        # wait_for watches the page itself, so it sees the swap at once (expect's
        # retries back off from 100 ms); the expects then pass on their first look.
        heading.wait_for()
        expect(heading).to_be_visible()
        if n > 1:
            expect(heading).to_be_focused()  # lateral.js moves focus to the new step
        audit = q["type"] not in checked
        if audit:
            assert_no_axe_violations(page, f"question {n} ({q['type']})")
            assert_no_sideways_scroll(page, f"question {n} ({q['type']})")
        keyboard_answer(page, q, plans[q["pk"]], rate=n % 2 == 0, change_mind=n == 1)
        verdict = page.locator("h1.feedback-heading")
        verdict.wait_for()
        expect(verdict).to_have_text(verdict_text(plans[q["pk"]]))
        expect(verdict).to_be_focused()
        if audit:
            assert_no_axe_violations(page, f"feedback on question {n} ({q['type']})")
            assert_no_sideways_scroll(page, f"feedback on question {n} ({q['type']})")
            checked.add(q["type"])
        last = n == TOTAL
        link = page.get_by_role("link", name="See your summary" if last else "Next question").last
        tab_to(page, link)
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/play/{code}/summary$"))
    assert_summary(page, questions, plans)
    assert_no_axe_violations(page, "the summary")
    assert_no_sideways_scroll(page, "the summary")
    assert_stored(live_server, code, NICK, questions, plans)
    answers = {a["question_id"]: a for a in live_server.answers(code, NICK)}
    cer = next(q for q in questions if q["type"] == "cer")
    assert answers[cer["pk"]]["reason"] == REASON
    rated = [q for q in questions if q["confidence"] and q["number"] % 2 == 0]
    assert rated and all(answers[q["pk"]]["confidence"] == 2 for q in rated)


# JavaScript off: every format through full page loads ---------------------------------


def fill(page: Page, q: dict, answer: dict) -> None:
    form = page.locator("form.answer-form")
    if q["type"] == "open":
        form.locator("textarea[name=text]").fill(answer["text"])
    elif q["type"] == "order":
        for place, oid in enumerate(answer["options"], start=1):
            form.locator(f"select[name='pos-{oid}']").select_option(str(place))
    else:
        for oid in answer["options"]:
            form.locator(f"input[name=option][value='{oid}']").check()
    if q["type"] == "cer":
        for n in answer["evidence"]:
            form.locator(f"input[name=evidence][value='{n}']").check()
        form.locator("textarea[name=reason]").fill(REASON)


def submit_directly(live_server, code: str, q: dict, answer: dict) -> None:
    """Store an answer with answering.submit, as the answer form would post it."""
    form = MultiDict([("question", str(q["pk"]))])
    if q["type"] == "open":
        form.add("text", answer["text"])
    elif q["type"] == "order":
        for place, oid in enumerate(answer["options"], start=1):
            form.add(f"pos-{oid}", str(place))
    else:
        for oid in answer["options"]:
            form.add("option", oid)
    for n in answer["evidence"] if q["type"] == "cer" else []:
        form.add("evidence", str(n))
    participant_id = live_server.participant(code, NICK)["id"]
    with live_server.db() as database:
        answering.submit(database, sessions.load_session(database, code), participant_id, form)


def test_the_full_set_with_checks_without_javascript(live_server, new_page):
    """One question of each format through full page loads; the others stored directly."""
    live_server.load_shipped()
    code = live_server.open_session(slug=MAIN, checks=True)
    questions = live_server.questions(code)
    plans = make_plans(questions)
    # The first question of each format goes through the browser (some right, some
    # wrong); the ones between them are stored directly, to keep the test quick.
    firsts = {next(q["number"] for q in questions if q["type"] == t) for t in FORMATS}
    assert len(firsts) == len(FORMATS)
    assert any(plans[questions[n - 1]["pk"]]["wrong"] for n in firsts)
    page = new_page(js=False, viewport="phone")
    page.goto("/")
    page.get_by_label("Session code").fill(code)
    page.get_by_label("Nickname").fill(NICK)
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(rf"/play/{code}(/question/\d+)?$"))
    for q in questions:
        if q["number"] not in firsts:
            submit_directly(live_server, code, q, plans[q["pk"]])
            continue
        if q["number"] > 1:
            # The questions between were stored behind the page's back, so its "Next
            # question" (the next question's own address) is stale: resume instead.
            page.goto(f"/play/{code}")
        expect(question_heading(page, q["number"])).to_be_visible()
        fill(page, q, plans[q["pk"]])
        page.locator("form.answer-form button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/play/{code}/feedback/{q['pk']}$"))
        expect(page.locator("h1.feedback-heading")).to_have_text(verdict_text(plans[q["pk"]]))
    page.goto(f"/play/{code}")  # every question is answered now (its Next link is stale)
    assert_summary(page, questions, plans)
    page.goto(f"/play/{code}/summary")
    assert_summary(page, questions, plans)
    assert_stored(live_server, code, NICK, questions, plans)
