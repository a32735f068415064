"""Teachers' set pages: their sets, and the set editor's details and article.

Questions and the preview are in ``editor_views``; publishing, archiving and files in
``publish_views`` (the same blueprint)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from ..accounts.access import teacher_required
from ..sets.vocabulary import SKILLS
from ..storage import queries
from ..storage.connection import get_db
from ..web.cache import current
from ..web.forms import EmptyForm, require_csrf
from ..web.htmx import page_path
from . import drafts, publishing
from .drafts import AuthoringError

bp = Blueprint("authoring", __name__, url_prefix="/teach")


def misconception_list() -> dict:
    """Return the shared misconception list the editor offers and checks against."""
    return publishing.misconceptions(current_app.config["QUESTIONS_DIR"], current())


def require_fields(*fields: str) -> None:
    """Refuse a form that lacks fields its page always sends (a malformed request)."""
    if any(name not in request.form for name in fields):
        raise AuthoringError(
            422, "The form was incomplete, so nothing was changed. Reload and try again."
        )


def editor_url(slug: str, anchor: str | None = None) -> str:
    """Return the address of a set's editor page (at ``anchor``, if given)."""
    return url_for("authoring.edit_set", slug=slug, _anchor=anchor)


# Home ------------------------------------------------------------------------


def _matches(title: str, tags: set[str], text: str, tag: str) -> bool:
    return (not text or text.lower() in title.lower()) and (not tag or tag in tags)


@bp.get("/")
@teacher_required
def home() -> ResponseReturnValue:
    db = get_db()
    text = request.args.get("q", "").strip()[:100]
    tag = request.args.get("tag", "")
    tag = tag if tag in SKILLS else ""
    mine = []
    for row in queries.sets_owned_by(db, g.teacher.id):
        raw = row["draft"] or {}
        tags = {t for q in raw.get("questions", []) for t in q.get("skills", [])}
        if _matches(raw.get("title", ""), tags, text, tag):
            state = (
                "archived" if row["archived_at"] else ("published" if row["versions"] else "draft")
            )
            mine.append(
                {
                    **row,
                    "title": raw.get("title", row["slug"]),
                    "state": state,
                    "count": len(raw.get("questions", [])),
                }
            )
    shared = []
    for v in queries.shared_sets(db):
        tags = {t for q in queries.questions_of(db, v["id"]) for t in q["skills"]}
        if _matches(v["title"], tags, text, tag):
            shared.append(v)
    return render_template(
        "authoring/home.html",
        mine=mine,
        shared=shared,
        text=text,
        tag=tag,
        form=EmptyForm(),
    )


@bp.post("/sets")
@teacher_required
def create() -> ResponseReturnValue:
    require_csrf()
    slug = drafts.create_set(get_db(), g.teacher.id, request.form.get("title", ""))
    return redirect(editor_url(slug), 303)


@bp.post("/sets/<slug>/duplicate")
@teacher_required
def duplicate(slug: str) -> ResponseReturnValue:
    require_csrf()
    new = drafts.duplicate(get_db(), g.teacher.id, slug)
    flash("This is your copy. Change what you like, then publish it.")
    return redirect(editor_url(new), 303)


# The set editor ------------------------------------------------------------------


def editor_context(found: drafts.OwnedSet) -> dict:
    db = get_db()
    result = publishing.check(found.raw, misconception_list())
    passages = found.raw.get("article", {}).get("passages", [])
    return {
        "s": found,
        "raw": found.raw,
        "result": result,
        "state": publishing.status(db, found, result),
        "passages": passages,
        "article_text": "\n\n".join(passages),
        "form": EmptyForm(),
        # A question's heading is an h3 under the editor's "Questions", an h2 on the
        # question's own page (also when htmx swaps it in there).
        "heading_level": 2 if page_path().endswith("/edit") else 3,
    }


@bp.get("/sets/<slug>")
@teacher_required
def edit_set(slug: str) -> ResponseReturnValue:
    found = drafts.readable(get_db(), slug, g.teacher.id)
    return render_template("authoring/set.html", **editor_context(found))


@bp.post("/sets/<slug>/details")
@teacher_required
def details(slug: str) -> ResponseReturnValue:
    require_csrf()
    found = drafts.owned(get_db(), slug, g.teacher.id)
    require_fields("title", "audience", "language")
    drafts.update_details(found.raw, request.form)
    drafts.save(get_db(), found)
    flash("Set details saved.")
    return redirect(editor_url(slug, "details"), 303)


@bp.post("/sets/<slug>/article")
@teacher_required
def article(slug: str) -> ResponseReturnValue:
    require_csrf()
    found = drafts.owned(get_db(), slug, g.teacher.id)
    require_fields("title", "outlet", "date", "language", "text")
    drafts.update_article(found.raw, request.form)
    drafts.save(get_db(), found)
    count = len(found.raw["article"]["passages"])
    flash(f"Article saved as {count} numbered passages.")
    return redirect(editor_url(slug, "article"), 303)
