"""The changed poll's screen served before Flask (issue 19, ``play.early_screens``): after
the facilitator's advance, reveal or second vote, every phone's poll asks for its new
screen; when that is a kept one (the question, the wait, the feedback or the wait for
the reveal) the early path sends Flask's exact response. Two apps, ``EARLY_SCREENS`` on
and off (``tests/early_pair.py``), over led rounds of the shipped set: the same status,
headers and bytes for every poll, and the same answers stored."""

from __future__ import annotations

import pytest

from quiz.facilitation import control
from quiz.play import sessions

from .early_pair import ENCODINGS, Pair, fields, plain_text, poll_url
from .world import HX


class Room:
    """The phones of a led room, each with the address its screen polls."""

    def __init__(self, pair: Pair, code: str, names: tuple[str, ...], encoding: str) -> None:
        self.pair, self.code, self.encoding = pair, code, encoding
        pair.join(code, *names)
        self.polls: dict[str, str] = {}
        self.early: list[str] = []  # the polls answered before Flask, by nickname
        for name in names:
            response, _ = pair.get(name, f"/play/{code}", encoding)
            self.polls[name] = poll_url(response)

    def poll(self, name: str):
        """The phone's poll; a changed screen is read for its next poll's address."""
        response, reached = self.pair.get(name, self.polls[name], self.encoding)
        assert response.status_code in (200, 204), plain_text(response)[:300]
        if response.status_code == 200:
            self.polls[name] = poll_url(response) or self.polls[name]
            if not reached:
                self.early.append(name)
        return response

    def answer(self, name: str, form: dict):
        response, _ = self.pair.answer(self.code, name, form, self.encoding)
        assert response.status_code == 200, plain_text(response)[:300]
        self.polls[name] = poll_url(response) or self.polls[name]
        return response

    def next_question(self, name: str):
        response, _ = self.pair.get(name, f"/play/{self.code}", self.encoding)
        self.polls[name] = poll_url(response) or self.polls[name]
        return response


def led_round(room: Room, q: dict, answering: tuple[str, ...], everyone: tuple[str, ...]):
    """Advance to ``q``; the phones answering answer it (the first two alike); reveal;
    everyone's poll shows what follows; those who answered press "Next question"."""
    room.pair.control(room.code, lambda db, s: control.go_to(db, s, q["number"]))
    for name in everyone:
        assert 'name="question"' in plain_text(room.poll(name))
    for i, name in enumerate(answering):
        room.answer(name, fields(q, "right" if i < 2 else "wrong"))
    for name in answering:
        assert room.poll(name).status_code == 204  # still waiting for the reveal
    room.pair.control(room.code, lambda db, s: control.mark(db, s, q["pk"], "reveal"))
    for name in everyone:
        text = plain_text(room.poll(name))
        if name in answering:
            assert 'class="play-feedback"' in text
    for name in answering:
        assert 'class="play-wait"' in plain_text(room.next_question(name))


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("language", ["en", "fi"])
def test_a_led_round_of_the_shipped_set_gets_flasks_screens_before_flask(pair, encoding, language):
    code = pair.session(
        f"SCR{encoding[:2].upper()}{language.upper()}",
        pace="led",
        feedback="reveal",
        language=language,
    )
    names = ("Ada", "Bo", "Cy", "Di")
    room = Room(pair, code, names, encoding)
    questions = sessions.load_session(pair.on.db, code).questions
    choice = [q for q in questions if q["type"] in ("single", "multi", "true_false")][:3]
    # Di misses the second question: the wait says so.
    for q in choice:
        answering = names if q is not choice[1] else names[:3]
        led_round(room, q, answering, names)
    pair.assert_same_answers_stored()
    # The second of each alike screen was kept: the question after each advance, the
    # feedback of the two alike answers after each reveal.
    assert room.early.count("Bo") >= 2 * len(choice), room.early
    assert "Cy" in room.early and "Di" in room.early


def test_a_second_vote_and_shuffled_options_get_flasks_screens(pair):
    code = pair.session("SCRSHV", pace="led", feedback="reveal", shuffle=True)
    names = ("Ada", "Bo", "Cy", "Di", "Ed", "Fi")
    room = Room(pair, code, names, "br")
    questions = sessions.load_session(pair.on.db, code).questions
    q = next(q for q in questions if q["type"] == "single")
    pair.control(code, lambda db, s: control.go_to(db, s, q["number"]))
    for name in names:
        room.poll(name)
    for name in names:
        room.answer(name, fields(q, "right"))
    pair.control(code, lambda db, s: control.vote_again(db, s, q["pk"]))
    for name in names:
        text = plain_text(room.poll(name))  # the question again, with the first vote
        assert 'name="vote" value="2"' in text or 'name="question"' in text
    for name in names:
        room.answer(name, {**fields(q, "wrong"), "vote": "2"})
    pair.control(code, lambda db, s: control.mark(db, s, q["pk"], "reveal"))
    for name in names:
        assert 'class="play-feedback"' in plain_text(room.poll(name))
    pair.assert_same_answers_stored()
    # Six phones, a few orders of the options: some share their screen.
    assert len(room.early) >= 3, room.early


def test_a_poll_of_a_session_that_closed_is_flasks_summary(pair):
    code = pair.session("SCRCLS", pace="led", feedback="reveal")
    room = Room(pair, code, ("Ada", "Bo"), "gzip")
    q = sessions.load_session(pair.on.db, code).questions[0]
    pair.control(code, lambda db, s: control.go_to(db, s, q["number"]))
    room.poll("Ada")
    room.poll("Bo")
    room.answer("Ada", fields(q, "right"))
    pair.control(code, lambda db, s: control.set_open(db, s, False))
    for name in ("Ada", "Bo"):
        room.pair.get(name, room.polls[name], "gzip")
    pair.assert_same_answers_stored()


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_in_one_app_the_early_screen_is_the_very_bytes_flask_sends(pair, encoding):
    """Within one app both paths send the kept screen's kept compressed bytes: Bo's new
    question from before Flask and Cy's from Flask (the setting turned off for it) are
    byte-identical, headers in order included."""
    code = pair.session("SCRONE", pace="led", feedback="reveal")
    room = Room(pair, code, ("Ada", "Bo", "Cy"), encoding)
    q = sessions.load_session(pair.on.db, code).questions[0]
    pair.control(code, lambda db, s: control.go_to(db, s, q["number"]))
    side = pair.on
    sent = {**HX, **({"Accept-Encoding": ENCODINGS[encoding]} if ENCODINGS[encoding] else {})}
    side.get("Ada", room.polls["Ada"], sent)
    early, reached = side.get("Bo", room.polls["Bo"], sent)
    side.app.config["EARLY_SCREENS"] = False
    late, reached_late = side.get("Cy", room.polls["Cy"], sent)
    assert not reached and reached_late
    assert early.status == late.status == "200 OK"
    assert list(early.headers.items()) == list(late.headers.items())
    assert early.data == late.data
    assert early.headers["HX-Retarget"] == "#main"
    assert early.headers["Cache-Control"] == "no-store"
