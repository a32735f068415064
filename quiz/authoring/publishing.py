"""Checking a draft and publishing it as an immutable version.

Publishing validates the draft with the same validator as set files and stores it as
a new version through ``sets.files.sync``, with the misconception labels it names.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlite_utils import Database

from ..sets.files import content_hash, load_misconceptions, sync
from ..sets.strict import draft_gaps, strict_problems
from ..sets.validation import InvalidSet, Problem, validate
from ..storage import queries
from ..web.cache import Cache
from .drafts import AuthoringError, OwnedSet


@dataclass
class Check:
    """The result of validating a draft: errors block publishing, warnings don't."""

    data: dict | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def for_question(self, qid: str) -> dict[str, list[str]]:
        """Return this question's errors keyed by field name."""
        return _by_field(p for p in self.errors if p.question == qid)

    def suggestions_for(self, qid: str) -> dict[str, list[str]]:
        """Return this question's content-check suggestions keyed by field name."""
        return _by_field(p for p in self.warnings if p.question == qid)


def _by_field(problems) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.field, []).append(p.plain or p.message)
    return out


@dataclass
class Listed:
    """Problems as a teacher reads them: those of the set, then question by question,
    each question named by its number and its text."""

    general: list[str]
    questions: list[dict]  # {number, id, stem, problems}

    def __bool__(self) -> bool:
        return bool(self.general or self.questions)

    @property
    def count(self) -> int:
        return len(self.general) + sum(len(q["problems"]) for q in self.questions)


def listed(raw: dict, problems: list[Problem]) -> Listed:
    """Group problems by question, naming each question by its number and stem."""
    questions = raw.get("questions") if isinstance(raw.get("questions"), list) else []
    general: list[str] = []
    numbered: dict[int, list[str]] = {}
    for p in problems:
        if p.number is None or not 1 <= p.number <= len(questions):
            general.append(p.plain or p.message)
        else:
            numbered.setdefault(p.number, []).append(p.plain or p.message)
    out = []
    for number, found in sorted(numbered.items()):
        q = questions[number - 1] if isinstance(questions[number - 1], dict) else {}
        stem = q.get("stem") if isinstance(q.get("stem"), str) else ""
        qid = q.get("id") if isinstance(q.get("id"), str) else ""
        out.append({"number": number, "id": qid, "stem": " ".join(stem.split()), "problems": found})
    return Listed(general, out)


def todo(raw: dict, result: Check) -> dict[str, Listed]:
    """Return what a draft still lacks (errors) and the content check's suggestions."""
    return {"errors": listed(raw, result.errors), "suggestions": listed(raw, result.warnings)}


def misconceptions(questions_dir: str | Path, cache: Cache | None = None) -> dict[str, dict]:
    """Return the shared misconception list (questions/misconceptions.toml).

    With the app's ``cache``, the file is read again only when it changes: its path,
    size and modification time are in the key.
    """
    path = Path(questions_dir) / "misconceptions.toml"
    try:
        seen = path.stat()
    except OSError:
        return {}
    if cache is None:
        return load_misconceptions(path)
    key = ("misconceptions", str(path), seen.st_size, seen.st_mtime_ns)
    return cache.get(key, lambda: load_misconceptions(path))


def check(raw: dict, misc: dict[str, dict]) -> Check:
    """Validate a draft; strict content checks come back as warnings."""
    try:
        data = validate(copy.deepcopy(raw), raw.get("id") or "draft", misc)
    except InvalidSet as exc:
        return Check(None, exc.problems, draft_gaps(raw, raw.get("id") or "draft"))
    return Check(data, [], strict_problems(data, data["id"], misc))


def status(db: Database, found: OwnedSet, result: Check) -> dict:
    """Describe where a set stands: draft, published, changed since, archived."""
    latest = queries.latest_version(db, found.slug)
    changed = (
        latest is None
        or result.data is None
        or (content_hash(result.data) != latest["content_hash"])
    )
    return {
        "archived": bool(found.row["archived_at"]),
        "version": latest["number"] if latest else None,
        "published": latest is not None,
        "unpublished_changes": latest is not None and changed,
        "in_use": queries.set_in_use(db, found.row["id"]),
    }


def publish(db: Database, found: OwnedSet, misc: dict) -> int:
    """Publish the draft as a new immutable version; refuse while it has errors."""
    result = check(found.raw, misc)
    if result.data is None:
        raise AuthoringError(422, _("Fix the errors marked in the set before publishing."))
    if found.row["archived_at"]:
        raise AuthoringError(409, _("Bring the set back from the archive before publishing."))
    data = {**result.data, "published": True}
    version_id, _created = sync(db, data, source=None, misconceptions=misc)
    return version_id
