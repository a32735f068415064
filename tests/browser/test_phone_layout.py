"""A facilitator's pages on a phone: nothing is wider than the screen.

A facilitator checks the live view on a phone while walking round the tables. The
live view of a session with teams puts a team table in every question's card; a grid
sized to its content let those cards grow past the screen (448px on a 390px phone).
The sessions page offers the shipped set by its full title, and its select ran
126px off the screen. The shipped set is used because its titles and options are
the long ones a class really sees.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .checks import assert_no_sideways_scroll

pytestmark = pytest.mark.browser

MAIN = "russia-troops-feb-2022"  # the shipped set (questions/)
TEAMS = ("Window table", "Door table")


def start_session_with_teams(page: Page) -> str:
    """Start a self-paced session of the shipped set with two teams; return its code."""
    page.goto("/run/")
    page.get_by_label("Question set").select_option(value=MAIN)
    page.get_by_label("Tables or teams (optional)").fill("\n".join(TEAMS))
    page.get_by_role("button", name="Start and show the join screen").click()
    expect(page).to_have_url(re.compile(r"/run/[A-Z0-9]+/screen$"))
    return page.url.rsplit("/", 2)[-2]


def join_and_answer_first_question(page: Page, code: str, nickname: str, team: str) -> None:
    """Join through the home page form and answer question 1 with its first option."""
    page.goto("/")
    page.get_by_label("Session code").fill(code)
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_label(team).check()
    page.get_by_role("button", name="Join my team").click()
    first = page.get_by_role("heading", level=1, name=re.compile(r"^Question 1 of "))
    expect(first).to_be_visible()
    page.locator("form.answer-form input[name=option]").first.check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("h1.feedback-heading")).to_be_visible()


def test_the_sessions_page_and_the_live_view_with_teams_fit_a_phone(
    live_server, new_page, teacher_account, sign_in
):
    live_server.load_shipped()
    facilitator = new_page(viewport="phone")
    sign_in(facilitator, teacher_account)
    assert_no_sideways_scroll(facilitator, "the teacher's sets at phone width")

    facilitator.goto("/run/")
    expect(facilitator.get_by_label("Question set")).to_contain_text("Troops pulling back?")
    assert_no_sideways_scroll(facilitator, "the sessions page at phone width")

    code = start_session_with_teams(facilitator)
    for nickname, team in zip(("Ada", "Ben"), TEAMS, strict=True):
        join_and_answer_first_question(new_page(viewport="phone"), code, nickname, team)

    facilitator.goto(f"/run/{code}")
    cards = facilitator.locator("li.live-question")
    expect(cards.first.get_by_role("table", name="By team")).to_be_visible()
    expect(cards.first).to_contain_text("2 answered")
    assert_no_sideways_scroll(facilitator, "the live view with teams at phone width")

    facilitator.goto(f"/run/{code}/report")
    expect(facilitator.get_by_role("heading", level=1, name=re.compile("^Report"))).to_be_visible()
    assert_no_sideways_scroll(facilitator, "the report at phone width")
