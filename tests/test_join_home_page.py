"""The home page kept per language (``play.home_page``): the same HTML as rendered fresh.

Every phone of a class opens the home page while the class joins; it is rendered once and
kept, with each request's own CSRF token and the join link's code put in. These tests
compare the kept page with the page the view renders fresh (``keepable`` off), in
English and Finnish, with and without a code, and check what must never be kept: a
teacher's menu, a flashed message, the join form's errors.
"""

from __future__ import annotations

import re

import pytest

from quiz.play import home_page

from .world import DATA, TOKEN, World, load_set, make_app, text_of


@pytest.fixture
def app(db_path):
    return make_app(db_path)  # CSRF on, as in production


def _token(html: str) -> str:
    return TOKEN.search(html).group(1)


def _masked(html: str) -> str:
    """The page with its CSRF token (every place it appears) replaced by one word."""
    return html.replace(_token(html), "TOKEN")


def _fresh(app, monkeypatch, url: str, **kw) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(home_page, "keepable", lambda: False)
        return app.test_client().get(url, **kw).get_data(as_text=True)


CASES = {
    "english": ("/", {}),
    "finnish": ("/", {"headers": {"Accept-Language": "fi"}}),
    "english with a code": ("/?code=ABC234", {}),
    "finnish with a code": ("/?code=ABC234", {"headers": {"Accept-Language": "fi"}}),
    "a code to escape": ("/?code=%22%3E%3Cb%3Ex%26", {}),
}


@pytest.mark.parametrize("case", CASES)
def test_the_kept_home_page_is_the_page_rendered_fresh(app, monkeypatch, case):
    url, kw = CASES[case]
    fresh = _fresh(app, monkeypatch, url, **kw)
    first = app.test_client().get(url, **kw)  # made and kept
    again = app.test_client().get(url, **kw)  # the kept one
    assert first.status_code == again.status_code == 200
    assert _masked(first.get_data(as_text=True)) == _masked(fresh)
    assert _masked(again.get_data(as_text=True)) == _masked(fresh)


def test_the_code_in_the_url_is_in_the_code_field_escaped(app):
    html = app.test_client().get("/?code=%22%3E%3Cb%3Ex%26").get_data(as_text=True)
    assert 'value="&#34;&gt;&lt;b&gt;x&amp;"' in html
    assert "<b>x" not in html
    html = app.test_client().get("/?code=ABC234").get_data(as_text=True)
    assert re.search(r'<input [^>]*id="code" [^>]*value="ABC234"', html)
    plain = app.test_client().get("/").get_data(as_text=True)
    assert re.search(r'<input [^>]*id="code" [^>]*value=""', plain)


def test_finnish_and_english_are_kept_apart(app):
    english = app.test_client().get("/").get_data(as_text=True)
    finnish = app.test_client().get("/", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert '<html lang="en">' in english and '<html lang="fi">' in finnish
    assert "Nickname" in text_of(english) and "Nickname" not in text_of(finnish)
    # The switch's choice (the cookie) is followed too.
    client = app.test_client()
    token = _token(client.get("/").get_data(as_text=True))
    client.post("/language", data={"language": "fi", "csrf_token": token})
    assert '<html lang="fi">' in client.get("/").get_data(as_text=True)


def test_every_phone_gets_its_own_token_and_joins_with_it(app, db):
    code = World(app, db).session(feedback="now")
    phones = [app.test_client() for _ in range(3)]
    tokens = [_token(phone.get("/").get_data(as_text=True)) for phone in phones]
    assert len(set(tokens)) == 3
    for n, (phone, token) in enumerate(zip(phones, tokens, strict=True)):
        form = {"csrf_token": token, "code": code, "nickname": f"Phone {n}"}
        assert phone.post("/join", data=form).status_code == 303
    stored = db.execute(
        "SELECT count(*) FROM participant p JOIN session s ON s.id = p.session_id WHERE s.code = ?",
        [code],
    ).fetchone()[0]
    assert stored == 3


def test_a_kept_page_holds_no_other_phones_token(app):
    first = app.test_client().get("/").get_data(as_text=True)
    second = app.test_client().get("/").get_data(as_text=True)
    assert _token(first) != _token(second)
    assert _token(first) not in second
    # Each token is in every place a token goes: the join form, the language switch, the
    # practice forms and htmx's header.
    assert second.count(_token(second)) == first.count(_token(first)) >= 4


def test_the_join_forms_errors_are_shown_and_never_kept(app, monkeypatch, db):
    code = World(app, db).session(feedback="now")
    phone = app.test_client()
    token = _token(phone.get("/").get_data(as_text=True))
    form = {"csrf_token": token, "code": code, "nickname": ""}
    refused = phone.post("/join", data=form)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Choose a nickname." in text_of(html)
    assert re.search(r'<input [^>]*aria-invalid="true"[^>]*id="nickname"', html)
    with monkeypatch.context() as patch:
        patch.setattr(home_page, "keepable", lambda: False)
        fresh = phone.post("/join", data=form).get_data(as_text=True)
    assert _masked(html) == _masked(fresh)
    after = app.test_client().get("/").get_data(as_text=True)
    assert "Choose a nickname." not in text_of(after)
    assert "aria-invalid" not in after


def test_labels_hints_and_autocomplete_stay_on_the_kept_page(app):
    app.test_client().get("/")
    html = app.test_client().get("/").get_data(as_text=True)
    for name in ("code", "nickname", "rejoin"):
        assert f'<label for="{name}">' in html
        assert re.search(rf'<input [^>]*autocomplete="off"[^>]*id="{name}"', html)
    assert re.search(r'<input [^>]*aria-describedby="nickname-hint"[^>]*id="nickname"', html)
    assert 'id="nickname-hint"' in html


def test_a_signed_in_teacher_sees_their_menu_on_the_home_page(app, db):
    world = World(app, db)
    app.test_client().get("/")  # the common page kept
    teacher = world.signed_in("teacher_a")
    html = teacher.get("/").get_data(as_text=True)
    assert "Your sets" in text_of(html) and "Sign out" in text_of(html)
    assert "Your sets" not in text_of(app.test_client().get("/").get_data(as_text=True))


def test_a_flashed_message_waiting_is_shown_on_the_home_page(app):
    app.test_client().get("/")
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_flashes"] = [("message", "Something to say.")]
    html = client.get("/").get_data(as_text=True)
    assert '<div class="flashes" role="status"><p>Something to say.</p></div>' in html
    assert "Something to say." not in client.get("/").get_data(as_text=True)


def test_a_newly_shared_set_is_listed_at_once(app, db_path, tmp_path):
    before = app.test_client().get("/").get_data(as_text=True)
    assert "Mini test set" in before and "Another shared set" not in before
    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    text = text.replace('id = "mini-set"', 'id = "another-set"', 1)
    text = text.replace('title = "Mini test set"', 'title = "Another shared set"', 1)
    copy = tmp_path / "another.toml"
    copy.write_text(text, encoding="utf-8")
    (tmp_path / "misconceptions.toml").write_text(
        (DATA / "misconceptions.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    load_set(db_path, copy)
    after = app.test_client().get("/").get_data(as_text=True)
    assert "Another shared set" in text_of(after)
    assert 'action="/practice/another-set"' in after
