"""The screens a whole room asks for at once, kept: the new question after an advance
and the wait after "Next question" (issue 19, the burst).

Kept or built fresh, a phone must get the same bytes: a kept screen holds nothing of
another phone (its options' order, its first vote, its answers so far) nor of another
moment (the session's state, the time left). Each reply here is compared with the one
the same request gets from an app whose cache is empty (``fresh``), over the shipped
set's questions, in both languages, shuffled and not, with teams and a timer, for htmx
and for the whole page.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re

import pytest
from flask import template_rendered

from quiz import clock
from quiz.facilitation import control
from quiz.play import sessions
from quiz.storage import queries
from quiz.web.cache import EXTENSION, Cache

from .world import HX, ROOT, TOKEN, load_set, make_app, text_of

SHIPPED = ROOT / "questions" / "russia-troops-feb-2022.toml"
SHIPPED_SLUG = "russia-troops-feb-2022"
HEADERS = ("HX-Retarget", "HX-Reswap", "HX-Push-Url", "Cache-Control", "Vary", "Content-Type")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def now(monkeypatch):
    """A clock the test moves by hand (``now[0]``), so a timer reads the same seconds
    left for the kept reply and the fresh one."""
    moment = [START]
    monkeypatch.setattr(clock, "utcnow", lambda: moment[0])
    return moment


@pytest.fixture
def app(db_path):
    """The app with CSRF on, as served: a page's form carries its token."""
    return make_app(db_path, sets=())


@pytest.fixture
def shipped(app, db_path):
    load_set(db_path, SHIPPED)
    return SHIPPED_SLUG


HEADER_TOKEN = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'')


def fresh(app, request):
    """What ``request()`` gets from the app with nothing kept: its cache emptied first
    (and put back after, so the room's kept screens stay)."""
    kept = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = Cache()
    try:
        return request()
    finally:
        app.extensions[EXTENSION] = kept


# A whole page's CSRF tokens are signed with the second they were made in (the same
# token, differently dated, from one request to the next): compared as one placeholder.
SIGNED_TOKEN = re.compile(rb'(csrf_token" type="hidden" value="|"X-CSRFToken": ")[^"]+"')


def undated(body: bytes) -> bytes:
    return SIGNED_TOKEN.sub(rb'\1TOKEN"', body)


def same_as_fresh(app, request) -> str:
    """Make the request (kept screens may answer it), then again with nothing kept; the
    two must be the same reply (but for the date in a whole page's tokens). Return its
    text."""
    kept = request()
    built = fresh(app, request)
    assert kept.status_code == built.status_code
    assert undated(kept.get_data()) == undated(built.get_data())
    for name in HEADERS:
        assert kept.headers.get(name) == built.headers.get(name), name
    return kept.get_data(as_text=True)


def answer_data(q: dict, n: int) -> dict:
    """An answer of the ``n``-th kind a question takes (phones answer differently)."""
    data: dict = {"question": str(q["pk"])}
    ids = [o["id"] for o in q["options"]]
    if q["type"] == "open":
        data["text"] = f"Reason number {n}."
    elif q["type"] == "order":
        order = ids[n % len(ids) :] + ids[: n % len(ids)]
        data.update({f"pos-{oid}": str(i) for i, oid in enumerate(order, start=1)})
    else:
        data["option"] = [ids[n % len(ids)]]
    if q["type"] == "cer":
        data["evidence"] = [str(q["evidence_choices"][n % len(q["evidence_choices"])])]
    return data


