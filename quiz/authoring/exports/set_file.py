"""The set-file (TOML) export: the documented questions/ format, round-tripping exactly.

`validate(tomllib.loads(to_toml(data)), ...) == data`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tomli_w

from ...sets.files import to_raw
from ...sets.images import FIELDS

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
