"""The set editor's question pages: add, edit, reorder and delete questions, and the
preview that shows a question exactly as students see it (storing nothing)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..accounts.access import teacher_required
from ..play import answering, feedback, sessions
from ..sets.validation import InvalidSet, validate
from ..storage.connection import get_db
from ..web.forms import EmptyForm, require_csrf
from ..web.htmx import is_partial, render
from . import drafts, editor, publishing
from .drafts import AuthoringError
from .views import bp, editor_context, editor_url, misconception_list, require_fields


def _question_item(found: drafts.OwnedSet, qid: str, *, editing: bool, status: int = 200):
    """Render one question of the editor: its summary, or its form."""
    context = editor_context(found)
    index, q = drafts.find_question(found.raw, qid)
    context.update(_question_context(found, q, index))
    template = "authoring/_question_form.html" if editing else "authoring/_question.html"
    if is_partial():
        response = current_app.make_response((render_template(template, **context), status))
        response.vary.add("HX-Request")
        return response
    if editing:
        return render_template("authoring/question_page.html", **context), status
    return redirect(editor_url(found.slug, f"q-{qid}"), 303)


def _question_context(found: drafts.OwnedSet, q: dict, index: int) -> dict:
    passages = found.raw.get("article", {}).get("passages", [])
    whole, quotes = editor.evidence_fields(q, passages)
    result = publishing.check(found.raw, misconception_list())
    return {
        "q": q,
        "index": index,
        "total": len(found.raw.get("questions", [])),
        "rows": editor.editor_rows(q, passages),
        "evidence_whole": whole,
        "evidence_quotes": quotes,
        "problems": result.for_question(q["id"]),
        "suggestions": result.suggestions_for(q["id"]),
        "misconceptions": misconception_list(),
    }


@bp.post("/sets/<slug>/questions")
@teacher_required
def add_question(slug: str) -> ResponseReturnValue:
    require_csrf()
    found = drafts.owned(get_db(), slug, g.teacher.id)
    qid = drafts.add_question(found.raw, request.form.get("type", "single"))
    drafts.save(get_db(), found)
    if is_partial():
        return _question_item(found, qid, editing=True)
    return redirect(url_for("authoring.edit_question", slug=slug, qid=qid), 303)


@bp.get("/sets/<slug>/questions/<qid>")
@teacher_required
def show_question(slug: str, qid: str) -> ResponseReturnValue:
    found = drafts.readable(get_db(), slug, g.teacher.id)
    return _question_item(found, qid, editing=False)


@bp.route("/sets/<slug>/questions/<qid>/edit", methods=["GET", "POST"])
@teacher_required
def edit_question(slug: str, qid: str) -> ResponseReturnValue:
    found = drafts.owned(get_db(), slug, g.teacher.id)
    _index, old = drafts.find_question(found.raw, qid)
    if request.method == "GET":
        return _question_item(found, qid, editing=True)
    require_csrf()
    require_fields("type", "stem", "explanation", "difficulty")
    passages = found.raw.get("article", {}).get("passages", [])
    drafts.replace_question(found.raw, qid, editor.question_from_form(request.form, passages, old))
    drafts.save(get_db(), found)
    # A type switch or an error keeps the form open; otherwise show the summary.
    errors = publishing.check(found.raw, misconception_list()).for_question(qid)
    keep_open = request.form.get("action") == "refresh" or bool(errors)
    if keep_open:
        return _question_item(found, qid, editing=True)
    if not is_partial():
        # In place, the folded item itself shows the save; a flash would wait for
        # the next full page and confuse.
        flash("Question saved.")
    return _question_item(found, qid, editing=False)


@bp.get("/sets/<slug>/questions/<qid>/delete")
@teacher_required
def confirm_delete_question(slug: str, qid: str) -> ResponseReturnValue:
    """Ask before deleting a question: in place in the editor (htmx), or as a page."""
    found = drafts.owned(get_db(), slug, g.teacher.id)
    context = editor_context(found)
    index, q = drafts.find_question(found.raw, qid)
    context.update(q=q, index=index)
    return render("authoring/delete_question.html", "authoring/_delete_question.html", **context)


@bp.post("/sets/<slug>/questions/<qid>/<any(delete, duplicate, up, down):action>")
@teacher_required
def question_action(slug: str, qid: str, action: str) -> ResponseReturnValue:
    require_csrf()
    found = drafts.owned(get_db(), slug, g.teacher.id)
    target = qid
    if action == "delete":
        drafts.delete_question(found.raw, qid)
        target = None
    elif action == "duplicate":
        target = drafts.duplicate_question(found.raw, qid)
    else:
        drafts.move_question(found.raw, qid, -1 if action == "up" else 1)
    drafts.save(get_db(), found)
    if is_partial():
        context = editor_context(found)
        return render("authoring/set.html", "authoring/_questions.html", **context)
    return redirect(editor_url(slug, f"q-{target}" if target else "questions"), 303)


@bp.get("/sets/<slug>/preview")
@teacher_required
def preview_set(slug: str) -> ResponseReturnValue:
    found = drafts.readable(get_db(), slug, g.teacher.id)
    questions = found.raw.get("questions", [])
    if not questions:
        flash("Add a question before previewing.")
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
            "This question can't be previewed until its errors are fixed: "
            + "; ".join(p.field + " " + p.message for p in exc.problems[:3]),
        ) from None
    question = {**data["questions"][0], "pk": 0, "number": index + 1, "part": "main"}
    return data, question, index


def slug_or(found: drafts.OwnedSet) -> str:
    return found.raw.get("id") or found.slug


@bp.route("/sets/<slug>/preview/<qid>", methods=["GET", "POST"])
@teacher_required
def preview(slug: str, qid: str) -> ResponseReturnValue:
    found = drafts.readable(get_db(), slug, g.teacher.id)
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
        require_csrf()
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
