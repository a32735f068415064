"""Move a question to a typed position, and copy it to another set (issue 17.5)."""

from __future__ import annotations

import pytest

from .conftest import HX, text_of
from .teaching import draft


@pytest.fixture
def slug(world) -> str:
    """Ana's own copy of the mini set."""
    return world.own_set("teacher_a")


@pytest.fixture
def teacher(world, slug):
    """Ana, signed in through /signin, owning ``slug``."""
    return world.signed_in("teacher_a")


def ids(db, slug: str) -> list[str]:
    return [q["id"] for q in draft(db, slug)["questions"]]


def test_a_question_moves_to_the_position_typed(teacher, db, slug):
    assert ids(db, slug)[0] == "video"
    response = teacher.post(f"/teach/sets/{slug}/questions/video/move", data={"position": "4"})
    assert response.status_code == 303 and response.location.endswith("#q-video")
    assert ids(db, slug).index("video") == 3
    fragment = teacher.post(
        f"/teach/sets/{slug}/questions/cer-withdrawal/move", data={"position": " 1 "}, headers=HX
    )
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<section aria-labelledby="questions"')
    assert ids(db, slug)[0] == "cer-withdrawal"


@pytest.mark.parametrize("position", ["0", "7", "-1", "two", "", "²", "1" * 4301])
def test_a_position_out_of_range_is_refused_and_nothing_moves(teacher, db, slug, position):
    before = ids(db, slug)
    response = teacher.post(f"/teach/sets/{slug}/questions/video/move", data={"position": position})
    assert response.status_code == 422
    assert "Type a position from 1 to 6." in text_of(response.get_data(as_text=True))
    assert ids(db, slug) == before


def test_every_folded_question_offers_move_and_copy(teacher, slug):
    html = teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    assert html.count('name="position"') == 6
    assert 'id="q-video-position"' in html and "Move to position (1 to 6)" in html
    assert "first create or duplicate another set of yours" in html


def test_a_question_is_copied_to_the_end_of_another_set_of_the_teachers(teacher, db, slug):
    other = teacher.post("/teach/sets", data={"title": "Second set"}).location.split("/")[-1]
    page = teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    assert f'<option value="{other}">Second set</option>' in page
    response = teacher.post(f"/teach/sets/{slug}/questions/chain/copy", data={"target": other})
    assert response.status_code == 303
    copied = draft(db, other)["questions"]
    original = next(q for q in draft(db, slug)["questions"] if q["id"] == "chain")
    assert copied == [original]
    assert ids(db, slug).count("chain") == 1  # the source set is unchanged
    # Copied again: the second copy gets an id of its own.
    teacher.post(f"/teach/sets/{slug}/questions/chain/copy", data={"target": other})
    again = ids(db, other)
    assert again[0] == "chain" and again[1] != "chain" and len(again) == 2
    flash = text_of(teacher.get(f"/teach/sets/{slug}").get_data(as_text=True))
    assert "Question copied to the end of “Second set”." in flash


def test_copying_to_a_set_that_is_not_the_teachers_is_refused(teacher, as_teacher, db, slug):
    ben = as_teacher("teacher_b")
    bens = ben.post("/teach/sets", data={"title": "Ben's set"}).location.split("/")[-1]
    for target in (bens, "mini-set", slug, "nope"):
        response = teacher.post(f"/teach/sets/{slug}/questions/video/copy", data={"target": target})
        assert response.status_code == 422
        assert "Choose one of your sets." in text_of(response.get_data(as_text=True))
    assert draft(db, bens)["questions"] == []
