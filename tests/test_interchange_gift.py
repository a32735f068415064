"""GIFT import: the corpus written from Moodle's GIFT documentation, and round trips."""

from __future__ import annotations

import pytest

from quiz.authoring.exports import to_gift
from quiz.authoring.interchange import UnreadableFile, import_gift
from quiz.sets.validation import validate
from tests.interchange_corpus import by_stem, comparable, completed, corpus, options, reported, seed


def gift(name: str):
    return import_gift(corpus("gift", name), "Imported")


def test_lateral_gift_export_imports_back_to_the_same_questions_in_order():
    data = seed()
    result = import_gift(to_gift(data), data["title"])
    assert [comparable(q) for q in result.raw["questions"]] == [
        comparable(q) for q in data["questions"]
    ]
    article = result.raw["article"]
    assert article["passages"] == data["article"]["passages"]
    for key in ("title", "outlet", "date", "translation_note"):
        assert article[key] == data["article"][key]
    cer = [q for q in result.raw["questions"] if q["type"] == "cer"]
    assert [q["evidence_key"] for q in cer] == [
        q["evidence_key"] for q in data["questions"] if q["type"] == "cer"
    ]
    assert result.lines[0].startswith("This file was exported from Lateral.")
    assert result.lines[-1] == (
        "Every question still needs a difficulty and evidence quotes from the article "
        "before the set can be published."
    )


def test_gift_round_trip_completed_with_what_the_export_drops_validates_to_the_original():
    data = seed()
    result = import_gift(to_gift(data), data["title"])
    assert validate(completed(result.raw, data), "round-trip") == data


def test_multiple_choice_corpus_keeps_feedback_weights_titles_and_categories():
    result = gift("choice.gift")
    video = by_stem(result, "Where was the video")
    assert video["id"] == "crimea-video"
    assert video["type"] == "single" and video["key"] == ["b"]
    assert options(video)[1] == ("b", "In Crimea", "Right: it was geolocated there.")
    assert video["explanation"] == "Check where footage was made before asking what it proves."
    assert by_stem(result, "Who first made")["stem"] == (
        "Who first made the claim that troops\nwere leaving the border?"
    )
    agencies = by_stem(result, "Which of these are news agencies")
    assert agencies["type"] == "multiple" and agencies["key"] == ["a", "b"]
    gap = by_stem(result, "The spokesman said")
    assert gap["stem"] == (
        "The spokesman said units are preparing to _____ to their permanent garrisons."
    )
    assert [o["text"] for o in gap["options"]] == ["stay", "return", "advance"]
    assert result.lines[:2] == [
        "Category “$course$/top/Verification basics” begins here. Lateral sets have no "
        "categories, so the name is kept in this report only.",
        "Comment before #1 in the file: “Multiple choice, written after the examples in "
        "Moodle's GIFT documentation.” (kept in this report only).",
    ]
    reported(
        result,
        "Question 3: “A news agency quoting him” earned 50% in the file; a single-choice "
        "question in Lateral is all or nothing, so it now counts as wrong.",
        "Question 4: a wrong option took 100% off in the file; in Lateral each wrong option "
        "chosen takes one share (50%) off, never below 0.",
        "Question 5: the right options were weighted 70% and 30% in the file; Lateral gives "
        "each of the 2 right options an equal share (50%).",
        "Question 5: choosing a wrong option cost nothing in the file; in Lateral each wrong "
        "option chosen takes one share (50%) off, never below 0.",
    )
    assert (
        "Question 6 is a missing-word question: the gap is shown as _____ in the text."
        in result.lines
    )


def test_true_false_in_every_form_keys_and_feedback_as_moodle_reads_them():
    result = gift("truefalse.gift")
    keys = [(q["type"], q["key"]) for q in result.raw["questions"]]
    assert keys == [("true_false", ["true"])] * 2 + [("true_false", ["false"])] * 2
    long_true = by_stem(result, "The article was machine translated")
    # {TRUE#feedback when wrong#feedback when right}
    assert options(long_true) == [
        ("true", "True", "Right: the translation note says so."),
        ("false", "False", "It was machine translated, the note says."),
    ]
    long_false = by_stem(result, "The article gives an exact number")
    assert options(long_false) == [
        ("true", "True", "No number of withdrawn troops is given."),
        ("false", "False", "Right: it gives none."),
    ]
    assert long_false["explanation"] == "Numbers: look for who counted and what."


