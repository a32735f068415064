"""Read Moodle's GIFT format into a draft set (see draft.py for the mapping).

The reading follows Moodle's own GIFT importer, as the GIFT documentation
describes it: questions are separated by blank lines; a line starting with `//` is
a comment (`[tag:EVI]` in a comment is a tag, as Moodle reads it); `$CATEGORY:`
switches category; `::title::` names a question; `[html]`, `[moodle]`,
`[markdown]` and `[plain]` set the format of the text after them (moodle by
default; answers and feedback take the question's format unless they set their
own); `\\~ \\= \\# \\{ \\} \\:` and `\\\\` are escapes and `\\n` is a line break.
The answers are between `{` and `}`: with no braces the text is a description;
text after the `}` makes a missing-word question (the gap becomes `_____`).
Inside: `####` starts the general feedback; `~` a wrong (or `~%50%` weighted)
answer and `=` a right one, each with `#feedback`; `=item -> answer` matching;
`T`, `TRUE`, `F`, `FALSE` with `#feedback when wrong#feedback when right`;
`#…` numerical; `=answer` alone short answer; nothing at all an essay.

Moodle's own export writes a `// question: 12  name: …` comment before every
question; those repeat the question's name and are not reported.
"""

from __future__ import annotations

import re

from .draft import Draft
from .items import Choice, Item, lateral_article, read_text
from .parts import code
from .report import ImportResult, UnreadableFile, short
from .text import paragraphs

ESCAPES = "\\~=#{}:n"
# Escaped characters are swapped for private-use placeholders while the structure
# is read, then turned back into the characters they stand for.
PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(ESCAPES)}
RESTORE = {ord(p): ("\n" if ch == "n" else ch) for ch, p in PLACEHOLDER.items()}
FORMAT_PREFIX = {"html": "html", "moodle": "moodle", "markdown": "markdown", "plain": "plain"}
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_TAG = re.compile(r"\[tag:([^\]]+)\]")
_ID = re.compile(r"\[id:[^\]]*\]")
_MOODLE_COMMENT = re.compile(r"^question: *\d+\s+name:")
_PRIVATE = re.compile("[\ue000-\ue008]")


def import_gift(text: str | bytes, title: str) -> ImportResult:
    """Read a GIFT file into a draft set and its report; raise UnreadableFile."""
    blocks = _blocks(read_text(text))
    draft = Draft(title)
    gift_like = False
    number = 0
    for lines in blocks:
        tags = []
        body = []
        for line in lines:
            if line.strip().startswith("//"):
                comment = line.strip()[2:].strip()
                if comment.startswith("Lateral set:"):
                    draft.mark_lateral()
                    continue
                tags += [t.strip() for t in _TAG.findall(comment)]
                comment = _ID.sub("", _TAG.sub("", comment)).strip()
                if comment and not _MOODLE_COMMENT.match(comment):
                    draft.comment(comment)
            else:
                body.append(line)
        source = _PRIVATE.sub("", "\n".join(body).strip())
        if not source:
            continue
        source = _ESCAPE.sub(lambda m: PLACEHOLDER[m[1]], source)
        if source.startswith("$CATEGORY:"):
            gift_like = True
            draft.category(_restore(source[len("$CATEGORY:") :]).strip())
            continue
        number += 1
        item, recognised = _item(source, code("file", number))
        item.tags = tags
        gift_like = gift_like or recognised
        draft.add(item)
    if not gift_like:
        raise UnreadableFile("not_gift")
    return draft.result()


