"""Whatever bytes arrive, an import gives a draft and a report or one clear error."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.authoring.interchange import (
    ImportResult,
    UnreadableFile,
    import_gift,
    import_moodle_xml,
    import_spreadsheet,
)
from quiz.authoring.interchange.report import ERRORS, MESSAGES
from quiz.sets.validation import validate
from tests.hypothesis_profiles import examples
from tests.interchange_corpus import CORPUS

FUZZ = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
GIFTISH = st.text(alphabet="{}~=#:\\%[]->\n\t TFab1.$/html", max_size=300)
XMLISH = st.text(alphabet="<>/=\"' quizestonypmlchxtabrfd01!-[]&;?\n", max_size=300)


def outcome(call) -> None:
    """The import either worked or raised UnreadableFile with a known message."""
    try:
        result = call()
    except UnreadableFile as error:
        assert error.code in ERRORS and str(error)
        return
    assert isinstance(result, ImportResult)
    assert all(line.code in MESSAGES and str(line) for line in result.report)
    assert isinstance(result.raw["questions"], list)


@FUZZ
@given(GIFTISH)
def test_any_gift_like_text_imports_or_is_refused_clearly(text):
    outcome(lambda: import_gift(text, "Fuzz"))


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_as_gift_are_imported_or_refused_clearly(data):
    outcome(lambda: import_gift(data, "Fuzz"))


@FUZZ
@given(XMLISH)
def test_any_xml_like_text_imports_or_is_refused_clearly(text):
    outcome(lambda: import_moodle_xml(text.encode(), "Fuzz"))


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
def test_any_bytes_as_a_spreadsheet_are_imported_or_refused_clearly(data, name):
    outcome(lambda: import_spreadsheet(data, name, "Fuzz"))


@FUZZ
@given(st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=6))
def test_any_csv_cells_import_or_are_refused_clearly(rows):
    header = "type,question,option 1,option 2,correct,skills\n"
    body = "\n".join(",".join(f'"{c.replace(chr(34), "")}"' for c in row) for row in rows)
    outcome(lambda: import_spreadsheet((header + body).encode(), "a.csv", "Fuzz"))


def test_a_damaged_sheet_inside_a_valid_xlsx_is_refused_clearly():
    good = (CORPUS / "sheets" / "second-sheet.xlsx").read_bytes()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(info, data)
    outcome(lambda: import_spreadsheet(broken.getvalue(), "a.xlsx", "Fuzz"))


@FUZZ
@given(GIFTISH)
def test_an_imported_draft_never_crashes_the_validator(text):
    try:
        result = import_gift(text, "Fuzz")
    except UnreadableFile:
        return
    try:
        validate(result.raw, "draft")
    except Exception as error:  # the validator's own refusal is fine
        assert type(error).__name__ == "InvalidSet"
