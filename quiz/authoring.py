"""Teachers' sets: drafts, questions, publishing, archiving, upload. No Flask here.

A teacher's set has a working copy (the draft, stored as set-file data) and
immutable published versions. Publishing validates the draft with the same
validator as set files and stores it as a new version through ``questions.sync``.
"""

from __future__ import annotations

import copy
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from .numbers import whole
from .refusal import Refusal
from .sets.files import content_hash, load_misconceptions, sync, to_raw
from .sets.strict import strict_problems
from .sets.validation import OPTION_ID, InvalidSet, Problem, validate
from .sets.vocabulary import DIFFICULTIES, SKILLS, TYPES
from .storage import queries
from .storage.connection import immediate

MAX_UPLOAD = 512 * 1024
TYPE_LABELS = {
    "single": "Single choice",
    "multiple": "Select all that apply",
    "true_false": "True or false",
    "passage": "Pick the passage",
    "order": "Put in order",
    "cer": "Claim, evidence, reasoning",
}
OPTION_IDS = "abcdefgh"


class AuthoringError(Refusal):
    """A refusal while writing or publishing a set."""


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
        out.setdefault(p.field, []).append(p.message)
    return out


def misconceptions(questions_dir: str | Path) -> dict[str, dict]:
    """Return the shared misconception list."""
    return load_misconceptions(Path(questions_dir) / "misconceptions.toml")


def check(raw: dict, misc: dict[str, dict]) -> Check:
    """Validate a draft; strict content checks come back as warnings."""
    try:
        data = validate(copy.deepcopy(raw), raw.get("id") or "draft", misc)
    except InvalidSet as exc:
        return Check(None, exc.problems)
    return Check(data, [], strict_problems(data, data["id"], misc))


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


def _new_set(db: Database, owner_id: int, raw: dict) -> str:
    for _ in range(10):
        slug = slugify(raw.get("title") or "set")
        with immediate(db):
            set_id = queries.insert_set(db, slug, owner_id, raw.get("kind", "main"))
            if set_id is None:
                continue
            queries.save_draft(db, set_id, {**raw, "id": slug})
        return slug
    raise RuntimeError("could not find a free set id")


def create_set(db: Database, owner_id: int, title: str) -> str:
    """Create an empty draft set owned by a teacher; return its slug."""
    title = " ".join((title or "").split())
    if not 1 <= len(title) <= 200:
        raise AuthoringError(422, "Give the set a title of 1 to 200 characters.")
    return _new_set(db, owner_id, empty_set("new", title))


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
        raise AuthoringError(404, "There is no such set among yours or the shared ones.")
    if row["owner_id"] == teacher_id:
        raw = queries.draft_of(db, row["id"])
        if raw is not None:
            return OwnedSet(row, raw, True)
    version = queries.latest_published(db, slug)
    if version is None or version["kind"] != "main":
        raise AuthoringError(404, "There is no such set among yours or the shared ones.")
    return OwnedSet(row, published_raw(db, version), row["owner_id"] == teacher_id)


def owned(db: Database, slug: str, teacher_id: int) -> OwnedSet:
    """Return a set the teacher owns, else 404 (another's set is not revealed)."""
    found = readable(db, slug, teacher_id)
    if not found.mine:
        raise AuthoringError(404, "You can only change your own sets. Duplicate this one first.")
    return found


def published_raw(db: Database, version: dict) -> dict:
    """Rebuild set-file data from a stored version."""
    data = {**version["body"], "questions": []}
    for q in queries.questions_of(db, version["id"]):
        data["questions"].append({k: v for k, v in q.items() if k not in ("pk", "position")})
    return to_raw(data)


def duplicate(db: Database, owner_id: int, slug: str) -> str:
    """Copy any set the teacher can read into a new draft of theirs."""
    source = readable(db, slug, owner_id)
    raw = copy.deepcopy(source.raw)
    raw["title"] = f"Copy of {raw.get('title') or slug}"[:200]
    raw.pop("check_forms", None)
    return _new_set(db, owner_id, raw)


