"""Teacher pages: their sets, the set editor, preview, publish, files in and out."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from . import authoring, exports
from .accounts.access import teacher_required
from .authoring import AuthoringError
from .play import answering, feedback, sessions
from .sets.validation import InvalidSet, validate
from .sets.vocabulary import DIFFICULTIES, SKILLS, TYPES
from .storage import queries
from .storage.connection import get_db
from .web.forms import EmptyForm
from .web.htmx import is_partial, render

bp = Blueprint("author", __name__, url_prefix="/teach")


def _misc() -> dict:
    return authoring.misconceptions(current_app.config["QUESTIONS_DIR"])


def _csrf_only() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


def _require(*fields: str) -> None:
    """Refuse a form that lacks fields its page always sends (a malformed request)."""
    if any(name not in request.form for name in fields):
        raise AuthoringError(
            422, "The form was incomplete, so nothing was changed. Reload and try again."
        )


def _editor_url(slug: str, anchor: str | None = None) -> str:
    return url_for("author.edit_set", slug=slug, _anchor=anchor)


# Home ------------------------------------------------------------------------


def _matches(title: str, tags: set[str], text: str, tag: str) -> bool:
    return (not text or text.lower() in title.lower()) and (not tag or tag in tags)


@bp.get("/")
@teacher_required
def home():
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
        "author/home.html",
        mine=mine,
        shared=shared,
        text=text,
        tag=tag,
        skills=SKILLS,
        form=EmptyForm(),
    )


@bp.post("/sets")
@teacher_required
def create():
    _csrf_only()
    slug = authoring.create_set(get_db(), g.teacher.id, request.form.get("title", ""))
    return redirect(_editor_url(slug), 303)


@bp.post("/sets/<slug>/duplicate")
@teacher_required
def duplicate(slug: str):
    _csrf_only()
    new = authoring.duplicate(get_db(), g.teacher.id, slug)
    flash("This is your copy. Change what you like, then publish it.")
    return redirect(_editor_url(new), 303)


# The set editor ------------------------------------------------------------------


def _editor_context(found: authoring.OwnedSet) -> dict:
    db = get_db()
    result = authoring.check(found.raw, _misc())
    passages = found.raw.get("article", {}).get("passages", [])
    return {
        "s": found,
        "raw": found.raw,
        "result": result,
        "state": authoring.status(db, found, result),
        "passages": passages,
        "article_text": "\n\n".join(passages),
        "form": EmptyForm(),
        "skills": SKILLS,
        "types": authoring.TYPE_LABELS,
        "difficulties": DIFFICULTIES,
    }


@bp.get("/sets/<slug>")
@teacher_required
def edit_set(slug: str):
    found = authoring.readable(get_db(), slug, g.teacher.id)
    return render_template("author/set.html", **_editor_context(found))


@bp.post("/sets/<slug>/details")
@teacher_required
def details(slug: str):
    _csrf_only()
    found = authoring.owned(get_db(), slug, g.teacher.id)
    _require("title", "audience", "language")
    authoring.update_details(found.raw, request.form)
    authoring.save(get_db(), found)
    flash("Set details saved.")
    return redirect(_editor_url(slug, "details"), 303)


@bp.post("/sets/<slug>/article")
@teacher_required
def article(slug: str):
    _csrf_only()
    found = authoring.owned(get_db(), slug, g.teacher.id)
    _require("title", "outlet", "date", "language", "text")
    authoring.update_article(found.raw, request.form)
    authoring.save(get_db(), found)
    count = len(found.raw["article"]["passages"])
    flash(f"Article saved as {count} numbered passages.")
    return redirect(_editor_url(slug, "article"), 303)


# Questions -----------------------------------------------------------------------


def _question_item(found: authoring.OwnedSet, qid: str, *, editing: bool, status: int = 200):
    """Render one question of the editor: its summary, or its form."""
    context = _editor_context(found)
    index, q = authoring.find_question(found.raw, qid)
    context.update(_question_context(found, q, index))
    template = "author/_question_form.html" if editing else "author/_question.html"
    if is_partial():
        response = current_app.make_response((render_template(template, **context), status))
        response.vary.add("HX-Request")
        return response
    if editing:
        return render_template("author/question_page.html", **context), status
    return redirect(_editor_url(found.slug, f"q-{qid}"), 303)


def _question_context(found: authoring.OwnedSet, q: dict, index: int) -> dict:
    passages = found.raw.get("article", {}).get("passages", [])
    whole, quotes = authoring.evidence_fields(q, passages)
    result = authoring.check(found.raw, _misc())
    return {
        "q": q,
        "index": index,
        "total": len(found.raw.get("questions", [])),
        "rows": authoring.editor_rows(q, passages),
        "evidence_whole": whole,
        "evidence_quotes": quotes,
        "problems": result.for_question(q["id"]),
        "suggestions": result.suggestions_for(q["id"]),
        "misconceptions": _misc(),
        "question_types": TYPES,
    }


@bp.post("/sets/<slug>/questions")
@teacher_required
def add_question(slug: str):
    _csrf_only()
    found = authoring.owned(get_db(), slug, g.teacher.id)
    qid = authoring.add_question(found.raw, request.form.get("type", "single"))
    authoring.save(get_db(), found)
    if is_partial():
        return _question_item(found, qid, editing=True)
    return redirect(url_for("author.edit_question", slug=slug, qid=qid), 303)


@bp.get("/sets/<slug>/questions/<qid>")
@teacher_required
def show_question(slug: str, qid: str):
    found = authoring.readable(get_db(), slug, g.teacher.id)
    return _question_item(found, qid, editing=False)


@bp.route("/sets/<slug>/questions/<qid>/edit", methods=["GET", "POST"])
@teacher_required
def edit_question(slug: str, qid: str):
    found = authoring.owned(get_db(), slug, g.teacher.id)
    _index, old = authoring.find_question(found.raw, qid)
    if request.method == "GET":
        return _question_item(found, qid, editing=True)
    _csrf_only()
    _require("type", "stem", "explanation", "difficulty")
    passages = found.raw.get("article", {}).get("passages", [])
    authoring.replace_question(
        found.raw, qid, authoring.question_from_form(request.form, passages, old)
    )
    authoring.save(get_db(), found)
    # A type switch or an error keeps the form open; otherwise show the summary.
    errors = authoring.check(found.raw, _misc()).for_question(qid)
    keep_open = request.form.get("action") == "refresh" or bool(errors)
    if keep_open:
        return _question_item(found, qid, editing=True)
    if not is_partial():
        # In place, the folded item itself shows the save; a flash would wait for
        # the next full page and confuse.
        flash("Question saved.")
    return _question_item(found, qid, editing=False)


@bp.post("/sets/<slug>/questions/<qid>/<any(delete, duplicate, up, down):action>")
@teacher_required
def question_action(slug: str, qid: str, action: str):
    _csrf_only()
    found = authoring.owned(get_db(), slug, g.teacher.id)
    target = qid
    if action == "delete":
        authoring.delete_question(found.raw, qid)
        target = None
    elif action == "duplicate":
        target = authoring.duplicate_question(found.raw, qid)
    else:
        authoring.move_question(found.raw, qid, -1 if action == "up" else 1)
    authoring.save(get_db(), found)
    if is_partial():
        context = _editor_context(found)
        return render("author/set.html", "author/_questions.html", **context)
    return redirect(_editor_url(slug, f"q-{target}" if target else "questions"), 303)


# Preview -----------------------------------------------------------------------


@bp.get("/sets/<slug>/preview")
@teacher_required
def preview_set(slug: str):
    found = authoring.readable(get_db(), slug, g.teacher.id)
    questions = found.raw.get("questions", [])
    if not questions:
        flash("Add a question before previewing.")
        return redirect(_editor_url(slug), 303)
    return redirect(url_for("author.preview", slug=slug, qid=questions[0]["id"]), 303)


def _preview_data(found: authoring.OwnedSet, qid: str) -> tuple[dict, dict, int]:
    """Validate one question on its own so it can be shown even in a draft with errors."""
    index, q = authoring.find_question(found.raw, qid)
    single = {**found.raw, "questions": [q]}
    single.pop("guide", None)
    try:
        data = validate(single, slug_or(found), _misc())
    except InvalidSet as exc:
        raise AuthoringError(
            422,
            "This question can't be previewed until its errors are fixed: "
            + "; ".join(p.field + " " + p.message for p in exc.problems[:3]),
        ) from None
    question = {**data["questions"][0], "pk": 0, "number": index + 1, "part": "main"}
    return data, question, index


def slug_or(found: authoring.OwnedSet) -> str:
    return found.raw.get("id") or found.slug


@bp.route("/sets/<slug>/preview/<qid>", methods=["GET", "POST"])
@teacher_required
def preview(slug: str, qid: str):
    found = authoring.readable(get_db(), slug, g.teacher.id)
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
        "skills": SKILLS,
        "form": EmptyForm(),
        "error": None,
        "part": None,
    }
    if request.method == "POST":
        _csrf_only()
        try:
            answer = answering.grade(q, request.form)
        except sessions.PlayError as exc:
            context["error"] = exc.message
            context["context"] = feedback.context_passages(q, article["passages"])
            return render(
                "author/preview.html", "author/_preview.html", status=exc.status, **context
            )
        context["r"] = feedback.review(q, answer, article["passages"])
        return render("author/preview.html", "author/_preview.html", **context)
    context["context"] = feedback.context_passages(q, article["passages"])
    return render("author/preview.html", "author/_preview.html", **context)


# Publish, archive, delete ------------------------------------------------------------


@bp.post("/sets/<slug>/publish")
@teacher_required
def publish(slug: str):
    _csrf_only()
    found = authoring.owned(get_db(), slug, g.teacher.id)
    try:
        authoring.publish(get_db(), found, _misc())
    except AuthoringError as exc:
        flash(exc.message)
        context = _editor_context(found)
        return render_template("author/set.html", **context), exc.status
    version = queries.latest_version(get_db(), slug)
    flash(f"Published as version {version['number']}. Sessions can now run it.")
    return redirect(_editor_url(slug), 303)


@bp.post("/sets/<slug>/<any(archive, unarchive):action>")
@teacher_required
def archive(slug: str, action: str):
    _csrf_only()
    found = authoring.owned(get_db(), slug, g.teacher.id)
    authoring.archive(get_db(), found, action == "archive")
    flash("Set archived." if action == "archive" else "Set brought back from the archive.")
    return redirect(_editor_url(slug), 303)


@bp.post("/sets/<slug>/delete")
@teacher_required
def delete(slug: str):
    _csrf_only()
    found = authoring.owned(get_db(), slug, g.teacher.id)
    authoring.delete(get_db(), found)
    flash("Set deleted.")
    return redirect(url_for("author.home"), 303)


# Files in and out ----------------------------------------------------------------


def _download(found: authoring.OwnedSet, kind: str) -> Response:
    result = authoring.check(found.raw, _misc())
    if result.data is None:
        raise AuthoringError(422, "Fix the errors in this set before downloading it.")
    writers = {
        "toml": (exports.to_toml, "application/toml", "toml"),
        "gift": (exports.to_gift, "text/plain", "gift.txt"),
        "xml": (exports.to_moodle_xml, "application/xml", "moodle.xml"),
    }
    write, mimetype, extension = writers[kind]
    response = Response(write(result.data), mimetype=f"{mimetype}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{found.slug}.{extension}"'
    return response


@bp.get("/sets/<slug>/download/<any(toml, gift, xml):kind>")
@teacher_required
def download(slug: str, kind: str):
    return _download(authoring.readable(get_db(), slug, g.teacher.id), kind)


@bp.route("/upload", methods=["GET", "POST"])
@teacher_required
def upload():
    if request.method == "GET":
        return render_template("author/upload.html", form=EmptyForm(), problems=[])
    _csrf_only()
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_template(
            "author/upload.html", form=EmptyForm(), problems=["Choose a .toml set file."]
        ), 422
    try:
        slug = authoring.upload(get_db(), g.teacher.id, file.filename, file.read(), _misc())
    except InvalidSet as exc:
        return render_template(
            "author/upload.html", form=EmptyForm(), problems=[str(p) for p in exc.problems]
        ), 422
    flash("Set uploaded as a new draft. Check it, then publish it.")
    return redirect(_editor_url(slug), 303)
