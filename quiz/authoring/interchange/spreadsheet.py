"""Read a spreadsheet of questions (CSV or XLSX) into a draft set.

Two layouts are read as they are: Lateral's template (templates/README.md: one row
per question, columns `type`, `question`, `option 1` … `option 8`, `feedback 1` …
`feedback 8`, `correct`, `explanation`, `skills`, `difficulty`, `evidence`,
`teacher note`) and Kahoot!'s quiz template (instruction rows, then a header row
"Question - max 120 characters", "Answer 1 - max 75 characters" … "Answer 4",
"Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs", "Correct answer(s) -
choose at least one", with answer numbers such as "1,3"). The header row is looked
for in the first rows, and columns are matched by name (case, dashes and spacing do
not matter), so rows above the header and columns in another order are fine.

CSV: UTF-8 with or without a byte-order mark (or UTF-16 with one), comma,
semicolon or tab between cells, quoted cells across lines. XLSX: read by openpyxl
in read-only mode (its XML through defusedxml); formulas are never calculated (a
formula cell is reported and read as empty); the unpacked size and the rows are
bounded.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePath
from typing import Any

from flask_babel import lazy_gettext as _l

from .draft import Draft
from .items import Choice, Item, check_size, read_text
from .parts import code
from .report import ImportResult, UnreadableFile, short

HEADER_ROWS = 20  # the header must be in the first rows
MAX_ROWS = 1000  # rows with anything in them
MAX_SCANNED = 20_000  # rows read at all, empty or not
MAX_UNPACKED = 20 * 1024 * 1024  # bytes inside an XLSX
OPTIONS = 8
TYPES = {
    "": "",
    "single": "single",
    "single choice": "single",
    "multiple": "multiple",
    "select all": "multiple",
    "select all that apply": "multiple",
    "true_false": "true_false",
    "true false": "true_false",
    "true or false": "true_false",
    "order": "order",
    "put in order": "order",
}
DIFFICULTIES = ("easy", "medium", "hard")
FIELDS = ("type", "question", "correct", "explanation", "skills", "difficulty", "evidence")
Rows = list[tuple[int, list[str]]]  # (row number in the sheet, cell texts)
_NUMBERED = re.compile(r"^(option|answer|feedback) ?(\d+)\b")


def import_spreadsheet(data: bytes, filename: str, title: str) -> ImportResult:
    """Read a CSV or XLSX file into a draft set and its report; raise UnreadableFile."""
    check_size(data)
    name = PurePath(filename or "").name
    suffix = PurePath(name).suffix.lower()
    if data[:4] == b"\xd0\xcf\x11\xe0" or suffix == ".xls":
        raise UnreadableFile("sheet_old_xls")
    draft = Draft(title)
    if data[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(data, draft)
    elif suffix in (".xlsx", ".xlsm"):
        raise UnreadableFile("sheet_broken", reason=_l("it is not an Excel workbook inside"))
    elif suffix in ("", ".csv", ".txt", ".tsv"):
        rows = _csv_rows(data)
    else:
        raise UnreadableFile("sheet_unknown", name=short(name, 60))
    found = _header(rows)
    if found is None:
        raise UnreadableFile("sheet_no_header", rows=HEADER_ROWS)
    index, columns, kahoot = found
    for column, header in enumerate(rows[index][1]):
        if header.strip() and column not in columns.values():
            draft.line("column_ignored", name=short(header, 60))
    _rows_to_draft(draft, rows[index + 1 :], columns, kahoot)
    return draft.result()


# Reading cells ---------------------------------------------------------------------


def _csv_rows(data: bytes) -> Rows:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16").replace("\r\n", "\n")
    else:
        text = read_text(data)
    best: Rows = []
    for delimiter in (",", ";", "\t"):
        try:
            rows = _bounded(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1))
        except csv.Error as exc:
            raise UnreadableFile("sheet_broken", reason=str(exc)) from None
        if _header(rows) is not None:
            return rows
        best = best or rows
    return best


def _xlsx_rows(data: bytes, draft: Draft) -> Rows:
    """Read the first sheet that has a header row; formulas are reported, not run."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                raise UnreadableFile("sheet_broken", reason=_l("it unpacks to more than 20 MB"))
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            return _first_sheet(book, draft)
        finally:
            book.close()
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl and the XML under it raise many kinds when damaged
        raise UnreadableFile("sheet_broken", reason=type(exc).__name__) from None


def _first_sheet(book: Any, draft: Draft) -> Rows:
    first: Rows = []
    for sheet in book.worksheets:
        formulas: list[tuple[int, int, str]] = []
        rows = _bounded(_sheet_rows(sheet, formulas))
        if _header(rows) is not None:
            _report_formulas(draft, rows, formulas)
            return rows
        first = first or rows
    return first


