"""The set editor's question pages: add, edit, reorder, move, copy and delete questions,
and the preview that shows a question exactly as students see it (storing nothing)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..accounts.access import teacher_required
from ..play import answering, feedback, sessions
from ..sets.validation import InvalidSet, validate
from ..storage.connection import get_db
from ..web.forms import EmptyForm
from ..web.htmx import is_partial, render
from . import drafts, editor, publishing, recipes
from .drafts import AuthoringError
from .editor_parts import Context
from .forms import AddQuestionForm, CopyForm, MoveForm
from .views import (
    bp,
    editor_context,
    editor_url,
    misconception_list,
    owned_set,
    readable_set,
    recipe_form,
    recipe_list,
)


def _context(found: drafts.OwnedSet, qid: str) -> Context:
    _index, old = drafts.find_question(found.raw, qid)
    return Context(found.raw.get("article", {}).get("passages", []), misconception_list(), old)


def _question_item(
    found: drafts.OwnedSet,
    qid: str,
    *,
    editing: bool,
    status: int = 200,
    form: editor.QuestionForm | None = None,
    marks: editor.Marks | None = None,
):
    """Render one question of the editor: its summary, or its form."""
    context = editor_context(found, checked=bool(marks and marks.check))
    index, q = drafts.find_question(found.raw, qid)
    context.update(_question_context(found, q, index, form, marks or editor.Marks()))
    template = "authoring/_question_form.html" if editing else "authoring/_question.html"
    if is_partial():
        response = current_app.make_response((render_template(template, **context), status))
        response.vary.add("HX-Request")
        return response
    if editing:
        return render_template("authoring/question_page.html", **context), status
    return redirect(editor_url(found.slug, f"q-{qid}"), 303)


def _question_context(
    found: drafts.OwnedSet, q: dict, index: int, form, marks: editor.Marks
) -> dict:
    ctx = Context(found.raw.get("article", {}).get("passages", []), misconception_list(), q)
    result = publishing.check(found.raw, misconception_list())
    problems = result.for_question(q["id"])
    shown = marks.shown(problems)
    suggestions = result.suggestions_for(q["id"])
    qform = form or editor.question_form(ctx, q, marks)
    editor.attach(qform, {} if form else shown, suggestions)
    return {
        "q": q,
        "index": index,
        "total": len(found.raw.get("questions", [])),
        "qform": qform,
        "refused": form is not None,
        "problems": problems,
        "unfinished": len(problems) - len(shown),
        "marked": len(shown),
        "suggestions": suggestions,
    }


@bp.post("/sets/<slug>/questions")
@teacher_required
def add_question(slug: str) -> ResponseReturnValue:
    found = owned_set(slug)
    form = AddQuestionForm()
    if not form.validate():
        raise AuthoringError(422, _("Choose one of the question types offered."), "type")
    qid = drafts.add_question(found.raw, form.type.data)
    drafts.save(get_db(), found)
    if is_partial():
        return _question_item(found, qid, editing=True)
    return redirect(url_for("authoring.edit_question", slug=slug, qid=qid), 303)


@bp.get("/sets/<slug>/questions/<qid>")
@teacher_required
def show_question(slug: str, qid: str) -> ResponseReturnValue:
    found = readable_set(slug)
    marks = editor.Marks(check=request.args.get("check") == "1")
    return _question_item(found, qid, editing=False, marks=marks)


@bp.route("/sets/<slug>/questions/<qid>/edit", methods=["GET", "POST"])
@teacher_required
def edit_question(slug: str, qid: str) -> ResponseReturnValue:
    found = owned_set(slug)
    ctx = _context(found, qid)
    if request.method == "GET":
        marks = editor.Marks(check=request.args.get("check") == "1")
        return _question_item(found, qid, editing=True, marks=marks)
    form = editor.question_form(ctx, formdata=request.form)
    if not form.validate():
        return _question_item(found, qid, editing=True, status=422, form=form)
    question = form.to_question(ctx)
    marks = editor.Marks.read(form).after(ctx.old, question)
    drafts.replace_question(found.raw, qid, question)
    drafts.save(get_db(), found)
    # A type switch or a marked problem keeps the form open; otherwise show the summary.
    problems = publishing.check(found.raw, misconception_list()).for_question(qid)
    if form.action.data == "refresh" or marks.shown(problems):
        return _question_item(found, qid, editing=True, marks=marks)
    if not is_partial():
        # In place, the folded item itself shows the save; a flash would wait for
        # the next full page and confuse.
        flash(_("Question saved."))
    return _question_item(found, qid, editing=False, marks=marks)


def _questions_section(found: drafts.OwnedSet, target: str | None) -> ResponseReturnValue:
    """Answer a change to the list: the list again for htmx, else the editor page."""
    if is_partial():
        return render("authoring/set.html", "authoring/_questions.html", **editor_context(found))
    return redirect(editor_url(found.slug, f"q-{target}" if target else "questions"), 303)


@bp.get("/sets/<slug>/questions/<qid>/delete")
@teacher_required
def confirm_delete_question(slug: str, qid: str) -> ResponseReturnValue:
    """Ask before deleting a question: in place in the editor (htmx), or as a page."""
    found = owned_set(slug)
    context = editor_context(found)
    index, q = drafts.find_question(found.raw, qid)
    context.update(q=q, index=index)
    return render("authoring/delete_question.html", "authoring/_delete_question.html", **context)


@bp.post("/sets/<slug>/questions/<qid>/<any(delete, duplicate, up, down):action>")
@teacher_required
def question_action(slug: str, qid: str, action: str) -> ResponseReturnValue:
    found = owned_set(slug)
    target: str | None = qid
    if action == "delete":
        drafts.delete_question(found.raw, qid)
        target = None
    elif action == "duplicate":
        target = drafts.duplicate_question(found.raw, qid)
    else:
        drafts.move_question(found.raw, qid, -1 if action == "up" else 1)
    drafts.save(get_db(), found)
    return _questions_section(found, target)


@bp.post("/sets/<slug>/questions/<qid>/move")
@teacher_required
def move_question(slug: str, qid: str) -> ResponseReturnValue:
    found = owned_set(slug)
    drafts.find_question(found.raw, qid)
    form = MoveForm(total=len(found.raw["questions"]))
    if not form.validate():
        raise AuthoringError(422, form.position.errors[0], "position")
    drafts.move_question_to(found.raw, qid, form.position.number)
    drafts.save(get_db(), found)
    return _questions_section(found, qid)


@bp.post("/sets/<slug>/questions/<qid>/copy")
@teacher_required
def copy_question(slug: str, qid: str) -> ResponseReturnValue:
    db = get_db()
    found = owned_set(slug)
    form = CopyForm()
    form.target.choices = drafts.other_sets(db, g.teacher.id, slug)
    if not form.validate():
        raise AuthoringError(422, form.target.errors[0], "target")
    title = drafts.copy_question(db, found, qid, g.teacher.id, form.target.data)
    flash(_("Question copied to the end of “%(title)s”.", title=title))
    return redirect(editor_url(slug, f"q-{qid}"), 303)


@bp.post("/sets/<slug>/recipe")
@teacher_required
def from_recipe(slug: str) -> ResponseReturnValue:
    found = owned_set(slug)
    form = recipe_form(found, request.form)
    if not form.validate():
        field = "passage" if form.passage.errors else "recipe"
        raise AuthoringError(422, form[field].errors[0], field)
    recipe = recipe_list()[form.recipe.data]
    qid = recipes.add_to(found.raw, recipe, form.passage.number, misconception_list())
    drafts.save(get_db(), found)
    return redirect(url_for("authoring.edit_question", slug=slug, qid=qid), 303)


@bp.get("/sets/<slug>/preview")
@teacher_required
def preview_set(slug: str) -> ResponseReturnValue:
    found = readable_set(slug)
    questions = found.raw.get("questions", [])
    if not questions:
        flash(_("Add a question before previewing."))
        return redirect(editor_url(slug), 303)
    return redirect(url_for("authoring.preview", slug=slug, qid=questions[0]["id"]), 303)


def _preview_data(found: drafts.OwnedSet, qid: str) -> tuple[dict, dict, int]:
    """Validate one question on its own so it can be shown even in a draft with errors."""
    index, q = drafts.find_question(found.raw, qid)
    single = {**found.raw, "questions": [q]}
    single.pop("guide", None)
    try:
        data = validate(single, slug_or(found), misconception_list())
    except InvalidSet as exc:
        raise AuthoringError(
            422,
            _("This question can't be previewed until it is finished: ")
            + " ".join(p.plain for p in exc.problems[:3]),
        ) from None
    question = {**data["questions"][0], "pk": 0, "number": index + 1, "part": "main"}
    return data, question, index


def slug_or(found: drafts.OwnedSet) -> str:
    return found.raw.get("id") or found.slug


@bp.route("/sets/<slug>/preview/<qid>", methods=["GET", "POST"])
@teacher_required
def preview(slug: str, qid: str) -> ResponseReturnValue:
    found = readable_set(slug)
    data, q, index = _preview_data(found, qid)
    questions = found.raw.get("questions", [])
    nav = {
        "prev": questions[index - 1]["id"] if index > 0 else None,
        "next": questions[index + 1]["id"] if index + 1 < len(questions) else None,
    }
    article = data["article"]
    context = {
        "s": found,
        "q": q,
        "number": index + 1,
        "total": len(questions),
        "article": article,
        "nav": nav,
        "multi": answering.takes_several(q),
        "form": EmptyForm(),
        "error": None,
        "part": None,
    }
    if request.method == "POST":
        try:
            answer = answering.grade(q, request.form)
        except sessions.PlayError as exc:
            context["error"] = exc.message
            context["context"] = feedback.context_passages(q, article["passages"])
            return render(
                "authoring/preview.html", "authoring/_preview.html", status=exc.status, **context
            )
        context["r"] = feedback.review(q, answer, article["passages"])
        return render("authoring/preview.html", "authoring/_preview.html", **context)
    context["context"] = feedback.context_passages(q, article["passages"])
    return render("authoring/preview.html", "authoring/_preview.html", **context)
