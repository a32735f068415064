"""The facilitator's report of a led lesson with tables and peer instruction, laid out.

Thirty students at three tables answer the shipped article set in a led session; the room
votes twice on two questions. The report's peer-instruction section is folded like its
other sections (and printed open); every table, the skill tables included, stays within
the viewport from a phone (390 px) to a laptop (1280 px, 1366x768): a table wider than its
column scrolls inside a named, focusable region, never the page. axe-core finds nothing,
on screen and printed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from quiz.facilitation import control
from quiz.play import joining, sessions
from quiz.storage.queries import Answers

from .checks import assert_no_axe_violations, assert_no_sideways_scroll
from .test_phone_budgets import MAIN, PARTICIPANTS, submit

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect.set_options(timeout=30_000)

TABLES = ("Red", "Blue", "Green")
VOTED_TWICE = (1, 3)  # the questions the room votes on again, after talking
WIDTHS = (390, 600, 768, 900, 1024, 1280)

# Tables (by caption) whose content is wider than their box, and whether that box is a
# named, focusable scroll region; and any table reaching past the viewport's right edge.
TABLE_FIT = """() => [...document.querySelectorAll('main table')].map(t => {
    const box = t.closest('.table-wrap') || t;
    return {caption: t.caption ? t.caption.textContent.trim().slice(0, 60) : '',
            scrolls: box.scrollWidth > box.clientWidth + 1,
            region: box.getAttribute('role') === 'region' && !!box.getAttribute('aria-label')
                    && box.tabIndex === 0,
            past: box.getBoundingClientRect().right > document.documentElement.clientWidth + 1};
})"""


def run_led_lesson(live_server, owner_id: int) -> str:
    """A led session at three tables: everyone answers each question as the room reaches
    it (each wrong on a different third); on VOTED_TWICE the room votes again, and a
    third of the wrong move to the right answer. Returns the session's code."""
    with live_server.db() as database:
        code = sessions.open_session(
            database, MAIN, owner_id=owner_id, pace="led", feedback="reveal", teams=TABLES
        )["code"]
        sess = sessions.load_session(database, code)
        ids = [
            joining.join(database, code, f"Student {n:02}", sess.teams[n % 3]["id"])[1]
            for n in range(PARTICIPANTS)
        ]
        answers = {pid: Answers() for pid in ids}
        for q in sess.questions:
            control.go_to(database, sessions.load_session(database, code), q["number"])
            sess = sessions.load_session(database, code)
            for n, pid in enumerate(ids):
                wrong = (q["number"] + n) % 3 == 0
                submit(database, sess, pid, q, wrong, 1 + n % 3, answers[pid])
            if q["number"] in VOTED_TWICE:
                control.vote_again(database, sess, q["pk"])
                sess = sessions.load_session(database, code)
                for n, pid in enumerate(ids):
                    wrong = (q["number"] + n) % 3 == 0 and n % 2 == 0
                    submit(database, sess, pid, q, wrong, None, answers[pid])
    return code


def open_folds(page: Page) -> None:
    page.locator("details").evaluate_all("els => els.forEach(d => { d.open = true; })")


def test_a_lessons_report_folds_peer_instruction_and_keeps_every_table_in_the_viewport(
    live_server, new_page, teacher_account, sign_in
):
    live_server.load_shipped()
    code = run_led_lesson(live_server, teacher_account.id)
    page = new_page(viewport="phone")
    sign_in(page, teacher_account)
    url = f"/run/{code}/report"
    page.goto(url)
    fold = page.locator("details.report-fold:has(#report-votes)")
    expect(fold).to_have_count(1)
    expect(fold).not_to_have_attribute("open", "")
    heading = fold.locator("summary").get_by_role("heading", level=2)
    expect(heading).to_have_text("Peer instruction: first and second votes")
    tables = fold.locator("table")
    expect(tables).to_have_count(len(VOTED_TWICE))
    expect(tables.first).to_be_hidden()
    # Its tables are cards on a phone, like the report's other tables.
    fold.locator("summary").click()
    expect(tables.first).to_be_visible()
    row = tables.first.locator("tbody tr").first
    assert row.evaluate("e => getComputedStyle(e).display") == "flex"
    expect(row.locator("td").first).to_have_attribute("data-label", "Voted twice")

    # From a phone to a laptop, every section open: no table past the viewport's edge, and
    # one wider than its column scrolls in a named region (the skill tables on a laptop).
    for width, height in [(w, 844) for w in WIDTHS] + [(1366, 768)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        open_folds(page)
        expect(page.locator("#report-teams")).to_be_visible()
        assert_no_sideways_scroll(page, f"the report at {width}px")
        found = page.evaluate(TABLE_FIT)
        assert any(t["caption"].startswith("Results per skill for each team") for t in found)
        past = [t["caption"] for t in found if t["past"]]
        assert not past, f"at {width}px these tables reach past the viewport: {past}"
        unnamed = [t["caption"] for t in found if t["scrolls"] and not t["region"]]
        assert not unnamed, f"at {width}px these tables scroll without a named region: {unnamed}"

    # On paper every section is open, this one too, without a script opening it; axe-core
    # finds nothing on screen or printed, on a phone and on a laptop.
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(media="print")
    page.goto(url)
    expect(page.locator("details.report-fold:has(#report-votes) table").first).to_be_visible()
    laptop = new_page(viewport="desktop")
    laptop.set_viewport_size({"width": 1366, "height": 768})
    sign_in(laptop, teacher_account)
    for what, p in (("phone", page), ("laptop", laptop)):
        for media in ("screen", "print"):
            p.emulate_media(media=media)
            p.goto(url)
            assert_no_axe_violations(p, f"the lesson's report on a {what} ({media})")
