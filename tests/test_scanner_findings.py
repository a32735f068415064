"""What wapiti found against this branch (issue 13's scans): a set deleted by one
request while another edits it gave a 500 (a foreign-key error on saving the draft)."""

from __future__ import annotations

import pytest

from quiz.authoring import drafts

from .world import text_of


@pytest.fixture
def deleted_meanwhile(monkeypatch, db):
    """Make every load of a set for editing delete it right after, as a second request
    (a scanner's crawl, another tab) would between the load and the save."""
    load = drafts.owned

    def owned_then_deleted(database, slug, teacher_id):
        found = load(database, slug, teacher_id)
        drafts.delete(database, found)
        return found

    monkeypatch.setattr(drafts, "owned", owned_then_deleted)


@pytest.mark.parametrize("action", ["delete", "duplicate", "down"])
def test_editing_a_set_deleted_meanwhile_is_a_404_not_a_500(
    as_teacher, world, db, deleted_meanwhile, action
):
    slug = world.own_set("teacher_a")
    teacher = as_teacher("teacher_a")
    response = teacher.post(f"/teach/sets/{slug}/questions/video/{action}")
    assert response.status_code == 404
    assert str(drafts.GONE) in text_of(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM set_draft").fetchone()[0] == 0


def test_saving_the_draft_of_a_deleted_set_stores_nothing(world, db, people):
    slug = world.own_set("teacher_a")
    found = drafts.owned(db, slug, people["teacher_a"])
    drafts.delete(db, found)
    with pytest.raises(drafts.AuthoringError) as refused:
        drafts.save(db, found)
    assert refused.value.status == 404
    assert db.execute("SELECT count(*) FROM set_draft").fetchone()[0] == 0
