"""The live lesson as the room sees it, in real browsers: one facilitator, one projector
page and three students at two tables.

The facilitator (desktop) starts a led session with feedback held until the reveal and
two tables; the projector (a second signed-in browser, 1280x720 then 1920x1080) shows
the room screen, which follows the facilitator by polling, never with a click. On the
way: a peer-instruction question voted on twice (the shift on the room screen and in
the report), a latecomer who lands on the room's question, a timed question that closes
at zero (the deadline moved through the injected clock, quiz.clock, which the live
server in this process reads), and a student who reloads, goes home and types the code
again, coming back as themself. A second test follows the room with JavaScript off.

Every wait is Playwright's own (expect, wait_for); the clock never moves by itself.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ..test_lesson import Clock
from .checks import assert_no_axe_violations
from .test_facilitator_journey import Student

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOTAL = 6
LATE_409 = r"status of 409 \(CONFLICT\) \(http://[^ ]+/play/[A-Z0-9]+/answer\)$"
Q1_STEM = "Does the video show troops leaving the border?"
Q1_WRONG = "Yes, footage is hard to fake."
Q1_RIGHT = "No, it was filmed in Crimea."
CLOSED = "Answers are closed for this question; wait for the next one."
SIZES = {"720p": {"width": 1280, "height": 720}, "1080p": {"width": 1920, "height": 1080}}
MIN_TEXT_PX = 24  # at 1280x720, read from the back of a classroom

# The font size of every text node shown on screen (not those only for screen readers),
# with its text, smallest first.
FONT_SIZES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || !el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    // Off screen (the skip link until focused) or clipped to a pixel (visually hidden).
    if (box.width <= 1 || box.height <= 1 || box.right <= 0 || box.bottom <= 0) continue;
    out.push([parseFloat(getComputedStyle(el).fontSize), text.slice(0, 40)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}"""


@pytest.fixture
def frozen(monkeypatch) -> Clock:
    """The injected clock, read by the live server in this process: only the test moves it."""
    return Clock(monkeypatch)


def room_of(page: Page):
    return page.locator("#room")


def assert_legible(page: Page, what: str) -> None:
    """No visible text on the page under MIN_TEXT_PX (measured at 1280x720)."""
    small = [(size, text) for size, text in page.evaluate(FONT_SIZES) if size < MIN_TEXT_PX]
    assert not small, f"text under {MIN_TEXT_PX} px on {what}: {small[:8]}"


def check_room(page: Page, what: str) -> None:
    """The room screen at both sizes: axe finds nothing; at 1280x720 no text under 24 px."""
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        assert_no_axe_violations(page, f"the room screen ({what}, {name})")
        if name == "720p":
            assert_legible(page, f"the room screen ({what})")
    page.set_viewport_size(SIZES["720p"])


def start_led(fac: Page, tables: str = "") -> str:
    """Start a led session on the mini set, feedback at the reveal; return its code.
    Starting it opens the room screen."""
    fac.goto("/run/")
    fac.get_by_label("Question set").select_option("mini-set")
    fac.get_by_role("radio", name=re.compile(r"^Facilitator-led")).check()
    fac.get_by_role("radio", name="When I reveal it to the room").check()
    fac.get_by_label("Tables or teams (optional)").fill(tables)
    fac.get_by_role("button", name="Start and show the join screen").click()
    expect(fac).to_have_url(re.compile(r"/run/[A-Z0-9]{6}/room$"))
    return fac.url.rsplit("/", 2)[-2]


def join(page: Page, code: str, nickname: str, team: str) -> None:
    page.goto("/")
    page.get_by_label("Session code").fill(code)
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_role("group", name="Your table or team").get_by_role(
        "radio", name=team, exact=True
    ).check()
    page.get_by_role("button", name="Join my team").click()
    expect(page).to_have_url(re.compile(rf"/play/{code}$"))


def question_heading(page: Page, n: int):
    return page.get_by_role("heading", level=1, name=f"Question {n} of {TOTAL}")


def vote(page: Page, option: str) -> None:
    page.get_by_role("radio", name=option, exact=True).check()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", level=1, name="Answer received")).to_be_visible()


def press(page: Page, key: str) -> None:
    """Press a control's key on the page (the room screen's controls answer letters)."""
    page.locator("body").press(key)


