"""No-change polls answered before Flask (issue 19): the student's poll and the room
screen's, by the WSGI middleware ``quiz.web.early``, with the same 204 and headers as
Flask's own path; anything else goes on to Flask as before."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from flask import request_started

from quiz import clock
from quiz.storage import queries
from quiz.web import early

from .conftest import DATA, HX, load_set, text_of
from .test_facilitator import join, start
from .world import make_app

HTTPS = {"wsgi.url_scheme": "https"}


@pytest.fixture
def flask_requests(app):
    """Count the requests that reach Flask (the middleware answers the others)."""
    seen: list[str] = []

    def started(sender, **_extra):
        from flask import request

        seen.append(request.full_path)

    request_started.connect(started, app)
    yield seen
    request_started.disconnect(started, app)


def poll_of(world, db, code: str) -> str:
    version = queries.session_by_code(db, code)["state_version"]
    return f"/play/{code}/poll?v={version}&at=wait"


def both_ways(app, client, url: str, **kw):
    """The response with the middleware on, then with it off (Flask's own path)."""
    early = client.get(url, **kw)
    app.config["EARLY_POLLS"] = False
    try:
        late = client.get(url, **kw)
    finally:
        app.config["EARLY_POLLS"] = True
    return early, late


def header_list(response) -> list[tuple[str, str]]:
    return list(response.headers.items())


# The student's poll ----------------------------------------------------------------------


def test_a_no_change_poll_is_answered_before_flask(world, db, flask_requests):
    code = world.session(pace="led")
    ada = world.join(code, "Ada")
    flask_requests.clear()
    response = ada.client.get(poll_of(world, db, code), headers=HX)
    assert response.status_code == 204 and response.data == b""
    assert flask_requests == []


@pytest.mark.parametrize("environ", [{}, HTTPS], ids=["http", "https"])
def test_the_early_204_carries_exactly_flasks_headers(app, world, db, flask_requests, environ):
    code = world.session(pace="led")
    ada = world.join(code, "Ada")
    flask_requests.clear()
    early, late = both_ways(
        app, ada.client, poll_of(world, db, code), headers=HX, environ_overrides=environ
    )
    assert early.status == late.status == "204 NO CONTENT"
    assert header_list(early) == header_list(late)
    assert early.data == late.data == b""
    assert len(flask_requests) == 1  # only the one with the middleware off reached Flask
    if environ:
        assert early.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_behind_a_trusted_proxy_the_early_204_sends_hsts_as_flask_does(tmp_path):
    app = make_app(tmp_path / "p.db", sets=(), TRUST_PROXY=True, WTF_CSRF_ENABLED=False)
    load_set(tmp_path / "p.db", DATA / "mini.toml")
    from quiz.play import sessions
    from quiz.storage.connection import connect

    db = connect(tmp_path / "p.db")
    code = sessions.open_session(db, "mini-set", pace="led")["code"]
    url = f"/play/{code}/poll?v={queries.session_by_code(db, code)['state_version']}"
    db.close()
    client = app.test_client()
    early, late = both_ways(app, client, url, headers={"X-Forwarded-Proto": "https"})
    assert early.status_code == late.status_code == 204
    assert header_list(early) == header_list(late)
    assert early.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_a_changed_state_goes_on_to_flask_and_gets_the_new_screen(world, db, flask_requests):
    code = world.session(pace="led")
    ada = world.join(code, "Ada")
    flask_requests.clear()
    changed = ada.client.get(f"/play/{code}/poll?v=-1&at=wait", headers=HX)
    assert changed.status_code == 200
    assert len(flask_requests) == 1
    # A stranger's changed poll is refused by Flask, as before.
    assert world.anonymous().get(f"/play/{code}/poll?v=-1", headers=HX).status_code == 403


def test_a_poll_for_an_unknown_code_is_flasks_404(app, flask_requests):
    response = app.test_client().get("/play/NOSUCH/poll?v=1", headers=HX)
    assert response.status_code == 404
    assert "text/html" in response.content_type and len(flask_requests) == 1


def test_a_code_typed_loosely_is_read_as_flask_reads_it(world, db, flask_requests):
    code = world.session(pace="led")
    loose = poll_of(world, db, code).replace(code, code.lower(), 1)
    assert world.anonymous().get(loose, headers=HX).status_code == 204
    assert flask_requests == []


@pytest.mark.parametrize(
    "query",
    ["", "at=wait", "v=", "v=abc", "v=%ZZ", "v=1e3", "until=&v=", "v=%00", "v=%FF%FE"],
)
def test_odd_query_strings_go_on_to_flask_and_never_fail(world, db, query):
    code = world.session(pace="led")
    ada = world.join(code, "Ada")
    response = ada.client.get(f"/play/{code}/poll?{query}", headers=HX)
    assert response.status_code == 200  # nothing the screen shows: the screen as it is


def test_the_first_of_repeated_values_counts_as_in_flask(app, world, db, flask_requests):
    code = world.session(pace="led")
    version = queries.session_by_code(db, code)["state_version"]
    client = world.anonymous()
    early, late = both_ways(app, client, f"/play/{code}/poll?v={version}&v=-1", headers=HX)
    assert early.status_code == late.status_code == 204
    early, late = both_ways(app, client, f"/play/{code}/poll?v=-1&v={version}", headers=HX)
    assert early.status_code == late.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/play/%FF%FE/poll?v=1",
        "/play/%C3%A4/poll?v=1",
        "/play//poll?v=1",
        "/play/A/B/poll?v=1",
        "/play/%2F/poll?v=1",
        "/play/ABC/poll/?v=1",
        "/play/ABC/poll.json?v=1",
        "/play/ABC/Poll?v=1",
    ],
)
def test_bad_bytes_and_odd_paths_are_left_to_flask_and_never_fail(app, client, path):
    early, late = both_ways(app, client, path, headers=HX)
    assert early.status_code == late.status_code
    assert 300 <= early.status_code < 500, (path, early.status_code)


