"""Practice by link (issue 17.6): a teacher's published set, practised without a code."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from quiz import clock
from quiz.play import ARRIVAL
from quiz.play.limits import Limits
from quiz.storage import queries

from .conftest import text_of
from .teaching import duplicate_mini


@pytest.fixture
def teacher(as_teacher):
    return as_teacher("teacher_a")


@pytest.fixture
def published(teacher) -> str:
    slug = duplicate_mini(teacher)
    assert teacher.post(f"/teach/sets/{slug}/publish").status_code == 303
    return slug


def link_of(teacher, slug: str) -> str | None:
    html = teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    match = re.search(r'id="practice-url" value="([^"]+)"', html)
    return match and match.group(1)


def test_a_teacher_makes_a_link_and_a_student_practises_without_a_code(teacher, published, app, db):
    assert link_of(teacher, published) is None
    made = teacher.post(f"/teach/sets/{published}/practice-link/make")
    assert made.status_code == 303 and made.location.endswith("#practice")
    link = link_of(teacher, published)
    assert link.startswith("http://localhost/practice/link/")
    path = link.removeprefix("http://localhost")
    student = app.test_client()
    landing = student.get(path)
    assert landing.status_code == 200
    text = text_of(landing.get_data(as_text=True))
    assert "Copy of Mini test set" in text and "6 questions" in text and "No code" in text
    started = student.post(path)
    assert started.status_code == 303 and started.location.startswith("/play/")
    code = started.location.split("/")[2]
    row = queries.session_by_code(db, code)
    assert row["mode"] == "practice" and row["owner_id"] is None
    assert queries.get_version(db, row["version_id"])["slug"] == published
    assert student.get(started.location).status_code == 200


def test_a_stopped_link_no_longer_opens_the_set(teacher, published, app):
    teacher.post(f"/teach/sets/{published}/practice-link/make")
    path = link_of(teacher, published).removeprefix("http://localhost")
    assert teacher.post(f"/teach/sets/{published}/practice-link/stop").status_code == 303
    assert link_of(teacher, published) is None
    student = app.test_client()
    for method in ("GET", "POST"):
        response = student.open(path, method=method)
        assert response.status_code == 404
        assert "This practice link does not work" in text_of(response.get_data(as_text=True))


def test_a_new_link_replaces_the_old_one(teacher, published, app):
    teacher.post(f"/teach/sets/{published}/practice-link/make")
    first = link_of(teacher, published)
    teacher.post(f"/teach/sets/{published}/practice-link/make")
    second = link_of(teacher, published)
    assert first != second
    assert app.test_client().get(first.removeprefix("http://localhost")).status_code == 404


def test_an_unpublished_set_has_no_link_yet(teacher, db):
    slug = duplicate_mini(teacher)
    text = text_of(teacher.get(f"/teach/sets/{slug}").get_data(as_text=True))
    assert "Once the set is published, you can make a link" in text
    response = teacher.post(f"/teach/sets/{slug}/practice-link/make")
    assert response.status_code == 409
    assert queries.set_by_slug(db, slug)["practice_token"] is None


def test_an_archived_set_cannot_be_practised_by_its_link(teacher, published, app):
    teacher.post(f"/teach/sets/{published}/practice-link/make")
    path = link_of(teacher, published)
    teacher.post(f"/teach/sets/{published}/archive")
    assert app.test_client().get(path.removeprefix("http://localhost")).status_code == 404


def test_only_the_owner_makes_a_link(as_teacher, published, db):
    ben = as_teacher("teacher_b")
    response = ben.post(f"/teach/sets/{published}/practice-link/make")
    assert response.status_code == 404
    assert queries.set_by_slug(db, published)["practice_token"] is None


@pytest.mark.parametrize("token", ["nope", "x" * 65, "' OR 1=1 --"])
def test_unknown_links_are_404(client, token):
    assert client.get(f"/practice/link/{token}").status_code == 404


def other_host(teacher, name: str) -> dict[str, str]:
    """Headers for a request to another host name with the teacher's cookie (sent from a
    client without a cookie jar, which would keep the cookie for localhost)."""
    return {"Host": name, "Cookie": f"lateral={teacher.get_cookie('lateral').value}"}


def test_the_practice_link_comes_from_base_url_whatever_the_host_header(teacher, published, app):
    teacher.post(f"/teach/sets/{published}/practice-link/make")
    app.config["BASE_URL"] = "https://quiz.school.org/"
    bare = app.test_client(use_cookies=False)
    html = bare.get(
        f"/teach/sets/{published}", headers=other_host(teacher, "evil.example")
    ).get_data(as_text=True)
    link = re.search(r'id="practice-url" value="([^"]+)"', html).group(1)
    assert link.startswith("https://quiz.school.org/practice/link/")
    assert "evil.example" not in html


def test_without_base_url_a_host_outside_the_allow_list_gets_no_link(teacher, published, app):
    teacher.post(f"/teach/sets/{published}/practice-link/make")
    bare = app.test_client(use_cookies=False)
    response = bare.get(f"/teach/sets/{published}", headers=other_host(teacher, "evil.example"))
    assert response.status_code == 200  # the editor still works; only the link is missing
    html = response.get_data(as_text=True)
    assert 'id="practice-url"' not in html and "evil.example" not in html
    assert "Set BASE_URL to the address people use" in text_of(html)
    assert "Stop this link" in text_of(html)


def test_practice_by_link_is_counted_with_the_other_practice_starts(
    teacher, published, app, db, monkeypatch
):
    teacher.post(f"/teach/sets/{published}/practice-link/make")
    path = link_of(teacher, published).removeprefix("http://localhost")
    at = dt.datetime(2026, 3, 2, 8, 0, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: at)  # both starts in the same minute
    arrival = replace(app.extensions[ARRIVAL], limits=Limits(practice_per_minute=1))
    monkeypatch.setitem(app.extensions, ARRIVAL, arrival)
    assert (
        app.test_client().post(path, environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 303
    )
    before = db.execute("SELECT count(*) FROM session").fetchone()[0]
    response = app.test_client().post(path, environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 429 and response.headers["Retry-After"]
    assert "practice sessions were started from this network" in text_of(
        response.get_data(as_text=True)
    )
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == before