def test_matching_is_left_out_unless_its_answers_are_an_order():
    result = gift("matching.gift")
    assert len(result.raw["questions"]) == 1
    chain = result.raw["questions"][0]
    assert chain["type"] == "order" and chain["key"] == ["a", "b", "c"]
    assert [o["text"] for o in chain["options"]] == [
        "Kuleba speaks",
        "Reuters reports it",
        "HS prints it",
    ]
    assert result.lines[1] == (
        "#1 in the file (“Match each speaker with their role.”) was left out: it is a "
        "matching question that pairs items with answers; Lateral takes a matching question "
        "only when its answers number the items 1, 2, 3 … (an order)."
    )
    reported(
        result,
        "Question 1: Moodle scores each item put in its place; Lateral scores the share of "
        "pairs of items in the right order, so partial credit differs.",
    )


def test_unmappable_questions_each_get_a_line_saying_what_they_were():
    result = gift("unsupported.gift")
    assert result.raw["questions"] == []
    assert result.raw["article"]["passages"] == [
        "This description introduces the next questions. It has no answers.",
        "Second paragraph of the description.",
    ]
    said = result.lines
    assert "it is a short-answer question" in said[1] and said[1].startswith("#1 in the file")
    assert all("it is a numerical question" in line for line in said[2:5])
    assert "it is an essay question" in said[5]
    assert said[6] == (
        "#6 in the file is a description (text with no answers); it became article passage 1."
    )
    assert said[-1] == (
        "No question in the file could become a Lateral question; the lines above say why."
    )


def test_formats_and_escapes_become_plain_text_with_nothing_lost_unsaid():
    result = gift("formats.gift")
    html = by_stem(result, "Is this & that")
    assert html["stem"] == "Is this & that the report (https://example.org/report)?"
    assert options(html)[0] == ("a", "Yes", "It is.")
    assert by_stem(result, "Is this a link")["stem"] == "Is this a link (https://example.org/x)?"
    assert by_stem(result, "First line")["stem"] == "First line\nsecond line bold"
    assert by_stem(result, "Keep")["stem"] == "Keep <b>this</b> as typed"
    escapes = by_stem(result, "Which is right")
    assert escapes["stem"] == (
        "Which is right: 1 + 1 = 2, {a} ~ #tag, a back\\slash\nand a new line?"
    )
    assert options(escapes)[0] == (
        "a",
        "The one with = and #",
        "Escapes are kept as characters: ~ { }.",
    )
    own = by_stem(result, "Question in HTML")
    assert options(own)[0] == ("a", "Answer in Markdown", "<b>feedback</b> typed plainly")
    for q in result.raw["questions"]:
        assert "<script" not in q["stem"] and "alert" not in q["stem"]
    reported(
        result,
        "Question 1: an image in the question was left out (its description: “A schematic map”).",
        "Question 1: the formatting of the question, option 1 and the feedback on option 1 "
        "(HTML) was removed; Lateral shows plain text.",
        "Question 2: the formatting of the question and option 1 (Markdown) was removed; "
        "Lateral shows plain text.",
    )


def test_a_broken_question_is_reported_and_the_rest_imported():
    result = gift("broken.gift")
    assert [q["id"] for q in result.raw["questions"]] == ["fine"]
    assert result.lines[1:3] == [
        "#2 in the file could not be read and was left out: its { and } do not match.",
        "#3 in the file could not be read and was left out: a matching answer has no ->.",
    ]


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (corpus("gift", "not-gift.txt"), "This file does not look like GIFT"),
        ("Caf\xe9 {=a ~b}".encode("latin-1"), "The file is not UTF-8 text."),
        (b"", "The file is empty."),
        (b"  \n\n ", "The file is empty."),
        (b"x" * (512 * 1024 + 1), "The file is 512 KB; the largest file Lateral imports"),
    ],
)
def test_a_file_that_is_not_gift_raises_one_clear_error(content, start):
    with pytest.raises(UnreadableFile) as raised:
        import_gift(content, "Imported")
    assert str(raised.value).startswith(start)


def test_sizes_are_bounded_with_clear_errors():
    many = "\n\n".join(f"Q{n}? {{=a ~b}}" for n in range(201))
    with pytest.raises(UnreadableFile, match="more than 200 questions"):
        import_gift(many, "Imported")
    with pytest.raises(UnreadableFile) as raised:
        import_gift("Q? {=" + "a" * 10_001 + " ~b}", "Imported")
    assert str(raised.value) == (
        "Option 1 of #1 in the file is 10001 characters long; the longest text Lateral "
        "takes is 10000. Shorten it and try again."
    )


def test_a_byte_order_mark_and_windows_line_ends_are_read():
    text = "\ufeff::one::Q one? {=a ~b}\r\n\r\n::two::Q two? {=c ~d}\r\n".encode()
    result = import_gift(text, "Imported")
    assert [q["id"] for q in result.raw["questions"]] == ["one", "two"]
