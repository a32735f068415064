"""Teachers' sets and their drafts: create, duplicate, read, change, archive, delete.

A teacher's set has a working copy (the draft, stored as set-file data) and immutable
published versions (``publishing``). Plain functions taking the database first.
"""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlite_utils import Database
from wtforms.fields.choices import SelectChoice

from ..refusal import Refusal
from ..sets.files import to_raw
from ..sets.vocabulary import TYPES
from ..storage import queries
from ..storage.connection import immediate


class AuthoringError(Refusal):
    """A refusal while writing or publishing a set."""


# Sets ----------------------------------------------------------------------


def slugify(title: str) -> str:
    """Make a readable, unique-looking slug from a title."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-") or "set"
    if len(base) < 3:
        base = f"set-{base}"
    return f"{base}-{secrets.token_hex(3)}"


def empty_set(slug: str, title: str) -> dict:
    """Return the set-file data of a new, empty draft."""
    return {
        "format": 1,
        "id": slug,
        "title": title,
        "language": "en",
        "audience": "Ages 14–18",
        "published": True,
        "article": {
            "title": "",
            "outlet": "",
            "date": "",
            "language": "en",
            "passages": [],
        },
        "questions": [],
    }


def new_set(db: Database, owner_id: int, raw: dict, report: dict | None = None) -> str:
    """Store set-file data as a new draft of the teacher's; return its slug.

    ``report``: the import report of the file it came from, stored with it.
    """
    for _attempt in range(10):
        slug = slugify(raw.get("title") or "set")
        with immediate(db):
            set_id = queries.insert_set(db, slug, owner_id, raw.get("kind", "main"))
            if set_id is None:
                continue
            queries.save_draft(db, set_id, {**raw, "id": slug})
            if report is not None:
                queries.save_import_report(db, set_id, report)
        return slug
    raise RuntimeError("could not find a free set id")


def create_set(db: Database, owner_id: int, title: str) -> str:
    """Create an empty draft set owned by a teacher; return its slug."""
    title = " ".join((title or "").split())
    if not 1 <= len(title) <= 200:
        raise AuthoringError(422, _("Give the set a title of 1 to 200 characters."))
    return new_set(db, owner_id, empty_set("new", title))


@dataclass
class OwnedSet:
    """A set as the teacher sees it: its row, its draft and whether it is theirs."""

    row: dict
    raw: dict
    mine: bool

    @property
    def slug(self) -> str:
        return self.row["slug"]


def readable(db: Database, slug: str, teacher_id: int) -> OwnedSet:
    """Return a set the teacher may read (theirs, or a shared one), else 404."""
    row = queries.set_by_slug(db, slug)
    if row is None or (row["owner_id"] is not None and row["owner_id"] != teacher_id):
        raise AuthoringError(404, _("There is no such set among yours or the shared ones."))
    if row["owner_id"] == teacher_id:
        raw = queries.draft_of(db, row["id"])
        if raw is not None:
            return OwnedSet(row, raw, True)
    version = queries.latest_published(db, slug)
    if version is None or version["kind"] != "main":
        raise AuthoringError(404, _("There is no such set among yours or the shared ones."))
    return OwnedSet(row, published_raw(db, version), row["owner_id"] == teacher_id)


def owned(db: Database, slug: str, teacher_id: int) -> OwnedSet:
    """Return a set the teacher owns, else 404 (another's set is not revealed)."""
    found = readable(db, slug, teacher_id)
    if not found.mine:
        raise AuthoringError(404, _("You can only change your own sets. Duplicate this one first."))
    return found


def published_raw(db: Database, version: dict) -> dict:
    """Rebuild set-file data from a stored version."""
    data = {**version["body"], "questions": []}
    for q in queries.questions_of(db, version["id"]):
        data["questions"].append({k: v for k, v in q.items() if k not in ("pk", "position")})
    return to_raw(data)


# A copy's title, in the copying teacher's language (the set's own text stays as it is).
COPY_OF = _l("Copy of {title}")


def duplicate(db: Database, owner_id: int, slug: str) -> str:
    """Copy any set the teacher can read into a new draft of theirs."""
    source = readable(db, slug, owner_id)
    raw = copy.deepcopy(source.raw)
    raw["title"] = str(COPY_OF).format(title=raw.get("title") or slug)[:200]
    raw.pop("check_forms", None)
    return new_set(db, owner_id, raw)


GONE = _l("This set has just been deleted, so the change was not saved.")


def save(db: Database, found: OwnedSet) -> None:
    """Store the draft of an owned set (a 404 when another request deleted it since it
    was loaded, rather than a foreign-key error)."""
    if not queries.save_draft(db, found.row["id"], found.raw):
        raise AuthoringError(404, GONE)


def practice_link(db: Database, found: OwnedSet, on: bool) -> None:
    """Make a new practice link for a published set, or withdraw its link."""
    if on and queries.latest_published(db, found.slug) is None:
        raise AuthoringError(
            409, _("Publish the set first: students practise its published version.")
        )
    queries.set_practice_token(db, found.row["id"], secrets.token_urlsafe(12) if on else None)


def archive(db: Database, found: OwnedSet, archived: bool) -> None:
    """Archive a set or bring it back."""
    queries.set_archived(db, found.row["id"], archived)


def delete(db: Database, found: OwnedSet) -> None:
    """Delete a set that no session has used; a used set can only be archived."""
    with immediate(db):
        if queries.set_in_use(db, found.row["id"]):
            raise AuthoringError(
                409, _("Sessions have used this set, so it can't be deleted. Archive it instead.")
            )
        queries.delete_set(db, found.row["id"])


# Set details and article ---------------------------------------------------------


def split_passages(text: str) -> list[str]:
    """Split pasted article text into passages: one per paragraph (blank-line separated).

    Single line breaks inside a paragraph are kept as spaces; a text with no blank
    lines at all is split at every line break.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]


def update_details(raw: dict, form) -> None:
    """Apply the set-details form to a draft."""
    for key in ("title", "description", "audience", "language"):
        value = (form.get(key) or "").strip()
        if value or key != "description":
            raw[key] = value
        else:
            raw.pop(key, None)


def update_article(raw: dict, form) -> None:
    """Apply the article form (metadata and pasted text) to a draft."""
    article = raw.setdefault("article", {})
    for key in ("title", "outlet", "date", "language", "translation_note", "url"):
        value = (form.get(key) or "").strip()
        if value or key in ("title", "outlet", "date", "language"):
            article[key] = value
        else:
            article.pop(key, None)
    article["passages"] = split_passages(form.get("text", ""))


# Questions -------------------------------------------------------------------


def find_question(raw: dict, qid: str) -> tuple[int, dict]:
    """Return a draft question's index and data, or 404."""
    for index, q in enumerate(raw.get("questions", [])):
        if q.get("id") == qid:
            return index, q
    raise AuthoringError(404, _("There is no such question in this set."))


def new_qid(raw: dict) -> str:
    taken = {q.get("id") for q in raw.get("questions", [])}
    while True:
        qid = f"q-{secrets.token_hex(3)}"
        if qid not in taken:
            return qid


def blank_question(raw: dict, qtype: str = "single") -> dict:
    """Return a new question of a type, with placeholders the validator will flag."""
    if qtype not in TYPES:
        qtype = "single"
    q: dict = {
        "id": new_qid(raw),
        "type": qtype,
        "skills": ["EVI"],
        "difficulty": "medium",
        "stem": "",
        "evidence": [],
        "key": [],
        "explanation": "",
        "options": [],
    }
    if qtype == "open":
        q["options"] = []  # a written answer: its rubric has its own page
    elif qtype == "true_false":
        q["options"] = [
            {"id": "true", "text": "True", "feedback": ""},
            {"id": "false", "text": "False", "feedback": ""},
        ]
    else:
        q["options"] = [{"id": i, "text": "", "feedback": ""} for i in "abc"]
    if qtype == "passage":
        for n, o in enumerate(q["options"], start=1):
            o.pop("text")
            o["passage"] = n
    if qtype == "cer":
        q.update(evidence_choices=[], evidence_key=[], evidence_feedback="")
    return q


def add_question(raw: dict, qtype: str) -> str:
    """Append a new question to a draft; return its id."""
    q = blank_question(raw, qtype)
    raw.setdefault("questions", []).append(q)
    return q["id"]


def duplicate_question(raw: dict, qid: str) -> str:
    """Insert a copy of a question right after it; return the copy's id."""
    index, q = find_question(raw, qid)
    twin = copy.deepcopy(q)
    twin["id"] = new_qid(raw)
    raw["questions"].insert(index + 1, twin)
    return twin["id"]


def delete_question(raw: dict, qid: str) -> None:
    """Remove a question from a draft (published versions keep theirs)."""
    index, _q = find_question(raw, qid)
    del raw["questions"][index]
    guide = raw.get("guide")
    if guide and guide.get("prompts"):
        guide["prompts"] = [p for p in guide["prompts"] if p.get("question") != qid]


def move_question(raw: dict, qid: str, delta: int) -> None:
    """Move a question up (-1) or down (+1) in the draft."""
    index, q = find_question(raw, qid)
    target = index + delta
    if 0 <= target < len(raw["questions"]):
        raw["questions"].insert(target, raw["questions"].pop(index))


def move_question_to(raw: dict, qid: str, position: int) -> None:
    """Move a question to a position (1 for the first; past the end means last)."""
    index, _q = find_question(raw, qid)
    target = min(max(position, 1), len(raw["questions"])) - 1
    raw["questions"].insert(target, raw["questions"].pop(index))


def other_sets(db: Database, teacher_id: int, slug: str) -> list[SelectChoice]:
    """List the teacher's other sets a question can be copied to, as form choices."""
    return [
        SelectChoice(row["slug"], (row["draft"] or {}).get("title") or row["slug"])
        for row in queries.sets_owned_by(db, teacher_id)
        if row["slug"] != slug and row["draft"] is not None and not row["archived_at"]
    ]


def copy_question(db: Database, found: OwnedSet, qid: str, teacher_id: int, slug: str) -> str:
    """Copy a question to the end of another of the teacher's sets; return its title.

    The copy keeps its evidence quotes and passage numbers: the other set's article
    may differ, and its check says so.
    """
    _index, q = find_question(found.raw, qid)
    target = owned(db, slug, teacher_id)
    copied = copy.deepcopy(q)
    taken = {other.get("id") for other in target.raw.get("questions", [])}
    if copied.get("id") in taken:
        copied["id"] = new_qid(target.raw)
    target.raw.setdefault("questions", []).append(copied)
    save(db, target)
    return target.raw.get("title") or slug


# What the question form does not hold: each is changed on its own page (media_views).
OWN_PAGES = ("image",)
WRITTEN_ONLY = ("rubric", "marking", "lateral")
CLOSED_ONLY = ("confidence", "reason", "discernment", "evidence_choices", "evidence_key")
CLOSED_ONLY += ("evidence_feedback",)


def replace_question(raw: dict, qid: str, question: dict) -> None:
    """Put an edited question back in its place in the draft, keeping what its own
    pages hold (the image; and a written answer's rubric, marking and lateral flag)."""
    index, old = find_question(raw, qid)
    written = question.get("type") == "open"
    kept = OWN_PAGES + (WRITTEN_ONLY if written else ())
    question = {**{k: old[k] for k in kept if k in old}, **question}
    if written:
        # A written answer has no options, key or closed-question switches.
        question = {k: v for k, v in question.items() if k not in CLOSED_ONLY}
        question.update(options=[], key=[])
    raw["questions"][index] = question
