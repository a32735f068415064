"""Export a validated question set: back to TOML, to Moodle GIFT and to Moodle XML.

Every function takes the normalised set that `quiz.questions.validate()` returns and
returns text; nothing here touches Flask or the database.

`to_toml` writes the documented questions/ format and round-trips exactly:
`validate(tomllib.loads(to_toml(data)), ...) == data`.

The two LMS formats carry the article, the stems, the options with their per-option
feedback, the key and the explanation. What they cannot carry:

- **Confidence rating** (`confidence`, certainty-based marking): no LMS field; Moodle's
  own CBM is a quiz setting ("Deferred feedback with CBM"), not part of a question.
- **Written reason** (`reason`, always on for `cer`): a multiple-choice question has no
  text box; it would need a separate essay question.
- **Skills**: Moodle XML writes them as `<tags>`; GIFT as `// [tag:EVI]` comment lines,
  which Moodle's GIFT importer reads as tags (other GIFT readers ignore them).
- **Misconception labels** on wrong options: no per-option metadata in either format,
  so only the feedback text goes across.
- Also lost: difficulty, `discernment`, the evidence quotes highlighted in the feedback,
  the teacher note, the facilitator guide, check forms and `published`.
- **Order** questions become *matching* questions (each item is matched to its position
  1, 2, …), the same controls Lateral shows. Moodle marks each item right or wrong
  (share of items in their place), whereas Lateral scores the share of pairs in the
  right order, so partial credit differs. A matching question has no per-item feedback:
  each item's feedback is appended to the general feedback, after the explanation,
  in the right order.
- **CER** questions become their verdict part (a single-choice question). The evidence
  part (choosing passages) and its score are lost; the keyed passage numbers and the
  evidence feedback are appended to the general feedback, after the explanation.
- **True/false** questions are written as single-choice questions with the set's own
  option texts, not as Moodle true/false questions: the latter show Moodle's "True" and
  "False" labels (not the set's language) and GIFT's `{T#…#…}` form keeps only
  "feedback when wrong / when right"; as multiple choice each option keeps its text
  and its own feedback.
- **Passage** options are written as "Passage N: " followed by the passage text.

Weights. `single`, `true_false`, the `cer` verdict and a `passage` question with one
key are single-choice (right 100 %, wrong 0). `multiple`, and `passage` with several
keys (the questions Lateral shows with checkboxes), are multiple-answer questions with
right options worth +100/n % and wrong ones −100/n %, n the number of right options.
Moodle adds the weights of the chosen options and keeps the sum between 0 and 100 %,
which is exactly Lateral's "(right chosen − wrong chosen) ÷ right options, never below
0". With 2–8 options n is 1–8, and 100/n is always one of Moodle's grade fractions
(100, 50, 33.33333, 25, 20, 16.66667, 14.28571, 12.5), so nothing is lost but the
rounding of thirds, sixths and sevenths; `_weight` snaps to the nearest fraction anyway.

Texts. Both LMS formats mark texts as HTML (`[html]` in GIFT, `format="html"` in XML)
and write Lateral's plain texts through `_html`: `html.escape`, line breaks as
`<br>` plus a newline. A stem with `<script>` therefore shows as text and never runs.
GIFT then escapes its own special characters on top (`\\~ \\= \\# \\{ \\} \\: \\\\`,
newline as `\\n`); ElementTree escapes the XML layer. An article description question
(named `<set id>-article`, no marks) comes first, so students can read the passages
the questions refer to.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

import tomli_w

from ..play.answering import takes_several
from ..sets.files import to_raw
from ..sets.images import FIELDS
from .left_out import closed_questions, gift_note, xml_note

TOML_HEADER = "# Lateral question set, format 1 (see questions/README.md)\n"
TOML_WIDTH = 100  # longer arrays get one item a line

# Key order for readable TOML: these first, any other key after them in data order.
SET_KEYS = (
    "format", "id", "title", "language", "audience", "description",
    "published", "kind", "check_forms",
)  # fmt: skip
ARTICLE_KEYS = ("title", "outlet", "date", "language", "translation_note", "url", "passages")
GUIDE_KEYS = ("goals", "duration", "sensitivity")
QUESTION_KEYS = (
    "id", "type", "skills", "difficulty", "stem", "evidence", "key",
    "evidence_choices", "evidence_key", "evidence_feedback",
    "confidence", "reason", "discernment", "marking", "lateral", "explanation", "teacher_note",
)  # fmt: skip
OPTION_KEYS = ("id", "text", "passage", "feedback", "misconception")
IMAGE_KEYS = FIELDS  # sets.images: passage, file, alt, caption, credit, licence, note…
SUBTABLES = ("image", "rubric")


# Moodle's grade fractions, in percent, as Moodle writes them.
FRACTIONS = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40",
    "33.33333", "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5",
)  # fmt: skip

GIFT_SPECIAL = "\\~=#{}:"
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- TOML -----------------------------------------------------------------------------


def to_toml(data: dict) -> str:
    """Write a normalised set back in the questions/ format (round-trips via validate)."""
    # questions.to_raw undoes the validator's normalisation (filled-in defaults,
    # passage texts); this only orders the keys and writes the tables.
    raw = to_raw(data)
    for key, default in (("published", True), ("kind", "main")):
        if raw.get(key) == default:
            del raw[key]  # the validator's default: no need to write it
    tables = {"article", "guide", "questions"}
    parts = [TOML_HEADER + _pairs(raw, SET_KEYS, skip=tables)]
    parts.append("[article]\n" + _pairs(raw["article"], ARTICLE_KEYS, skip={"images"}))
    for image in raw["article"].get("images") or []:
        parts.append("[[article.images]]\n" + _pairs(image, IMAGE_KEYS))
    guide = raw.get("guide")
    if guide is not None:
        parts.append("[guide]\n" + _pairs(guide, GUIDE_KEYS, skip={"prompts"}))
        for prompt in guide.get("prompts") or []:
            parts.append("[[guide.prompts]]\n" + _pairs(prompt, ("question", "prompt")))
    for q in raw["questions"]:
        parts.append("[[questions]]\n" + _pairs(q, QUESTION_KEYS, skip={"options", *SUBTABLES}))
        if q.get("image"):
            parts.append("[questions.image]\n" + _pairs(q["image"], IMAGE_KEYS))
        for level, table in (q.get("rubric") or {}).items():
            parts.append(f"[questions.rubric.{level}]\n" + _pairs(table, ("descriptor", "example")))
        for o in q.get("options") or []:
            parts.append("[[questions.options]]\n" + _pairs(o, OPTION_KEYS))
    return "\n".join(parts)


def _pairs(table: dict, order: Iterable[str], skip: Iterable[str] = ()) -> str:
    """Write the plain `key = value` lines of one table (no sub-tables), keys in order."""
    skip = set(skip)
    order = [k for k in order if k in table]
    keys = order + [k for k in table if k not in order]
    lines = []
    for key in keys:
        value = table[key]
        if key in skip:
            continue
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        ):
            raise ValueError(f"cannot write the nested field {key!r} as a plain TOML value")
        lines.append(_toml_line(key, value))
    return "".join(lines)


def _toml_line(key: str, value: Any) -> str:
    """One `key = value` line; tomli_w writes (and escapes) every key and scalar."""
    name = tomli_w.dumps({key: 0}).removesuffix(" = 0\n")
    if not isinstance(value, list):
        return f"{name} = {_toml_value(value)}\n"
    items = [_toml_value(v) for v in value]
    inline = f"{name} = [{', '.join(items)}]"
    if len(inline) <= TOML_WIDTH:
        return inline + "\n"
    return f"{name} = [\n" + "".join(f"  {item},\n" for item in items) + "]\n"


def _toml_value(value: Any) -> str:
    return tomli_w.dumps({"v": value}).removeprefix("v = ").removesuffix("\n")


# --- shared by GIFT and Moodle XML ----------------------------------------------------


def _html(text: str) -> str:
    """Plain text as HTML: escaped, each line break kept as <br> plus a newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text, quote=False).replace("\n", "<br>\n")


