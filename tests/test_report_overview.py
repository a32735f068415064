"""The report's overview (what to do next) and its minimums ("too few answers to say")."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from quiz.results import charts, overview, page, report
from quiz.sets.vocabulary import MINIMUM_ANSWERS, TOO_FEW, TOO_FEW_PERSON
from quiz.web import templating

from .data.report_session import MISCONCEPTIONS, session_data
from .world import text_of

TEMPLATES = Path(__file__).parent.parent / "templates"


def question(number: int, answered: int, wrong: int, facility: float) -> dict:
    return {
        "number": number,
        "answered": answered,
        "facility": facility,
        "wrong": {"count": wrong} if wrong else None,
    }


def test_the_question_to_discuss_has_the_most_answers_on_one_wrong_option():
    rows = [question(1, 30, 9, 0.6), question(2, 30, 12, 0.5), question(3, 30, 12, 0.4)]
    assert overview.to_discuss(rows)["number"] == 3  # a tie goes to the lower facility
    rows.append(question(4, MINIMUM_ANSWERS["discuss"] - 1, 4, 0.0))
    assert overview.to_discuss(rows)["number"] == 3  # too few answers to be named
    assert overview.to_discuss([question(1, 30, 0, 1.0)]) is None  # no wrong answer yet


def test_the_weakest_skill_is_the_lowest_mean_among_skills_with_enough_answers():
    few = MINIMUM_ANSWERS["skill"] - 1
    skills = [
        {"tag": "time", "mean": 0.2, "answers": few},
        {"tag": "place", "mean": 0.5, "answers": 30},
        {"tag": "numbers", "mean": 0.4, "answers": 30},
    ]
    assert overview.weakest_skill(skills)["tag"] == "numbers"
    assert overview.weakest_skill(skills[:1]) is None


def test_who_may_need_help_are_those_under_half_the_marks_having_answered_enough():
    enough = MINIMUM_ANSWERS["help"]
    people = [
        {"number": 1, "nickname": "Ada", "score": 1, "answered": enough},
        {"number": 2, "nickname": "Ben", "score": 0, "answered": enough - 1},
        {"number": 3, "nickname": "Cy", "score": enough / 2, "answered": enough},
        {"number": 4, "nickname": "Dee", "score": 0, "answered": enough},
    ]
    assert [p["nickname"] for p in overview.needing_help(people)] == ["Dee", "Ada"]


@pytest.fixture
def r() -> dict:
    return report.build(*session_data(), MISCONCEPTIONS)


def rendered(r: dict) -> str:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)))
    templating.install(env)
    template = env.get_template("results/_report.html")
    return text_of(template.render(r=r, charts=charts.charts_for(r), view=page.tables(r)))


def test_the_overview_names_what_to_do_next_with_its_rules(r):
    text = rendered(r)
    assert "What to do next" in text
    discuss = r["next"]["discuss"]
    assert f"Discuss question {discuss['number']}" in text
    assert "the most answers chose one and the same wrong option" in text
    assert "The lowest group mean among skills with at least 10 answers" in text


def test_an_index_on_too_few_answers_says_so_with_its_count(r):
    # Six participants answered the two discernment questions: 11 answers in all (enough
    # for the group's index), two or fewer each (too few for anyone's own).
    assert r["scepticism"]["enough"]
    assert not any(p["enough"] for p in r["scepticism"]["participants"])
    text = rendered(r)
    assert TOO_FEW_PERSON.format(minimum=MINIMUM_ANSWERS["scepticism_participant"]) in text
    assert "55%" in text  # the group's index, 6 of 11

    r["scepticism"].update(answers=5, enough=False)
    needed = TOO_FEW.format(n=5, minimum=MINIMUM_ANSWERS["scepticism"])
    assert f"Blanket-scepticism index: {needed}" in rendered(r)
