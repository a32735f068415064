"""The room screen on the projector, the facilitator's controls, and the second step before
closing a session, publishing a set or deleting a question."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from quiz.play import sessions
from quiz.storage import queries

from .conftest import HX, text_of
from .test_facilitator import join, start

EXPLANATION = "The video was filmed in Crimea, not at the border."
KEY_TEXTS = ("Correct", "The video was filmed in Crimea, not at the border.", "Footage can be real")


@pytest.fixture
def facilitator(as_teacher):
    return as_teacher("teacher_a")


def room(facilitator, code: str) -> str:
    response = facilitator.get(f"/run/{code}/room")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def poll_url(html: str) -> str:
    return re.search(r'<div id="room"[^>]* hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")


class _Buttons(HTMLParser):
    """The buttons of a page, with their attributes and text."""

    def __init__(self):
        super().__init__()
        self.found: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "button":
            self._open = {**dict(attrs), "text": ""}
            self.found.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "button" and self._open is not None:
            self._open["text"] = " ".join(self._open["text"].split())
            self._open = None


def buttons(html: str) -> list[dict]:
    parser = _Buttons()
    parser.feed(html)
    return parser.found


def first_pk(db, code: str) -> int:
    return sessions.load_session(db, code).questions[0]["pk"]


# The room screen ----------------------------------------------------------------------


def test_the_room_screen_follows_the_lesson_and_never_shows_the_key_before_a_reveal(
    app, facilitator, db
):
    code = start(facilitator, pace="led", feedback="reveal", teams="Red\nBlue")
    html = room(facilitator, code)
    assert "Join the session" in html and f">{code}</p>" in html
    students = {
        name: join(app, db, code, name, team)
        for name, team in (("Ada", "Red"), ("Bob", "Red"), ("Cy", "Blue"))
    }
    assert "3 joined" in text_of(room(facilitator, code))
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    text = text_of(room(facilitator, code))
    assert "Question 1 of 6" in text and "Does the video show troops leaving the border?" in text
    assert "Yes, footage is hard to fake." in text  # the options, without the key
    assert "geo-located for Crimea" in text  # the passage it rests on
    assert "0 of 3 answered" in text and "Red 0 of 2" in text and "Blue 0 of 1" in text
    for name, option in (("Ada", "a"), ("Bob", "b"), ("Cy", "a")):
        students[name].answer(code, "video", [option])
    html = room(facilitator, code)
    text = text_of(html)
    assert "3 of 3 answered" in text and "Red 2 of 2" in text and "Blue 1 of 1" in text
    assert not any(k in text for k in KEY_TEXTS) and "keyed" not in html
    assert all(nick not in text for nick in students)
    assert "Your sets" not in text and "Sign out" not in text  # no site navigation
    pk = first_pk(db, code)
    facilitator.post(f"/run/{code}/questions/{pk}/reveal")
    # The reveal's first step: the key and how the room voted, with the talk's prompt.
    text = text_of(room(facilitator, code))
    assert "Correct" in text and "2 (67%)" in text
    assert "Why might someone choose this? “Yes, footage is hard to fake.”" in text
    assert EXPLANATION not in text
    # The second step: why, and the evidence with the set's quote marked.
    facilitator.post(f"/run/{code}/questions/{pk}/why")
    html = room(facilitator, code)
    text = text_of(html)
    assert EXPLANATION in text and "The evidence in the article" in text
    assert "<mark>" in html and "geo-located for Crimea" in text
    assert "Why might someone choose this?" not in text and "2 (67%)" not in text
    assert all(nick not in text for nick in students)
    facilitator.post(f"/run/{code}/close")
    assert "That is the end of this session" in text_of(room(facilitator, code))


def test_the_room_poll_answers_204_until_something_changes(app, facilitator, db):
    code = start(facilitator, pace="led")
    url = poll_url(room(facilitator, code))
    assert facilitator.get(url, headers=HX).status_code == 204
    ada = join(app, db, code, "Ada")
    joined = facilitator.get(url, headers=HX)
    assert joined.status_code == 200 and "1 joined" in text_of(joined.get_data(as_text=True))
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    url = poll_url(room(facilitator, code))
    assert facilitator.get(url, headers=HX).status_code == 204
    ada.answer(code, "video", ["b"])
    answered = facilitator.get(url, headers=HX)
    assert answered.get_data(as_text=True).lstrip().startswith('<div id="room"')
    assert "1 of 1 answered" in text_of(answered.get_data(as_text=True))


def test_the_room_screen_reloads_itself_without_javascript_and_is_owners_only(
    app, facilitator, as_teacher
):
    code = start(facilitator, pace="led")
    html = room(facilitator, code)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert as_teacher("teacher_b").get(f"/run/{code}/room").status_code == 404
    assert app.test_client().get(f"/run/{code}/room").status_code == 403


def test_starting_a_led_session_opens_the_room_screen(facilitator):
    response = facilitator.post(
        "/run/", data={"set_id": "mini-set", "pace": "led", "feedback": "now", "teams": ""}
    )
    assert response.status_code == 303 and response.location.endswith("/room")


# Controls -----------------------------------------------------------------------------


def test_keyboard_controls_are_announced_and_listed_on_the_dashboard_and_the_room(
    app, facilitator, db
):
    code = start(facilitator, pace="led", feedback="reveal")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    for html in (facilitator.get(f"/run/{code}").get_data(as_text=True), room(facilitator, code)):
        keyed = {
            b["aria-keyshortcuts"]: b["text"] for b in buttons(html) if "aria-keyshortcuts" in b
        }
        assert set(keyed) >= {"N", "L", "R", "T", "V"}, keyed
        assert all(text.endswith(key) for key, text in keyed.items())  # the key on the button
        assert re.search(r"the letter (shown )?on a button", text_of(html))


def test_a_control_used_on_the_room_screen_comes_back_to_it(app, facilitator, db):
    code = start(facilitator, pace="led")
    back = facilitator.post(f"/run/{code}/goto", data={"number": "1", "back": "room"})
    assert back.location == f"/run/{code}/room"
    pk = first_pk(db, code)
    back = facilitator.post(f"/run/{code}/questions/{pk}/timer/add", data={"back": "room"})
    assert back.location == f"/run/{code}/room"
    assert facilitator.post(f"/run/{code}/goto", data={"number": "2"}).location.startswith(
        f"/run/{code}#"
    )
    # Timers act on the room's question only.
    late = facilitator.post(f"/run/{code}/questions/{pk}/timer/add")
    assert late.status_code == 409 and "Open this question" in text_of(late.get_data(as_text=True))


def controls_of(html: str) -> list[tuple[str, str | None]]:
    """The led session's controls on a page: (label, key), in order."""
    return [
        (re.sub(r" [A-Z]$", "", b["text"]), b.get("aria-keyshortcuts"))
        for b in buttons(html)
        if b.get("class", "").startswith("button") and "data-fullscreen" not in b
    ]