def option_text(q: dict, option: dict) -> str:
    """The option as an LMS shows it (a passage option names its passage)."""
    if q["type"] == "passage":
        return f"Passage {option['passage']}: {option['text']}"
    return option["text"]


def general_feedback(q: dict) -> str:
    """The explanation, plus what the LMS question cannot show otherwise (plain text)."""
    parts = [q["explanation"]]
    if q["type"] == "order":
        by_id = {o["id"]: o for o in q["options"]}
        parts.append(
            "\n".join(
                f"{n}. {by_id[oid]['text']}: {by_id[oid]['feedback']}"
                for n, oid in enumerate(q["key"], start=1)
            )
        )
    elif q["type"] == "cer":
        keyed = q.get("evidence_key") or []
        label = "Evidence: passage" + ("s" if len(keyed) > 1 else "")
        numbers = ", ".join(str(n) for n in keyed)
        parts.append(f"{label} {numbers}. {q.get('evidence_feedback') or ''}".rstrip())
    return "\n\n".join(parts)


def _weight(percent: float) -> str:
    """Snap a percentage to the nearest grade fraction Moodle accepts (sign kept)."""
    best = min(FRACTIONS, key=lambda f: abs(float(f) - abs(percent)))
    return best if percent >= 0 else f"-{best}"


