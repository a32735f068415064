"""Spreadsheet import: Lateral's template, Kahoot!'s template, CSV dialects, bad files."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from quiz.authoring.interchange import UnreadableFile, import_spreadsheet
from quiz.authoring.interchange import templates as template
from quiz.authoring.interchange.report import short
from quiz.sets.files import to_raw
from tests.interchange_corpus import corpus, options, reported, seed

TEMPLATES = template.FOLDER


def sheet(name: str):
    """Import a corpus sheet; "x.csv.xlsx" is x.csv uploaded under a wrong name."""
    return import_spreadsheet(
        corpus("sheets", name.removesuffix(".xlsx") if name.endswith(".csv.xlsx") else name),
        name,
        "Imported",
    )


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_committed_templates_are_the_ones_the_code_writes():
    table = template.rows()
    again = "the shipped set changed: run python -m quiz.authoring.interchange.templates"
    assert (TEMPLATES / "lateral-questions.csv").read_bytes() == template.csv_bytes(table), again
    book = load_workbook(TEMPLATES / "lateral-questions.xlsx", read_only=True)
    cells = [[c if c is not None else "" for c in row] for row in book.active.values]
    book.close()
    assert cells == table, again


@pytest.mark.parametrize("name", ["lateral-questions.csv", "lateral-questions.xlsx"])
def test_the_template_imports_to_the_questions_it_was_written_from(name):
    result = import_spreadsheet((TEMPLATES / name).read_bytes(), name, "Imported")
    original = {q["id"]: q for q in to_raw(seed())["questions"]}
    for q, qid in zip(result.raw["questions"], template.EXAMPLES, strict=True):
        source = original[qid]
        for key in ("type", "stem", "skills", "difficulty", "evidence", "explanation"):
            assert q[key] == source[key], key
        assert [(o["text"], o["feedback"]) for o in q["options"]] == [
            (o["text"], o["feedback"]) for o in source["options"]
        ]
        # Option ids are not in a spreadsheet: the key is compared by option position.
        positions = [o["id"] for o in source["options"]]
        assert q["key"] == [q["options"][positions.index(k)]["id"] for k in source["key"]]
    assert result.lines == [
        f"Row {row} became question {row - 1} ({kind}): “{short(original[qid]['stem'])}”."
        for row, qid, kind in zip(
            (2, 3, 4),
            template.EXAMPLES,
            ("single choice", "true or false", "select all that apply"),
            strict=True,
        )
    ]


def test_kahoot_template_is_read_as_it_is():
    result = sheet("kahoot.xlsx")
    first, agencies, tf, number = result.raw["questions"]
    assert (first["stem"], first["type"], first["key"]) == (
        "Where was the Crimea video filmed?",
        "single",
        ["b"],
    )
    assert [o["text"] for o in first["options"]] == ["At the border", "In Crimea", "In Moscow"]
    assert (agencies["type"], agencies["key"]) == ("multiple", ["a", "c"])
    assert (tf["type"], tf["key"]) == ("true_false", ["true"])
    # "1,3" that a comma-decimal Excel stored as the number 1.3
    assert (number["type"], number["key"]) == ("multiple", ["a", "c"])
    lines = result.lines
    assert (
        lines[0] == "Row 9 became question 1 (single choice): “Where was the Crimea video filmed?”."
    )
    reported(
        result,
        "Question 2: in Kahoot! a player picks one answer and any of answers 1, 3 scores; in "
        "Lateral it is a select-all-that-apply question, where the student must pick all of "
        "them. Say so in the question.",
    )
    assert "Row 12 has answers but no question; it was left out." in lines
    assert "Kahoot! time limits were not kept: Lateral never times an answer." in lines


def test_semicolon_csv_with_bom_and_multiline_cells_fills_every_column():
    result = sheet("lateral-semicolon.csv")
    video, agencies, tf, chain, bad = result.raw["questions"]
    assert video["stem"] == "Where was the video filmed?\nRead passage 3."
    assert options(video)[1] == ("b", "In Crimea", "Right; it was geolocated there.")
    assert (video["skills"], video["difficulty"], video["key"]) == (["GEO", "EVI"], "medium", ["b"])
    assert video["explanation"] == "Check the place first."
    assert (agencies["type"], agencies["key"]) == ("multiple", ["a", "b"])
    assert (tf["type"], tf["key"], [o["text"] for o in tf["options"]]) == (
        "true_false",
        ["true"],
        ["True", "False"],
    )
    assert (chain["type"], chain["key"]) == ("order", ["a", "b", "c"])
    assert bad["key"] == []
    reported(
        result,
        "Row 6 (“What do you think?”) was left out: its question type, “poll”, is one Lateral "
        "has no format for.",
        "Question 5: the correct column names option 5, which is empty; choose the right "
        "options again.",
    )


def test_comma_csv_reports_a_column_it_does_not_read():
    result = sheet("lateral-comma.csv")
    assert [q["stem"] for q in result.raw["questions"]] == [
        "Is the video from Crimea?",
        "A comma, inside",
    ]
    assert result.lines[0] == "The column “colour” is not one Lateral reads; it was left out."


def test_formulas_are_never_calculated_and_are_reported():
    result = sheet("formula.xlsx")
    assert result.raw["questions"] == []
    assert result.lines[:2] == [
        'Row 2: the “option 2” cell holds a formula (=B2&" again"), which Lateral does not '
        "calculate, so it was read as empty. Type the text itself.",
        'Row 3: the “question” cell holds a formula (=UPPER("is this read?")), which Lateral '
        "does not calculate, so it was read as empty. Type the text itself.",
    ]
    reported(
        result,
        "Row 2 (“Which came first?”) was left out: it has only one answer option, and a "
        "Lateral question has 2 to 8.",
    )


def test_the_sheet_with_the_header_is_read_when_it_is_not_the_first():
    result = sheet("second-sheet.xlsx")
    [q] = result.raw["questions"]
    assert (q["stem"], q["explanation"]) == ("Is the video from Crimea?", "The article says so.")


def test_utf16_csv_from_excel_unicode_text_is_read():
    data = "question\toption 1\toption 2\tcorrect\nÄänestys?\tKyllä\tEi\t1\n".encode("utf-16")
    result = import_spreadsheet(data, "questions.txt", "Imported")
    assert result.raw["questions"][0]["stem"] == "Äänestys?"


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("latin1.csv", "The file is not UTF-8 text."),
        ("no-header.csv", "No header row was found: one of the first 20 rows"),
        ("old.xls", "This is an old Excel .xls file; Lateral reads .xlsx and .csv."),
        ("broken.xlsx", "The spreadsheet could not be opened; it may be damaged"),
        (
            "lateral-comma.csv.xlsx",
            "The spreadsheet could not be opened; it may be damaged (it is not",
        ),
    ],
)
def test_bad_spreadsheets_raise_one_clear_error(name, start):
    with pytest.raises(UnreadableFile) as raised:
        sheet(name)
    assert str(raised.value).startswith(start)


def test_an_unknown_file_type_is_refused_by_name():
    with pytest.raises(UnreadableFile) as raised:
        import_spreadsheet(b"some words", "questions.ods", "Imported")
    assert str(raised.value) == (
        "Lateral reads spreadsheets saved as .xlsx or .csv, and “questions.ods” is neither. "
        "Save it as one of those and try again."
    )


def test_rows_are_bounded():
    rows = [["question", "option 1", "option 2", "correct"]]
    rows += [[f"Q{n}?", "a", "b", 1] for n in range(1001)]
    with pytest.raises(UnreadableFile, match="more than 1000 rows"):
        import_spreadsheet(xlsx(rows), "big.xlsx", "Imported")
    many = "question,option 1,option 2,correct\n" + "Q?,a,b,1\n" * 201
    with pytest.raises(UnreadableFile, match="more than 200 questions"):
        import_spreadsheet(many.encode(), "many.csv", "Imported")


def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (21 * 1024 * 1024))
    assert len(buffer.getvalue()) < 512 * 1024
    with pytest.raises(UnreadableFile) as raised:
        import_spreadsheet(buffer.getvalue(), "bomb.xlsx", "Imported")
    assert str(raised.value) == (
        "The spreadsheet could not be opened; it may be damaged (it unpacks to more than "
        "20 MB). Save it again as .xlsx or CSV and try again."
    )
