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

from .messages import MESSAGES, label
from .vocabulary import DIFFICULTIES, SKILLS, TYPES

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")
QID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
MAX_STEM = 600
MAX_TEXT = 2000


@dataclass(frozen=True)
class Problem:
    """One error or warning, naming the file, the question and the field.

    ``field`` is the field's path in the set file (``options[a].feedback``) and
    ``message`` says what is wrong in set-file terms; ``plain`` says it in the
    teacher's words, naming the field as the editor shows it; ``number`` is the
    question's place in the set (1 for the first), None for the set as a whole.
    """

    file: str
    question: str | None
    field: str
    message: str
    plain: str = ""
    number: int | None = None

    @classmethod
    def of(cls, file: str, field: str, code: str, **params: Any) -> Problem:
        """Return a problem of the whole file from its message code (quiz.sets.messages)."""
        technical, plain = MESSAGES[code]
        return cls(file, None, field, technical.format(**params), plain.format(**params))

    def __str__(self) -> str:
        where = self.file
        if self.question:
            where += f": question '{self.question}'"
        return f"{where}: field '{self.field}': {self.message}"


class InvalidSet(Exception):
    """A set file with errors; nothing of it was loaded."""

    def __init__(self, problems: list[Problem], raw: Any = None):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        self.raw = raw if isinstance(raw, dict) else {}  # the data, when it was read


