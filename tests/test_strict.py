"""The strict content check (CONTENT.md rules a program can check)."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest

from quiz.sets.files import load_misconceptions, parse_file
from quiz.sets.strict import strict_problems
from quiz.sets.validation import validate

from .world import DATA

QUESTIONS = Path(__file__).parent.parent / "questions"
MISC = load_misconceptions(DATA / "misconceptions.toml")


def base_set(n: int = 12) -> dict:
    """A valid set of n single-choice questions, keys spread and never longest."""
    data = tomllib.loads((DATA / "mini.toml").read_text(encoding="utf-8"))
    template = data["questions"][0]
    template["explanation"] = " ".join(["word"] * 50)
    questions = []
    tags = list("EVI SRC ATT ACT COR TIM NUM GEO TXT STR NXT CAL".split())
    for i in range(n):
        q = copy.deepcopy(template)
        q["id"] = f"q{i}"
        q["skills"] = [tags[i % len(tags)]]
        ids = [o["id"] for o in q["options"]]
        q["key"] = [ids[i % 3]]
        for o in q["options"]:
            o["text"] = (
                "A much longer distractor text than the key" if o["id"] != q["key"][0] else "Key"
            )
            if o["id"] == q["key"][0]:
                o.pop("misconception", None)
            else:
                o["misconception"] = "seeing-is-believing"
        questions.append(q)
    data["questions"] = questions
    del data["guide"]
    return data


def strict(data: dict) -> list[str]:
    return [str(p) for p in strict_problems(validate(data, "s.toml", MISC), "s.toml", MISC)]


def test_a_well_made_set_has_no_strict_problems():
    assert strict(base_set()) == []


def test_explanations_outside_40_to_80_words_are_reported():
    data = base_set()
    data["questions"][0]["explanation"] = "Too short."
    data["questions"][1]["explanation"] = " ".join(["w"] * 81)
    found = strict(data)
    assert "s.toml: question 'q0': field 'explanation': has 2 words; write 40–80" in found
    assert "s.toml: question 'q1': field 'explanation': has 81 words; write 40–80" in found


def test_a_wrong_option_without_a_misconception_is_reported():
    data = base_set()
    wrong = next(
        o for o in data["questions"][0]["options"] if o["id"] not in data["questions"][0]["key"]
    )
    del wrong["misconception"]
    assert any(
        f"field 'options[{wrong['id']}].misconception': names no misconception" in p
        for p in strict(data)
    )


def test_a_tag_on_more_than_a_fifth_of_the_questions_is_reported():
    data = base_set()
    for q in data["questions"][:3]:
        q["skills"] = ["GEO"]
    assert any("GEO is on 4 of 12 questions; at most a fifth" in p for p in strict(data))


def test_keys_piled_on_one_position_are_reported():
    data = base_set()
    for q in data["questions"]:
        q["key"] = [q["options"][0]["id"]]
        for o in q["options"]:
            o["misconception"] = None if o["id"] == q["key"][0] else "seeing-is-believing"
            o["text"] = "Key" if o["id"] == q["key"][0] else "A much longer distractor"
    assert any("position 1 holds 12 of 12 single keys; at most 35%" in p for p in strict(data))


def test_a_key_that_is_usually_the_longest_option_is_reported():
    data = base_set()
    for q in data["questions"]:
        for o in q["options"]:
            o["text"] = (
                "The longest and most carefully hedged option" if o["id"] in q["key"] else "Short"
            )
    assert any("the key is the longest option in 12 of 12" in p for p in strict(data))


@pytest.mark.parametrize("text", ["All of the above", "None of the above", "both of these answers"])
def test_all_or_none_of_the_above_is_reported(text):
    data = base_set()
    data["questions"][0]["options"][0]["text"] = text
    assert any("uses 'all/none of the above'" in p for p in strict(data))


def test_a_full_set_must_cover_every_skill_and_resist_blanket_scepticism():
    data = base_set(24)
    for q in data["questions"]:
        q["skills"] = ["EVI"] if q["id"] != "q1" else ["SRC"]
    found = strict(data)
    assert any("CAL is on 0 questions; a full set needs 2" in p for p in found)
    assert any("0 of 24 questions are keyed against blanket scepticism" in p for p in found)


def test_cli_validate_strict_fails_on_content_problems(runner, tmp_path):
    path = tmp_path / "s.toml"
    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    (tmp_path / "misconceptions.toml").write_text((DATA / "misconceptions.toml").read_text())
    plain = runner.invoke(args=["questions", "validate", str(path)])
    assert plain.exit_code == 0
    result = runner.invoke(args=["questions", "validate", "--strict", str(path)])
    assert result.exit_code == 1
    assert "field 'explanation': has" in result.output


def shipped() -> list[Path]:
    return sorted(p for p in QUESTIONS.glob("*.toml") if p.name != "misconceptions.toml")


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.name)
def test_shipped_sets_pass_the_strict_check(path):
    misc = load_misconceptions(QUESTIONS / "misconceptions.toml")
    data = parse_file(path, misc)
    assert [str(p) for p in strict_problems(data, str(path), misc)] == []


# Answer cues (rule 6), images (rule 11), rubrics and lateral-reading tasks (rule 12) -------


def true_false(i: int, key: str, evidence: list[str]) -> dict:
    wrong = "false" if key == "true" else "true"
    return {
        "id": f"tf{i}",
        "type": "true_false",
        "skills": ["EVI"],
        "difficulty": "easy",
        "stem": f"True or false: statement {i}.",
        "evidence": evidence,
        "key": [key],
        "explanation": " ".join(["word"] * 50),
        "options": [
            {"id": key, "text": key.title(), "feedback": "Right."},
            {
                "id": wrong,
                "text": wrong.title(),
                "feedback": "Not so.",
                "misconception": "seeing-is-believing",
            },
        ],
    }


def with_true_false(*keys: str) -> dict:
    data = base_set(20)
    evidence = data["questions"][0]["evidence"]
    data["questions"] += [true_false(i, key, evidence) for i, key in enumerate(keys)]
    return data


def test_true_false_keys_piled_on_one_answer_are_reported():
    found = strict(with_true_false("false", "false", "false", "false", "true"))
    assert "s.toml: field 'key': 4 of 5 true/false keys are False; at most 60% may go one way" in (
        found
    )


def test_true_false_keys_three_to_two_or_fewer_than_four_pass():
    assert not any(
        "true/false keys" in p
        for p in strict(with_true_false("false", "false", "false", "true", "true"))
    )
    three = with_true_false("false", "false", "false")
    assert not any("true/false keys" in p for p in strict(three))


def test_absolute_words_only_in_wrong_options_are_reported():
    data = base_set()
    for q in data["questions"]:
        for o in q["options"]:
            if o["id"] not in q["key"]:
                o["text"] = "A longer distractor: the video always proves it"
    found = [p for p in strict(data) if "absolute words" in p]
    assert found == [
        "s.toml: field 'options': absolute words (always, never, proves, fake…) are in 0 of "
        "12 keyed options (0%) and 24 of 24 wrong options (100%); keep the two within 15 points"
    ]


def test_absolute_words_as_often_in_keys_as_in_wrong_options_pass():
    data = base_set()
    for q in data["questions"]:
        for o in q["options"]:
            o["text"] = o["text"] + " (never certain)"
    assert not any("absolute words" in p for p in strict(data))


IMAGE = {
    "file": "media/map.svg",
    "alt": "A schematic map of Crimea, Ukraine and Belarus, not to scale.",
    "caption": "Schematic map, not to scale",
    "credit": "Drawn for Lateral",
    "licence": "CC BY 4.0",
    "sha256": "0" * 64,
    "width": 10,
    "height": 10,
}


def image_problems(**changes) -> list[str]:
    data = validate(base_set(), "s.toml", MISC)
    data["questions"][0]["image"] = {**IMAGE, **changes}
    return [str(p) for p in strict_problems(data, "s.toml", MISC)]


def test_a_well_described_image_passes():
    assert image_problems() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"alt": "map.svg"}, "field 'image.alt': is the file's name or a placeholder"),
        ({"alt": "image"}, "field 'image.alt': is the file's name or a placeholder"),
        ({"alt": "A map"}, "field 'image.alt': has fewer than"),
        ({"credit": "TBD"}, "field 'image.credit': is a placeholder"),
        ({"licence": "todo"}, "field 'image.licence': is a placeholder"),
        ({"caption": "Crimea and its neighbours"}, "field 'image.caption': the project drew"),
    ],
)
def test_an_image_without_honest_alt_text_credit_licence_or_caption_is_reported(changes, expected):
    assert any(expected in p for p in image_problems(**changes))


RUBRIC = {
    "beginning": {"descriptor": "Repeats the article.", "example": "It says they go back."},
    "emerging": {"descriptor": "Finds one difference.", "example": "Reuters names Interfax."},
    "mastery": {"descriptor": "Gives the chain and its meaning.", "example": "Interfax first."},
}


def open_task(**changes) -> list[str]:
    data = base_set()
    task = {
        "id": "task",
        "type": "open",
        "lateral": True,
        "skills": ["ACT"],
        "difficulty": "medium",
        "stem": "Find the original report. What did the article change?",
        "evidence": data["questions"][0]["evidence"],
        "explanation": " ".join(["word"] * 50),
        "teacher_note": "Outside the article: look in Reuters. Without internet: print it.",
        "rubric": copy.deepcopy(RUBRIC),
        **changes,
    }
    data["questions"].append(task)
    return strict(data)


def test_a_complete_lateral_reading_task_passes():
    assert open_task() == []


def test_a_rubric_with_a_level_missing_is_refused_by_the_validator():
    rubric = {k: v for k, v in RUBRIC.items() if k != "emerging"}
    with pytest.raises(Exception, match="emerging"):
        open_task(rubric=rubric)


def test_a_marking_that_is_a_list_is_refused_by_the_validator_not_a_500():
    with pytest.raises(Exception, match="must be 'teacher' or 'peer'"):
        open_task(marking=[])


def test_a_rubric_whose_levels_are_not_told_apart_is_reported():
    rubric = copy.deepcopy(RUBRIC)
    rubric["emerging"]["descriptor"] = rubric["beginning"]["descriptor"]
    rubric["mastery"]["example"] = rubric["mastery"]["descriptor"]
    found = open_task(rubric=rubric)
    assert any("'rubric.descriptor': two levels have the same descriptor" in p for p in found)
    assert any("'rubric.mastery.example': repeats the descriptor" in p for p in found)


def test_a_lateral_task_without_its_outside_note_or_offline_fallback_is_reported():
    missing = open_task(teacher_note="Look at Reuters.")
    assert any("note says where to look, starting “Outside the article:”" in p for p in missing)
    offline = open_task(teacher_note="Outside the article: look at Reuters.")
    assert any("a room without internet" in p for p in offline)
