"""Check forms before and after a set, and the facilitator guide page."""

from __future__ import annotations

import tomllib

import pytest

from quiz.play import sessions
from quiz.sets.files import sync
from quiz.sets.validation import validate

from .world import DATA, text_of


def test_the_guide_page_shows_goals_time_care_note_and_prompts(client):
    response = client.get("/sets/mini-set/guide")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "Tell where evidence was made from what it is claimed to show." in text
    assert "Time needed: 15 minutes" in text
    assert "Students may have personal ties to the conflict." in text
    assert "Question 5: Put the chain in order" in text
    assert "Who could have changed the words along the way?" in text
    assert "--checks" in text and "Mini check A" in text


def test_the_home_page_links_each_set_to_its_guide(client):
    assert 'href="/sets/mini-set/guide"' in client.get("/").get_data(as_text=True)


def test_the_guide_of_an_unknown_set_is_a_404(client):
    assert client.get("/sets/nope/guide").status_code == 404


def test_check_forms_are_not_offered_for_practice_on_their_own(client):
    html = client.get("/").get_data(as_text=True)
    assert "Mini check A" not in html
    assert client.post("/practice/mini-check-a").status_code == 404


def test_a_session_with_checks_runs_form_a_then_the_set_then_form_b(student, db):
    code = sessions.open_session(db, "mini-set", checks=True)["code"]
    student.join(code)
    sequence = [(q["part"], q["id"]) for q in student.questions(code)]
    assert sequence[:2] == [("before", "a-video"), ("before", "a-number")]
    assert [p for p, _ in sequence[2:8]] == ["main"] * 6
    assert sequence[8:] == [("after", "b-video"), ("after", "b-number")]

    first = student.client.get(f"/play/{code}").get_data(as_text=True)
    assert "Question 1 of 10 · Check before" in text_of(first)
    for q in student.questions(code):
        if q["id"] == "a-number":
            student.answer(code, "a-number", ["a"])  # wrong before
        else:
            assert student.answer_right(code, q).status_code == 303
    summary = text_of(student.client.get(f"/play/{code}/summary").get_data(as_text=True))
    assert "Before and after" in summary
    assert "Check before: Mini check A 1 of 2 (50%)" in summary
    assert "Check after: Mini check B 2 of 2 (100%)" in summary
    # The main score counts the main set only.
    assert "6 out of 6 (100%)" in summary


def test_a_set_without_check_forms_cannot_run_checks(db, app):
    data = tomllib.loads((DATA / "mini.toml").read_text(encoding="utf-8"))
    data.update(id="no-checks", check_forms=[])
    sync(db, validate(data, "no-checks.toml"))
    with pytest.raises(sessions.PlayError, match="has no two published check forms"):
        sessions.open_session(db, "no-checks", checks=True)
    with pytest.raises(sessions.PlayError, match="There is no published set 'mini-check-a'"):
        sessions.open_session(db, "mini-check-a")


def test_cli_opens_a_session_with_checks(runner, db):
    result = runner.invoke(args=["session", "open", "mini-set", "--checks"])
    assert result.exit_code == 0, result.output
    row = db.execute("SELECT check_before, check_after FROM session").fetchone()
    assert all(row)