def test_other_methods_go_on_to_flask(world, db, flask_requests):
    code = world.session(pace="led")
    url = poll_of(world, db, code)
    client = world.anonymous()
    assert client.post(url, headers=HX).status_code == 405
    head = client.head(url, headers=HX)
    assert head.status_code == 204 and len(flask_requests) == 2


def test_a_timer_run_out_goes_on_to_flask(world, db, flask_requests, monkeypatch):
    code = world.session(pace="led")
    ada = world.join(code, "Ada")
    soon = clock.utcnow() + dt.timedelta(seconds=30)
    url = f"{poll_of(world, db, code)}&{urlencode({'until': clock.stamp(soon)})}"
    flask_requests.clear()
    assert ada.client.get(url, headers=HX).status_code == 204
    assert flask_requests == []
    later = soon + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert ada.client.get(url, headers=HX).status_code == 200
    assert len(flask_requests) == 1


def test_trusted_hosts_leave_every_poll_to_flask(app, world, db, flask_requests):
    code = world.session(pace="led")
    app.config["TRUSTED_HOSTS"] = ["quiz.school.org"]
    # Flask then refuses the test client's host "localhost" with a 400 (web.errors).
    refused = world.anonymous().get(poll_of(world, db, code), headers=HX)
    assert refused.status_code == 400
    assert len(flask_requests) == 1


def test_the_student_journey_still_polls_through(app, world, db, flask_requests):
    code = world.session(pace="led", owner="teacher_a")
    ada = world.join(code, "Ada")
    wait = ada.client.get(f"/play/{code}").get_data(as_text=True)
    poll = unescape(re.search(r'<div id="poll" hx-get="([^"]+)"', wait).group(1))
    assert ada.client.get(poll, headers=HX).status_code == 204
    world.signed_in("teacher_a").post(f"/run/{code}/goto", data={"number": "1"})
    moved = ada.client.get(poll, headers=HX)
    assert moved.status_code == 200 and moved.headers["HX-Retarget"] == "#main"
    assert "Question 1 of" in text_of(moved.get_data(as_text=True))


