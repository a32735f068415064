"""Moodle XML import: the corpus from Moodle's XML format documentation, hardening, round trip."""

from __future__ import annotations

import pytest

from quiz.authoring.exports import to_moodle_xml
from quiz.authoring.interchange import UnreadableFile, import_moodle_xml
from quiz.sets.validation import validate
from tests.interchange_corpus import by_stem, comparable, completed, corpus, options, reported, seed

UNSAFE = (
    "The file declares a DTD or entities, which Lateral refuses for safety (they can make a "
    "file grow without end or read other files). Moodle never writes them: export the "
    "questions from Moodle again."
)


def xml(name: str):
    return import_moodle_xml(corpus("xml", name), "Imported")


def test_lateral_moodle_xml_export_imports_back_to_the_same_questions_in_order():
    data = seed()
    result = import_moodle_xml(to_moodle_xml(data).encode(), data["title"])
    assert [comparable(q) for q in result.raw["questions"]] == [
        comparable(q) for q in data["questions"]
    ]
    assert result.raw["article"]["passages"] == data["article"]["passages"]
    assert validate(completed(result.raw, data), "round-trip") == data
    assert result.lines[:2] == [
        f"Category “{data['title']}” begins here. Lateral sets have no categories, so the "
        "name is kept in this report only.",
        "This file was exported from Lateral. The export leaves out difficulty, evidence "
        "quotes, misconception labels, the confidence and written-reason switches, teacher "
        "notes and the facilitator guide: set them again in the editor.",
    ]
    number, cer = next((n, q) for n, q in enumerate(data["questions"], 1) if q["type"] == "cer")
    passages = ", ".join(map(str, cer["evidence_key"]))
    reported(
        result,
        f"Question {number}: its general feedback names the evidence (passages {passages}), "
        "as Lateral writes a claim–evidence–reasoning question, so it became one. The file "
        "does not say which passages students choose from: every passage of the article is "
        "offered; narrow the choice.",
    )


def test_multichoice_and_truefalse_keep_fractions_feedback_tags_and_categories():
    result = xml("choice.xml")
    video = by_stem(result, "Where was the video")
    assert (video["id"], video["type"], video["key"]) == ("crimea-video", "single", ["b"])
    assert video["skills"] == ["GEO", "EVI"]  # the tags that are skills, in capitals
    assert options(video)[1] == ("b", "In Crimea", "Right: it was geolocated there.")
    agencies = by_stem(result, "Which of these are news agencies")
    assert (agencies["type"], agencies["key"]) == ("multiple", ["a", "b"])
    thirds = by_stem(result, "Which three")
    assert (thirds["type"], thirds["key"]) == ("multiple", ["a", "b", "c"])
    tf = by_stem(result, "The article was machine translated")
    assert (tf["type"], tf["key"]) == ("true_false", ["true"])
    assert options(tf) == [
        ("true", "True", "Right: the translation note says so."),
        ("false", "False", "It was, the note says."),
    ]
    lines = result.lines
    assert lines[0].startswith("Category “$course$/top/Verification basics” begins here.")
    assert any(line.startswith("Category “$course$/top/Old style category”") for line in lines)
    reported(
        result,
        "Question 1: the file's tags (“week 3”) are not Lateral skills; they are kept in this "
        "report only.",
        "Question 1: the feedback Moodle shows after a right answer (“Your answer is "
        "correct.”) has no place in Lateral and was left out.",
        "Question 2 was hidden in Moodle; it was imported like the others.",
        "Question 3: “A news agency quoting him” earned 33.33% in the file; a single-choice "
        "question in Lateral is all or nothing, so it now counts as wrong.",
    )
    # 33.33333% each is Lateral's own rule for three right options: nothing to report.
    assert not any(line.startswith("Question 4:") for line in lines)


def test_every_text_format_becomes_plain_text_and_images_are_reported():
    result = xml("formats.xml")
    image = by_stem(result, "Does this map")
    assert image["stem"] == "Does this map prove the troops left?"
    assert [o["text"] for o in image["options"]] == [
        "No: a map shows where, not when",
        "Yes & clearly",
    ]
    assert by_stem(result, "First line")["stem"] == "First line\nsecond line with bold and &"
    assert by_stem(result, "Is this")["stem"] == (
        "Is this a link (https://example.org/x)?\n\n- one\n- two"
    )
    assert by_stem(result, "Keep")["stem"] == "Keep <b>this</b> as typed"
    assert result.lines[1:3] == [
        "Question 1: an image in the question was left out (its description: “Schematic map, "
        "not to scale”).",
        "Question 1: the files attached to it (map.png) were left out.",
    ]


def test_unmappable_types_are_each_reported_and_an_ordered_matching_kept():
    result = xml("unsupported.xml")
    [chain] = result.raw["questions"]
    assert chain["type"] == "order"
    by_id = {o["id"]: o["text"] for o in chain["options"]}
    assert [by_id[k] for k in chain["key"]] == [
        "Kuleba speaks",
        "Reuters reports it",
        "HS prints it",
    ]
    assert result.raw["article"]["passages"] == [
        "First paragraph of a reading.",
        "Second paragraph.",
    ]
    said = " ".join(result.lines)
    for phrase in (
        "#1 in the file (“Match each speaker with their role.”) was left out: it is a matching",
        "#3 in the file (“Which news agency does the article quote most?”) was left out: it is "
        "a short-answer question",
        "#4 in the file (“How many troops, in thousands?”) was left out: it is a numerical",
        "#5 in the file (“Explain why the Crimea video is weak evidence.”) was left out: it is "
        "an essay question",
        "#6 in the file is a description (text with no answers); it became article passages "
        "1 to 2.",
        "it is an embedded-answers (Cloze) question",
        "it is a calculated question",
        "select-the-missing-word question (ddwtos)",
        "select-the-missing-word question (gapselect)",
        "#11 in the file was left out: it is a Moodle “random question” placeholder",
        "its question type, “ordering”, is one Lateral has no format for.",
    ):
        assert phrase in said


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("billion-laughs.xml", UNSAFE),
        ("external-entity.xml", UNSAFE),
        ("doctype.xml", UNSAFE),
        (
            "truncated.xml",
            "The file is not well-formed XML (line 23, column 27); it may have been cut "
            "short. Export it from Moodle again.",
        ),
        (
            "latin1-labelled-utf8.xml",
            "The file is not UTF-8 text. Save it again with the encoding UTF-8 (for a CSV "
            "file in Excel: “CSV UTF-8”) and upload it again.",
        ),
        (
            "not-quiz.xml",
            "This XML file is not a Moodle question file: its outer element is <html>, where "
            "Moodle writes <quiz>.",
        ),
    ],
)
def test_unsafe_or_broken_xml_is_refused_with_one_clear_error(name, message):
    with pytest.raises(UnreadableFile) as raised:
        xml(name)
    assert str(raised.value) == message


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    payload = (
        f'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<quiz><question type="description"><questiontext><text>&s;</text>'
        "</questiontext></question></quiz>"
    )
    with pytest.raises(UnreadableFile) as raised:
        import_moodle_xml(payload.encode(), "Imported")
    assert "the secret" not in str(raised.value)


def test_a_declared_non_utf8_encoding_is_read_as_declared():
    result = xml("latin1-declared.xml")
    assert result.raw["article"]["passages"] == ["Café au lait"]
