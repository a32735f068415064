"""Teachers' set pages: their sets, and the set editor's details and article.

Questions and the preview are in ``editor_views``; publishing, archiving and files in
``publish_views`` (the same blueprint)."""

from __future__ import annotations

from collections.abc import Callable

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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from ..accounts.access import teacher_required
from ..refusal import Refusal
from ..sets.vocabulary import SKILLS
from ..storage import queries
from ..storage.connection import get_db
from ..web.cache import current
from ..web.forms import EmptyForm
from ..web.htmx import page_path
from ..web.i18n import for_set
from ..web.urls import public_url
from . import drafts, publishing, recipes
from .editor import scope_ids
from .editor_parts import passage_choices
from .forms import (
    AddQuestionForm,
    ArticleForm,
    CopyForm,
    DetailsForm,
    MoveForm,
    NewSetForm,
    RecipeForm,
)

bp = Blueprint("authoring", __name__, url_prefix="/teach")


def misconception_list() -> dict:
    """Return the shared misconception list the editor offers and checks against."""
    return publishing.misconceptions(current_app.config["QUESTIONS_DIR"], current())


def owned_set(slug: str) -> drafts.OwnedSet:
    """The signed-in teacher's own set (else 404), its content marked in its language."""
    found = drafts.owned(get_db(), slug, g.teacher.id)
    for_set(found.raw)
    return found


def readable_set(slug: str) -> drafts.OwnedSet:
    """A set the signed-in teacher may read (theirs or shared), marked in its language."""
    found = drafts.readable(get_db(), slug, g.teacher.id)
    for_set(found.raw)
    return found


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
        new_form=scope_ids(NewSetForm(formdata=None), "new-"),
    )


@bp.post("/sets")
@teacher_required
def create() -> ResponseReturnValue:
    form = NewSetForm()
    if not form.validate():
        raise drafts.AuthoringError(422, form.title.errors[0])
    slug = drafts.create_set(get_db(), g.teacher.id, form.title.data)
    return redirect(editor_url(slug), 303)


@bp.post("/sets/<slug>/duplicate")
@teacher_required
def duplicate(slug: str) -> ResponseReturnValue:
    new = drafts.duplicate(get_db(), g.teacher.id, slug)
    flash(_("This is your copy. Change what you like, then publish it."))
    return redirect(editor_url(new), 303)


# The set editor ------------------------------------------------------------------


def _practice_url(found: drafts.OwnedSet) -> tuple[str | None, str | None]:
    """Return the address of the set's practice link for the teacher to copy, built as
    every link is (web.urls.public_url: BASE_URL or an allowed host), and None; or None
    and the message saying how to give a server its address when it does not know it."""
    token = found.row.get("practice_token")
    if not (found.mine and token):
        return None, None
    try:
        return public_url("play.practice_link", token=token), None
    except Refusal as exc:
        return None, exc.message


def editor_context(found: drafts.OwnedSet, *, checked: bool = False, **forms) -> dict:
    """Return what the set editor's page shows; ``checked`` after a refused publish
    (every problem is marked), ``forms`` to show refused forms with their errors."""
    db = get_db()
    result = publishing.check(found.raw, misconception_list())
    raw = found.raw
    article = raw.get("article", {})
    passages = article.get("passages", [])
    details = forms.get("details_form") or DetailsForm(formdata=None, data=raw)
    text = {**article, "text": "\n\n".join(passages)}
    article_form = forms.get("article_form") or ArticleForm(formdata=None, data=text)
    scope_ids(details, "set-")
    scope_ids(article_form, "art-")
    practice_url, practice_problem = _practice_url(found)
    return {
        "s": found,
        "raw": raw,
        "result": result,
        "checked": checked,
        "todo": publishing.todo(raw, result),
        "state": publishing.status(db, found, result),
        "passages": passages,
        "details_form": details,
        "article_form": article_form,
        "add_form": scope_ids(AddQuestionForm(formdata=None), "new-"),
        "tools": question_tools(found) if found.mine else {},
        "recipe_form": recipe_form(found),
        "recipes": recipes.offered(recipe_list()),
        "practice_url": practice_url,
        "practice_problem": practice_problem,
        "report_link": found.mine and queries.import_report_of(db, found.row["id"]) is not None,
        "form": EmptyForm(),
        # A question's heading is an h3 under the editor's "Questions", an h2 on the
        # question's own page (also when htmx swaps it in there).
        "heading_level": 2 if page_path().endswith("/edit") else 3,
    }


def recipe_list() -> dict[str, dict]:
    """Return the question recipes (quiz/authoring/recipes.toml), by id."""
    return recipes.load(cache=current())


def recipe_form(found: drafts.OwnedSet, formdata=None) -> RecipeForm:
    """Return the "Start from a recipe" form, its choices this set's passages and the
    recipes grouped by skill."""
    form = RecipeForm(formdata=formdata)
    form.passage.choices = passage_choices(found.raw.get("article", {}).get("passages", []))
    form.recipe.choices = [
        SelectChoice(r["id"], r["title"], optgroup=f"{SKILLS[r['skills'][0]]} ({r['skills'][0]})")
        for r in recipe_list().values()
    ]
    return scope_ids(form, "recipe-")


def question_tools(found: drafts.OwnedSet) -> dict[str, dict]:
    """Return each question's move and copy forms, their fields' ids made unique."""
    questions = found.raw.get("questions", [])
    targets = drafts.other_sets(get_db(), g.teacher.id, found.slug)
    out = {}
    for q in questions:
        copy = CopyForm(formdata=None)
        copy.target.choices = targets
        out[q["id"]] = {
            "move_form": scope_ids(MoveForm(formdata=None, total=len(questions)), f"q-{q['id']}-"),
            "copy_form": scope_ids(copy, f"q-{q['id']}-"),
        }
    return out


@bp.get("/sets/<slug>")
@teacher_required
def edit_set(slug: str) -> ResponseReturnValue:
    """The set editor; ``?checked=1`` (from the publish page that found errors) marks
    every problem, as a refused publish does."""
    found = readable_set(slug)
    checked = request.args.get("checked") == "1"
    return render_template("authoring/set.html", **editor_context(found, checked=checked))


@bp.post("/sets/<slug>/details")
@teacher_required
def details(slug: str) -> ResponseReturnValue:
    return _save_part(slug, DetailsForm(), "details", drafts.update_details)


@bp.post("/sets/<slug>/article")
@teacher_required
def article(slug: str) -> ResponseReturnValue:
    return _save_part(slug, ArticleForm(), "article", drafts.update_article)


# What the editor says once a part is saved ({count}: the article's passages).
PART_SAVED = {
    "details": _l("Set details saved."),
    "article": _l("Article saved as {count} numbered passages."),
}


def _save_part(
    slug: str, form: DetailsForm | ArticleForm, part: str, update: Callable[[dict, dict], None]
) -> ResponseReturnValue:
    """Save one part of the set editor (its details or its article) from its form; a
    refused form is the editor again with that form's problems (422)."""
    found = owned_set(slug)
    if not form.validate():
        context = editor_context(found, **{f"{part}_form": form})
        return render_template("authoring/set.html", **context), 422
    update(found.raw, form.data)
    drafts.save(get_db(), found)
    count = len((found.raw.get("article") or {}).get("passages") or [])
    flash(PART_SAVED[part].format(count=count))
    return redirect(editor_url(slug, part), 303)
