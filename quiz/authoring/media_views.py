"""The editor's pages for images and rubrics: a question's image (upload, replace,
remove), the article's images by passage, and a written question's rubric. Each is
its own page and form, linked from the question editor (``authoring.media``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from ..accounts.access import teacher_required
from ..numbers import whole
from ..storage.connection import get_db
from ..web.forms import EmptyForm, require_csrf, show_refusal
from . import drafts, media
from .drafts import AuthoringError
from .media_forms import ArticleImageForm, ImageForm, RubricForm
from .views import bp, editor_url, owned_set


def _upload() -> tuple[str, bytes] | None:
    file = request.files.get("file")
    if file is None or not file.filename:
        return None
    return file.filename, file.read(media.MAX_UPLOAD + 1)


def _question_page(found, qid: str, form, template: str, status: int = 200):
    index, q = drafts.find_question(found.raw, qid)
    return render_template(
        template, s=found, q=q, index=index, form=form, remove=EmptyForm(), raw=found.raw
    ), status


@bp.route("/sets/<slug>/questions/<qid>/image", methods=["GET", "POST"])
@teacher_required
def question_image(slug: str, qid: str) -> ResponseReturnValue:
    return _question_media(slug, qid, ImageForm)


@bp.post("/sets/<slug>/questions/<qid>/image/remove")
@teacher_required
def remove_question_image(slug: str, qid: str) -> ResponseReturnValue:
    require_csrf()
    found = owned_set(slug)
    media.remove_question_image(get_db(), found, qid)
    flash(_("Image removed from the question."))
    return redirect(url_for("authoring.edit_question", slug=slug, qid=qid), 303)


@bp.route("/sets/<slug>/questions/<qid>/rubric", methods=["GET", "POST"])
@teacher_required
def question_rubric(slug: str, qid: str) -> ResponseReturnValue:
    return _question_media(slug, qid, RubricForm)


def _rubric_data(q: dict) -> dict:
    """The rubric form's fields as the question has them (``clear_descriptor``…)."""
    data = {
        f"{level}_{key}": text
        for level, table in (q.get("rubric") or {}).items()
        for key, text in table.items()
    }
    return {**data, "marking": q.get("marking", "teacher"), "lateral": q.get("lateral")}


def _save_image(found: drafts.OwnedSet, qid: str) -> None:
    media.set_question_image(get_db(), found, qid, request.form, _upload())


def _save_rubric(found: drafts.OwnedSet, qid: str) -> None:
    media.set_rubric(get_db(), found, qid, request.form)


class QuestionMedia(NamedTuple):
    """One of a question's own pages: its template, how the form is filled from the
    question, how it is saved, the field a refusal is shown beside, what it says once
    saved."""

    template: str
    initial: Callable[[dict], dict]
    save: Callable[[drafts.OwnedSet, str], None]
    field: str
    saved: str


QUESTION_MEDIA = {
    ImageForm: QuestionMedia(
        "authoring/question_image.html",
        lambda q: q.get("image") or {},
        _save_image,
        "file",
        _l("Image saved. Students see it with the question, its caption, credit and licence."),
    ),
    RubricForm: QuestionMedia(
        "authoring/question_rubric.html", _rubric_data, _save_rubric, "marking", _l("Rubric saved.")
    ),
}


def _question_media(
    slug: str, qid: str, form_class: type[ImageForm] | type[RubricForm]
) -> ResponseReturnValue:
    """A question's image or rubric page: the form filled from the question (GET), or
    saved (POST); a refusal is the page again with the problem beside its field."""
    page = QUESTION_MEDIA[form_class]
    template = page.template
    found = owned_set(slug)
    _index, q = drafts.find_question(found.raw, qid)
    if request.method == "GET":
        form = form_class(formdata=None, data=page.initial(q))
        return _question_page(found, qid, form, template)
    form = form_class()
    if not form.validate_on_submit():
        return _question_page(found, qid, form, template, 422)
    try:
        page.save(found, qid)
    except AuthoringError as exc:
        show_refusal(form, exc, page.field)
        return _question_page(found, qid, form, template, exc.status)
    flash(str(page.saved))
    return redirect(url_for("authoring.edit_question", slug=slug, qid=qid), 303)


def _article_page(found, form: ArticleImageForm, status: int = 200):
    return render_template(
        "authoring/article_images.html",
        s=found,
        raw=found.raw,
        form=form,
        remove=EmptyForm(),
        images=found.raw.get("article", {}).get("images") or [],
    ), status


def _article_form(found, formdata=None) -> ArticleImageForm:
    form = ArticleImageForm(formdata=formdata)
    passages = found.raw.get("article", {}).get("passages", [])
    form.passage.choices = [
        SelectChoice(n, f"{n}: {text[:70]}") for n, text in enumerate(passages, start=1)
    ]
    return form


@bp.route("/sets/<slug>/article/images", methods=["GET", "POST"])
@teacher_required
def article_image(slug: str) -> ResponseReturnValue:
    found = owned_set(slug)
    if request.method == "GET":
        return _article_page(found, _article_form(found))
    form = _article_form(found, request.form)
    if not form.validate_on_submit():
        return _article_page(found, form, 422)
    try:
        media.set_article_image(get_db(), found, form.passage.data, request.form, _upload())
    except AuthoringError as exc:
        show_refusal(form, exc, "file")
        return _article_page(found, form, exc.status)
    flash(_("Image saved with passage %(data)s.", data=form.passage.data))
    return redirect(url_for("authoring.article_image", slug=slug), 303)


@bp.post("/sets/<slug>/article/images/remove")
@teacher_required
def remove_article_image(slug: str) -> ResponseReturnValue:
    require_csrf()
    found = owned_set(slug)
    media.remove_article_image(get_db(), found, whole(request.form.get("passage", "")))
    flash(_("Image removed from the article."))
    return redirect(editor_url(slug, "article"), 303)
