"""The words a report line's values stand for, translated when the line is read.

An import report is stored (beside the draft) and read later, maybe in another
language, so its lines keep codes and numbers, never English words: where an item is
in the file (``"row:12"``, ``"file:3"``), which part of it a line means
(``"option_feedback:2"``), what a question still needs (``"key"``), a question type
(``"single"``), a format (``"moodle"``). ``shown`` turns a line's values into words
of the language of the moment. A value that is not a code (a report stored before
the codes, when the values were English words) is shown as it was.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from ...sets.vocabulary import QUESTION_TYPES
from ...web import formatting

# Where an item is in the file: at the start of a sentence, and within one.
SOURCES = {
    "file": (_l("#{n} in the file"), _l("#{n} in the file")),
    "row": (_l("Row {n}"), _l("row {n}")),
}
# The parts of an item a line names ("an image in {field} was left out").
PARTS = {
    "question": _l("the question"),
    "description": _l("the description"),
    "general_feedback": _l("the general feedback"),
    "combined_feedback": _l("the combined feedback"),
    "explanation": _l("the explanation"),
    "wrong_feedback": _l("the feedback on a wrong answer"),
    "right_feedback": _l("the feedback on a right answer"),
    "option": _l("option {n}"),
    "option_feedback": _l("the feedback on option {n}"),
    "item": _l("item {n}"),
}
# What a question still needs before it can be published.
NEEDS = {
    "skills": _l("skills"),
    "difficulty": _l("a difficulty"),
    "evidence": _l("evidence quotes from the article"),
    "explanation": _l("an explanation"),
    "key": _l("the right option"),
    "shorter_stem": _l("a shorter question (at most {n} characters)"),
    "stem": _l("the question text"),
    "option_feedback": _l("feedback on option {n}"),
    "options_feedback": _l("feedback on options {n}"),
}
# The text formats whose formatting an import removes.
FORMATS = {"html": "HTML", "moodle": _l("Moodle auto-format"), "markdown": "Markdown"}
# After which answer Moodle shows its combined feedback.
WHICH = {"right": _l("a right"), "partly": _l("a partly right"), "wrong": _l("a wrong")}
# Why an item could not be read (templates without values: "{{" is a brace).
REASONS = {
    "braces": _l("its {{ and }} do not match"),
    "no_arrow": _l("a matching answer has no ->"),
}
AND = _l("{first} and {last}")
PASSAGE = (_l("passage {numbers}"), _l("passages {numbers}"))
NO_DESCRIPTION = _l("none")
UNTYPED = _l("untyped")


def code(name: str, arg: object = None) -> str:
    """A value's code: ``code("option", 2)`` -> ``"option:2"``."""
    return name if arg is None else f"{name}:{arg}"


def _word(table: dict, value: object) -> str:
    """The words for one code of ``table``; a value that is no code, as it is."""
    if not isinstance(value, str):
        return str(value)
    name, _, arg = value.partition(":")
    words = table.get(name)
    if words is None:
        return value
    return str(words).format(n=_numbers(arg.split(",")) if "," in arg else arg)


def join(words: list[str]) -> str:
    """``a, b and c`` in the language of the moment."""
    words = [str(w) for w in words]
    if len(words) < 2:
        return "".join(words)
    return str(AND).format(first=", ".join(words[:-1]), last=words[-1])


def _numbers(numbers: list) -> str:
    return join([str(n) for n in numbers])


def source(value: object, within: bool = False) -> str:
    """Where an item is, for the start of a sentence (or ``within`` one)."""
    if isinstance(value, str):
        name, _, arg = value.partition(":")
        if name in SOURCES and arg.isdigit():
            said = str(SOURCES[name][within]).format(n=arg)
            return said if within else said[:1].upper() + said[1:]
    return str(value)


def part(value: object) -> str:
    return _word(PARTS, value)


def _list(table: dict, value: object) -> str:
    return join([_word(table, v) for v in value]) if isinstance(value, list) else str(value)


def _figure(value: object) -> str:
    """A percentage's number as the language writes it (33.33; 33,33 in Finnish)."""
    return formatting.points(value) if isinstance(value, int | float) else str(value)


def _percents(value: object) -> str:
    if not isinstance(value, list):
        return str(value)
    return join([f"{_figure(v)}%" for v in value])


def _passages(value: object) -> str:
    if not isinstance(value, list):
        return str(value)
    return str(PASSAGE[len(value) > 1]).format(numbers=", ".join(map(str, value)))


def _kind(value: object) -> str:
    return str(QUESTION_TYPES[value]).lower() if value in QUESTION_TYPES else str(value)


# How each value is shown, by its name in the line's parameters.
_SHOWN = {
    "field": part,
    "kind": _kind,
    "fmt": lambda v: str(FORMATS.get(v, v)),
    "which": lambda v: str(WHICH.get(v, v)),
    "reason": lambda v: str(REASONS[v]).format() if v in REASONS else str(v),
    "alt": lambda v: v or str(NO_DESCRIPTION),
    "qtype": lambda v: str(UNTYPED) if v == "untyped" else str(v),
    "share": _figure,
    "percent": _figure,
    "weights": _percents,
    "penalty": _percents,
    "passages": _passages,
}


def shown(line_code: str, params: dict[str, Any]) -> dict[str, Any]:
    """A report line's values as words of the language of the moment."""
    words = {name: _SHOWN[name](value) for name, value in params.items() if name in _SHOWN}
    if "source" in params:
        words["source"] = source(params["source"], within=line_code == "comment")
    if "fields" in params:
        table = PARTS if line_code == "text_format" else NEEDS
        words["fields"] = _list(table, params["fields"])
    return {**params, **words}
