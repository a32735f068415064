"""A no-change poll is answered before the other request hooks and never decodes the
session cookie (issue 19: a poll costs at most 1.3 x bare Flask)."""

from __future__ import annotations

from quiz.storage import queries

from .conftest import HX


def _poll(world, db, code):
    version = queries.session_by_code(db, code)["state_version"]
    return f"/play/{code}/poll?v={version}&at=wait"


def test_a_no_change_poll_sends_no_cookie_and_does_not_vary_on_it(world, db):
    code = world.session(pace="led")
    ada = world.join(code, "Ada")
    response = ada.client.get(_poll(world, db, code), headers=HX)
    assert response.status_code == 204
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_no_change_poll_needs_no_cookie_at_all_and_a_changed_one_still_does(world, db, app):
    code = world.session(pace="led")
    stranger = app.test_client()
    assert stranger.get(_poll(world, db, code), headers=HX).status_code == 204
    # Something new to show: who is asking matters again.
    changed = stranger.get(f"/play/{code}/poll?v=-1&at=wait", headers=HX)
    assert changed.status_code == 403


def test_a_poll_for_no_such_session_is_a_404(app):
    assert app.test_client().get("/play/NOSUCH/poll?v=1", headers=HX).status_code == 404


def test_a_session_read_after_a_poll_is_the_cookie_s_own(world, db):
    code = world.session(pace="led")
    ada = world.join(code, "Ada")
    assert ada.client.get(_poll(world, db, code), headers=HX).status_code == 204
    # The same browser is still Ada on its next page.
    page = ada.client.get(f"/play/{code}")
    assert page.status_code == 200


def test_a_no_change_poll_is_not_encoded_for_a_browser_that_accepts_compression(world, db):
    code = world.session(pace="led")
    ada = world.join(code, "Ada")
    response = ada.client.get(
        _poll(world, db, code), headers={**HX, "Accept-Encoding": "gzip, deflate, br"}
    )
    assert response.status_code == 204 and response.data == b""
    assert "Content-Encoding" not in response.headers
