"""Validate set data: every field of a set file checked, every problem named.

``validate`` returns the data normalised (defaults filled in, passage options given
their text) or raises ``InvalidSet`` listing each problem with its file, question and
field. The format is described in questions/README.md.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .messages import label
from .problems import Checker, InvalidSet, Problem
from .question_checks import MAX_STEM, OPTION_ID, QID, question

__all__ = ["MAX_STEM", "OPTION_ID", "QID", "Checker", "InvalidSet", "Problem", "validate"]

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")


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
        norm = question(c, q, index, passages, misc)
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
