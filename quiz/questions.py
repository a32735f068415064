"""Read, validate and load question-set files (format in questions/README.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .storage import queries
from .storage.connection import immediate

SKILLS = {
    "EVI": "Evidence vs claim",
    "SRC": "Source and motive",
    "ATT": "Attribution and quote chains",
    "ACT": "Actions vs words",
    "COR": "Corroboration",
    "TIM": "Time",
    "NUM": "Numbers",
    "GEO": "Place",
    "TXT": "Text provenance",
    "STR": "Structure and framing",
    "NXT": "Next moves",
    "CAL": "Calibration",
}
TYPES = ("single", "multiple", "true_false", "passage", "order", "cer")
DIFFICULTIES = ("easy", "medium", "hard")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")
QID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
ALL_NONE = re.compile(
    r"\b(all|none|both|neither) of (the|these|those) (above|options|answers)\b", re.I
)
MAX_STEM = 600
FULL_SET = 24  # from this many questions, a main set must cover every skill
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


def load_misconceptions(path: Path) -> dict[str, dict]:
    """Read the shared misconception list; an absent file means none."""
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def parse_file(path: Path, misconceptions: dict[str, dict] | None = None) -> dict:
    """Parse and validate one set file; raise InvalidSet listing every error."""
    name = str(path)
    try:
        raw = path.read_bytes().decode("utf-8")
        data = tomllib.loads(raw)
    except UnicodeDecodeError:
        raise InvalidSet([Problem(name, None, "(file)", "is not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSet([Problem(name, None, "(file)", f"is not valid TOML: {exc}")]) from None
    return validate(data, name, misconceptions)


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
    skills = q.get("skills")
    if (
        not isinstance(skills, list)
        or not 1 <= len(skills) <= 2
        or not all(isinstance(s, str) and s in SKILLS for s in skills)
        or len(set(skills)) != len(skills)
    ):
        c.add(qid, "skills", f"must list one or two of: {' '.join(SKILLS)}")
        skills = []
    difficulty = q.get("difficulty")
    if difficulty not in DIFFICULTIES:
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
    evidence = q.get("evidence")
    if (
        not isinstance(evidence, list)
        or not evidence
        or not all(isinstance(e, str) and e.strip() for e in evidence)
    ):
        c.add(qid, "evidence", "must list at least one exact quote from the article")
        evidence = []
    for quote in evidence:
        if passages and not any(quote in p for p in passages):
            c.add(qid, "evidence", f"quote not found verbatim in the article: {quote[:60]!r}")
    out["evidence"] = evidence

    options = _options(c, q.get("options"), qid, qtype, passages, misc)
    out["options"] = options
    ids = [o["id"] for o in options]
    key = q.get("key")
    if not isinstance(key, list) or not key or not all(isinstance(k, str) for k in key):
        c.add(qid, "key", "must be a list of option ids")
        key = []
    elif len(set(key)) != len(key):
        c.add(qid, "key", "lists an option twice")
    elif unknown := [k for k in key if k not in ids]:
        c.add(qid, "key", f"names options that do not exist: {', '.join(unknown)}")
    elif qtype in ("single", "true_false", "cer") and len(key) != 1:
        c.add(qid, "key", "must name exactly one option")
    elif qtype == "order" and sorted(key) != sorted(ids):
        c.add(qid, "key", "must list every option once, in the right order")
    elif qtype == "multiple" and len(key) == len(ids) and len(ids) > 1:
        pass  # every option right is allowed, if unusual
    out["key"] = key
    if qtype == "true_false" and sorted(ids) != ["false", "true"]:
        c.add(qid, "options", "a true_false question has options 'true' and 'false'")
    if qtype == "cer":
        out.update(_cer(c, q, qid, len(passages)))
    else:
        for extra in ("evidence_choices", "evidence_key", "evidence_feedback"):
            if extra in q:
                c.add(qid, extra, "is only for cer questions")
    return out


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


def strict_problems(data: dict, name: str, misconceptions: dict[str, dict]) -> list[Problem]:
    """Return the content checks of CONTENT.md that a program can make."""
    c = Checker(name)
    questions = data["questions"]
    for q in questions:
        words = len(q["explanation"].split())
        if not 40 <= words <= 80:
            c.add(q["id"], "explanation", f"has {words} words; write 40–80")
        for o in q["options"]:
            if o["id"] not in q["key"] and q["type"] != "order":
                if not o["misconception"]:
                    c.add(q["id"], f"options[{o['id']}].misconception", "names no misconception")
                elif o["misconception"] not in misconceptions:
                    c.add(q["id"], f"options[{o['id']}].misconception", "is not in the shared list")
            if ALL_NONE.search(o["text"]):
                c.add(q["id"], f"options[{o['id']}].text", "uses 'all/none of the above'")
    tags: dict[str, int] = {}
    for q in questions:
        for s in q["skills"]:
            tags[s] = tags.get(s, 0) + 1
    for tag, count in sorted(tags.items()):
        if len(questions) >= 10 and count > len(questions) / 5:
            c.add(
                None,
                "skills",
                f"{tag} is on {count} of {len(questions)} questions; at most a fifth",
            )
    if data["kind"] == "main" and len(questions) >= FULL_SET:
        for tag in SKILLS:
            if tags.get(tag, 0) < 2:
                c.add(
                    None, "skills", f"{tag} is on {tags.get(tag, 0)} questions; a full set needs 2"
                )
        discerning = sum(q["discernment"] for q in questions)
        if discerning < len(questions) / 4:
            c.add(
                None,
                "discernment",
                f"{discerning} of {len(questions)} questions are keyed against blanket "
                "scepticism; at least a quarter",
            )
    singles = [q for q in questions if q["type"] == "single"]
    if len(singles) >= 5:
        positions: dict[int, int] = {}
        longest = 0
        for q in singles:
            ids = [o["id"] for o in q["options"]]
            positions[ids.index(q["key"][0])] = positions.get(ids.index(q["key"][0]), 0) + 1
            lengths = {o["id"]: len(o["text"]) for o in q["options"]}
            if lengths[q["key"][0]] == max(lengths.values()):
                longest += 1
        for pos, count in sorted(positions.items()):
            if count > 0.35 * len(singles):
                c.add(
                    None,
                    "key",
                    f"position {pos + 1} holds {count} of {len(singles)} single keys; at most 35%",
                )
        if longest > 0.4 * len(singles):
            c.add(
                None,
                "key",
                f"the key is the longest option in {longest} of {len(singles)} "
                "single questions; at most 40%",
            )
    return c.problems


def content_hash(data: dict) -> str:
    """Hash the normalised set so an unchanged file is recognised."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def sync(db: Database, data: dict, source: str | None = None) -> tuple[int, bool]:
    """Store a validated set; return (version id, whether a new version was made)."""
    digest = content_hash(data)
    with immediate(db):
        latest = queries.latest_version(db, data["id"])
        if latest and latest["content_hash"] == digest:
            return latest["id"], False
        version_id = queries.insert_version(db, data, digest, source)
    return version_id, True


def set_files(folder: Path) -> list[Path]:
    """List the set files in a folder (every .toml but the misconception list)."""
    return sorted(p for p in folder.glob("*.toml") if p.name != "misconceptions.toml")


def to_raw(data: dict) -> dict:
    """Turn a normalised set back into set-file data (what a file would hold).

    ``validate(to_raw(data))`` gives ``data`` back.
    """

    def prune(d: dict) -> dict:
        return {k: v for k, v in d.items() if v is not None and v is not False and v != []}

    raw = prune({k: v for k, v in data.items() if k not in ("article", "guide", "questions")})
    raw["published"] = data["published"]
    raw["article"] = prune(dict(data["article"]))
    if data.get("guide"):
        raw["guide"] = prune(dict(data["guide"]))
    raw["questions"] = []
    for q in data["questions"]:
        rq = prune({k: v for k, v in q.items() if k != "options"})
        if q["type"] == "cer":
            rq.pop("reason", None)  # always on for cer
        rq["options"] = []
        for o in q["options"]:
            ro = prune(dict(o))
            if q["type"] == "passage":
                ro.pop("text", None)
            rq["options"].append(ro)
        raw["questions"].append(rq)
    return raw
