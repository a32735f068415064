"""A led lesson in Finnish, in real browsers (issue 18): the facilitator's live view and
the room screen in the teacher's browser language, the phone in the session's language
whatever the phone's own, the set's English text marked as English; axe-core on each.

Every wait is Playwright's own (expect); nothing waits on the clock.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .checks import assert_no_axe_violations, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.slow]

Q1_STEM = "Does the video show troops leaving the border?"


def signed_in_in_finnish(new_page, account) -> Page:
    """A desktop page asking for Finnish, signed in through the form (its labels are
    Finnish, so it is filled by field name)."""
    page = new_page(locale="fi-FI")
    page.goto("/signin")
    page.locator("input[name=email]").fill(account.email)
    page.locator("input[name=password]").fill(account.password)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/teach/$"))
    return page


def test_a_led_lesson_in_finnish_on_the_room_screen_and_a_phone(
    live_server, new_page, teacher_account
):
    code = live_server.open_session(
        pace="led",
        feedback="reveal",
        language="fi",
        owner_id=teacher_account.id,
        teams=["Punainen", "Sininen"],
    )
    room = signed_in_in_finnish(new_page, teacher_account)
    room.goto(f"/run/{code}/room")
    expect(room.locator("html")).to_have_attribute("lang", "fi")
    expect(room.get_by_role("heading", level=1, name="Liity istuntoon")).to_be_visible()
    assert_no_axe_violations(room, "the room screen's join phase in Finnish")

    # The phone asks for English; the session is in Finnish.
    phone = new_page(viewport="phone", locale="en-GB")
    phone.goto("/")
    phone.locator("input[name=code]").fill(code)
    phone.locator("input[name=nickname]").fill("Aino")
    phone.locator("form[action='/join'] button[type=submit]").click()
    phone.get_by_label("Punainen").check()
    phone.locator("form[action='/join'] button[type=submit]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "fi")
    expect(phone.get_by_role("heading", level=1, name="Odotetaan ohjaajaa")).to_be_visible()
    assert_no_axe_violations(phone, "the waiting screen in Finnish")

    room.locator("#room button[data-key=n]").click()
    expect(room.locator(".room-number")).to_have_text("Kysymys 1 / 6")
    expect(room.locator(".room-stem")).to_have_attribute("lang", "en")
    expect(phone.locator(".stem")).to_have_text(Q1_STEM)
    expect(phone.locator(".stem")).to_have_attribute("lang", "en")
    assert_no_sideways_scroll(phone, "the question in Finnish")
    assert_no_axe_violations(phone, "the question in Finnish")
    phone.locator("input[name=option]").first.check()
    phone.get_by_role("button", name="Lähetä vastaus").click()
    expect(phone.get_by_role("heading", level=1, name="Vastaus vastaanotettu")).to_be_visible()
    expect(room.locator(".room-count")).to_contain_text("1/1 vastannut")
    assert_no_axe_violations(room, "the room screen's question in Finnish")

    room.locator("#room button[data-key=r]").click()
    expect(room.get_by_role("heading", name="Miksi joku voisi valita tämän?")).to_be_visible()
    assert_no_axe_violations(room, "the room screen's reveal in Finnish")
    # The reveal's second step: the explanation and the evidence.
    expect(room.locator("#room button[data-key=w]")).to_contain_text("Selitys ja näyttö")
    room.locator("#room button[data-key=w]").click()
    expect(room.get_by_role("heading", name="Miksi", exact=True)).to_be_visible()
    expect(room.get_by_role("heading", name="Näyttö artikkelissa")).to_be_visible()
    assert_no_axe_violations(room, "the room screen's why step in Finnish")
    phone.reload()
    expect(phone.get_by_role("link", name="Seuraava kysymys").first).to_be_visible()
    assert_no_sideways_scroll(phone, "the feedback in Finnish")
    assert_no_axe_violations(phone, "the feedback in Finnish")

    live = signed_in_in_finnish(new_page, teacher_account)
    live.goto(f"/run/{code}")
    expect(live.get_by_role("heading", name="Ohjaus")).to_be_visible()
    assert_no_axe_violations(live, "the live view in Finnish")
    live.goto(f"/run/{code}/report")
    expect(live.get_by_role("heading", name="Yleiskuva")).to_be_visible()
    assert_no_axe_violations(live, "the report in Finnish")
