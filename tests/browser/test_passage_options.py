"""Pick-the-passage options on a phone, without JavaScript: each long passage is offered
by its number and opening words (cut at a word, marked with an ellipsis) as the control's
label, and can be read in full in a fold that follows the label, never inside it; the
whole article stays one tap away. The article's words are never changed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from quiz.play import sessions

from .checks import assert_no_axe_violations
from .test_phone_budgets import MAIN, join, store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "hs-direct"  # "Which passage shows the newspaper itself … talking to someone?"


def test_a_student_reads_every_passage_in_full_and_picks_one_without_javascript(
    live_server, new_page
):
    live_server.load_shipped()
    code = live_server.open_session(slug=MAIN)
    with live_server.db() as database:
        sess = sessions.load_session(database, code)
    q = next(q for q in sess.questions if q["id"] == QUESTION)
    passages = sess.versions[q["version_id"]]["body"]["article"]["passages"]
    page = new_page(js=False, viewport="phone")
    join(page, code, "Noor")
    noor = live_server.participant(code, "Noor")["id"]
    for earlier in sess.questions[: q["number"] - 1]:  # self-paced: the first unanswered
        store(live_server, code, noor, earlier, wrong=False)
    page.goto(f"/play/{code}/question/{q['pk']}")
    expect(page.get_by_role("heading", level=2, name=q["stem"])).to_be_visible()
    offered = [o["passage"] for o in q["options"]]
    assert len(offered) == 5
    for n in offered:
        words = passages[n - 1]
        # One clear choice: the passage's number, that this is its beginning, its words.
        opening = " ".join(words.split()[:6])
        option = page.get_by_role("radio", name=re.compile(rf"^Passage {n} begins: "))
        expect(option).to_have_count(1)
        name = option.evaluate("e => e.labels[0].textContent.replace(/[ \\n]+/g, ' ').trim()")
        assert name.startswith(f"Passage {n} begins: {opening}"), name
        assert name.endswith("\u00a0…"), name
        shown = name.removeprefix(f"Passage {n} begins: ").removesuffix("\u00a0…")
        assert words.startswith(shown), f"passage {n}'s opening words changed: {shown!r}"
        # The whole passage, one tap away, after the label.
        fold = page.locator("details.passage-full", has_text=f"Read passage {n} in full")
        expect(fold.locator("blockquote")).to_be_hidden()
        fold.locator("summary").click()
        expect(fold.locator("blockquote")).to_have_text(words)
    assert page.locator("label :is(details, summary, a, button)").count() == 0
    assert page.locator("summary :is(a, button, input, label)").count() == 0
    expect(page.locator("details.whole-article > summary")).to_have_text("Read the whole article")
    # axe-core needs scripts (its promise never settles with JavaScript off): the same
    # student's screen, in a context with JavaScript on and the same cookies.
    seen = new_page(viewport="phone")
    seen.context.add_cookies(page.context.cookies())
    seen.goto(page.url)
    expect(seen.get_by_role("heading", level=2, name=q["stem"])).to_be_visible()
    assert_no_axe_violations(seen, "passage options on a phone, every passage open")

    page.get_by_role("radio", name=re.compile(r"^Passage 5 begins: ")).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    stored = live_server.answers(code, "Noor")
    assert (stored[-1]["qid"], stored[-1]["score"]) == (QUESTION, 1.0)