@dataclass
class Checker:
    """Collect problems for one file while walking its data."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    number: int | None = None  # the question being checked, None for the set

    def add(self, question: str | None, field_: str, code: str, **params: Any) -> None:
        """Record a problem by its message code (quiz.sets.messages.MESSAGES).

        The image and rubric checks (sets.images, sets.rubrics, sets.cues,
        sets.material) still pass their set-file message itself rather than a code;
        it is then the message in both registers (no plain wording of its own yet).
        """
        if code in MESSAGES:
            technical, plain = MESSAGES[code]
        else:
            technical, plain = code.replace("{", "{{").replace("}", "}}"), ""
        self.problems.append(
            Problem(
                self.file,
                question,
                field_,
                technical.format(**params),
                plain.format(**params),
                self.number,
            )
        )

    def text(
        self,
        data: dict,
        key: str,
        q: str | None,
        *,
        required=True,
        limit=MAX_TEXT,
        field: str | None = None,
        name: str | None = None,
        **params: Any,
    ):
        """Check a text field; ``field`` is its path (``key`` by default) and ``name``
        its entry in messages.FIELDS (``field`` by default)."""
        path = field or key
        shown = label(name or path, **params)
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(
                    q,
                    path,
                    "option_missing" if name == "option.text" else "missing",
                    label=shown,
                    **params,
                )
            return None
        if not isinstance(value, str):
            self.add(q, path, "not_text", label=shown)
            return None
        if len(value) > limit:
            self.add(q, path, "too_long", label=shown, limit=limit)
            return None
        return value.strip()

    def flag(self, data: dict, key: str, q: str | None) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.add(q, key, "not_flag", label=label(key))
            return False
        return value


def validate(data: Any, name: str, misconceptions: dict[str, dict] | None = None) -> dict:
    """Validate set data and return it normalised; raise InvalidSet on errors."""
    c = Checker(name)
    if not isinstance(data, dict):
        raise InvalidSet([Problem.of(name, "(file)", "not_table")])
    if data.get("format") != 1:
        c.add(None, "format", "format")
    slug = data.get("id")
    if not isinstance(slug, str) or not SLUG.match(slug):
        c.add(None, "id", "set_id")
    out: dict[str, Any] = {"format": 1, "id": slug}
    for key in ("title", "language", "audience"):
        out[key] = c.text(data, key, None, limit=200)
    out["description"] = c.text(data, "description", None, required=False, limit=1000)
    published = data.get("published", True)
    if not isinstance(published, bool):
        c.add(None, "published", "not_flag", label=label("published"))
    out["published"] = published is True
    kind = data.get("kind", "main")
    if kind not in ("main", "check"):
        c.add(None, "kind", "kind")
    out["kind"] = kind
    checks = data.get("check_forms", [])
    if not isinstance(checks, list) or not all(
        isinstance(x, str) and SLUG.match(x) for x in checks
    ):
        c.add(None, "check_forms", "check_forms")
        checks = []
    out["check_forms"] = checks

    article = _article(c, data.get("article"))
    out["article"] = article
    passages = article["passages"] if article else []
    out["guide"] = _guide(c, data.get("guide"))
    out["questions"] = _questions(c, data.get("questions"), passages, misconceptions)
    if out["guide"]:
        for prompt in out["guide"]["prompts"]:
            if prompt["question"] not in {q["id"] for q in out["questions"]}:
                c.add(None, "guide.prompts", "guide_unknown", qid=prompt["question"])
    if c.problems:
        raise InvalidSet(c.problems)
    return out


def _questions(c: Checker, questions: Any, passages: list[str], misc) -> list[dict]:
    out: list[dict] = []
    if not isinstance(questions, list) or not questions:
        c.add(None, "questions", "no_questions")
        return out
    seen: set[str] = set()
    for index, q in enumerate(questions, start=1):
        c.number = index
        norm = _question(c, q, index, passages, misc)
        if norm is not None:
            if norm["id"] in seen:
                c.add(norm["id"], "id", "qid_taken")
            seen.add(norm["id"])
            out.append(norm)
    c.number = None
    return out


def _article(c: Checker, art: Any) -> dict | None:
    if not isinstance(art, dict):
        c.add(None, "article", "no_article")
        return None
    out = {
        k: c.text(art, k, None, limit=300, field=f"article.{k}")
        for k in ("title", "outlet", "language")
    }
    date = art.get("date")
    if isinstance(date, dt.date):
        date = date.isoformat()
    try:
        dt.date.fromisoformat(date)
    except (TypeError, ValueError):
        empty = date is None or (isinstance(date, str) and not date.strip())
        if empty:
            c.add(None, "article.date", "missing", label=label("article.date"))
        else:
            c.add(None, "article.date", "date")
    out["date"] = date
    out["translation_note"] = c.text(
        art, "translation_note", None, required=False, field="article.translation_note"
    )
    out["url"] = c.text(art, "url", None, required=False, limit=500, field="article.url")
    if out["url"] and not out["url"].startswith(("https://", "http://")):
        c.add(None, "article.url", "url")
    passages = art.get("passages")
    if (
        not isinstance(passages, list)
        or not passages
        or not all(isinstance(p, str) and p.strip() for p in passages)
    ):
        c.add(None, "article.passages", "passages")
        passages = []
    out["passages"] = [p.strip() for p in passages]
    if "images" in art:
        from .images import article_images

        out["images"] = article_images(c, art["images"], len(out["passages"]))
    return out


def _guide(c: Checker, guide: Any) -> dict | None:
    if guide is None:
        return None
    if not isinstance(guide, dict):
        c.add(None, "guide", "guide")
        return None
    goals = guide.get("goals", [])
    if not isinstance(goals, list) or not all(isinstance(g, str) for g in goals):
        c.add(None, "guide.goals", "guide_goals")
        goals = []
    prompts = []
    for p in guide.get("prompts", []) if isinstance(guide.get("prompts", []), list) else []:
        if not isinstance(p, dict) or not all(
            isinstance(p.get(k), str) for k in ("question", "prompt")
        ):
            c.add(None, "guide.prompts", "guide_prompt")
            continue
        prompts.append({"question": p["question"], "prompt": p["prompt"].strip()})
    return {
        "goals": goals,
        "duration": c.text(
            guide, "duration", None, required=False, limit=100, field="guide.duration"
        ),
        "sensitivity": c.text(
            guide, "sensitivity", None, required=False, field="guide.sensitivity"
        ),
        "prompts": prompts,
    }


def _question(c: Checker, q: Any, index: int, passages: list[str], misc) -> dict | None:
    if not isinstance(q, dict):
        c.add(f"#{index}", "(question)", "question_table")
        return None
    qid = q.get("id")
    if not isinstance(qid, str) or not QID.match(qid):
        c.add(f"#{index}", "id", "qid")
        qid = f"#{index}"
    qtype = q.get("type")
    if not isinstance(qtype, str) or qtype not in TYPES:  # a list or table is unhashable
        c.add(qid, "type", "type", types=", ".join(TYPES))
    skills = _skills(c, q.get("skills"), qid)
    difficulty = q.get("difficulty")
    # Not a string (a list, a table) is refused too: a dict lookup would raise on it.
    if not isinstance(difficulty, str) or difficulty not in DIFFICULTIES:
        c.add(qid, "difficulty", "difficulty")
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
    # Images (sets.images) and written answers (sets.rubrics) have their own modules.
    from . import images, rubrics

    if "image" in q:
        out["image"] = images.image(c, q["image"], qid, "image")
    if qtype == "open":
        out.update(rubrics.open_parts(c, q, qid))
        return out
    rubrics.refuse_open_fields(c, q, qid)
    options = _options(c, q.get("options"), qid, qtype, passages, misc)
    out["options"] = options
    ids = [o["id"] for o in options]
    out["key"] = _key(c, q.get("key"), qid, qtype, ids)
    if qtype == "true_false" and sorted(ids) != ["false", "true"]:
        c.add(qid, "options", "true_false")
    if qtype == "cer":
        out.update(_cer(c, q, qid, len(passages)))
    else:
        for extra in ("evidence_choices", "evidence_key", "evidence_feedback"):
            if extra in q:
                c.add(qid, extra, "cer_only", label=label(extra))
    return out


def _skills(c: Checker, skills: Any, qid: str) -> list[str]:
    if (
        not isinstance(skills, list)
        or not 1 <= len(skills) <= 2
        or not all(isinstance(s, str) and s in SKILLS for s in skills)
        or len(set(skills)) != len(skills)
    ):
        c.add(qid, "skills", "skills", codes=" ".join(SKILLS))
        return []
    return skills


def _evidence(c: Checker, evidence: Any, qid: str, passages: list[str]) -> list[str]:
    if (
        not isinstance(evidence, list)
        or not evidence
        or not all(isinstance(e, str) and e.strip() for e in evidence)
    ):
        c.add(qid, "evidence", "evidence")
        return []
    for quote in evidence:
        if passages and not any(quote in p for p in passages):
            c.add(qid, "evidence", "quote", quote=quote[:60])
    return evidence


def _key(c: Checker, key: Any, qid: str, qtype: Any, ids: list[str]) -> list[str]:
    if not isinstance(key, list) or not key or not all(isinstance(k, str) for k in key):
        c.add(qid, "key", "key_order" if qtype == "order" else "key_list")
        return []
    if len(set(key)) != len(key):
        c.add(qid, "key", "key_twice")
    elif unknown := [k for k in key if k not in ids]:
        c.add(qid, "key", "key_unknown", ids=", ".join(unknown))
    elif qtype in ("single", "true_false", "cer") and len(key) != 1:
        c.add(qid, "key", "key_one")
    elif qtype == "order" and sorted(key) != sorted(ids):
        c.add(qid, "key", "key_every")
    # A multiple-choice question whose every option is right is allowed, if unusual.
    return key


def _options(c: Checker, options: Any, qid: str, qtype, passages, misc) -> list[dict]:
    if not isinstance(options, list) or not 2 <= len(options) <= 8:
        c.add(qid, "options", "options_count")
        return []
    out = []
    for n, o in enumerate(options, start=1):
        if not isinstance(o, dict):
            c.add(qid, f"options[{n}]", "option_table", n=n)
            continue
        oid = o.get("id")
        if not isinstance(oid, str) or not OPTION_ID.match(oid):
            c.add(qid, f"options[{n}].id", "option_id", n=n)
            oid = f"#{n}"
        out.append(_option(c, o, oid, n, qid, qtype, passages, misc))
    if len({o["id"] for o in out}) != len(out):
        c.add(qid, "options", "option_ids")
    return out


def _option(c: Checker, o: dict, oid: str, n: int, qid: str, qtype, passages, misc) -> dict:
    where = f"options[{oid}]"
    opt = {
        "id": oid,
        "feedback": c.text(
            o, "feedback", qid, field=f"{where}.feedback", name="option.feedback", n=n
        ),
        "misconception": o.get("misconception"),
    }
    if qtype == "passage":
        number = o.get("passage")
        if (
            not isinstance(number, int)
            or isinstance(number, bool)
            or not (1 <= number <= len(passages))
        ):
            c.add(qid, f"{where}.passage", "passage_number", n=n, count=len(passages))
            number = None
        if "text" in o:
            c.add(qid, f"{where}.text", "passage_text", n=n)
        opt["passage"] = number
        opt["text"] = passages[number - 1] if number else ""
    else:
        text = c.text(o, "text", qid, limit=500, field=f"{where}.text", name="option.text", n=n)
        opt["text"] = text or ""
    m = opt["misconception"]
    if m is not None and (not isinstance(m, str) or (misc is not None and m not in misc)):
        c.add(qid, f"{where}.misconception", "misconception", n=n, name=str(m)[:60])
    return opt


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
        c.add(qid, "evidence_choices", "cer_choices", count=n_passages)
        choices = []
    if not numbers(keyed):
        c.add(qid, "evidence_key", "cer_key", count=n_passages)
        keyed = []
    elif not set(keyed) <= set(choices):
        c.add(qid, "evidence_key", "cer_among")
    return {
        "evidence_choices": choices,
        "evidence_key": keyed,
        "evidence_feedback": c.text(q, "evidence_feedback", qid),
    }
