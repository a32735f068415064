"""Check one question of a set file: its type, skills, evidence, options, key and CER parts.

Called by sets.validation for each entry of `questions`; every problem goes to the
`Checker` (sets.problems) by its message code (sets.messages).
"""

from __future__ import annotations

import re
from typing import Any

from .messages import label
from .problems import Checker
from .vocabulary import DIFFICULTIES, SKILLS, TYPES

QID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
MAX_STEM = 600


def question(c: Checker, q: Any, index: int, passages: list[str], misc) -> dict | None:
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
