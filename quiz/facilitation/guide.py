"""A published set's facilitator guide: goals, timing, discussion prompts, skills.

A shared set's guide is public, but its teacher notes are shown only to a signed-in
teacher (they hint at the wrong options). A teacher's own set's guide is behind sign-in
and shown to its owner alone, like its editor (issue 13, finding 11).
"""

from __future__ import annotations

from flask import abort, g, render_template
from flask.typing import ResponseReturnValue

from ..accounts.access import signin_required_page
from ..storage import queries
from ..storage.connection import get_db
from ..web.i18n import for_set
from . import guide_parts
from .views import bp


@bp.get("/sets/<slug>/guide")
def guide(slug: str) -> ResponseReturnValue:
    version = queries.latest_published(get_db(), slug)
    if version is not None and version["owner_id"] is not None:
        if g.teacher is None:
            return signin_required_page()
        if version["owner_id"] != g.teacher.id:
            abort(404)
    if version is None:
        abort(404)
    questions = queries.questions_of(get_db(), version["id"])
    by_id = {q["id"]: q for q in questions}
    body = version["body"]
    for_set(body)
    prompts = [
        {**p, "q": by_id[p["question"]]} for p in (body.get("guide") or {}).get("prompts", [])
    ]
    checks = [queries.latest_published(get_db(), s) for s in body.get("check_forms", [])]
    return render_template(
        "facilitation/guide.html",
        version=version,
        body=body,
        guide=body.get("guide") or {},
        prompts=prompts,
        questions=questions,
        checks=[c for c in checks if c],
        tags=_tag_counts(questions),
        notes=g.teacher is not None,
        **guide_parts.parts(get_db(), body, questions, [c for c in checks if c]),
    )


def _tag_counts(questions: list[dict]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for q in questions:
        for tag in q["skills"]:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items())
