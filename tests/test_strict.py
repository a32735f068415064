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
