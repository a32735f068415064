"""Read Moodle XML question files into a draft set (see draft.py for the mapping).

The file is parsed by `defusedxml` with DTDs, entity declarations and external
references all forbidden, so a "billion laughs" file, an external entity or any
DOCTYPE is refused with a clear error before anything is expanded or fetched.

Read, as Moodle's XML format describes them: `<question type="category">` (the
category path, in `<text>` or directly in `<category>`), `multichoice` (`<single>`
true or false; each `<answer fraction="…">` with its `<feedback>`), `truefalse`,
`matching` (`<subquestion>` with its `<answer>`), `description`, the `<name>`, the
`<questiontext>` and `<generalfeedback>` of every question with their `format`
(`html`, `moodle_auto_format`, `markdown`, `plain_text`; text often in CDATA),
`<tags>`, `<hidden>`, the combined feedback of multiple choice (reported, not
kept) and `<file>` attachments (left out and reported). Every other question type
is reported as left out. XML comments (Moodle writes `<!-- question: 12 -->`) are
not read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET

from .draft import Draft
from .items import Choice, Item, check_size, lateral_article
from .parts import code
from .report import ImportResult, UnreadableFile, short
from .text import paragraphs

FORMATS = {"html": "html", "moodle_auto_format": "moodle", "markdown": "markdown"}
FORMATS["plain_text"] = "plain"
LEFT_OUT = {
    "shortanswer": "left_short_answer",
    "numerical": "left_numerical",
    "essay": "left_essay",
    "cloze": "left_cloze",
    "multianswer": "left_cloze",
    "calculated": "left_calculated",
    "calculatedsimple": "left_calculated",
    "calculatedmulti": "left_calculated",
    "ddwtos": "left_drag",
    "ddimageortext": "left_drag",
    "ddmarker": "left_drag",
    "gapselect": "left_drag",
    "random": "left_random",
}
_DECLARED = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding=[\"']([\w.:-]+)")
COMBINED = (
    ("correctfeedback", "right"),
    ("partiallycorrectfeedback", "partly"),
    ("incorrectfeedback", "wrong"),
)


def import_moodle_xml(data: bytes | str, title: str) -> ImportResult:
    """Read a Moodle XML file into a draft set and its report; raise UnreadableFile."""
    root = parse(data.encode("utf-8") if isinstance(data, str) else data)
    draft = Draft(title)
    number = 0
    for node in root.findall("question"):
        qtype = (node.get("type") or "").strip().lower()
        if qtype == "category":
            path = node.findtext("category/text") or node.findtext("category") or ""
            draft.category(path.strip())
            continue
        number += 1
        draft.add(_item(node, qtype, code("file", number)))
    return draft.result()


def parse(data: bytes) -> ET.Element:
    """Parse XML safely: no DTD, no entities, no network; raise UnreadableFile."""
    check_size(data)
    declared = _DECLARED.match(data[:200])
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if not utf16 and (declared is None or declared[1].lower() in (b"utf-8", b"utf8")):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFile("not_utf8") from None
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise UnreadableFile("xml_unsafe") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise UnreadableFile("xml_malformed", line=line, column=column) from None
    if root.tag != "quiz":
        raise UnreadableFile("xml_not_quiz", tag=short(str(root.tag), 40))
    return root


def _item(node: ET.Element, qtype: str, source: str) -> Item:
    item = Item(source, name=(node.findtext("name/text") or "").strip())
    item.stem = _text(item, node.find("questiontext"), "question")
    item.feedback = _text(item, node.find("generalfeedback"), "general_feedback")
    item.tags = [t.strip() for t in (e.text or "" for e in node.findall("tags/tag/text")) if t]
    if (node.findtext("hidden") or "").strip() == "1":
        item.notes.append(("hidden", {}))
    files = [f.get("name") or "?" for f in node.iter("file")]
    if files:
        item.notes.append(("text_files", {"names": ", ".join(files)}))
    if qtype == "multichoice":
        single = (node.findtext("single") or "true").strip().lower() in ("true", "1")
        item.multi = not single
        _answers(item, node)
        for tag, which in COMBINED:
            if said := _text(item, node.find(tag), "combined_feedback"):
                item.notes.append(("feedback_combined", {"which": which, "text": short(said)}))
    elif qtype == "truefalse":
        item.kind = "truefalse"
        _answers(item, node)
        for choice in item.choices:
            choice.text = "True" if choice.text.strip().lower() == "true" else "False"
    elif qtype == "matching":
        item.kind = "matching"
        for n, sub in enumerate(node.findall("subquestion"), start=1):
            left = _text(item, sub, code("item", n))
            item.pairs.append((left, (sub.findtext("answer/text") or "").strip()))
    elif qtype == "description":
        _description(item, node)
    elif qtype in LEFT_OUT:
        item.leave_out(LEFT_OUT[qtype], stem=short(item.stem), qtype=qtype)
    else:
        item.leave_out("left_other", stem=short(item.stem), qtype=qtype or "untyped")
    return item


def _answers(item: Item, node: ET.Element) -> None:
    for n, answer in enumerate(node.findall("answer"), start=1):
        try:
            fraction = float(answer.get("fraction") or 0)
        except ValueError:
            fraction = 0.0
        item.choices.append(
            Choice(
                _text(item, answer, code("option", n)),
                _text(item, answer.find("feedback"), code("option_feedback", n)),
                fraction=fraction,
            )
        )


def _description(item: Item, node: ET.Element) -> None:
    item.kind = "description"
    element = node.find("questiontext")
    markup = element.findtext("text") or "" if element is not None else ""
    fmt = _format(element)
    item.passages = paragraphs(markup, fmt)
    if item.name.endswith("-article") and fmt == "html":
        lateral_article(item, markup)


def _format(element: ET.Element | None) -> str:
    name = (element.get("format") or "") if element is not None else ""
    return FORMATS.get(name.strip().lower(), "moodle")


def _text(item: Item, element: ET.Element | None, where: str) -> str:
    """The plain text of an element holding a <text> (and a format attribute)."""
    if element is None:
        return ""
    return item.plain(element.findtext("text") or "", _format(element), where)