def _fractions(q: dict) -> dict[str, str]:
    """Option id → Moodle fraction in percent, consistent with Lateral's scoring."""
    key = set(q["key"])
    if not takes_several(q):
        return {o["id"]: "100" if o["id"] in key else "0" for o in q["options"]}
    share = 100 / len(key)
    return {o["id"]: _weight(share if o["id"] in key else -share) for o in q["options"]}


def _article_html(data: dict) -> str:
    art = data["article"]
    out = [
        f"<h3>{_html(art['title'])}</h3>",
        f"<p>{_html(art['outlet'])}, {_html(art['date'])}</p>",
    ]
    if art.get("translation_note"):
        out.append(f"<p><em>{_html(art['translation_note'])}</em></p>")
    if art.get("url"):
        href = html.escape(art["url"], quote=True)
        out.append(f'<p><a href="{href}">{_html(art["url"])}</a></p>')
    out.append("<ol>" + "".join(f"<li>{_html(p)}</li>" for p in art["passages"]) + "</ol>")
    return "\n".join(out)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# --- GIFT -----------------------------------------------------------------------------


def to_gift(data: dict) -> str:
    """Write the set as Moodle GIFT: one block per question, blank lines between.

    Every text is HTML (`[html]` before each stem) and GIFT-escaped. `single`,
    `true_false`, the `cer` verdict and one-key `passage` questions are `=right` /
    `~wrong` with `#feedback`; `multiple` and several-key `passage` questions use
    `~%w%` weights (see the module docstring). `order` questions are GIFT matching
    questions (`=item -> position`), chosen over a description because students can
    still answer them and Moodle still marks them. The general feedback (`####`) is the
    explanation (plus item feedback for `order`, the evidence part for `cer`).
    """
    art = data["article"]
    header = (
        f"// Lateral set: {_one_line(data['title'])}; source: {_one_line(art['title'])}, "
        f"{_one_line(art['outlet'])}, {art['date']}"
    )
    blocks = [header + gift_note(data), _gift_article(data)]
    blocks.extend(_gift_question(q) for q in closed_questions(data))
    return "\n\n".join(blocks) + "\n"


def _gift_escape(text: str) -> str:
    """Escape GIFT's special characters and line breaks."""
    out = []
    for ch in text:
        if ch in GIFT_SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


def _gift_html(markup: str) -> str:
    """GIFT-escape HTML; a leading % or [ becomes a character reference.

    Moodle would read a leading `%…%` as an answer weight and a leading `[…]` as a
    text format, so those two characters are written as `&#37;` and `&#91;`.
    """
    if markup[:1] in ("%", "["):
        markup = f"&#{ord(markup[0])};" + markup[1:]
    return _gift_escape(markup)


