"""A set's lifecycle pages: publish, archive or delete it, and files in and out
(download as a set file, GIFT, Moodle XML or QTI; upload a Lateral set file, GIFT,
Moodle XML or a spreadsheet as a new draft, and read the import's report)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlite_utils import Database

from ..accounts import audit
from ..accounts.access import teacher_required
from ..storage import queries
from ..storage.connection import get_db
from . import drafts, files, imports, publishing
from .drafts import AuthoringError
from .forms import UploadForm
from .imports import ImportRefused
from .interchange.templates import FOLDER as TEMPLATES
from .views import bp, editor_context, editor_url, misconception_list, owned_set, readable_set


@bp.get("/sets/<slug>/publish")
@teacher_required
def confirm_publish(slug: str) -> ResponseReturnValue:
    """Ask before publishing: what a new version means, and the errors that block it."""
    found = owned_set(slug)
    return render_template("authoring/publish.html", **editor_context(found))


@bp.post("/sets/<slug>/publish")
@teacher_required
def publish(slug: str) -> ResponseReturnValue:
    found = owned_set(slug)
    try:
        publishing.publish(get_db(), found, misconception_list())
    except AuthoringError as exc:
        audit.log("set_publish", "refused", set=slug, status=exc.status)
        flash(exc.message)
        context = editor_context(found, checked=True)
        return render_template("authoring/set.html", **context), exc.status
    version = queries.latest_version(get_db(), slug)
    audit.log("set_publish", "ok", set=slug, version=version["number"])
    flash(_("Published as version %(number)s. Sessions can now run it.", number=version["number"]))
    return redirect(editor_url(slug), 303)


@bp.post("/sets/<slug>/<any(archive, unarchive):action>")
@teacher_required
def archive(slug: str, action: str) -> ResponseReturnValue:
    return _switch(slug, action, drafts.archive, action == "archive", f"set_{action}")


@bp.post("/sets/<slug>/practice-link/<any(make, stop):action>")
@teacher_required
def practice_link(slug: str, action: str) -> ResponseReturnValue:
    # Logged: a practice link opens the set to anyone.
    event = f"practice_link_{action}"
    return _switch(slug, action, drafts.practice_link, action == "make", event, "practice")


# What the editor says once a switch of the set is turned (by the action in its URL).
SWITCHED = {
    "archive": _l("Set archived."),
    "unarchive": _l("Set brought back from the archive."),
    "make": _l("Practice link made: copy it for your students."),
    "stop": _l("Practice link stopped: it no longer opens the set."),
}


def _switch(
    slug: str,
    action: str,
    change: Callable[[Database, drafts.OwnedSet, bool], None],
    on: bool,
    event: str,
    anchor: str | None = None,
) -> ResponseReturnValue:
    """Turn one of a set's switches (archived, its practice link) on or off, record it in
    the audit log and say so."""
    found = owned_set(slug)
    change(get_db(), found, on)
    audit.log(event, "ok", set=slug)
    flash(str(SWITCHED[action]))
    return redirect(editor_url(slug, anchor), 303)


@bp.post("/sets/<slug>/delete")
@teacher_required
def delete(slug: str) -> ResponseReturnValue:
    found = owned_set(slug)
    drafts.delete(get_db(), found)
    audit.log("set_delete", "ok", set=slug)
    flash(_("Set deleted."))
    return redirect(url_for("authoring.home"), 303)


@bp.get("/sets/<slug>/download/<any(toml, gift, xml, qti):kind>")
@teacher_required
def download(slug: str, kind: str) -> ResponseReturnValue:
    found = readable_set(slug)
    body, mimetype, filename = files.download(found, kind, misconception_list(), get_db())
    # content_type as it is: the writers' types name their charset once (issue 13).
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _upload_page(form: UploadForm, status: int = 200, refused: ImportRefused | None = None):
    context = {"form": form, "refused": refused}
    if refused is not None and refused.report:
        context["report"] = imports.sorted_lines(refused.report)
    return render_template("authoring/upload.html", **context), status


TEMPLATE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@bp.route("/upload", methods=["GET", "POST"])
@teacher_required
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if request.method == "GET":
        return _upload_page(form)
    if not form.validate():
        return _upload_page(form, 422)
    file = form.file.data
    try:
        brought = imports.bring_in(
            get_db(),
            g.teacher.id,
            file.filename,
            file.read(),
            form.title.data,
            misconception_list(),
        )
    except ImportRefused as exc:
        return _upload_page(form, 422, exc)
    if brought.reported:
        return redirect(url_for("authoring.imported", slug=brought.slug), 303)
    flash(_("Set uploaded as a new draft. Check it, then publish it."))
    return redirect(editor_url(brought.slug), 303)


@bp.get("/upload/<any(xlsx, csv):kind>")
@teacher_required
def template(kind: str) -> ResponseReturnValue:
    """The spreadsheet template: a header row and three finished example questions."""
    name = f"lateral-questions.{kind}"
    response = Response((TEMPLATES / name).read_bytes(), content_type=TEMPLATE_TYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/sets/<slug>/imported")
@teacher_required
def imported(slug: str) -> ResponseReturnValue:
    found = owned_set(slug)
    report = imports.report_of(get_db(), found)
    return render_template("authoring/imported.html", s=found, raw=found.raw, report=report)