def test_a_lesson_with_the_room_screen_a_second_vote_a_latecomer_a_timer_and_a_return(
    live_server, new_page, console, teacher_account, sign_in, frozen
):
    console.allow(LATE_409)

    # The facilitator starts a led session; the projector opens the room screen --------
    fac = new_page(js=True, viewport="desktop")
    sign_in(fac, teacher_account)
    code = start_led(fac, tables="Red\nBlue")

    projector = new_page(js=True, viewport="desktop")
    projector.set_viewport_size(SIZES["720p"])
    sign_in(projector, teacher_account)
    projector.goto(f"/run/{code}/room")
    room = room_of(projector)
    expect(projector.get_by_role("heading", level=1, name="Join the session")).to_be_visible()
    expect(projector.locator(".join-code")).to_have_text(code)
    expect(projector.get_by_role("navigation")).to_have_count(0)
    check_room(projector, "join")
    projector.set_viewport_size(SIZES["1080p"])
    qr_width = projector.locator("img.qr").evaluate("img => img.getBoundingClientRect().width")
    assert qr_width >= 480, f"the QR code is {qr_width} px wide at 1920x1080"
    projector.set_viewport_size(SIZES["720p"])

    # Two students at Red join; the room screen counts them per table ----------------
    ada = Student(new_page(js=True, viewport="phone"), "Ada", "Red")
    ben = Student(new_page(js=True, viewport="phone"), "Ben", "Red")
    for s in (ada, ben):
        join(s.page, code, s.nickname, s.team)
    expect(room.locator(".joined-count")).to_have_text("2 joined")
    expect(room.locator(".team-counts li")).to_have_text(["Red 2", "Blue 0"])

    # Question 1 opens from the dashboard; the projector follows without a click ------
    fac.goto(f"/run/{code}")
    fac.get_by_role("button", name=re.compile("^Open the first question")).click()
    expect(fac.locator(".current-question")).to_contain_text("question 1 of 6")
    expect(room.locator(".room-number")).to_have_text(f"Question 1 of {TOTAL}")
    expect(room.get_by_role("heading", level=1)).to_have_text(Q1_STEM)
    expect(room.locator(".room-options li")).to_have_count(3)
    expect(room.locator(".room-count")).to_have_text("0 of 2 answered")
    expect(room).not_to_contain_text("Correct")
    # The dashboard keeps the key to itself until asked.
    expect(fac.locator(".tag-keyed")).to_have_count(0)
    check_room(projector, "question 1")

    # Peer instruction: a first vote, talk, a second vote ------------------------------
    for s in (ada, ben):
        expect(question_heading(s.page, 1)).to_be_visible()
    vote(ada.page, Q1_RIGHT)
    vote(ben.page, Q1_WRONG)
    expect(room.locator(".room-count")).to_have_text("2 of 2 answered")
    expect(room.locator(".room-teams li")).to_have_text(["Red 2 of 2", "Blue 0 of 0"])
    fac.get_by_role("button", name=re.compile("^Second vote")).click()
    expect(fac.locator(".current-question")).to_contain_text("second vote")
    expect(room.locator(".room-state")).to_have_text(
        "Second vote: talk to your table, then vote again."
    )
    expect(room.locator(".room-count")).to_have_text("0 of 2 voted again")
    for s, first in ((ada, Q1_RIGHT), (ben, Q1_WRONG)):
        note = s.page.locator(".second-vote")
        expect(note).to_contain_text("Talk to your table, then vote again.")
        expect(note).to_contain_text(f"Your first vote: {first}")
    vote(ada.page, Q1_RIGHT)
    vote(ben.page, Q1_RIGHT)  # Ben moved from wrong to right
    expect(room.locator(".room-count")).to_have_text("2 of 2 voted again")
    # The projector's own keys: R reveals, on the room screen itself.
    expect(room.get_by_role("button", name=re.compile("^Reveal"))).to_have_attribute(
        "aria-keyshortcuts", "R"
    )
    press(projector, "r")
    expect(room.get_by_role("columnheader", name="First vote")).to_be_visible()
    expect(room.locator(".room-moved .room-share")).to_have_text(
        "50% right at the first vote, 100% after talking."
    )
    expect(room.locator(".room-moved")).to_contain_text(
        "Of 2 who voted twice: 1 moved from wrong to right, 0 from right to wrong."
    )
    expect(room.locator(".room-prompt")).to_contain_text("Why might someone choose this?")
    expect(room.locator(".room-prompt-option")).to_have_text(f"“{Q1_WRONG}”")
    expect(room.locator(".explanation")).to_have_count(0)
    check_room(projector, "question 1 revealed after two votes")
    # The reveal's second step, from the room screen's own key: why and the evidence.
    expect(room.get_by_role("button", name=re.compile("^Why and evidence"))).to_have_attribute(
        "aria-keyshortcuts", "W"
    )
    press(projector, "w")
    expect(room.get_by_role("heading", name="Why", exact=True)).to_be_visible()
    expect(room.locator(".room-why mark").first).to_be_visible()
    expect(room.locator(".room-prompt")).to_have_count(0)
    check_room(projector, "question 1: why and the evidence")
    expect(ben.page.locator(".second-vote")).to_contain_text("Your two votes")
    assert [a["vote"] for a in live_server.answers(code, "Ben")] == [1, 2]

    # Question 2: a latecomer lands on it, not on question 1 ---------------------------
    press(projector, "n")
    expect(room.locator(".room-number")).to_have_text(f"Question 2 of {TOTAL}")
    zoe = Student(new_page(js=True, viewport="phone"), "Zoë", "Blue")
    join(zoe.page, code, zoe.nickname, zoe.team)
    expect(question_heading(zoe.page, 2)).to_be_visible()
    expect(room.locator(".room-teams li")).to_have_text(["Red 0 of 2", "Blue 0 of 1"])

    # A timer: the room screen counts down; at zero the question closes ---------------
    press(projector, "t")
    timer = room.locator(".countdown")
    expect(timer.locator(".countdown-value")).to_have_text("0:30")
    # JavaScript counts down between polls.
    expect(timer.locator(".countdown-value")).to_have_text(re.compile(r"^0:[0-2]\d$"))
    for s in (ada, ben):  # they were reading question 1's feedback (Next at top and bottom)
        s.page.get_by_role("link", name="Next question").last.click()
    for s in (ada, ben, zoe):
        expect(question_heading(s.page, 2)).to_be_visible()
        expect(s.page.locator(".countdown")).to_be_visible()
    ada.page.get_by_role("checkbox", name="Stoltenberg", exact=True).check()
    ada.page.get_by_role("button", name="Submit answer").click()
    expect(ada.page.get_by_role("heading", level=1, name="Answer received")).to_be_visible()
    frozen.wait(31)
    expect(timer.locator(".countdown-label")).to_have_text("Time is up")
    expect(room.locator(".room-state")).to_have_text("Answers are closed.")
    for s in (ben, zoe):
        expect(s.page.get_by_role("status")).to_have_text(CLOSED)
    assert len(live_server.answers(code, "Zoë")) == 0

    # Ben reloads, goes home and types the code: he comes back as himself ------------
    ben.page.reload()
    expect(ben.page.get_by_role("status")).to_have_text(CLOSED)
    ben.page.goto("/")
    ben.page.get_by_label("Session code").fill(code.lower())
    ben.page.get_by_role("button", name="Join", exact=True).click()
    expect(ben.page).to_have_url(re.compile(rf"/play/{code}$"))
    expect(ben.page.get_by_text("Welcome back, Ben")).to_be_visible()
    ben.page.goto(f"/join/{code}")
    expect(ben.page.get_by_text("Welcome back, Ben")).to_be_visible()
    assert [a["vote"] for a in live_server.answers(code, "Ben")] == [1, 2]
    joined = live_server.query(
        "SELECT count(*) AS n FROM participant p JOIN session s ON s.id = p.session_id "
        "WHERE s.code = ?",
        [code],
    )
    assert joined[0]["n"] == 3

    # The report shows both votes and the move, per table; the room screen ends calmly
    fac.goto(f"/run/{code}/report")
    votes = fac.locator("section:has(#report-votes)")
    votes.locator("summary").click()  # folded, like the report's other sections
    expect(votes).to_contain_text("counts the first vote")
    table = votes.locator("table").first
    expect(table.locator("caption")).to_contain_text(f"Question 1: {Q1_STEM}")
    cells = {
        row.locator("th").inner_text(): [c.strip() for c in row.locator("td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    }
    assert cells["Everyone"] == ["2", "50%", "100%", "1 (50%)", "0 (0%)"]
    assert cells["Red"] == ["2", "50%", "100%", "1 (50%)", "0 (0%)"]
    fac.goto(f"/run/{code}/close")
    fac.get_by_role("button", name="Close the session").click()
    expect(room.get_by_role("heading", level=1)).to_have_text("That is the end of this session")
    check_room(projector, "end")


def test_without_javascript_a_student_and_the_projector_still_follow_the_room(
    live_server, new_page, teacher_account, sign_in
):
    fac = new_page(js=True, viewport="desktop")
    sign_in(fac, teacher_account)
    code = start_led(fac)

    projector = new_page(js=False, viewport="desktop")
    sign_in(projector, teacher_account)
    projector.goto(f"/run/{code}/room")
    student = new_page(js=False, viewport="phone")
    student.goto("/")
    student.get_by_label("Session code").fill(code)
    student.get_by_label("Nickname").fill("Noor")
    student.get_by_role("button", name="Join", exact=True).click()
    expect(
        student.get_by_role("heading", level=1, name="Waiting for your facilitator")
    ).to_be_visible()
    expect(room_of(projector).locator(".joined-count")).to_have_text("1 joined")

    fac.goto(f"/run/{code}")
    fac.get_by_role("button", name=re.compile("^Open the first question")).click()
    # Both pages reload themselves (meta refresh) and show the room's question.
    expect(question_heading(student, 1)).to_be_visible(timeout=30_000)
    expect(room_of(projector).get_by_role("heading", level=1)).to_have_text(Q1_STEM, timeout=30_000)
    vote(student, Q1_RIGHT)
    fac.get_by_role("button", name=re.compile("^Reveal")).first.click()
    expect(student.locator("h1.feedback-heading")).to_have_text("Right", timeout=30_000)
    expect(room_of(projector).locator(".room-prompt, .distribution").first).to_be_visible(
        timeout=30_000
    )
    # The second step from the dashboard's form; the projector reloads into it.
    fac.get_by_role("button", name=re.compile("^Show the room why")).click()
    expect(fac.locator(".current-question")).to_contain_text("the room sees why")
    expect(room_of(projector).get_by_role("heading", name="Why", exact=True)).to_be_visible(
        timeout=30_000
    )