def _gift_text(text: str) -> str:
    return _gift_html(_html(text))


def _gift_article(data: dict) -> str:
    name = _gift_escape(f"{data['id']}-article")
    return f"::{name}::[html]{_gift_html(_article_html(data))}"


def _gift_question(q: dict) -> str:
    lines = []
    if q.get("skills"):
        lines.append("// " + " ".join(f"[tag:{s}]" for s in q["skills"]))
    lines.append(f"::{_gift_escape(q['id'])}::[html]{_gift_text(q['stem'])}{{")
    if q["type"] == "order":
        by_id = {o["id"]: o for o in q["options"]}
        position = {oid: n for n, oid in enumerate(q["key"], start=1)}
        for oid, o in by_id.items():
            lines.append(f"\t={_gift_text(o['text'])} -> {position[oid]}")
    else:
        fractions = _fractions(q)
        multi = takes_several(q)
        for o in q["options"]:
            if multi:
                mark = f"~%{fractions[o['id']]}%"
            else:
                mark = "=" if fractions[o["id"]] == "100" else "~"
            text = _gift_text(option_text(q, o))
            lines.append(f"\t{mark}{text}#{_gift_text(o['feedback'])}")
    lines.append(f"\t####{_gift_text(general_feedback(q))}")
    lines.append("}")
    return "\n".join(lines)


# --- Moodle XML -----------------------------------------------------------------------


def to_moodle_xml(data: dict) -> str:
    """Write the set as Moodle XML: a category named after the set, then the questions.

    Texts are `format="html"`: each plain text goes through `html.escape` (in `_html`)
    and ElementTree then escapes the XML layer, so `<script>` in a stem arrives in Moodle
    as the text `&lt;script&gt;`, never as markup. `order` questions are `matching`
    questions (item → position); everything else is `multichoice`.
    """
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", type="category")
    # A path without "$course$/" is created under the context the teacher imports into.
    _text(ET.SubElement(category, "category"), _category_path(data["title"]))
    info = ET.SubElement(category, "info", format="html")
    _text(info, _html(xml_note(data, data.get("description") or "")))

    article = ET.SubElement(quiz, "question", type="description")
    _text(ET.SubElement(article, "name"), f"{data['id']}-article")
    _html_field(article, "questiontext", _article_html(data))
    _html_field(article, "generalfeedback", "")
    _common(article, grade="0", penalty="0")

    for q in closed_questions(data):
        _xml_question(quiz, q)
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, "unicode") + "\n"


def _category_path(title: str) -> str:
    """One category level named after the title ('/' is doubled, as Moodle expects)."""
    name = _one_line(title).replace("/", "//")
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
    _html_field(question, "questiontext", _html(q["stem"]))
    _html_field(question, "generalfeedback", _html(general_feedback(q)))
    _common(question)
    # Options keep the author's order (Lateral does not shuffle them either).
    ET.SubElement(question, "shuffleanswers").text = "false"
    if qtype == "order":
        position = {oid: n for n, oid in enumerate(q["key"], start=1)}
        for o in q["options"]:
            sub = _html_field(question, "subquestion", _html(o["text"]))
            _text(ET.SubElement(sub, "answer"), str(position[o["id"]]))
    else:
        ET.SubElement(question, "single").text = "false" if takes_several(q) else "true"
        ET.SubElement(question, "answernumbering").text = "abc"
        fractions = _fractions(q)
        for o in q["options"]:
            answer = ET.SubElement(question, "answer", fraction=fractions[o["id"]], format="html")
            _text(answer, _html(option_text(q, o)))
            _html_field(answer, "feedback", _html(o["feedback"]))
    if q.get("skills"):
        tags = ET.SubElement(question, "tags")
        for skill in q["skills"]:
            _text(ET.SubElement(tags, "tag"), skill)
