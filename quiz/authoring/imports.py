"""Files a teacher brings in: a Lateral set file, GIFT, Moodle XML, CSV or XLSX.

``bring_in`` tells the kind of file from its name (and, without a telling name, from
its first bytes), makes a draft set of it and, for another tool's file, keeps the
import report beside the draft (``report_of`` reads it back, sorted for the page).
A file that gives nothing is refused whole (``ImportRefused``) and nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from sqlite_utils import Database

from ..sets.validation import InvalidSet
from ..storage import queries
from . import files, publishing
from .drafts import OwnedSet, new_set
from .interchange import (
    ImportResult,
    ReportLine,
    UnreadableFile,
    import_gift,
    import_moodle_xml,
    import_spreadsheet,
)

SHEETS = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls")
# How the report's lines are sorted on its page, by their message code.
GROUPS = {
    "out": (
        "left_",
        "column_ignored",
        "feedback_combined",
        "text_files",
        "text_image",
        "passage_image",
        "passage_empty",
        "kahoot_time",
        "formula",
        "nothing_imported",
    ),
    "scoring": ("credit_",),
    "todo": ("needs", "all_need", "article_", "row_bad_key"),
    "in": (
        "imported",
        "article",
        "passage_",
        "missing_word",
        "recovered_",
        "hidden",
        "lateral_export",
    ),
}
_TOML = re.compile(rb"^\s*format\s*=\s*1\s*$", re.M)


class ImportRefused(Exception):
    """A file that gave no draft: what is wrong with it, in a teacher's words.

    ``problems``: a Lateral set file's errors, by question; ``message``: why another
    tool's file could not be read; ``report``: the lines of a file of which no question
    could come in.
    """

    def __init__(
        self,
        problems: publishing.Listed | None = None,
        message: str = "",
        report: list[ReportLine] | None = None,
    ) -> None:
        super().__init__(message or "refused")
        self.problems = problems
        self.message = message
        self.report = report or []


@dataclass
class Brought:
    """What a file became: the new draft's slug, and whether a report was kept."""

    slug: str
    reported: bool


def kind_of(filename: str, content: bytes) -> str:
    """Tell a file's kind: ``toml`` (a Lateral set, or a ``.zip`` of one with its
    ``media/``), ``gift``, ``xml`` or ``sheet``."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".toml", ".zip"):
        return "toml"
    if suffix == ".xml":
        return "xml"
    if suffix in SHEETS:
        return "sheet"
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "sheet"
    if head.startswith(b"<"):
        return "xml"
    if suffix not in (".gift", ".txt") and _TOML.search(head):
        return "toml"
    return "gift"


def _title(title: str, filename: str) -> str:
    given = " ".join((title or "").split())
    if given:
        return given
    stem = PurePath(filename or "").stem
    return " ".join(re.sub(r"[-_.]+", " ", stem).split())[:200] or "Imported questions"


def _read(kind: str, filename: str, content: bytes, title: str) -> ImportResult:
    if kind == "xml":
        return import_moodle_xml(content, title)
    if kind == "sheet":
        return import_spreadsheet(content, filename, title)
    return import_gift(content, title)


def bring_in(
    db: Database, owner_id: int, filename: str, content: bytes, title: str, misc: dict
) -> Brought:
    """Make a draft set of an uploaded file; raise ImportRefused when none can be made."""
    name = PurePath(filename or "upload").name
    kind = kind_of(name, content)
    if kind == "toml":
        try:
            return Brought(files.upload(db, owner_id, name, content, misc), False)
        except InvalidSet as exc:
            raise ImportRefused(problems=publishing.listed(exc.raw, exc.problems)) from None
    try:
        result = _read(kind, name, content, _title(title, name))
    except UnreadableFile as exc:
        raise ImportRefused(message=str(exc)) from None
    if not result.raw["questions"]:
        raise ImportRefused(report=result.report)
    lines = [*result.report, *article_todo(result.raw["article"])]
    report = {
        "kind": kind,
        "filename": name[:120],
        "lines": [{"code": line.code, "params": line.params} for line in lines],
    }
    return Brought(new_set(db, owner_id, result.raw, report), True)


def article_todo(article: dict) -> list[ReportLine]:
    """What the draft's article still needs, as a report line (other tools carry none)."""
    if not article.get("passages"):
        return [ReportLine("article_missing")]
    if not all(article.get(key) for key in ("title", "outlet", "date")):
        return [ReportLine("article_details")]
    return []


def group_of(code: str) -> str:
    """Return the group a report line is shown in: in, out, scoring, todo or notes."""
    for group, prefixes in GROUPS.items():
        if any(code == p or (p.endswith("_") and code.startswith(p)) for p in prefixes):
            return group
    return "notes"


def sorted_lines(lines: list[ReportLine]) -> dict[str, list[str]]:
    """Sort report lines into the page's groups (in, out, scoring, todo, notes), each
    as sentences in the file's order."""
    grouped: dict[str, list[str]] = {g: [] for g in (*GROUPS, "notes")}
    for line in lines:
        grouped[group_of(line.code)].append(str(line))
    return grouped


def report_of(db: Database, found: OwnedSet) -> dict | None:
    """Return a set's import report, sorted for its page, or None."""
    stored = queries.import_report_of(db, found.row["id"])
    if stored is None:
        return None
    lines = [ReportLine(line["code"], line.get("params") or {}) for line in stored["lines"]]
    counts = {
        "in": sum(line.code == "imported" for line in lines),
        "out": sum(line.code.startswith("left_") for line in lines),
    }
    return {**stored, "groups": sorted_lines(lines), "counts": counts}