def stored_marks(db, code: str, pk: int) -> dict:
    sid = queries.session_by_code(db, code)["id"]
    return {
        k: v is not None
        for k, v in queries.question_marks(db, sid)[pk].items()
        if k in ("locked_at", "revealed_at", "explained_at")
    }


def test_a_reveal_comes_in_two_steps_and_each_control_says_what_the_next_step_shows(
    app, facilitator, db
):
    code = start(facilitator, pace="led", feedback="reveal")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    pk = first_pk(db, code)
    dashboard = lambda: facilitator.get(f"/run/{code}").get_data(as_text=True)  # noqa: E731
    assert ("Reveal the answer and the votes", "R") in controls_of(dashboard())
    assert ("Reveal the answer", "R") in controls_of(room(facilitator, code))

    facilitator.post(f"/run/{code}/questions/{pk}/reveal")
    assert stored_marks(db, code, pk) == {
        "locked_at": True,
        "revealed_at": True,
        "explained_at": False,
    }
    # The next step is the Why, offered first (the primary button), before the next question.
    assert controls_of(dashboard())[:2] == [
        ("Show the room why, with the evidence", "W"),
        ("Next question", "N"),
    ]
    assert "the room sees the answers and the votes" in text_of(dashboard())
    assert controls_of(room(facilitator, code))[:2] == [("Why and evidence", "W"), ("Next", "N")]

    facilitator.post(f"/run/{code}/questions/{pk}/why")
    assert stored_marks(db, code, pk)["explained_at"] is True
    assert controls_of(dashboard())[:2] == [
        ("Next question", "N"),
        ("Back to the answers and the votes", "R"),
    ]
    assert "the room sees why, with the evidence" in text_of(dashboard())
    assert ("Back to the answers", "R") in controls_of(room(facilitator, code))

    facilitator.post(f"/run/{code}/questions/{pk}/answers")
    assert stored_marks(db, code, pk) == {
        "locked_at": True,
        "revealed_at": True,
        "explained_at": False,
    }
    text = text_of(room(facilitator, code))
    assert "Correct" in text and EXPLANATION not in text
    facilitator.post(f"/run/{code}/questions/{pk}/why")
    facilitator.post(f"/run/{code}/questions/{pk}/hide")  # hiding undoes both steps
    assert stored_marks(db, code, pk) == {
        "locked_at": True,
        "revealed_at": False,
        "explained_at": False,
    }


