"""Question recipes: start a draft question from a pattern for a verification skill.

The recipes are data (recipes.toml beside this module: its first lines describe the
fields). ``recipe_question`` fills a new draft question from one recipe and the
passage the teacher picked: the stem, options with their feedback and the
misconception each wrong one targets, the key, the picked passage as evidence and an
explanation scaffold. Text in [square brackets] is left for the teacher; the content
check lists what is left (``sets.strict``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..web.cache import Cache
from .drafts import AuthoringError, new_qid

RECIPES = Path(__file__).with_name("recipes.toml")
OPTION_IDS = "abcdefgh"
# Passage options of a passage recipe: which passage each one offers.
OFFSETS = {"picked": 0, "before": -1, "after": 1}
MESSAGES = {
    "passage": _l("Pick one of the article's passages for the question to rest on."),
    "short": _l(
        "This recipe offers {needed} passages to choose from, and the article has "
        "{count}: add the article's text first, or pick another recipe."
    ),
}


def load(path: Path = RECIPES, cache: Cache | None = None) -> dict[str, dict]:
    """Return the recipes by id, in the file's order (from the app's cache, if given)."""
    if cache is None:
        return _read(path)
    seen = path.stat()
    return cache.get(("recipes", str(path), seen.st_size, seen.st_mtime_ns), lambda: _read(path))


def _read(path: Path) -> dict[str, dict]:
    with path.open("rb") as fh:
        return {r["id"]: r for r in tomllib.load(fh)["recipe"]}


def _filled(text: str, passage: int) -> str:
    return text.replace("{passage}", str(passage))


def _passages_offered(recipe: dict, picked: int, count: int) -> list[int]:
    """Return the passage each option of a passage recipe offers: the picked one, and
    for the others the nearest unused passage on their side (or, at the article's
    ends, on the other). The article has at least as many passages as options."""
    taken = {picked}
    out = []
    for option in recipe["options"]:
        offset = OFFSETS[option.get("passage", "picked")]
        if offset == 0:
            out.append(picked)
            continue
        near = [picked + offset * k for k in range(1, count)]
        far = [picked - offset * k for k in range(1, count)]
        number = next(n for n in near + far if 1 <= n <= count and n not in taken)
        taken.add(number)
        out.append(number)
    return out


def needs(recipe: dict) -> int:
    """Return how many passages the article needs for a recipe."""
    return len(recipe["options"]) if recipe["type"] == "passage" else 1


def recipe_question(
    recipe: dict, qid: str, passages: list[str], picked: int, misconceptions: dict
) -> dict:
    """Return a draft question made from a recipe and the passage picked (1 for the
    first); the question's id is ``qid``. A misconception the shared list does not
    have is left out (the content check then asks for one)."""
    q: dict = {
        "id": qid,
        "type": recipe["type"],
        "skills": list(recipe["skills"]),
        "difficulty": recipe.get("difficulty", "medium"),
        "stem": _filled(recipe["stem"], picked),
        "evidence": [passages[picked - 1]],
        "explanation": _filled(recipe["explanation"], picked),
    }
    for flag in ("confidence", "reason", "discernment"):
        if recipe.get(flag):
            q[flag] = True
    if recipe.get("teacher_note"):
        q["teacher_note"] = _filled(recipe["teacher_note"], picked)
    offered = _passages_offered(recipe, picked, len(passages))
    options, key, positions = [], [], {}
    for n, source in enumerate(recipe["options"]):
        oid = OPTION_IDS[n]
        if recipe["type"] == "true_false":
            oid = source["text"].lower()
        option: dict = {"id": oid, "feedback": _filled(source["feedback"], picked)}
        if recipe["type"] == "passage":
            option["passage"] = offered[n]
        else:
            option["text"] = _filled(source["text"], picked)
        if source.get("misconception") in misconceptions:
            option["misconception"] = source["misconception"]
        options.append(option)
        if source.get("correct"):
            key.append(oid)
        positions[oid] = source.get("position", n + 1)
    q["options"] = options
    q["key"] = sorted(positions, key=positions.get) if recipe["type"] == "order" else key
    return q


def offered(recipes: dict[str, dict]) -> list[dict]:
    """Return the recipes as the editor offers them: id, title, summary and skills."""
    return [
        {"id": r["id"], "title": r["title"], "summary": r["summary"], "skills": r["skills"]}
        for r in recipes.values()
    ]


def add_to(raw: dict, recipe: dict, picked: int, misconceptions: dict) -> str:
    """Append a question made from a recipe to a draft; return its id."""
    passages = raw.get("article", {}).get("passages", [])
    if not 1 <= picked <= len(passages):
        raise AuthoringError(422, MESSAGES["passage"], "passage")
    if len(passages) < needs(recipe):
        raise AuthoringError(
            422, MESSAGES["short"].format(needed=needs(recipe), count=len(passages)), "recipe"
        )
    q = recipe_question(recipe, new_qid(raw), passages, picked, misconceptions)
    raw.setdefault("questions", []).append(q)
    return q["id"]
