"""Turn HTML, Markdown and Moodle's auto-format into Lateral's plain text.

Lateral stores plain text and escapes it whenever it is shown, so an import keeps
the words and drops the markup: no tag survives, character references are decoded,
scripts and styles are dropped with their content, images are left out (their alt
text goes to the import report) and a link keeps its text with its address after it.

HTML goes through the standard library's `html.parser`, which never builds a tree
or fetches anything: it only hands this module tags and text, and a tag that is not
known here is dropped. Markdown is rendered to HTML by `markdown-it-py` (CommonMark,
the library Jupyter and MyST use) and then read the same way. Moodle's auto-format
is HTML in which a line break is a `<br>`. Plain text is kept as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

FORMATS = ("html", "moodle", "markdown", "plain")

# Content dropped with the tag: never text a student should read.
SKIPPED = {"script", "style", "head", "title", "template", "noscript", "svg", "math", "object"}
BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "aside", "nav", "main",
    "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl",
    "table", "figure", "figcaption", "address", "hr", "details", "summary", "form",
}  # fmt: skip
LINE_BREAKS = {"br", "tr", "dt", "dd"}
# Tags whose loss a teacher would notice (bold, lists, tables …), as opposed to the
# paragraphs and line breaks that plain text keeps.
VISIBLE = {
    "b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "sub", "sup", "code",
    "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table",
    "blockquote", "font", "mark", "small", "big", "tt", "hr", "dl", "center", "q",
}  # fmt: skip
LINK_SCHEMES = ("http://", "https://", "mailto:")

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MARKDOWN = MarkdownIt("commonmark")


@dataclass
class Plain:
    """Plain text and what was lost on the way to it."""

    text: str
    formatted: bool = False
    images: list[str] = field(default_factory=list)  # alt texts ('' when none)
    links: list[str] = field(default_factory=list)


def to_plain(text: str, fmt: str) -> Plain:
    """Convert a text in one of FORMATS to plain text."""
    if fmt == "plain":
        return Plain(_tidy(text, collapse=False))
    if fmt == "markdown":
        text = _MARKDOWN.render(text)
    elif fmt == "moodle":
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>\n")
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return Plain(_tidy("".join(reader.out)), reader.formatted, reader.images, reader.links)


def paragraphs(text: str, fmt: str) -> list[str]:
    """Split a text into its paragraphs (for article passages), as plain text."""
    if fmt == "plain":
        return [p for p in (_tidy(b) for b in re.split(r"\n\s*\n", text)) if p]
    if fmt == "markdown":
        text = _MARKDOWN.render(text)
    elif fmt == "moodle":
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>\n")
    return [p.strip() for _, block in html_blocks(text) for p in block.split("\n\n") if p.strip()]


def html_blocks(markup: str) -> list[tuple[str, str]]:
    """Return the block-level parts of HTML as (tag, plain text), in order.

    Used to read an article: each paragraph or list item is one part.
    """
    reader = _Reader(blocks=True)
    reader.feed(markup)
    reader.close()
    reader.end_block()
    return [(tag, text) for tag, text in reader.parts if text]


class _Reader(HTMLParser):
    """Collect the text of an HTML fragment the way a browser would lay it out."""

    def __init__(self, blocks: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.pre = 0
        self.lists: list[list] = []  # per open list: [tag, items so far]
        self.links: list[str] = []
        self.images: list[str] = []
        self.href: list[tuple[str | None, int]] = []  # open links: address, text start
        self.formatted = False
        self.blocks = blocks
        self.parts: list[tuple[str, str]] = []
        self.block_tag = "p"

    def end_block(self, tag: str = "p") -> None:
        if self.blocks:
            self.parts.append((self.block_tag, _tidy("".join(self.out))))
            self.out = []
            self.block_tag = tag

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag in VISIBLE or (tag == "span" and dict(attrs).get("style")):
            self.formatted = True
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        if tag == "li" or tag in BLOCKS:
            self.end_block(tag)
        if tag == "li":
            self.out.append("\n" + ("" if self.blocks else self._bullet()))
        elif tag in BLOCKS:
            self.out.append("\n\n")
        elif tag in LINE_BREAKS:
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" ")
        if tag == "pre":
            self.pre += 1
        elif tag == "img":
            self.images.append(" ".join((dict(attrs).get("alt") or "").split()))
        elif tag == "a":
            self.href.append((dict(attrs).get("href"), len(self.out)))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag == "a" and self.href:
            self._close_link(*self.href.pop())
        if tag in BLOCKS:
            self.out.append("\n\n")
        if tag in BLOCKS or tag == "li":
            self.end_block()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self.out.append(data if self.pre else data.replace("\n", " "))

    def _bullet(self) -> str:
        if not self.lists:
            return "- "
        self.lists[-1][1] += 1
        return f"{self.lists[-1][1]}. " if self.lists[-1][0] == "ol" else "- "

    def _close_link(self, href: str | None, start: int) -> None:
        """Keep a link's text and, when it says something else, its address after it."""
        label = " ".join("".join(self.out[start:]).split())
        href = (href or "").strip()
        if href.lower().startswith(LINK_SCHEMES) and href not in (label, f"mailto:{label}"):
            self.out.append(f" ({href})" if label else href)
            self.links.append(href)


def _tidy(text: str, collapse: bool = True) -> str:
    """Normalise spaces and line breaks: no blank runs, no spaces at line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [(_SPACES.sub(" ", line) if collapse else line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
