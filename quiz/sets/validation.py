"""Validate set data: every field of a set file checked, every problem named.

``validate`` returns the data normalised (defaults filled in, passage options given
their text) or raises ``InvalidSet`` listing each problem with its file, question and
field. The format is described in questions/README.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .vocabulary import DIFFICULTIES, SKILLS, TYPES

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")
QID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
MAX_STEM = 600
MAX_TEXT = 2000


@dataclass(frozen=True)
class Problem:
    """One error or warning, naming the file, the question and the field."""

    file: str
    question: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.question:
            where += f": question '{self.question}'"
        return f"{where}: field '{self.field}': {self.message}"


class InvalidSet(Exception):
    """A set file with errors; nothing of it was loaded."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Checker:
    """Collect problems for one file while walking its data."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, question: str | None, field_: str, message: str) -> None:
        self.problems.append(Problem(self.file, question, field_, message))

    def text(self, data: dict, key: str, q: str | None, *, required=True, limit=MAX_TEXT):
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(q, key, "is missing")
            return None
        if not isinstance(value, str):
            self.add(q, key, "must be text")
            return None
        if len(value) > limit:
            self.add(q, key, f"is longer than {limit} characters")
            return None
        return value.strip()

    def flag(self, data: dict, key: str, q: str | None) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.add(q, key, "must be true or false")
            return False
        return value


def validate(data: Any, name: str, misconceptions: dict[str, dict] | None = None) -> dict:
    """Validate set data and return it normalised; raise InvalidSet on errors."""
    c = Checker(name)
    if not isinstance(data, dict):
        raise InvalidSet([Problem(name, None, "(file)", "must be a table")])
    if data.get("format") != 1:
        c.add(None, "format", "must be 1")
    slug = data.get("id")
    if not isinstance(slug, str) or not SLUG.match(slug):
        c.add(None, "id", "must be a slug of 3–60 characters: a-z, 0-9 and -")
    out: dict[str, Any] = {"format": 1, "id": slug}
    for key in ("title", "language", "audience"):
        out[key] = c.text(data, key, None, limit=200)
    out["description"] = c.text(data, "description", None, required=False, limit=1000)
    published = data.get("published", True)
    if not isinstance(published, bool):
        c.add(None, "published", "must be true or false")
    out["published"] = published is True
    kind = data.get("kind", "main")
    if kind not in ("main", "check"):
        c.add(None, "kind", "must be 'main' or 'check'")
    out["kind"] = kind
    checks = data.get("check_forms", [])
    if not isinstance(checks, list) or not all(
        isinstance(x, str) and SLUG.match(x) for x in checks
    ):
        c.add(None, "check_forms", "must be a list of set ids")
        checks = []
    out["check_forms"] = checks

    article = _article(c, data.get("article"))
    out["article"] = article
    passages = article["passages"] if article else []
    out["guide"] = _guide(c, data.get("guide"))

    questions = data.get("questions")
    out["questions"] = []
    if not isinstance(questions, list) or not questions:
        c.add(None, "questions", "must have at least one [[questions]] table")
    else:
        seen: set[str] = set()
        for index, q in enumerate(questions, start=1):
            norm = _question(c, q, index, passages, misconceptions)
            if norm is None:
                continue
            if norm["id"] in seen:
                c.add(norm["id"], "id", "is used by another question in this set")
            seen.add(norm["id"])
            out["questions"].append(norm)
    if out["guide"]:
        for prompt in out["guide"]["prompts"]:
            if prompt["question"] not in {q["id"] for q in out["questions"]}:
                c.add(None, "guide.prompts", f"names unknown question '{prompt['question']}'")
    if c.problems:
        raise InvalidSet(c.problems)
    return out


def _article(c: Checker, art: Any) -> dict | None:
    if not isinstance(art, dict):
        c.add(None, "article", "is missing: add an [article] table")
        return None
    out = {k: c.text(art, k, None, limit=300) for k in ("title", "outlet", "language")}
    date = art.get("date")
    if isinstance(date, dt.date):
        date = date.isoformat()
    try:
        dt.date.fromisoformat(date)
    except (TypeError, ValueError):
        c.add(None, "article.date", "must be a date written YYYY-MM-DD")
    out["date"] = date
    out["translation_note"] = c.text(art, "translation_note", None, required=False)
    out["url"] = c.text(art, "url", None, required=False, limit=500)
    if out["url"] and not out["url"].startswith(("https://", "http://")):
        c.add(None, "article.url", "must start with https:// or http://")
    passages = art.get("passages")
    if (
        not isinstance(passages, list)
        or not passages
        or not all(isinstance(p, str) and p.strip() for p in passages)
    ):
        c.add(None, "article.passages", "must be a list of non-empty strings")
        passages = []
    out["passages"] = [p.strip() for p in passages]
    return out


def _guide(c: Checker, guide: Any) -> dict | None:
    if guide is None:
        return None
    if not isinstance(guide, dict):
        c.add(None, "guide", "must be a table")
        return None
    goals = guide.get("goals", [])
    if not isinstance(goals, list) or not all(isinstance(g, str) for g in goals):
        c.add(None, "guide.goals", "must be a list of strings")
        goals = []
    prompts = []
    for p in guide.get("prompts", []) if isinstance(guide.get("prompts", []), list) else []:
        if not isinstance(p, dict) or not all(
            isinstance(p.get(k), str) for k in ("question", "prompt")
        ):
            c.add(None, "guide.prompts", "each needs 'question' and 'prompt' strings")
            continue
        prompts.append({"question": p["question"], "prompt": p["prompt"].strip()})
    return {
        "goals": goals,
        "duration": c.text(guide, "duration", None, required=False, limit=100),
        "sensitivity": c.text(guide, "sensitivity", None, required=False),
        "prompts": prompts,
    }


def _question(c: Checker, q: Any, index: int, passages: list[str], misc) -> dict | None:
    if not isinstance(q, dict):
        c.add(f"#{index}", "(question)", "must be a table")
        return None
    qid = q.get("id")
    if not isinstance(qid, str) or not QID.match(qid):
        c.add(f"#{index}", "id", "must be a slug: a-z, 0-9, - and _")
        qid = f"#{index}"
    qtype = q.get("type")
    if qtype not in TYPES:
        c.add(qid, "type", f"must be one of: {', '.join(TYPES)}")
    skills = _skills(c, q.get("skills"), qid)
    difficulty = q.get("difficulty")
    if not isinstance(difficulty, str) or difficulty not in DIFFICULTIES:
        c.add(qid, "difficulty", "must be easy, medium or hard")
    out = {
        "id": qid,
        "type": qtype,
        "skills": skills,
        "difficulty": difficulty,
        "stem": c.text(q, "stem", qid, limit=MAX_STEM),
        "explanation": c.text(q, "explanation", qid),
        "teacher_note": c.text(q, "teacher_note", qid, required=False),
        "confidence": c.flag(q, "confidence", qid),
        "reason": c.flag(q, "reason", qid) or qtype == "cer",
        "discernment": c.flag(q, "discernment", qid),
    }
    out["evidence"] = _evidence(c, q.get("evidence"), qid, passages)
    options = _options(c, q.get("options"), qid, qtype, passages, misc)
    out["options"] = options
    ids = [o["id"] for o in options]
    out["key"] = _key(c, q.get("key"), qid, qtype, ids)
    if qtype == "true_false" and sorted(ids) != ["false", "true"]:
        c.add(qid, "options", "a true_false question has options 'true' and 'false'")
    if qtype == "cer":
        out.update(_cer(c, q, qid, len(passages)))
    else:
        for extra in ("evidence_choices", "evidence_key", "evidence_feedback"):
            if extra in q:
                c.add(qid, extra, "is only for cer questions")
    return out


def _skills(c: Checker, skills: Any, qid: str) -> list[str]:
    if (
        not isinstance(skills, list)
        or not 1 <= len(skills) <= 2
        or not all(isinstance(s, str) and s in SKILLS for s in skills)
        or len(set(skills)) != len(skills)
    ):
        c.add(qid, "skills", f"must list one or two of: {' '.join(SKILLS)}")
        return []
    return skills


def _evidence(c: Checker, evidence: Any, qid: str, passages: list[str]) -> list[str]:
    if (
        not isinstance(evidence, list)
        or not evidence
        or not all(isinstance(e, str) and e.strip() for e in evidence)
    ):
        c.add(qid, "evidence", "must list at least one exact quote from the article")
        return []
    for quote in evidence:
        if passages and not any(quote in p for p in passages):
            c.add(qid, "evidence", f"quote not found verbatim in the article: {quote[:60]!r}")
    return evidence


def _key(c: Checker, key: Any, qid: str, qtype: Any, ids: list[str]) -> list[str]:
    if not isinstance(key, list) or not key or not all(isinstance(k, str) for k in key):
        c.add(qid, "key", "must be a list of option ids")
        return []
    if len(set(key)) != len(key):
        c.add(qid, "key", "lists an option twice")
    elif unknown := [k for k in key if k not in ids]:
        c.add(qid, "key", f"names options that do not exist: {', '.join(unknown)}")
    elif qtype in ("single", "true_false", "cer") and len(key) != 1:
        c.add(qid, "key", "must name exactly one option")
    elif qtype == "order" and sorted(key) != sorted(ids):
        c.add(qid, "key", "must list every option once, in the right order")
    # A multiple-choice question whose every option is right is allowed, if unusual.
    return key


def _options(c: Checker, options: Any, qid: str, qtype, passages, misc) -> list[dict]:
    if not isinstance(options, list) or not 2 <= len(options) <= 8:
        c.add(qid, "options", "must have 2 to 8 [[questions.options]] tables")
        return []
    out = []
    for n, o in enumerate(options, start=1):
        if not isinstance(o, dict):
            c.add(qid, f"options[{n}]", "must be a table")
            continue
        oid = o.get("id")
        if not isinstance(oid, str) or not OPTION_ID.match(oid):
            c.add(qid, f"options[{n}].id", "must be a short id: a-z, 0-9, - and _")
            oid = f"#{n}"
        opt = {
            "id": oid,
            "feedback": c.text(o, "feedback", qid),
            "misconception": o.get("misconception"),
        }
        if opt["feedback"] is None:
            c.problems[-1] = Problem(c.file, qid, f"options[{oid}].feedback", "is missing")
        if qtype == "passage":
            number = o.get("passage")
            if (
                not isinstance(number, int)
                or isinstance(number, bool)
                or not (1 <= number <= len(passages))
            ):
                c.add(qid, f"options[{oid}].passage", f"must be a passage number 1–{len(passages)}")
                number = None
            if "text" in o:
                c.add(
                    qid, f"options[{oid}].text", "passage options take their text from the article"
                )
            opt["passage"] = number
            opt["text"] = passages[number - 1] if number else ""
        else:
            text = c.text(o, "text", qid, limit=500)
            if text is None:
                c.problems[-1] = Problem(c.file, qid, f"options[{oid}].text", "is missing or empty")
            opt["text"] = text or ""
        m = opt["misconception"]
        if m is not None and (not isinstance(m, str) or (misc is not None and m not in misc)):
            c.add(qid, f"options[{oid}].misconception", f"is not in misconceptions.toml: {m!r}")
        out.append(opt)
    if len({o["id"] for o in out}) != len(out):
        c.add(qid, "options", "option ids must be unique in the question")
    return out


def _cer(c: Checker, q: dict, qid: str, n_passages: int) -> dict:
    choices = q.get("evidence_choices")
    keyed = q.get("evidence_key")

    def numbers(value) -> bool:
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(x, int) and not isinstance(x, bool) for x in value)
            and all(1 <= x <= n_passages for x in value)
        )

    if not numbers(choices):
        c.add(qid, "evidence_choices", f"must list passage numbers 1–{n_passages}")
        choices = []
    if not numbers(keyed):
        c.add(qid, "evidence_key", f"must list passage numbers 1–{n_passages}")
        keyed = []
    elif not set(keyed) <= set(choices):
        c.add(qid, "evidence_key", "must be among evidence_choices")
    return {
        "evidence_choices": choices,
        "evidence_key": keyed,
        "evidence_feedback": c.text(q, "evidence_feedback", qid),
    }
