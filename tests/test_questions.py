"""Question-set files: the validator, the loader and the CLI commands."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from quiz.play import sessions
from quiz.sets.files import load_misconceptions, parse_file, sync
from quiz.sets.validation import InvalidSet, validate
from quiz.storage import queries

from .world import DATA


def mini() -> dict:
    return tomllib.loads((DATA / "mini.toml").read_text(encoding="utf-8"))


def problems_of(data: dict) -> list[str]:
    with pytest.raises(InvalidSet) as info:
        validate(data, "sets/x.toml", load_misconceptions(DATA / "misconceptions.toml"))
    return [str(p) for p in info.value.problems]


def test_the_test_set_is_valid():
    data = validate(mini(), "mini.toml", load_misconceptions(DATA / "misconceptions.toml"))
    assert [q["type"] for q in data["questions"]] == [
        "single",
        "multiple",
        "true_false",
        "passage",
        "order",
        "cer",
    ]


def test_an_error_names_the_file_the_question_and_the_field():
    data = mini()
    del data["questions"][0]["explanation"]
    assert problems_of(data) == ["sets/x.toml: question 'video': field 'explanation': is missing"]


def test_every_error_in_a_file_is_reported_not_only_the_first():
    data = mini()
    data["title"] = ""
    data["questions"][0]["key"] = ["z"]
    data["questions"][1]["skills"] = ["XYZ"]
    data["questions"][2]["difficulty"] = "impossible"
    found = problems_of(data)
    assert "sets/x.toml: field 'title': is missing" in found
    assert "sets/x.toml: question 'video': field 'key': names options that do not exist: z" in found
    assert any("question 'sources': field 'skills'" in p for p in found)
    assert any("question 'nato-signs': field 'difficulty'" in p for p in found)


def test_a_difficulty_that_is_a_list_is_refused_not_a_500():
    # Hypothesis found ``difficulty = []`` (a list cannot be looked up among the names).
    data = mini()
    data["questions"][0]["difficulty"] = []
    assert problems_of(data) == [
        "sets/x.toml: question 'video': field 'difficulty': must be easy, medium or hard"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["questions"][0].update(evidence=["not in the article"]),
            "field 'evidence': quote not found verbatim",
        ),
        (
            lambda d: d["questions"][0]["options"][0].pop("feedback"),
            "field 'options[a].feedback': is missing",
        ),
        (
            lambda d: d["questions"][0]["options"][0].pop("text"),
            "field 'options[a].text': is missing",
        ),
        (
            lambda d: d["questions"][0].update(key=["a", "b"]),
            "field 'key': must name exactly one option",
        ),
        (lambda d: d["questions"][0].update(type="essay"), "field 'type': must be one of"),
        (
            lambda d: d["questions"][0].update(confidence="yes"),
            "field 'confidence': must be true or false",
        ),
        (lambda d: d["questions"][1].update(id="video"), "field 'id': is used by another question"),
        (
            lambda d: d["questions"][2]["options"][0].update(id="yes"),
            "a true_false question has options 'true' and 'false'",
        ),
        (
            lambda d: d["questions"][3]["options"][0].update(passage=99),
            "field 'options[p1].passage': must be a passage number",
        ),
        (
            lambda d: d["questions"][4].update(key=["speaker", "agency"]),
            "field 'key': must list every option once",
        ),
        (
            lambda d: d["questions"][5].update(evidence_key=[4]),
            "field 'evidence_key': must be among evidence_choices",
        ),
        (
            lambda d: d["questions"][0]["options"][0].update(misconception="made-up"),
            "is not in misconceptions.toml",
        ),
        (lambda d: d["article"].update(date="15.2.2022"), "field 'article.date': must be a date"),
        (lambda d: d["article"].update(passages=[]), "field 'article.passages'"),
        (lambda d: d.update(id="Bad Slug!"), "field 'id': must be a slug"),
        # A list where a word goes (found by hypothesis: it was a TypeError, a 500).
        (
            lambda d: d["questions"][0].update(difficulty=[]),
            "field 'difficulty': must be easy, medium or hard",
        ),
        (lambda d: d.update(format=2), "field 'format': must be 1"),
        (lambda d: d.update(questions=[]), "field 'questions'"),
    ],
)
def test_validator_names_each_kind_of_error(change, expected):
    data = mini()
    change(data)
    assert any(expected in p for p in problems_of(data)), problems_of(data)


def test_a_file_that_is_not_toml_is_reported_with_its_name(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text('format = 1\ntitle = "unterminated\n')
    with pytest.raises(InvalidSet) as info:
        parse_file(bad)
    assert str(info.value).startswith(f"{bad}: field '(file)': is not valid TOML")


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    bad = tmp_path / "latin.toml"
    bad.write_bytes('title = "café"'.encode("latin-1"))
    with pytest.raises(InvalidSet, match="is not UTF-8"):
        parse_file(bad)


def test_loading_the_same_file_twice_changes_nothing(app, db):
    before = list(db.query("SELECT id, number, content_hash FROM set_version"))
    data = parse_file(DATA / "mini.toml", load_misconceptions(DATA / "misconceptions.toml"))
    version_id, created = sync(db, data)
    assert created is False
    assert list(db.query("SELECT id, number, content_hash FROM set_version")) == before
    assert before[0]["id"] == version_id
    assert (
        db.execute("SELECT count(*) FROM question WHERE version_id = ?", [version_id]).fetchone()[0]
        == 6
    )


def test_a_changed_file_becomes_a_new_version_and_old_answers_keep_theirs(
    app, db, student, session_code
):
    student.join(session_code)
    first = student.question(session_code, "video")
    student.answer(session_code, "video", ["b"])

    changed = validate(mini(), "mini.toml")
    changed["questions"][0]["stem"] = "A reworded stem about the video."
    version_id, created = sync(db, changed)
    assert created
    versions = list(
        db.query(
            "SELECT number FROM set_version JOIN question_set s ON s.id = set_id "
            "WHERE s.slug = 'mini-set' ORDER BY number"
        )
    )
    assert [v["number"] for v in versions] == [1, 2]

    # The answer still points at the question the student was shown.
    stored = next(db.query("SELECT question_id FROM answer"))
    assert stored["question_id"] == first["pk"]
    shown = json.loads(
        next(db.query("SELECT body FROM question WHERE id = ?", [first["pk"]]))["body"]
    )
    assert shown["stem"] == "Does the video show troops leaving the border?"
    # New sessions run the new version; the running one keeps its version.
    assert sessions.open_session(db, "mini-set")["version_id"] == version_id
    assert sessions.load_session(db, session_code).row["version_id"] != version_id


@pytest.mark.parametrize("difficulty", [[], {"level": "easy"}, None, 3])
def test_a_difficulty_that_is_not_a_word_is_refused_not_a_500(difficulty):
    data = mini()
    data["questions"][0]["difficulty"] = difficulty
    assert any("field 'difficulty': must be easy, medium or hard" in p for p in problems_of(data))


def test_cli_validate_reports_errors_per_field_and_fails(runner, tmp_path):
    bad = tmp_path / "bad.toml"
    data = (DATA / "mini.toml").read_text(encoding="utf-8")
    bad.write_text(data.replace('difficulty = "easy"', 'difficulty = "trivial"', 1))
    result = runner.invoke(args=["questions", "validate", str(bad)])
    assert result.exit_code == 1
    assert (
        f"{bad}: question 'sources': field 'difficulty': must be easy, medium or hard"
        in result.output
    )


def test_cli_load_loads_nothing_of_a_file_with_errors(runner, db, tmp_path):
    bad = tmp_path / "half.toml"
    text = (DATA / "mini.toml").read_text(encoding="utf-8")
    # A valid set id and first questions, then one broken question at the end.
    bad.write_text(
        text.replace('id = "mini-set"', 'id = "half-set"').replace(
            'evidence_feedback = "Passage 2', 'evidence_feedbac = "Passage 2'
        )
    )
    result = runner.invoke(args=["questions", "load", str(bad)])
    assert result.exit_code == 1
    assert "question 'cer-withdrawal': field 'evidence_feedback': is missing" in result.output
    assert queries.latest_version(db, "half-set") is None
    assert db["question_set"].count == 3


def test_cli_load_twice_reports_unchanged(runner, db):
    result = runner.invoke(args=["questions", "load", str(DATA / "mini.toml")])
    assert result.exit_code == 0, result.output
    assert "mini-set (6 questions): unchanged" in result.output
    assert db["set_version"].count == 3


def test_cli_setup_migrates_and_loads_every_set_in_the_folder(runner, db):
    result = runner.invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output


def test_shipped_sets_are_valid_and_load(tmp_path):
    folder = Path(__file__).parent.parent / "questions"
    misc = load_misconceptions(folder / "misconceptions.toml")
    files = sorted(p for p in folder.glob("*.toml") if p.name != "misconceptions.toml")
    assert files, "questions/ holds no set"
    for path in files:
        data = parse_file(path, misc)
        assert len(data["questions"]) >= 6, path


def test_shipped_sets_quote_the_seed_article_exactly():
    folder = Path(__file__).parent.parent / "questions"
    seed = Path(__file__).parent.parent.parent / "shared" / "seed" / "article.txt"
    if not seed.exists():
        pytest.skip("the seed article is not beside this checkout")
    paragraphs = [p.strip() for p in seed.read_text(encoding="utf-8").split("\n") if p.strip()]
    for path in folder.glob("russia-troops-*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["article"]["passages"] == paragraphs, path
