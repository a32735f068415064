"""The room screen fits the projector: nothing of it is below the fold.

A teacher in front of a class cannot scroll the projector, so every step of every shipped
question must fit one screen at 1366x768 (a school laptop) and at 1920x1080 (type grows
with the screen, so the same step must fit there too): the question while the room
answers, a second vote, the answers revealed (the key and the distribution), and the
facilitator's next step, the Why and the evidence. The lesson is driven from the room
screen's own keys, as a facilitator drives it; the class's answers are stored in-process
(one per student and vote, spread over the options) so that every distribution and the
most chosen wrong answer are on screen. axe-core checks each step of each question
type at both sizes (the first question of the type).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from werkzeug.datastructures import MultiDict

from quiz.play import answering, joining, sessions

from .checks import assert_no_axe_violations
from .conftest import SHIPPED_MAIN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"1366x768": {"width": 1366, "height": 768}, "1920x1080": {"width": 1920, "height": 1080}}
CLASS = 12
MIN_TEXT_PX = 24

# How far the page runs past the bottom of the window, and the font size of the smallest
# visible text on it.
MEASURE = """() => {
  let smallest = Infinity;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el || !el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    // Off screen (the skip link until focused) or clipped to a pixel (visually hidden).
    if (box.width <= 1 || box.height <= 1 || box.right <= 0 || box.bottom <= 0) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  return [document.scrollingElement.scrollHeight - window.innerHeight, smallest];
}"""


def answer_form(q: dict, i: int, vote: int) -> MultiDict:
    """Student ``i``'s answer to ``q`` in a vote: each student picks another option (the
    second vote moves them on by one), so every option is chosen by someone."""
    form = MultiDict({"question": str(q["pk"]), "vote": str(vote)})
    options = [o["id"] for o in q["options"]]
    pick = (i + vote - 1) % max(len(options), 1)
    if q["type"] == "open":
        form["text"] = f"Student {i} looked it up and wrote what the source said."
    elif q["type"] == "order":
        for position, option in enumerate(options[pick:] + options[:pick], start=1):
            form[f"pos-{option}"] = str(position)
    elif q["type"] in ("multiple",) or (q["type"] == "passage" and len(q["key"]) > 1):
        form.setlist("option", [options[pick], options[(pick + 1) % len(options)]])
    else:
        form["option"] = options[pick]
    if q["type"] == "cer":
        form["evidence"] = str(q["evidence_choices"][i % len(q["evidence_choices"])])
    return form


def answer_all(live_server, code: str, pids: list[str], q: dict, vote: int) -> None:
    with live_server.db() as db:
        sess = sessions.load_session(db, code)
        for i, pid in enumerate(pids):
            answering.submit(db, sess, pid, answer_form(q, i, vote))


def press(page: Page, key: str) -> None:
    page.locator("body").press(key)


def measure(page: Page, what: str, problems: list[str], axe: bool = True) -> None:
    """Note each size at which the page runs below the fold or has text under 24 px;
    then, when ``axe``, axe-core at each size (it unfolds every <details>, so it comes
    last)."""
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        settled(page)
        below, smallest = page.evaluate(MEASURE)
        if below > 0:
            problems.append(f"{what} at {name}: {below} px below the fold")
        if smallest < MIN_TEXT_PX:
            problems.append(f"{what} at {name}: text of {smallest} px")
    for name, size in SIZES.items() if axe else ():
        page.set_viewport_size(size)
        try:
            assert_no_axe_violations(page, f"the room screen ({what}, {name})")
        except AssertionError as failed:
            problems.append(str(failed))
    page.set_viewport_size(SIZES["1366x768"])


def settled(page: Page) -> None:
    """Wait until htmx has no request, swap or settle under way and the page fits, for up
    to 3 s (the room poll may land just after a key's swap); a page that still runs
    below the fold then is measured as it is."""
    try:
        page.wait_for_function(
            f"""() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
                      && ({MEASURE})()[0] <= 0""",
            timeout=3000,
        )
    except PlaywrightTimeoutError:
        pass


def second_vote_here(q: dict) -> bool:
    """The questions voted on twice: the first, and those with the most options (both
    distributions side by side are the tallest reveal)."""
    return q["type"] not in ("open",) and (q["number"] == 1 or len(q["options"]) >= 5)


def test_every_step_of_every_shipped_question_fits_the_projector_without_scrolling(
    live_server, new_page, teacher_account, sign_in
):
    live_server.load_shipped()
    code = live_server.open_session(
        slug=SHIPPED_MAIN,
        pace="led",
        feedback="reveal",
        owner_id=teacher_account.id,
        teams=["Red", "Blue"],
    )
    with live_server.db() as db:
        teams = [t["id"] for t in sessions.load_session(db, code).teams]
        pids = [joining.join(db, code, f"Student {i}", teams[i % 2])[1] for i in range(CLASS)]
    questions = live_server.questions(code)
    room = new_page(js=True, viewport="desktop")
    room.set_viewport_size(SIZES["1366x768"])
    sign_in(room, teacher_account)
    room.goto(f"/run/{code}/room")
    screen = room.locator("#room")
    problems: list[str] = []
    measure(room, "the join screen", problems)
    # axe-core once per question type and step (its rules read the page's structure,
    # which a type's questions share); the fit at every step of every question.
    checked: set[tuple[str, str]] = set()

    def fits(q: dict, step: str, what: str) -> None:
        first = (q["type"], step) not in checked
        checked.add((q["type"], step))
        measure(room, what, problems, axe=first)

    for q in questions:
        n = q["number"]
        press(room, "n")
        expect(screen.locator(".room-number")).to_have_text(f"Question {n} of {len(questions)}")
        answer_all(live_server, code, pids, q, 1)
        expect(screen.locator(".room-count")).to_have_text(f"{CLASS} of {CLASS} answered")
        fits(q, "question", f"question {n} ({q['type']})")
        if second_vote_here(q):
            press(room, "v")
            expect(screen.locator(".room-count")).to_have_text(f"0 of {CLASS} voted again")
            answer_all(live_server, code, pids, q, 2)
            expect(screen.locator(".room-count")).to_have_text(f"{CLASS} of {CLASS} voted again")
            fits(q, "second vote", f"question {n}, second vote")
        press(room, "r")
        expect(screen.get_by_role("button", name=re.compile("^Why"))).to_be_visible()
        expect(screen.locator(".explanation")).to_have_count(0)
        fits(q, "answers", f"question {n} revealed: the answers")
        press(room, "w")
        expect(screen.get_by_role("heading", name="Why", exact=True)).to_be_visible()
        expect(screen.locator(".explanation")).to_have_text(q["explanation"])
        fits(q, "why", f"question {n} revealed: why and the evidence")

    assert not problems, "\n".join(problems)
