"""Every page under the pseudo-locale: no English the catalogue does not have.

The app runs with a generated catalogue (tests/i18n_pseudo.py) in which every msgstr is
its msgid between ⟦markers⟧; each page a person can open (every GET route of the URL
map, as the person it is for) is read for words outside the markers, set content
aside. A new route is covered without anyone adding it here.
"""

from __future__ import annotations

import pytest

from quiz.sets.vocabulary import SKILLS

from . import test_access
from .i18n_pseudo import CLOSE, OPEN, WORD, english_left, write_pseudo_catalogue
from .teaching import upload
from .test_access import build
from .world import PEOPLE, make_app

# Pages not yet wrapped for translation, by endpoint prefix: they are still rendered
# (and must show the wrapped base page), but their own English is not yet refused.
# Issue 18 empties this list.
NOT_YET_WRAPPED: tuple[str, ...] = ()
# Routes that answer no page (files, images, JSON, redirects) or only after a form.
NOT_PAGES = {
    "static",
    "media.file",
    "web.health",
}
TEACHER_AREAS = ("authoring.", "facilitation.", "results.")
# What the test world's people typed (names, e-mail addresses) and the skills' codes
# (shown beside each skill's name) are not the interface's words.
DATA_WORDS = {
    word for person in PEOPLE.values() for part in person[:2] for word in WORD.findall(part)
}
DATA_WORDS |= set(SKILLS) | {"Ada"}
# Each language is offered under its own name ("English", "Suomi"), in every language.
DATA_WORDS |= {"English", "Suomi"}


@pytest.fixture
def app(tmp_path, db_path):
    pseudo = write_pseudo_catalogue(tmp_path / "pseudo")
    return make_app(db_path, WTF_CSRF_ENABLED=False, TRANSLATIONS_DIR=str(pseudo))


# The access matrix's scene: Ana's draft copy of the mini set and her led session, joined.
scene = test_access.scene


def visitor(endpoint: str) -> str:
    """Who opens a route's page: its student, its owner, an administrator, anyone."""
    if endpoint.startswith("play.") and endpoint not in ("play.home", "play.join_link"):
        return "student"
    if endpoint.startswith("accounts.admin"):
        return "admin"
    if endpoint.startswith(TEACHER_AREAS) or endpoint in ("accounts.password",):
        return "owner"
    return "anonymous"


def pages(app, scene):
    """Each GET route's URLs with the person who opens them."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        for url in build(rule, scene):
            yield rule.endpoint, url, visitor(rule.endpoint)


def is_wrapped(endpoint: str) -> bool:
    return not endpoint.startswith(NOT_YET_WRAPPED)


def test_every_page_shows_only_catalogued_text_outside_set_content(app, scene, world):
    # Not words either: the session's code and join address (letters of a code, a URL),
    # and the set's title where no element of its own can carry its lang (<title>).
    title = world.loaded(scene["code"]).version["title"]
    allowed = DATA_WORDS | set(WORD.findall(f"{scene['code']} http://localhost/join {title}"))
    found, checked = {}, 0
    for endpoint, url, who in pages(app, scene):
        response = scene[who].get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.mimetype != "text/html" or 300 <= response.status_code < 400:
            continue
        html = response.get_data(as_text=True)
        checked += 1
        if "<html" in html:
            assert f"{OPEN}Skip to content" in html, url
        if is_wrapped(endpoint):
            left = english_left(html, allowed)
            if left:
                found[url] = sorted(set(left))
    assert checked > 20
    assert not found, "\n".join(f"{url}: {words}" for url, words in found.items())


def test_an_error_page_is_in_the_catalogue(app):
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404
    assert english_left(response.get_data(as_text=True)) == []


def test_the_home_page_is_in_the_catalogue(app):
    html = app.test_client().get("/").get_data(as_text=True)
    assert f"{OPEN}Language:" in html


# The last gaps of issue 18: texts built in Python from English pieces.
LONG_LINE = b"a" + b".a" * 60_000 + b" = 1\n"
# No letters in the questions, so every word on the report page is the interface's.
NUMBERS_GIFT = b"""::q1::1 + 1 = ? {
=2#[html]<b>2</b>
~3#4
}

::q2::2 + 2 = ? {}

::q3::3 + 3 = ? {=6 ~7 ~8%50%}
"""


def test_a_parse_budget_refusal_is_in_the_catalogue(as_teacher):
    teacher = as_teacher("teacher_a")
    response = upload(teacher, "big.toml", LONG_LINE)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"{OPEN}A line is 120,005 characters long" in html
    assert english_left(html, DATA_WORDS | {"big", "toml"}) == []


def test_an_import_report_is_in_the_catalogue(as_teacher):
    teacher = as_teacher("teacher_a")
    response = upload(teacher, "numbers.gift", NUMBERS_GIFT)
    assert response.status_code == 303
    html = teacher.get(response.location).get_data(as_text=True)
    # The values put into a report's sentences are the catalogue's words too.
    for words in ("#1 in the file", "the feedback on option 1", "skills", "single choice"):
        assert f"{OPEN}{words}{CLOSE}" in html, words
    assert english_left(html, DATA_WORDS | {"numbers", "gift", "HTML"}) == []