def _sheet_rows(
    sheet: Any, formulas: list[tuple[int, int, str]]
) -> Iterator[tuple[int, list[str]]]:
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = []
        for column, cell in enumerate(row):
            if getattr(cell, "data_type", None) == "f":
                formulas.append((number, column, str(cell.value)))
                cells.append("")
            else:
                cells.append(_cell_text(getattr(cell, "value", None)))
        yield number, cells


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _bounded(numbered_rows: Iterable[tuple[int, list[str]]]) -> Rows:
    rows = []
    for count, (number, cells) in enumerate(numbered_rows, start=1):
        if count > MAX_SCANNED:
            raise UnreadableFile("too_many_rows", limit=MAX_ROWS)
        if any(c.strip() for c in cells):
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise UnreadableFile("too_many_rows", limit=MAX_ROWS)
    return rows


def _report_formulas(draft: Draft, rows: Rows, formulas: list[tuple[int, int, str]]) -> None:
    found = _header(rows)
    names = found[1] if found else {}
    by_column = {col: name for name, col in names.items()}
    for row, column, formula in formulas:
        label = by_column.get(column, f"column {column + 1}")
        draft.line("formula", row=row, column=label, formula=short(formula, 40))


# The header ---------------------------------------------------------------------------


def _normal(header: str) -> str:
    header = header.replace("–", "-").replace("—", "-").replace("_", " ").lower()
    return " ".join(header.split())


def _field(header: str) -> str | None:
    """The field a column header names, or None."""
    h = _normal(header)
    if match := _NUMBERED.match(h):
        kind = "feedback" if match[1] == "feedback" else "option"
        return f"{kind} {match[2]}" if 1 <= int(match[2]) <= OPTIONS else None
    if h.startswith("question"):
        return "question"
    if h.startswith("correct"):
        return "correct"
    if h.startswith("time limit"):
        return "time"
    if h in ("teacher note", "teacher notes"):
        return "teacher note"
    return h if h in FIELDS else None


def _header(rows: Rows) -> tuple[int, dict[str, int], bool] | None:
    """Find the header row: (its index, field → column, whether it is Kahoot!'s)."""
    for index, (_, cells) in enumerate(rows[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        for column, cell in enumerate(cells):
            name = _field(cell) if cell.strip() else None
            if name and name not in columns:
                columns[name] = column
        if "question" in columns and "option 1" in columns:
            kahoot = any(_normal(c).startswith("question - max") for c in cells)
            return index, columns, kahoot
    return None


# Rows into questions -----------------------------------------------------------------


def _rows_to_draft(draft: Draft, rows: Rows, columns: dict[str, int], kahoot: bool) -> None:
    timed = False
    for number, cells in rows:

        def cell(name: str, cells: list[str] = cells) -> str:
            column = columns.get(name)
            return cells[column].strip() if column is not None and column < len(cells) else ""

        if not any(cell(name) for name in columns if name != "time"):
            continue
        timed = timed or bool(cell("time"))
        draft.add(_row(code("row", number), cell, kahoot))
    if kahoot and timed:
        draft.line("kahoot_time")


def _row(source: str, cell: Callable[[str], str], kahoot: bool) -> Item:
    item = Item(source, kahoot=kahoot)
    item.stem = item.plain(cell("question"), "plain", "question")
    kind = TYPES.get(_normal(cell("type")))
    if not item.stem:
        return item.leave_out("left_no_question")
    if kind is None:
        return item.leave_out("left_other", stem=short(item.stem), qtype=cell("type"))
    numbers = [n for n in range(1, OPTIONS + 1) if cell(f"option {n}")]
    if kind == "true_false" and not numbers:
        numbers, texts = [1, 2], {1: "True", 2: "False"}
    else:
        texts = {n: cell(f"option {n}") for n in numbers}
    right = _right_numbers(cell("correct"), texts)
    for n in numbers:
        item.choices.append(
            Choice(
                item.plain(texts[n], "plain", code("option", n)),
                item.plain(cell(f"feedback {n}"), "plain", code("option_feedback", n)),
                right=n in right,
            )
        )
    for n in sorted(set(right) - set(numbers)):
        item.notes.append(("row_bad_key", {"option": n}))
    item.multi = kind == "multiple" or (not kind and len(right & set(numbers)) > 1)
    if kind == "true_false":
        item.kind = "truefalse"
    elif kind == "order":
        item.kind = "order"
    item.feedback = item.plain(cell("explanation"), "plain", "explanation")
    item.tags = [t for t in re.split(r"[\s,;]+", cell("skills")) if t]
    difficulty = cell("difficulty").lower()
    item.difficulty = difficulty if difficulty in DIFFICULTIES else ""
    item.evidence = [e.strip() for e in cell("evidence").split("\n") if e.strip()]
    item.teacher_note = cell("teacher note")
    return item


def _right_numbers(value: str, texts: dict[int, str]) -> set[int]:
    """Option numbers named right: "1,3", "1; 3", "1 3", or the word True or False."""
    word = value.strip().lower()
    if word in ("true", "false"):
        return {n for n, text in texts.items() if text.strip().lower() == word}
    return {int(n) for n in re.findall(r"\d+", value)}
