"""The Moodle XML export (see the package docstring for what Moodle XML carries)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ...play.answering import takes_several
from ..left_out import closed_questions, xml_note
from .lms import article_html, fractions, general_feedback, html_text, one_line, option_text

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_moodle_xml(data: dict) -> str:
    """Write the set as Moodle XML: a category named after the set, then the questions.

    Texts are `format="html"`: each plain text goes through `html.escape` (in `lms.html_text`)
    and ElementTree then escapes the XML layer, so `<script>` in a stem arrives in Moodle
    as the text `&lt;script&gt;`, never as markup. `order` questions are `matching`
    questions (item → position); everything else is `multichoice`.
    """
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", type="category")
    # A path without "$course$/" is created under the context the teacher imports into.
    _text(ET.SubElement(category, "category"), _category_path(data["title"]))
    info = ET.SubElement(category, "info", format="html")
    _text(info, html_text(xml_note(data, data.get("description") or "")))

    article = ET.SubElement(quiz, "question", type="description")
    _text(ET.SubElement(article, "name"), f"{data['id']}-article")
    _html_field(article, "questiontext", article_html(data))
    _html_field(article, "generalfeedback", "")
    _common(article, grade="0", penalty="0")

    for q in closed_questions(data):
        _xml_question(quiz, q)
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, "unicode") + "\n"


def _category_path(title: str) -> str:
    """One category level named after the title ('/' is doubled, as Moodle expects)."""
    name = one_line(title).replace("/", "//")
    if name.startswith("/"):
        name = " " + name
    if name.endswith("/"):
        name += " "
    return name


def _text(parent: ET.Element, value: str) -> ET.Element:
    element = ET.SubElement(parent, "text")
    element.text = XML_INVALID.sub("", value)
    return element


def _html_field(parent: ET.Element, tag: str, markup: str) -> ET.Element:
    element = ET.SubElement(parent, tag, format="html")
    _text(element, markup)
    return element


def _common(question: ET.Element, *, grade: str = "1", penalty: str = "0.3333333") -> None:
    ET.SubElement(question, "defaultgrade").text = grade
    ET.SubElement(question, "penalty").text = penalty
    ET.SubElement(question, "hidden").text = "0"


def _xml_question(quiz: ET.Element, q: dict) -> None:
    qtype = q["type"]
    if qtype not in ("single", "multiple", "true_false", "passage", "order", "cer"):
        raise ValueError(f"unknown question type {qtype!r}")
    moodle_type = "matching" if qtype == "order" else "multichoice"
    question = ET.SubElement(quiz, "question", type=moodle_type)
    _text(ET.SubElement(question, "name"), q["id"])
    _html_field(question, "questiontext", html_text(q["stem"]))
    _html_field(question, "generalfeedback", html_text(general_feedback(q)))
    _common(question)
    # Options keep the author's order (Lateral does not shuffle them either).
    ET.SubElement(question, "shuffleanswers").text = "false"
    if qtype == "order":
        position = {oid: n for n, oid in enumerate(q["key"], start=1)}
        for o in q["options"]:
            sub = _html_field(question, "subquestion", html_text(o["text"]))
            _text(ET.SubElement(sub, "answer"), str(position[o["id"]]))
    else:
        ET.SubElement(question, "single").text = "false" if takes_several(q) else "true"
        ET.SubElement(question, "answernumbering").text = "abc"
        weights = fractions(q)
        for o in q["options"]:
            answer = ET.SubElement(question, "answer", fraction=weights[o["id"]], format="html")
            _text(answer, html_text(option_text(q, o)))
            _html_field(answer, "feedback", html_text(o["feedback"]))
    if q.get("skills"):
        tags = ET.SubElement(question, "tags")
        for skill in q["skills"]:
            _text(ET.SubElement(tags, "tag"), skill)
