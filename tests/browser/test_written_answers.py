"""A student writes a lateral-reading task and answers a question with an image; the
facilitator marks the written answer on the keyboard (issue 16).

The shipped main set is loaded; the session is led, so the facilitator (through
quiz.facilitation.control, as the room screen's buttons do) locks the questions before
and takes the room to a written task, then to the question with the schematic map. The
student (phone, JS on) writes and is told the answer waits for a mark, then sees the map
with its caption, credit and licence, on the question and in the feedback. The
facilitator (desktop, JS on) marks the answer with the keys 3, u and 2 on the marking
screen, nicknames hidden. axe-core runs on every page.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from quiz.facilitation import control
from quiz.play import sessions

from .checks import assert_no_axe_violations, assert_no_sideways_scroll
from .conftest import SHIPPED_MAIN

IMAGE_QUESTION = "belarus-border"
WRITTEN_QUESTION = "lateral-kuleba-reuters"
WRITTEN = (
    "Reuters says the Interfax Ukraine agency reported Kuleba's words, so he did not "
    "tell Reuters himself: passage 10 turned the chain round."
)


def go_to(live_server, code: str, number: int) -> None:
    """Take the room to a question, locking the ones before it (a led room opens every
    question up to the current one: the student should land on this one)."""
    with live_server.db() as db:
        sess = sessions.load_session(db, code)
        for q in sess.questions[: number - 1]:
            if not sess.locked(q):
                control.mark(db, sess, q["pk"], "lock")
        control.go_to(db, sessions.load_session(db, code), number)


def join(page: Page, code: str, nickname: str) -> None:
    page.goto("/")
    page.get_by_label("Session code").fill(code)
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name="Waiting for your facilitator")
    ).to_be_visible()


def marks(live_server, answer_id: int) -> list[str]:
    rows = live_server.query("SELECT level FROM answer_mark WHERE answer_id = ?", [answer_id])
    return [r["level"] for r in rows]


def test_student_sees_the_map_writes_an_answer_and_the_facilitator_marks_it_by_keyboard(
    live_server, new_page, teacher_account, sign_in
):
    live_server.load_shipped()
    with live_server.db() as db:
        code = sessions.open_session(
            db, SHIPPED_MAIN, pace="led", feedback="now", owner_id=teacher_account.id
        )["code"]
    questions = {q["id"]: q for q in live_server.questions(code)}
    image_q, written_q = questions[IMAGE_QUESTION], questions[WRITTEN_QUESTION]

    student = new_page(js=True, viewport="phone")
    join(student, code, "Ada")

    # The written task: the box, the answer sent, the note that it waits for the teacher.
    go_to(live_server, code, written_q["number"])
    student.goto(f"/play/{code}")
    box = student.get_by_role("textbox", name=written_q["stem"])
    expect(box).to_be_visible()
    assert_no_axe_violations(student, "a written question")
    box.fill(WRITTEN)
    student.get_by_role("button", name="Send my answer").click()
    expect(student.get_by_text("Your teacher will mark this.")).to_be_visible()
    expect(student.get_by_text(WRITTEN)).to_be_visible()
    assert_no_axe_violations(student, "the feedback on a written answer")
    stored = live_server.answers(code, "Ada")
    answer = next(a for a in stored if a["qid"] == WRITTEN_QUESTION)
    assert json.loads(answer["parts"]) == {"open": True}, "stored without a level"

    # The question with the schematic map: the image, its alt text, caption, credit, licence.
    go_to(live_server, code, image_q["number"])
    student.goto(f"/play/{code}")
    # (The whole article, folded away below, shows the same map at passage 22.)
    figure = student.get_by_role("figure", name=re.compile("^Schematic map, not to scale"))
    expect(
        figure.get_by_role("img", name=re.compile("^Schematic map, not to scale"))
    ).to_be_visible()
    expect(figure).to_contain_text("Schematic map, not to scale.")
    expect(figure).to_contain_text("Credit: Drawn for Lateral")
    expect(figure).to_contain_text("Licence: CC BY 4.0")
    loaded = figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded, "the map did not load"
    assert_no_axe_violations(student, "a question with an image")
    assert_no_sideways_scroll(student, "a question with an image")
    student.get_by_role("radio").first.check()
    student.get_by_role("button", name="Check my answer").click()
    expect(student.locator(".review")).to_be_visible()
    # Feedback leads with the verdict; the map is folded below it, one tap away.
    student.get_by_text("See the image again").click()
    expect(
        student.get_by_role("figure", name=re.compile("^Schematic map, not to scale"))
    ).to_be_visible()
    assert_no_axe_violations(student, "the feedback on a question with an image")

    # The facilitator marks it on the keyboard: 3 (Mastery), u (undo), 2 (Emerging).
    fac = new_page(js=True, viewport="desktop")
    sign_in(fac, teacher_account)
    fac.goto(f"/run/{code}/marking/{written_q['pk']}")
    expect(
        fac.get_by_role("heading", level=1, name=f"Mark question {written_q['number']}")
    ).to_be_visible()
    expect(fac.get_by_role("heading", level=2, name="Answer 1")).to_be_visible()
    expect(fac.get_by_text(WRITTEN)).to_be_visible()
    expect(fac.locator(".written-to-mark")).not_to_contain_text("Ada")
    expect(fac.get_by_role("button", name="Mastery")).to_be_visible()
    assert_no_axe_violations(fac, "the marking screen")

    fac.keyboard.press("3")
    expect(fac.get_by_role("status")).to_contain_text("Every answer is marked.")
    assert marks(live_server, answer["id"]) == ["mastery"]
    marked = live_server.query("SELECT score, parts FROM answer WHERE id = ?", [answer["id"]])
    assert marked[0]["score"] == 1 and json.loads(marked[0]["parts"])["level"] == "mastery"

    fac.keyboard.press("u")
    expect(fac.get_by_text("Mark undone.")).to_be_visible()
    assert marks(live_server, answer["id"]) == []

    expect(fac.get_by_text("Not marked yet.")).to_be_visible()
    fac.keyboard.press("2")
    expect(fac.get_by_role("status")).to_contain_text("Every answer is marked.")
    assert marks(live_server, answer["id"]) == ["emerging"]
    assert_no_axe_violations(fac, "the marking screen after marking")

    # The student's summary shows the mark now.
    student.goto(f"/play/{code}/feedback/{written_q['pk']}")
    expect(student.get_by_role("heading", name="Your mark: Emerging")).to_be_visible()
