"""A large class in real browsers: the live view lists only the latest to join and
links to the People page, where the facilitator finds a student by part of the
nickname and moves them to another table, with JavaScript and without; both pages
axe-clean (with JavaScript, as axe runs in the page), the People page without
sideways scrolling on a phone."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from quiz.play import sessions
from quiz.storage import queries

from .checks import assert_no_axe_violations, assert_no_sideways_scroll

pytestmark = pytest.mark.browser

CLASS = 45


def large_session(live_server, owner_id: int) -> str:
    with live_server.db() as db:
        code = sessions.open_session(
            db, "mini-set", owner_id=owner_id, teams=["Red", "Blue"], title="Year 9"
        )["code"]
        sess = sessions.load_session(db, code)
        for n in range(1, CLASS + 1):
            team = sess.teams[n % 2]["id"]
            queries.insert_participant(
                db, secrets.token_urlsafe(12), sess.row["id"], f"Student {n}", f"s{n}", team
            )
    return code


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_facilitator_finds_a_student_on_the_people_page_and_moves_them(
    live_server, new_page, teacher_account, sign_in, js
):
    code = large_session(live_server, teacher_account.id)
    page = new_page(js=js)
    sign_in(page, teacher_account)
    page.goto(f"/run/{code}")
    expect(page.get_by_role("heading", name="The latest to join")).to_be_visible()
    expect(page.locator("#live")).to_contain_text("Student 45")
    expect(page.locator("#live")).not_to_contain_text("Student 1 ")
    if js:  # axe runs in the page: only where JavaScript does
        assert_no_axe_violations(page, "the live view of a large class")

    page.get_by_role(
        "link", name=f"All {CLASS} people: find one, move, rejoin codes, remove"
    ).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^People"))).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=f"{CLASS} joined")).to_be_visible()
    if js:
        assert_no_axe_violations(page, "the People page")

    page.get_by_label("Nickname contains").fill("dent 4")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(
        page.get_by_role("heading", level=2, name="7 nicknames contain “dent 4”")
    ).to_be_visible()
    select = page.get_by_label("Team of Student 42")
    blue = select.locator("option", has_text="Blue").get_attribute("value")
    select.select_option(label="Blue")
    page.get_by_role("button", name="Move Student 42", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Participant moved.")
    expect(page).to_have_url(re.compile(r"/people\?q=dent\+4$"))
    expect(page.get_by_label("Team of Student 42")).to_have_value(blue)
    if js:
        assert_no_axe_violations(page, "the People page after a search and a move")

    phone = new_page(js=js, viewport="phone")
    sign_in(phone, teacher_account)
    phone.goto(f"/run/{code}/people?page=1")
    expect(phone.get_by_role("heading", level=2, name=f"{CLASS} joined")).to_be_visible()
    assert_no_sideways_scroll(phone, "the People page at phone width")
