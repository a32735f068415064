"""Write the spreadsheet template teachers download (templates/ beside this file).

`python -m quiz.authoring.interchange.templates` rewrites `lateral-questions.csv` and
`lateral-questions.xlsx` from three questions of the shipped article set, so the
example rows are real, finished questions. templates/README.md documents the columns.
"""

from __future__ import annotations

import csv
import io
import sys
import tomllib
from pathlib import Path

FOLDER = Path(__file__).parent / "templates"
SOURCE = Path(__file__).parents[3] / "questions" / "russia-troops-feb-2022.toml"
EXAMPLES = ("crimea-video", "numbers-given", "independent-checks")  # single, true/false, multiple
OPTIONS = 6  # columns in the template; the importer reads up to 8
COLUMNS = [
    "type",
    "question",
    *(f"{kind} {n}" for n in range(1, OPTIONS + 1) for kind in ("option", "feedback")),
    "correct",
    "explanation",
    "skills",
    "difficulty",
    "evidence",
    "teacher note",
]


def rows(source: Path = SOURCE) -> list[list[str]]:
    """Return the header and one row per example question."""
    data = tomllib.loads(source.read_text("utf-8"))
    by_id = {q["id"]: q for q in data["questions"]}
    out = [COLUMNS]
    for qid in EXAMPLES:
        q = by_id[qid]
        cells = {"type": q["type"], "question": q["stem"]}
        for n, o in enumerate(q["options"], start=1):
            cells[f"option {n}"] = o["text"]
            cells[f"feedback {n}"] = o["feedback"]
        ids = [o["id"] for o in q["options"]]
        cells["correct"] = ",".join(str(ids.index(k) + 1) for k in q["key"])
        cells["explanation"] = q["explanation"]
        cells["skills"] = " ".join(q["skills"])
        cells["difficulty"] = q["difficulty"]
        cells["evidence"] = "\n".join(q["evidence"])
        cells["teacher note"] = q.get("teacher_note", "")
        out.append([cells.get(c, "") for c in COLUMNS])
    return out


def csv_bytes(table: list[list[str]]) -> bytes:
    """CSV as spreadsheets open it cleanly: UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Questions"
    for row in table:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 12 if column[0].column < 2 else 30
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(folder: Path = FOLDER) -> None:
    """Rewrite both template files."""
    table = rows()
    (folder / "lateral-questions.csv").write_bytes(csv_bytes(table))
    (folder / "lateral-questions.xlsx").write_bytes(xlsx_bytes(table))


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