class Room:
    """A led session on the shipped set, moved as the facilitator moves it."""

    def __init__(self, world, slug: str, phones: int, **settings):
        self.world, self.db = world, world.db
        self.code = world.session(slug, pace="led", feedback="reveal", **settings)
        teams = world.team_ids(self.code)
        self.phones = [
            world.join(self.code, f"Phone {n}", team=teams[n % len(teams)] if teams else None)
            for n in range(phones)
        ]
        # The token htmx sends with every request, from the page's <body hx-headers>.
        self.tokens = {
            id(phone): HEADER_TOKEN.search(self.page(phone, htmx=False)().get_data(as_text=True))[1]
            for phone in self.phones
        }

    def loaded(self) -> sessions.LoadedSession:
        return sessions.load_session(self.db, self.code)

    def state(self) -> int:
        return queries.session_by_code(self.db, self.code)["state_version"]

    def goto(self, number: int) -> int:
        """Open a question; return the state the phones' screens showed before it."""
        before = self.state()
        control.go_to(self.db, self.loaded(), number)
        return before

    def poll(self, phone, v: int, at: str, last: int | None = None):
        url = f"/play/{self.code}/poll?v={v}&at={at}" + (f"&last={last}" if last else "")
        return lambda: phone.client.get(url, headers=HX)

    def page(self, phone, htmx: bool = True):
        return lambda: phone.client.get(f"/play/{self.code}", headers=HX if htmx else {})

    def answer(self, phone, q: dict, n: int, token: str | None = None):
        token = self.tokens[id(phone)] if token is None else token
        r = phone.client.post(
            f"/play/{self.code}/answer",
            data=answer_data(q, n),
            headers={**HX, "X-CSRFToken": token},
        )
        return r


def play_round(app, room: Room, q: dict, now, answering: int) -> None:
    """One led round, each phone's screens compared with fresh ones: the new question
    (the wait screen's poll after the advance, and the whole page), the answers of the
    first ``answering`` phones, the reveal, then "Next question" (the wait) for everyone.
    The clock moves a second between phones, as a room's requests spread over time."""
    before = room.goto(q["number"])
    for phone in room.phones:
        now[0] += dt.timedelta(seconds=1)
        html = same_as_fresh(app, room.poll(phone, before, "wait"))
        assert f'name="question" value="{q["pk"]}"' in html
        assert TOKEN.search(html) is None  # the page's <body hx-headers> carries it
        page = same_as_fresh(app, room.page(phone, htmx=False))
        assert TOKEN.search(page) is not None  # without JavaScript, the form's field
    for n, phone in enumerate(room.phones[:answering]):
        assert room.answer(phone, q, n).status_code == 200
    control.mark(room.db, room.loaded(), q["pk"], "reveal")
    for phone in room.phones:
        html = same_as_fresh(app, room.page(phone))
        assert 'class="play-wait"' in html or 'class="play-summary"' in html


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"language": "fi", "shuffle": True, "timer": 60, "teams": ("Red", "Blue")},
        {"shuffle": True, "teams": ("Red", "Blue")},
        {"language": "fi", "timer": 30},
    ],
    ids=["plain", "fi-shuffled-timed-teams", "shuffled-teams", "fi-timed"],
)
def test_kept_screens_are_the_bytes_built_fresh_for_every_phone(app, world, shipped, now, settings):
    room = Room(world, shipped, 3, **settings)
    questions = room.loaded().questions
    # Every question in the run with everything on; every fourth in the others.
    step = 1 if len(settings) == 4 else 4
    for q in questions[::step]:
        # The last phone misses every other question (its wait says so).
        answering = 3 if q["number"] % 2 else 2
        play_round(app, room, q, now, answering)


def test_a_second_vote_shows_each_phone_its_own_first_vote_though_the_screen_is_kept(
    app, world, shipped, now
):
    room = Room(world, shipped, 3, shuffle=True)
    q = next(q for q in room.loaded().questions if q["type"] == "single")
    room.goto(q["number"])
    for n, phone in enumerate(room.phones):
        assert room.answer(phone, q, n).status_code == 200
    before = room.state()
    control.vote_again(room.db, room.loaded(), q["pk"])
    chosen = []
    for phone in room.phones:
        html = same_as_fresh(app, room.poll(phone, before, f"pending:{q['pk']}", last=q["pk"]))
        assert "Second vote" in text_of(html)
        chosen.append(text_of(html).split("Your first vote:")[1][:40])
    assert len(set(chosen)) == 3


