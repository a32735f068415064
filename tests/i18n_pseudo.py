"""The pseudo-locale: a catalogue whose every msgstr is its msgid between markers, and the
check that a page shows no English outside them (tests/test_i18n_pages.py).

Rendered under it, every string that went through gettext reads ``⟦Sign out⟧``; a
string still written in English in a template or in Python shows bare and is found.
Set content (stems, options, the article, nicknames) is not the interface's: it sits in
elements with their own ``lang`` attribute, and the check sets those aside.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "quiz" / "translations" / "messages.pot"
OPEN, CLOSE = "⟦", "⟧"
# The pseudo catalogue stands in for English, the language a page is shown in when
# nothing asks for another: no page or request needs to change for it.
PSEUDO_LANGUAGE = "en"
# Attributes whose text a person reads or hears.
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "aria-description")
# Elements whose text nobody reads, or which hold what people typed (a textarea's value).
UNREAD = {"script", "style", "template", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID |= {"source", "track", "wbr"}
# Words that are not English to translate: the product's name, and the test world's
# data (people's names and addresses are not the interface's).
NOT_INTERFACE = {"Lateral"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def write_pseudo_catalogue(folder: Path) -> Path:
    """Write the pseudo catalogue from the committed .pot; return the translations folder."""
    with POT.open("rb") as file:
        catalog = read_po(file, locale=PSEUDO_LANGUAGE)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = tuple(f"{OPEN}{form}{CLOSE}" for form in message.id)
        else:
            message.string = f"{OPEN}{message.id}{CLOSE}"
    target = folder / PSEUDO_LANGUAGE / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as file:
        write_po(file, catalog)
    return folder


def outside_markers(text: str) -> str:
    """``text`` without what is between markers (markers may nest: a translated
    sentence with a translated value in it)."""
    depth, kept = 0, []
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


class _Reader(HTMLParser):
    """Collect what a person reads or hears on a page: text and read attributes, set
    content (elements with their own ``lang``) and unread elements aside."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.read: list[str] = []
        # The element whose content is set aside, and how deep in elements of its name.
        self._aside: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._aside is not None:
            self._depth += tag == self._aside
            return
        if tag in VOID:
            self._attributes(tag, values)
        elif tag in UNREAD or (tag != "html" and "lang" in values):
            self._aside, self._depth = tag, 1
        else:
            self._attributes(tag, values)

    def _attributes(self, tag: str, values: dict[str, str | None]) -> None:
        self.read.extend(values[name] or "" for name in READ_ATTRIBUTES if name in values)
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self.read.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._aside == tag:
            self._depth -= 1
            if self._depth == 0:
                self._aside = None

    def handle_data(self, data: str) -> None:
        if self._aside is None:
            self.read.append(data)


def english_left(html: str, allowed: set[str] = frozenset()) -> list[str]:
    """The words of a page a person reads that did not go through the catalogue."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    words = WORD.findall(outside_markers(" ".join(reader.read)))
    return [word for word in words if word not in NOT_INTERFACE | set(allowed)]
