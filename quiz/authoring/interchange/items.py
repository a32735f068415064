"""What importers read a file into: items with their choices, and the file's text.

Also where the size limits live, and how a Lateral export's article is read back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from . import parts
from .report import UnreadableFile, short
from .text import html_blocks, to_plain

MAX_FILE = 512 * 1024  # bytes, as for an uploaded set file
MAX_TEXT = 10_000  # characters in one text after conversion
# A text too long to take: "the explanation of row 12".
PART_OF = _l("{part} of {source}")


@dataclass
class Choice:
    """An answer option; `fraction` is Moodle's grade in percent (None: right or not)."""

    text: str
    feedback: str = ""
    right: bool = False
    fraction: float | None = None


@dataclass
class Item:
    """One thing read from a file, in the file's order."""

    source: str  # where the teacher finds it in the file, as a code: "file:3", "row:12"
    kind: str = "choice"  # choice, truefalse, matching, order, description, left
    stem: str = ""
    name: str = ""
    choices: list[Choice] = field(default_factory=list)
    multi: bool = False  # students may choose several options
    feedback: str = ""  # general feedback
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching
    passages: list[str] = field(default_factory=list)  # description
    article: dict | None = None  # a Lateral export's article details
    tags: list[str] = field(default_factory=list)
    left: str = ""  # the report code of a left-out item
    params: dict = field(default_factory=dict)  # for the left-out line
    notes: list[tuple[str, dict]] = field(default_factory=list)  # need the number
    formats: dict[str, list[str]] = field(default_factory=dict)  # format → fields
    kahoot: bool = False
    difficulty: str = ""
    evidence: list[str] = field(default_factory=list)
    teacher_note: str = ""

    def plain(self, text: str, fmt: str, where: str) -> str:
        """Convert one text of this item to plain text, noting what was lost; ``where``
        is the text's part, as a code (parts.PARTS: "explanation", "option:2")."""
        converted = to_plain(text or "", fmt)
        if len(converted.text) > MAX_TEXT:
            said = str(PART_OF).format(
                part=parts.part(where), source=parts.source(self.source, within=True)
            )
            raise UnreadableFile(
                "text_too_long",
                where=said[:1].upper() + said[1:],
                length=len(converted.text),
                limit=MAX_TEXT,
            )
        if converted.formatted:
            self.formats.setdefault(fmt, []).append(where)
        for alt in converted.images:
            code = "text_image" if alt else "text_image_no_alt"
            self.notes.append((code, {"field": where, "alt": short(alt)}))
        for href in converted.links:
            self.notes.append(("text_link", {"field": where, "href": href}))
        return converted.text

    def leave_out(self, code: str, **params: Any) -> Item:
        """Mark the item as left out, with the report template saying why."""
        self.kind, self.left, self.params = "left", code, params
        return self


def read_text(data: str | bytes) -> str:
    """Return a file's text: UTF-8 (a byte-order mark is dropped), at most MAX_FILE bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    check_size(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("not_utf8") from None
    if not text.strip():
        raise UnreadableFile("empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_size(data: bytes) -> None:
    """Refuse a file larger than MAX_FILE, or an empty one."""
    if not data:
        raise UnreadableFile("empty")
    if len(data) > MAX_FILE:
        raise UnreadableFile("too_big", size=len(data) // 1024, limit=MAX_FILE // 1024)


def lateral_article(item: Item, markup: str) -> None:
    """Read the article description of a Lateral export back into its details."""
    blocks = html_blocks(markup)
    passages = [text for tag, text in blocks if tag == "li"]
    head = [text for tag, text in blocks if tag != "li"]
    if not blocks or blocks[0][0] != "h3" or not passages or len(head) < 2:
        return
    outlet, _, date = head[1].rpartition(", ")
    rest = head[2:]
    url = rest[-1] if rest and rest[-1].startswith(("https://", "http://")) else ""
    note = rest[0] if rest and rest[0] != url else ""
    item.passages = passages
    item.article = {
        "title": head[0],
        "outlet": outlet,
        "date": date,
        "translation_note": note,
        "url": url,
    }