def test_the_room_s_new_question_is_rendered_once_per_state_and_order(app, world, shipped, now):
    rendered = []

    def seen(_app, template, context, **extra):
        rendered.append(template.name)

    room = Room(world, shipped, 6, shuffle=True)
    q = next(q for q in room.loaded().questions if q["type"] == "true_false")
    shuffled = next(q for q in room.loaded().questions if q["type"] == "single")
    with template_rendered.connected_to(seen, app):
        before = room.goto(q["number"])
        replies = [room.poll(phone, before, "wait")() for phone in room.phones]
        # True or false keeps its order: one screen for the room.
        assert rendered.count("play/_question.html") == 1
        assert len({r.get_data() for r in replies}) == 1
        before = room.goto(shuffled["number"])
        replies = [room.poll(phone, before, "wait")() for phone in room.phones]
    orders = {tuple(shown_order(r.get_data(as_text=True))) for r in replies}
    assert rendered.count("play/_question.html") == 1 + len(orders)
    assert len(orders) > 1
    for r in replies:
        assert r.status_code == 200 and r.headers["HX-Retarget"] == "#main"
        assert r.headers["Cache-Control"] == "no-store"


def shown_order(html: str) -> list[str]:
    """The option ids of a question screen, in the order shown."""
    return re.findall(r'name="option" value="([^"]+)"', html)


def test_the_wait_after_next_question_is_rendered_once_for_everyone_alike(app, world, shipped):
    rendered = []

    def seen(_app, template, context, **extra):
        rendered.append(template.name)

    room = Room(world, shipped, 4)
    q = room.loaded().questions[0]
    room.goto(1)
    for n, phone in enumerate(room.phones[:3]):
        assert room.answer(phone, q, n).status_code == 200
    control.mark(room.db, room.loaded(), q["pk"], "reveal")
    with template_rendered.connected_to(seen, app):
        replies = [room.page(phone)() for phone in room.phones]
    # Three answered one of 41, one missed it: two screens.
    assert rendered.count("play/_wait.html") == 2
    texts = [text_of(r.get_data(as_text=True)) for r in replies]
    assert texts[0] == texts[1] == texts[2] and "answered 1 of" in texts[0]
    assert "Answers are closed for this question" in texts[3] and "answered 0 of" in texts[3]


def test_a_kept_screen_is_compressed_once_and_reads_as_the_plain_one(app, world, shipped):
    from flask_compress import flask_compress

    compressed = []
    real = flask_compress._compress_data

    def counting(app_, data, algorithm):
        compressed.append(algorithm)
        return real(app_, data, algorithm)

    room = Room(world, shipped, 3)
    before = room.goto(1)
    plain = room.poll(room.phones[0], before, "wait")().get_data()
    flask_compress._compress_data, saved = counting, real
    try:
        replies = [
            room.phones[n].client.get(
                f"/play/{room.code}/poll?v={before}&at=wait",
                headers={**HX, "Accept-Encoding": "gzip"},
            )
            for n in (1, 2)
        ]
    finally:
        flask_compress._compress_data = saved
    assert compressed == ["gzip"]
    for r in replies:
        assert r.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(r.data) == plain


def test_an_answer_from_a_kept_question_screen_is_stored_with_the_page_s_token(
    app, world, shipped, db
):
    """The htmx question screen has no token of its own; the answer it sends carries
    the page's (``<body hx-headers>``), as htmx sends it, and without it is refused."""
    room = Room(world, shipped, 2)
    before = room.goto(1)
    q = room.loaded().questions[0]
    for phone in room.phones:
        html = room.poll(phone, before, "wait")().get_data(as_text=True)
        assert TOKEN.search(html) is None and 'name="question"' in html
        assert room.answer(phone, q, 0, token="").status_code == 400
        r = room.answer(phone, q, 0)
        assert r.status_code == 200 and "Answer received" in r.get_data(as_text=True)
    stored = db.execute("SELECT count(*) FROM answer WHERE question_id = ?", [q["pk"]])
    assert stored.fetchone()[0] == 2