# The room screen's poll -------------------------------------------------------------------


@pytest.fixture
def facilitator(as_teacher):
    return as_teacher("teacher_a")


def room_url_in(response) -> str:
    html = response.get_data(as_text=True)
    return unescape(re.search(r'<div id="room"[^>]* hx-get="([^"]+)"', html).group(1))


def room_poll_url(facilitator, code: str) -> str:
    return room_url_in(facilitator.get(f"/run/{code}/room"))


def with_args(url: str, **changes) -> str:
    parts = urlsplit(url)
    args = dict(parse_qsl(parts.query, keep_blank_values=True))
    args.update(changes)
    return f"{parts.path}?{urlencode({k: v for k, v in args.items() if v is not None})}"


def test_the_room_poll_url_is_signed_and_its_no_change_poll_answered_before_flask(
    app, facilitator, flask_requests
):
    code = start(facilitator, pace="led")
    url = room_poll_url(facilitator, code)
    assert "sig=" in url and "t=" in url
    flask_requests.clear()
    response = facilitator.get(url, headers=HX)
    assert response.status_code == 204 and response.data == b""
    assert flask_requests == []


def test_the_early_room_204_carries_flasks_headers_but_the_cookie(app, facilitator):
    code = start(facilitator, pace="led")
    url = room_poll_url(facilitator, code)
    for environ in ({}, HTTPS):
        early, late = both_ways(app, facilitator, url, headers=HX, environ_overrides=environ)
        assert early.status == late.status == "204 NO CONTENT"
        # Flask's path refreshes the teacher's idle clock in the cookie; the early
        # answer leaves the cookie alone (and so does not vary on it).
        flasks = [h for h in header_list(late) if h[0] not in ("Set-Cookie", "Vary")]
        assert header_list(early) == flasks
        assert early.headers["Cache-Control"] == "no-store"


def test_a_changed_room_goes_on_to_flask_and_shows_the_room(app, db, facilitator, flask_requests):
    code = start(facilitator, pace="led")
    url = room_poll_url(facilitator, code)
    join(app, db, code, "Ada")
    flask_requests.clear()
    changed = facilitator.get(url, headers=HX)
    assert changed.status_code == 200 and "1 joined" in text_of(changed.get_data(as_text=True))
    assert len(flask_requests) == 1


def test_a_room_poll_answered_early_reveals_nothing_to_a_stranger(app, db, facilitator):
    """A stranger holding the signed URL learns only that nothing changed since the screen
    it names was shown; any change, or any other URL, goes to Flask, which refuses them."""
    code = start(facilitator, pace="led")
    url = room_poll_url(facilitator, code)
    stranger = app.test_client()
    nothing = stranger.get(url, headers=HX)
    assert nothing.status_code == 204 and nothing.data == b""
    join(app, db, code, "Ada")
    changed = stranger.get(url, headers=HX)
    assert changed.status_code == 403 and "1 joined" not in changed.get_data(as_text=True)


@pytest.mark.parametrize(
    "change",
    [
        {"joined": "1"},
        {"state": "0"},
        {"answers": "99"},
        {"answers": "9" * 25},  # more than SQLite holds: a change, not a 500
        {"until": "2099-01-01T00:00:00+00:00"},
        {"t": "0"},
        {"sig": "AAAAAAAAAAAAAAAAAAAAAA"},
        {"sig": None},
        {"t": None},
    ],
)
def test_a_tampered_room_poll_url_goes_on_to_flask(app, facilitator, flask_requests, change):
    code = start(facilitator, pace="led")
    tampered = with_args(room_poll_url(facilitator, code), **change)
    flask_requests.clear()
    assert app.test_client().get(tampered, headers=HX).status_code == 403
    assert len(flask_requests) == 1
    # The facilitator still gets an answer: the room as it is, with a good poll URL.
    response = facilitator.get(tampered, headers=HX)
    assert response.status_code == 200
    assert facilitator.get(room_url_in(response), headers=HX).status_code == 204