def _blocks(text: str) -> list[list[str]]:
    """Split the file into questions at blank lines."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _restore(text: str) -> str:
    return text.translate(RESTORE)


def _format(text: str, default: str) -> tuple[str, str]:
    """Split a leading [format] off a text: (format, text)."""
    text = text.strip()
    match = re.match(r"^\[(\w+)\]", text)
    if match and match[1] in FORMAT_PREFIX:
        return FORMAT_PREFIX[match[1]], text[match.end() :]
    return default, text


def _item(source: str, label: str) -> tuple[Item, bool]:
    """Read one question block (escapes already replaced): (item, looks like GIFT)."""
    item = Item(label)
    named = source.startswith("::")
    if named:
        name, sep, rest = source[2:].partition("::")
        if sep:
            item.name, source = _restore(name).strip(), rest.strip()
    start, end = source.find("{"), source.find("}")
    if start == -1 and end == -1:
        fmt, text = _format(source, "moodle")
        item.kind = "description"
        item.stem = item.plain(_restore(text), fmt, "description")
        item.passages = paragraphs(_restore(text), fmt)
        if item.name.endswith("-article") and fmt == "html":
            lateral_article(item, _restore(text))
        return item, named
    if start == -1 or end < start:
        stem = _restore(source.replace("{", " ").replace("}", " "))
        return item.leave_out("left_unreadable", reason="braces"), bool(stem)
    answers = source[start + 1 : end].strip()
    tail = source[end + 1 :].strip()
    question = source[:start] + ("_____ " + tail if tail else "")
    fmt, question = _format(question, "moodle")
    answers, _, general = answers.rpartition("####") if "####" in answers else (answers, "", "")
    item.stem = item.plain(_restore(question), fmt, "question")
    if general:
        item.feedback = _text(item, general, fmt, "general_feedback")
    if tail:
        item.notes.append(("missing_word", {}))
    _answers(item, answers.strip(), fmt)
    return item, True


def _answers(item: Item, answers: str, fmt: str) -> None:
    """Read the text between the braces, deciding the type as Moodle does."""
    stem = short(item.stem)
    verdict = answers.split("#", 1)[0].strip()
    if not answers:
        item.leave_out("left_essay", stem=stem)
    elif answers.startswith("#"):
        item.leave_out("left_numerical", stem=stem)
    elif "~" in answers:
        _choices(item, answers, fmt)
    elif "=" in answers and "->" in answers:
        _matching(item, answers, fmt)
    elif verdict in TRUE_FALSE:
        _true_false(item, answers, fmt, TRUE_FALSE[verdict])
    else:
        item.leave_out("left_short_answer", stem=stem)


def _choices(item: Item, answers: str, fmt: str) -> None:
    item.multi = "=" not in answers
    parts = [p.strip() for p in answers.replace("=", "~=").split("~")]
    for n, part in enumerate((p for p in parts if p), start=1):
        fraction = 0.0
        if part.startswith("="):
            fraction, part = 100.0, part[1:]
        elif weight := _WEIGHT.match(part):
            fraction, part = float(weight[1]), part[weight.end() :]
        text, _, feedback = part.partition("#")
        item.choices.append(
            Choice(
                _text(item, text, fmt, code("option", n)),
                _text(item, feedback, fmt, code("option_feedback", n)),
                fraction=fraction,
            )
        )


def _matching(item: Item, answers: str, fmt: str) -> None:
    item.kind = "matching"
    for n, part in enumerate((p.strip() for p in answers.split("=") if p.strip()), start=1):
        left, arrow, right = part.partition("->")
        if not arrow:
            item.leave_out("left_unreadable", reason="no_arrow")
            return
        item.pairs.append((_text(item, left, fmt, code("item", n)), _restore(right).strip()))


def _true_false(item: Item, answers: str, fmt: str, truth: bool) -> None:
    item.kind = "truefalse"
    _, wrong, right = (answers.split("#", 2) + ["", ""])[:3]
    wrong = _text(item, wrong, fmt, "wrong_feedback")
    right = _text(item, right, fmt, "right_feedback")
    item.choices = [
        Choice("True", right if truth else wrong, right=truth),
        Choice("False", wrong if truth else right, right=not truth),
    ]


def _text(item: Item, text: str, default: str, where: str) -> str:
    fmt, text = _format(_restore(text), default)
    return item.plain(text, fmt, where)
