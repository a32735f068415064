"""The smaller findings of issue 13 (14): the CSRF token changes at sign-in, ``HEAD
/signin`` answers 200, the CSV guard sees through invisible and full-width starts, and
no page repeats an ``id`` (one CSRF field per practice form or control repeated it)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from quiz.results import csv_files

from .test_access import build, scene  # noqa: F401 - scene is a fixture
from .world import EMAILS, PASSWORD, make_app

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def token_on(client, url: str = "/signin") -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def test_the_csrf_token_changes_at_sign_in(db_path, people):
    app = make_app(db_path, sets=())  # CSRF on
    client = app.test_client()
    before = token_on(client)
    response = client.post(
        "/signin", data={"email": EMAILS["teacher_a"], "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 303
    after = token_on(client, "/teach/")
    assert after != before
    # The token seen before signing in no longer works for a signed-in form.
    stale = client.post("/teach/sets", data={"title": "A set", "csrf_token": before})
    assert stale.status_code == 400
    fresh = client.post("/teach/sets", data={"title": "A set", "csrf_token": after})
    assert fresh.status_code == 303


def test_head_signin_answers_200(client):
    assert client.head("/signin").status_code == 200


@pytest.mark.parametrize(
    "cell",
    [
        "\u200b=1+1",
        "\ufeff=1+1",
        "\uff1dHYPERLINK(1)",
        "\uff0b1",
        "\uff0d1",
        "\uff20A1",
        "\u2060@x",
    ],
)
def test_the_csv_guard_quotes_invisible_and_full_width_formula_starts(cell):
    assert csv_files.neutralise(cell) == "'" + cell


def test_the_csv_guard_leaves_ordinary_text_and_numbers(cell="Ana's answer"):
    assert csv_files.neutralise(cell) == cell
    assert csv_files.neutralise("Ｂｅｎ") == "Ｂｅｎ"
    assert csv_files.neutralise(-6) == -6


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1


def repeated_ids(html: str) -> list[str]:
    parser = Ids()
    parser.feed(html)
    return [i for i, n in parser.ids.items() if n > 1]


def test_the_home_page_repeats_no_id(db_path):
    app = make_app(db_path)  # CSRF on: one token field per practice form
    html = app.test_client().get("/").get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 2  # the join form's and a practice form's
    assert repeated_ids(html) == []


def test_no_page_a_teacher_opens_repeats_an_id(app, scene):  # noqa: F811
    owner, seen = scene["owner"], 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "media.file"):
            continue  # files, not pages: no ids
        for url in build(rule, scene):
            response = owner.get(url)
            if response.mimetype == "text/html":
                assert repeated_ids(response.get_data(as_text=True)) == [], url
                seen += 1
    assert seen > 15