def test_another_sessions_signature_does_not_fit(app, facilitator, flask_requests):
    first, second = start(facilitator, pace="led"), start(facilitator, pace="led")
    url = room_poll_url(facilitator, first).replace(f"/run/{first}/", f"/run/{second}/")
    flask_requests.clear()
    assert app.test_client().get(url, headers=HX).status_code == 403
    assert len(flask_requests) == 1


def test_signing_out_ends_the_early_answers_at_once(app, db, facilitator, flask_requests):
    code = start(facilitator, pace="led")
    url = room_poll_url(facilitator, code)
    account = queries.session_by_code(db, code)["owner_id"]
    queries.end_sessions(db, account)  # "sign out everywhere"
    flask_requests.clear()
    assert facilitator.get(url, headers=HX).status_code == 403
    assert len(flask_requests) == 1


def test_a_disabled_account_gets_no_early_answers(app, db, facilitator, flask_requests):
    code = start(facilitator, pace="led")
    url = room_poll_url(facilitator, code)
    account = queries.session_by_code(db, code)["owner_id"]
    db.execute(
        "UPDATE account SET disabled_at = '2026-01-01T00:00:00+00:00' WHERE id = ?", [account]
    )
    flask_requests.clear()
    assert app.test_client().get(url, headers=HX).status_code == 403
    assert len(flask_requests) == 1


def test_an_old_room_poll_url_goes_to_flask_which_hands_out_a_new_one(
    app, facilitator, flask_requests, monkeypatch
):
    code = start(facilitator, pace="led")
    url = room_poll_url(facilitator, code)
    later = clock.utcnow() + dt.timedelta(minutes=11)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    flask_requests.clear()
    stale = facilitator.get(url, headers=HX)
    # Nothing changed, but the screen gets itself again with a fresh URL (and Flask's
    # path keeps the teacher signed in while the room screen is open, as before).
    assert stale.status_code == 200 and len(flask_requests) == 1
    assert "Set-Cookie" in stale.headers
    fresh = room_url_in(stale)
    assert fresh != url
    flask_requests.clear()
    assert facilitator.get(fresh, headers=HX).status_code == 204
    assert flask_requests == []


def test_a_room_timer_run_out_goes_on_to_flask(app, facilitator, flask_requests, monkeypatch):
    code = start(facilitator, pace="led", timer="30")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    url = room_poll_url(facilitator, code)
    assert "until=" in url
    flask_requests.clear()
    assert facilitator.get(url, headers=HX).status_code == 204
    assert flask_requests == []
    later = clock.utcnow() + dt.timedelta(seconds=31)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert facilitator.get(url, headers=HX).status_code == 200
    assert len(flask_requests) == 1


def test_the_room_check_agrees_with_activity_unchanged(app, db, facilitator):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    sid = queries.session_by_code(db, code)["id"]
    seen = {k: str(v) for k, v in queries.activity(db, sid).items()}
    cases = [seen, {**seen, "joined": "2"}, {**seen, "answers": "x"}, {}]
    for case in cases:
        watched = queries.room_watch(db, code, case)
        assert watched["unchanged"] == queries.activity_unchanged(db, sid, case)
    ada.answer(code, "video", ["b"])
    assert not queries.room_watch(db, code, seen)["unchanged"]
    assert queries.room_watch(db, "NOSUCH", seen) is None


def test_a_database_error_before_flask_is_left_to_flask(world, db, flask_requests, monkeypatch):
    code = world.session(pace="led")

    def broken(*_args):
        raise sqlite3.OperationalError("disk I/O error")

    polls = world.app.extensions[early.EXTENSION].polls
    monkeypatch.setitem(polls, ("play", "poll"), early.Poll(broken, private=False))
    assert world.anonymous().get(poll_of(world, db, code), headers=HX).status_code == 204
    assert len(flask_requests) == 1  # Flask's own path answered it
