"""Question recipes (issue 17.4): data, not code; at least one per skill; each makes a
valid draft question from a picked passage, whose gaps the content check lists."""

from __future__ import annotations

import copy

import pytest

from quiz.authoring import publishing, recipes
from quiz.sets.files import load_misconceptions
from quiz.sets.strict import strict_problems
from quiz.sets.validation import validate
from quiz.sets.vocabulary import SKILLS

from .conftest import ROOT, text_of
from .teaching import draft, duplicate_mini, editor_form

RECIPES = recipes.load()
SHIPPED = load_misconceptions(ROOT / "questions" / "misconceptions.toml")


def seed_article() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "questions" / "russia-troops-feb-2022.toml").read_text())


def test_every_skill_has_at_least_one_recipe():
    covered = {skill for r in RECIPES.values() for skill in r["skills"]}
    assert covered == set(SKILLS)


def test_the_patterns_the_issue_names_are_offered():
    titles = {r["title"] for r in RECIPES.values()}
    for title in (
        "Does this evidence show the claim?",
        "Who is actually speaking?",
        "Where was this made?",
        "Put the quote chain in order",
        "What would you check next?",
    ):
        assert title in titles


@pytest.mark.parametrize("rid", list(RECIPES))
def test_each_recipe_makes_a_valid_question_whose_gaps_are_suggestions(rid):
    seed = seed_article()
    raw = {**copy.deepcopy(seed), "questions": [], "guide": None}
    raw.pop("guide")
    raw.pop("check_forms", None)
    recipe = RECIPES[rid]
    qid = recipes.add_to(raw, recipe, 22, SHIPPED)
    data = validate(raw, "recipe", SHIPPED)
    q = data["questions"][0]
    assert q["id"] == qid and q["type"] == recipe["type"]
    assert q["evidence"] == [seed["article"]["passages"][21]]
    assert "{passage}" not in q["stem"] + q["explanation"]
    wrong = [o for o in q["options"] if o["id"] not in q["key"]]
    if q["type"] != "order":
        assert wrong and all(o["misconception"] in SHIPPED for o in wrong)
    assert all(o["feedback"] for o in q["options"])
    gaps = [p for p in strict_problems(data, "recipe", SHIPPED) if p.message.startswith("still")]
    assert gaps, "a recipe leaves text in [brackets] for the teacher"
    assert all("still holds the recipe's text to replace" in p.plain for p in gaps)


def test_explanation_scaffolds_follow_the_four_moves():
    for recipe in RECIPES.values():
        text = recipe["explanation"]
        assert text.startswith("[The verdict"), recipe["id"]
        assert "{passage}" in text and "“[" in text, recipe["id"]  # the evidence, quoted
        assert "[A rule to reuse" in text, recipe["id"]


def test_a_passage_recipe_offers_the_picked_passage_and_its_neighbours():
    recipe = RECIPES["pick-the-evidence"]
    passages = [f"Passage number {n}." for n in range(1, 6)]
    middle = recipes.recipe_question(recipe, "q", passages, 3, SHIPPED)
    assert [o["passage"] for o in middle["options"]] == [2, 3, 4]
    assert middle["key"] == ["b"]
    first = recipes.recipe_question(recipe, "q", passages, 1, SHIPPED)
    assert sorted(o["passage"] for o in first["options"]) == [1, 2, 3]
    last = recipes.recipe_question(recipe, "q", passages, 5, SHIPPED)
    assert sorted(o["passage"] for o in last["options"]) == [3, 4, 5]


def test_an_order_recipe_lists_items_out_of_order_and_keys_them_in_order():
    q = recipes.recipe_question(RECIPES["quote-chain"], "q", ["A passage."], 1, SHIPPED)
    texts = [o["text"] for o in q["options"]]
    keyed = [next(o["text"] for o in q["options"] if o["id"] == k) for k in q["key"]]
    assert texts != keyed
    assert keyed[0] == "[The speaker]" and keyed[-1] == "This article"


@pytest.fixture
def teacher(as_teacher):
    return as_teacher("teacher_a")


def test_starting_from_a_recipe_in_the_editor(teacher, db, app):
    slug = duplicate_mini(teacher)
    page = teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    assert "Start from a recipe" in page and 'optgroup label="Place (GEO)"' in page
    response = teacher.post(
        f"/teach/sets/{slug}/recipe", data={"passage": "3", "recipe": "where-was-it-made"}
    )
    assert response.status_code == 303 and response.location.endswith("/edit")
    qid = response.location.split("/")[-2]
    q = draft(db, slug)["questions"][-1]
    assert q["id"] == qid and q["skills"] == ["GEO", "EVI"]
    assert q["stem"].startswith("Passage 3 describes [the evidence].")
    assert q["evidence"] == [draft(db, slug)["article"]["passages"][2]]
    html, _data = editor_form(teacher, slug, qid)
    text = text_of(html)
    # No error on the fresh question; what is left to write shows as suggestions.
    assert "fields to fix" not in text
    assert "The content check has" in text
    assert "Suggestion: “Question” still holds the recipe's text to replace: [the evidence]" in text
    misc = publishing.misconceptions(app.config["QUESTIONS_DIR"])
    assert publishing.check(draft(db, slug), misc).for_question(qid) == {}


def test_a_recipe_needs_a_passage_and_a_known_pattern(teacher, db):
    slug = duplicate_mini(teacher)
    before = draft(db, slug)
    for data, message in [
        ({"passage": "9", "recipe": "where-was-it-made"}, "Pick one of the article's passages"),
        ({"passage": "1", "recipe": "nope"}, "Choose one of the recipes offered."),
    ]:
        response = teacher.post(f"/teach/sets/{slug}/recipe", data=data)
        assert response.status_code == 422
        assert message in text_of(response.get_data(as_text=True))
    assert draft(db, slug) == before


def test_without_an_article_the_editor_asks_for_it_first(teacher):
    slug = teacher.post("/teach/sets", data={"title": "Blank"}).location.split("/")[-1]
    text = text_of(teacher.get(f"/teach/sets/{slug}").get_data(as_text=True))
    assert "Add the article's text first" in text
    response = teacher.post(
        f"/teach/sets/{slug}/recipe", data={"passage": "1", "recipe": "check-next"}
    )
    assert response.status_code == 422


def test_a_recipes_gaps_show_while_the_rest_of_the_draft_is_unfinished(teacher, db):
    slug = duplicate_mini(teacher)
    teacher.post(f"/teach/sets/{slug}/questions", data={"type": "single"})  # left blank
    response = teacher.post(
        f"/teach/sets/{slug}/recipe", data={"passage": "3", "recipe": "where-was-it-made"}
    )
    qid = response.location.split("/")[-2]
    page = text_of(teacher.get(f"/teach/sets/{slug}").get_data(as_text=True))
    assert "Not yet:" in page  # the blank question keeps the set from publishing
    assert "Content check suggestions" in page
    assert "“Question” still holds the recipe's text to replace: [the evidence]" in page
    html, _data = editor_form(teacher, slug, qid)
    assert "Suggestion: “Question” still holds the recipe's text to replace" in text_of(html)
