"""The facilitator guide keeps a teacher's set and every teacher note from students
(issue 13, finding 11): a private set's guide is behind sign-in and shown to its owner
alone; a shared set's guide is public but shows teacher notes only to signed-in teachers."""

from __future__ import annotations

import shutil

import pytest

from .world import DATA, load_set, text_of

NOTE = "Outside the article: test note."


@pytest.fixture
def private_guide(world, people) -> str:
    slug = world.own_set("teacher_a", published=True)
    return f"/sets/{slug}/guide"


def test_a_private_sets_guide_asks_an_anonymous_visitor_to_sign_in(client, private_guide):
    response = client.get(private_guide)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert 'name="password"' in html and "Mini test set" not in html and NOTE not in html


def test_a_private_sets_guide_is_a_404_for_another_teacher(as_teacher, private_guide):
    assert as_teacher("teacher_b").get(private_guide).status_code == 404


def test_the_owner_reads_their_private_sets_guide(as_teacher, private_guide):
    response = as_teacher("teacher_a").get(private_guide)
    assert response.status_code == 200
    assert "Who could have changed the words along the way?" in text_of(response.text)


@pytest.fixture
def noted_set(tmp_path, db_path) -> str:
    """A shared set whose guide prompts the question that carries a teacher note."""
    for name in ("misconceptions.toml",):
        shutil.copy(DATA / name, tmp_path / name)
    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    text = text.replace('id = "mini-set"', 'id = "noted-set"', 1).replace(
        'question = "chain"', 'question = "video"', 1
    )
    (tmp_path / "noted.toml").write_text(text, encoding="utf-8")
    load_set(db_path, tmp_path / "noted.toml")
    return "/sets/noted-set/guide"


def test_students_never_see_teacher_notes_on_a_shared_guide(client, noted_set):
    response = client.get(noted_set)
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Question 1:" in text and NOTE not in text


def test_a_signed_in_teacher_sees_the_notes_on_a_shared_guide(as_teacher, noted_set):
    assert NOTE in text_of(as_teacher("teacher_b").get(noted_set).text)