def test_the_why_step_works_without_javascript_and_the_room_poll_brings_it(app, facilitator, db):
    code = start(facilitator, pace="led", feedback="reveal")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    pk = first_pk(db, code)
    facilitator.post(f"/run/{code}/questions/{pk}/reveal")
    html = room(facilitator, code)
    # A real form: it posts without JavaScript and comes back to the room screen.
    assert re.search(rf'<form method="post" action="/run/{code}/questions/{pk}/why"', html)
    url = poll_url(html)
    assert facilitator.get(url, headers=HX).status_code == 204
    back = facilitator.post(f"/run/{code}/questions/{pk}/why", data={"back": "room"})
    assert back.status_code == 303 and back.location == f"/run/{code}/room"
    polled = facilitator.get(url, headers=HX)
    assert polled.status_code == 200 and EXPLANATION in text_of(polled.get_data(as_text=True))


def test_asking_for_the_why_first_reveals_the_answers_and_closes_the_question(app, facilitator, db):
    code = start(facilitator, pace="led", feedback="reveal")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    pk = first_pk(db, code)
    facilitator.post(f"/run/{code}/questions/{pk}/why")
    assert stored_marks(db, code, pk) == {
        "locked_at": True,
        "revealed_at": True,
        "explained_at": True,
    }
    assert EXPLANATION in text_of(room(facilitator, code))


def test_a_question_revealed_before_the_two_steps_shows_its_answers_then_its_why(
    app, facilitator, db
):
    # A session revealed by an earlier version stored only revealed_at (and locked_at).
    code = start(facilitator, pace="led", feedback="reveal")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    pk = first_pk(db, code)
    sid = queries.session_by_code(db, code)["id"]
    queries.mark_question(db, sid, pk, "revealed_at", True)
    queries.mark_question(db, sid, pk, "locked_at", True)
    queries.bump_state(db, sid)
    text = text_of(room(facilitator, code))
    assert "Correct" in text and EXPLANATION not in text and "Why and evidence" in text
    facilitator.post(f"/run/{code}/questions/{pk}/why")
    assert EXPLANATION in text_of(room(facilitator, code))


def test_the_dashboard_offers_the_room_screen_and_no_longer_hides_nicknames(facilitator):
    code = start(facilitator, pace="led")
    text = text_of(facilitator.get(f"/run/{code}").get_data(as_text=True))
    assert "Room screen for the projector" in text and "Show the key to me" in text
    assert "Hide nicknames" not in text


# Asking first ---------------------------------------------------------------------------


def test_closing_a_session_asks_first_on_a_page_that_works_without_javascript(app, facilitator, db):
    code = start(facilitator)
    dashboard = facilitator.get(f"/run/{code}").get_data(as_text=True)
    assert f'href="/run/{code}/close"' in dashboard
    assert not any(b["text"] == "Close the session" for b in buttons(dashboard))
    ask = facilitator.get(f"/run/{code}/close")
    assert ask.status_code == 200
    assert "Close the session" in [b["text"] for b in buttons(ask.get_data(as_text=True))]
    assert queries.session_by_code(db, code)["status"] == "open"
    facilitator.post(f"/run/{code}/close")
    assert queries.session_by_code(db, code)["status"] == "closed"
    assert facilitator.get(f"/run/{code}/close").status_code == 303  # nothing to ask


def test_publishing_asks_first(as_teacher, db):
    teacher = as_teacher("teacher_a")
    slug = teacher.post("/teach/sets/mini-set/duplicate").location.split("/")[-1]
    editor = teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    assert f'href="/teach/sets/{slug}/publish"' in editor
    ask = teacher.get(f"/teach/sets/{slug}/publish")
    assert ask.status_code == 200 and "Sessions you start from now on run it" in text_of(
        ask.get_data(as_text=True)
    )
    assert queries.latest_version(db, slug) is None
    assert teacher.post(f"/teach/sets/{slug}/publish").status_code == 303
    assert queries.latest_version(db, slug)["number"] == 1


def test_deleting_a_question_asks_first_in_place_and_on_its_own_page(as_teacher, db):
    teacher = as_teacher("teacher_a")
    slug = teacher.post("/teach/sets/mini-set/duplicate").location.split("/")[-1]
    url = f"/teach/sets/{slug}/questions/video/delete"
    assert f'href="{url}"' in teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    page = teacher.get(url)
    fragment = teacher.get(url, headers=HX)
    assert page.status_code == fragment.status_code == 200
    assert fragment.get_data(as_text=True).lstrip().startswith('<li id="q-video"')
    for html in (page.get_data(as_text=True), fragment.get_data(as_text=True)):
        # The stem is set content, marked with the set's language.
        assert (
            'Delete “<span lang="en">Does the video show troops leaving the border?</span>”?'
            in html
        )
    draft = queries.draft_of(db, queries.set_by_slug(db, slug)["id"])
    assert "video" in [q["id"] for q in draft["questions"]]
    teacher.post(url)
    draft = queries.draft_of(db, queries.set_by_slug(db, slug)["id"])
    assert "video" not in [q["id"] for q in draft["questions"]]
