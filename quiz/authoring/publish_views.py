"""A set's lifecycle pages: publish, archive or delete it, and set files in and out
(download as a set file, GIFT or Moodle XML; upload a file as a new draft)."""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..accounts import audit
from ..accounts.access import teacher_required
from ..sets.validation import InvalidSet
from ..storage import queries
from ..storage.connection import get_db
from ..web.forms import EmptyForm, require_csrf
from . import drafts, files, publishing
from .drafts import AuthoringError
from .views import bp, editor_context, editor_url, misconception_list


@bp.get("/sets/<slug>/publish")
@teacher_required
def confirm_publish(slug: str) -> ResponseReturnValue:
    """Ask before publishing: what a new version means, and the errors that block it."""
    found = drafts.owned(get_db(), slug, g.teacher.id)
    return render_template("authoring/publish.html", **editor_context(found))


@bp.post("/sets/<slug>/publish")
@teacher_required
def publish(slug: str) -> ResponseReturnValue:
    require_csrf()
    found = drafts.owned(get_db(), slug, g.teacher.id)
    try:
        publishing.publish(get_db(), found, misconception_list())
    except AuthoringError as exc:
        audit.log("set_publish", "refused", set=slug, status=exc.status)
        flash(exc.message)
        context = editor_context(found)
        return render_template("authoring/set.html", **context), exc.status
    version = queries.latest_version(get_db(), slug)
    audit.log("set_publish", "ok", set=slug, version=version["number"])
    flash(f"Published as version {version['number']}. Sessions can now run it.")
    return redirect(editor_url(slug), 303)


@bp.post("/sets/<slug>/<any(archive, unarchive):action>")
@teacher_required
def archive(slug: str, action: str) -> ResponseReturnValue:
    require_csrf()
    found = drafts.owned(get_db(), slug, g.teacher.id)
    drafts.archive(get_db(), found, action == "archive")
    audit.log(f"set_{action}", "ok", set=slug)
    flash("Set archived." if action == "archive" else "Set brought back from the archive.")
    return redirect(editor_url(slug), 303)


@bp.post("/sets/<slug>/delete")
@teacher_required
def delete(slug: str) -> ResponseReturnValue:
    require_csrf()
    found = drafts.owned(get_db(), slug, g.teacher.id)
    drafts.delete(get_db(), found)
    audit.log("set_delete", "ok", set=slug)
    flash("Set deleted.")
    return redirect(url_for("authoring.home"), 303)


@bp.get("/sets/<slug>/download/<any(toml, gift, xml):kind>")
@teacher_required
def download(slug: str, kind: str) -> ResponseReturnValue:
    found = drafts.readable(get_db(), slug, g.teacher.id)
    body, mimetype, filename = files.download(found, kind, misconception_list())
    response = Response(body, content_type=f"{mimetype}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/upload", methods=["GET", "POST"])
@teacher_required
def upload() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("authoring/upload.html", form=EmptyForm(), problems=[])
    require_csrf()
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_template(
            "authoring/upload.html", form=EmptyForm(), problems=["Choose a .toml set file."]
        ), 422
    try:
        slug = files.upload(
            get_db(), g.teacher.id, file.filename, file.read(), misconception_list()
        )
    except InvalidSet as exc:
        return render_template(
            "authoring/upload.html", form=EmptyForm(), problems=[str(p) for p in exc.problems]
        ), 422
    flash("Set uploaded as a new draft. Check it, then publish it.")
    return redirect(editor_url(slug), 303)
