"""Practice by link (issue 17.6): a teacher's published set, practised without a code."""

from __future__ import annotations

import re

import pytest

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