def save(db: Database, found: OwnedSet) -> None:
    """Store the draft of an owned set."""
    queries.save_draft(db, found.row["id"], found.raw)


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
        raise AuthoringError(422, "Fix the errors marked in the set before publishing.")
    if found.row["archived_at"]:
        raise AuthoringError(409, "Bring the set back from the archive before publishing.")
    data = {**result.data, "published": True}
    version_id, _created = sync(db, data, source=None)
    return version_id


def archive(db: Database, found: OwnedSet, archived: bool) -> None:
    """Archive a set or bring it back."""
    queries.set_archived(db, found.row["id"], archived)


def delete(db: Database, found: OwnedSet) -> None:
    """Delete a set that no session has used; a used set can only be archived."""
    with immediate(db):
        if queries.set_in_use(db, found.row["id"]):
            raise AuthoringError(
                409, "Sessions have used this set, so it can't be deleted. Archive it instead."
            )
        queries.delete_set(db, found.row["id"])


def upload(db: Database, owner_id: int, filename: str, content: bytes, misc: dict) -> str:
    """Store an uploaded set file as a new draft of the teacher's; nothing if invalid."""
    name = Path(filename or "upload.toml").name
    if len(content) > MAX_UPLOAD:
        raise InvalidSet([Problem(name, None, "(file)", "is larger than 512 KB")])
    try:
        raw = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidSet([Problem(name, None, "(file)", "is not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSet([Problem(name, None, "(file)", f"is not valid TOML: {exc}")]) from None
    data = validate(raw, name, misc)
    if data["kind"] != "main":
        raise InvalidSet([Problem(name, None, "kind", "upload a main set, not a check form")])
    clean = to_raw(data)
    clean.pop("check_forms", None)
    return _new_set(db, owner_id, clean)


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
    raise AuthoringError(404, "There is no such question in this set.")


def _new_qid(raw: dict) -> str:
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
        "id": _new_qid(raw),
        "type": qtype,
        "skills": ["EVI"],
        "difficulty": "medium",
        "stem": "",
        "evidence": [],
        "key": [],
        "explanation": "",
        "options": [],
    }
    if qtype == "true_false":
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
    twin["id"] = _new_qid(raw)
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


def _ints(values: list[str], limit: int) -> list[int]:
    out = []
    for v in values:
        n = whole(v, low=1, high=limit)
        if n is not None and n not in out:
            out.append(n)
    return sorted(out)


def question_from_form(form, passages: list[str], old: dict) -> dict:
    """Build a draft question from the editor's fields (the validator judges it).

    Field names: stem, type, difficulty, skills, explanation, teacher_note,
    confidence, reason, discernment, evidence_passage (passage numbers quoted
    whole), evidence_quotes (one exact quote per line), and per option row n:
    opt-n-text, opt-n-passage, opt-n-feedback, opt-n-misconception, opt-n-correct,
    opt-n-position; for cer: evidence_choice, evidence_right, evidence_feedback.
    """
    qtype = form.get("type") if form.get("type") in TYPES else old.get("type", "single")
    skills = [s for s in form.getlist("skills") if s in SKILLS][:2]
    if set(skills) == set(old.get("skills") or []):
        skills = list(old["skills"])  # checkboxes lose the order; keep the author's
    q: dict = {
        "id": old["id"],
        "type": qtype,
        "skills": skills,
        "difficulty": form.get("difficulty") if form.get("difficulty") in DIFFICULTIES else "",
        "stem": (form.get("stem") or "").strip(),
        "explanation": (form.get("explanation") or "").strip(),
    }
    note = (form.get("teacher_note") or "").strip()
    if note:
        q["teacher_note"] = note
    for flag in ("confidence", "reason", "discernment"):
        if form.get(flag):
            q[flag] = True
    evidence = [passages[n - 1] for n in _ints(form.getlist("evidence_passage"), len(passages))]
    for line in (form.get("evidence_quotes") or "").splitlines():
        line = line.strip()
        if line and line not in evidence:
            evidence.append(line)
    q["evidence"] = evidence

    rows = []
    for n in range(8):
        prefix = f"opt-{n}-"
        text = (form.get(prefix + "text") or "").strip()
        passage = form.get(prefix + "passage") or ""
        feedback = (form.get(prefix + "feedback") or "").strip()
        if qtype == "true_false":
            if n > 1:
                break
            text = "True" if n == 0 else "False"
        elif not (text or feedback or (qtype == "passage" and whole(passage) is not None)):
            continue
        rows.append((n, text, passage, feedback))
    options, key, positions = [], [], {}
    # Keep the ids options already have (answers and keys refer to them).
    kept = [(form.get(f"opt-{n}-id") or "").strip() for n, *_ in rows]
    used = {oid for oid in kept if OPTION_ID.match(oid)}
    spare = (oid for oid in OPTION_IDS + "ijklmnop" if oid not in used)
    for index, (n, text, passage, feedback) in enumerate(rows):
        if qtype == "true_false":
            oid = ("true", "false")[n]
        elif OPTION_ID.match(kept[index]) and kept[index] not in kept[:index]:
            oid = kept[index]
        else:
            oid = next(spare)
        option: dict = {"id": oid, "feedback": feedback}
        if qtype == "passage":
            option["passage"] = whole(passage) or 0
        else:
            option["text"] = text
        misconception = (form.get(f"opt-{n}-misconception") or "").strip()
        if misconception:
            option["misconception"] = misconception
        options.append(option)
        if qtype == "order":
            raw_pos = form.get(f"opt-{n}-position") or ""
            position = whole(raw_pos)
            positions[oid] = position if position is not None else 99 + index
        elif form.get(f"opt-{n}-correct"):
            key.append(oid)
    if qtype == "order":
        key = sorted(positions, key=lambda oid: positions[oid])
    q["options"] = options
    q["key"] = key
    if qtype == "cer":
        choices = _ints(form.getlist("evidence_choice"), len(passages))
        right = _ints(form.getlist("evidence_right"), len(passages))
        q["evidence_choices"] = sorted(set(choices) | set(right))
        q["evidence_key"] = right
        q["evidence_feedback"] = (form.get("evidence_feedback") or "").strip()
    return q


def replace_question(raw: dict, qid: str, question: dict) -> None:
    """Put an edited question back in its place in the draft."""
    index, _old = find_question(raw, qid)
    raw["questions"][index] = question


def editor_rows(q: dict, passages: list[str]) -> list[dict]:
    """Return the option rows the editor shows: the question's, plus blanks up to 6."""
    key = q.get("key") or []
    rows = []
    for n, o in enumerate(q.get("options") or []):
        rows.append(
            {
                "n": n,
                "id": o.get("id"),
                "text": o.get("text", ""),
                "passage": o.get("passage"),
                "feedback": o.get("feedback", ""),
                "misconception": o.get("misconception", ""),
                "correct": o.get("id") in key,
                "position": key.index(o["id"]) + 1 if o.get("id") in key else None,
            }
        )
    if q.get("type") != "true_false":
        # Blank rows to add options without JavaScript: up to 6, and one spare, at most 8.
        while len(rows) < min(8, max(6, len(q.get("options") or []) + 1)):
            rows.append(
                {
                    "n": len(rows),
                    "id": None,
                    "text": "",
                    "passage": None,
                    "feedback": "",
                    "misconception": "",
                    "correct": False,
                    "position": None,
                }
            )
    return rows


def evidence_fields(q: dict, passages: list[str]) -> tuple[list[int], str]:
    """Split a question's evidence into whole passages (numbers) and other quotes."""
    whole, quotes = [], []
    for quote in q.get("evidence") or []:
        if quote in passages:
            whole.append(passages.index(quote) + 1)
        else:
            quotes.append(quote)
    return whole, "\n".join(quotes)
