"""Starting a session: the facilitator's home page and its start form, with the
lesson plan (the set's questions to run, in order, and the lesson's estimate).

The routes are on ``views.bp``; the live view is in ``views``, the controls in
``control_views``."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from ..accounts.access import teacher_required
from ..play import sessions
from ..sets.vocabulary import MINUTES_PER_TYPE, PEER_INSTRUCTION_MINUTES
from ..storage import queries
from ..storage.connection import get_db
from ..web.forms import show_refusal
from . import control, lesson
from .forms import StartSessionForm
from .views import MESSAGES, bp


def _start_form(formdata=None) -> StartSessionForm:
    form = StartSessionForm(formdata=formdata)
    sets = control.startable_sets(get_db(), g.teacher.id)
    form.set_id.choices = [SelectChoice(v["slug"], v["title"]) for v in sets]
    return form


def _set_questions(slug: str) -> list[dict]:
    """The main questions of a set's newest published version (the plan's rows)."""
    version = queries.latest_published(get_db(), slug)
    return queries.questions_of(get_db(), version["id"]) if version else []


def _plan_rows(form: StartSessionForm) -> list[dict]:
    return [entry.form.data for entry in form.plan.entries]


def _draw_plan(form: StartSessionForm, questions: list[dict]) -> None:
    """Put a set's questions in the plan's rows: all chosen, in the set's order."""
    while form.plan.entries:
        form.plan.pop_entry()
    for row in lesson.default_rows(questions):
        form.plan.append_entry(row)
    form.plan_for.data = form.set_id.data


def _home_page(form: StartSessionForm, status: int = 200, questions: list[dict] | None = None):
    """The sessions page; with ``questions``, the start form's lesson-plan step."""
    plan = None
    if questions is not None:
        chosen = {r["qid"] for r in _plan_rows(form) if r["include"]}
        by_id = {q["id"]: q for q in questions}
        plan = {
            "rows": [
                (e, by_id[e.form.qid.data]) for e in form.plan.entries if e.form.qid.data in by_id
            ],
            "chosen": sum(1 for q in questions if q["id"] in chosen),
            "minutes": lesson.estimate(q for q in questions if q["id"] in chosen),
            "per_type": MINUTES_PER_TYPE,
            "peer": PEER_INSTRUCTION_MINUTES,
        }
    return render_template(
        "facilitation/home.html",
        form=form,
        sessions=queries.sessions_owned_by(get_db(), g.teacher.id),
        plan=plan,
    ), status


@bp.get("/run/")
@teacher_required
def home() -> ResponseReturnValue:
    return _home_page(_start_form())


@bp.post("/run/")
@teacher_required
def start() -> ResponseReturnValue:
    """Start a session; the "choose the questions" button shows the lesson plan first."""
    form = _start_form(request.form)
    if not form.validate_on_submit():
        return _home_page(form, 422)
    questions = _set_questions(form.set_id.data)
    planning = bool(form.plan_for.data)
    if planning and form.plan_for.data != form.set_id.data:
        _draw_plan(form, questions)
        form.set_id.errors = [str(MESSAGES["plan_changed"])]
        return _home_page(form, 422, questions)
    step = request.form.get("step")
    if step in ("plan", "all", "none"):
        if not planning:
            _draw_plan(form, questions)
        if step != "plan":
            for entry in form.plan.entries:
                entry.form.include.data = step == "all"
        return _home_page(form, 200, questions)
    try:
        settings = control.Settings(
            slug=form.set_id.data,
            title=(form.title.data or "").strip() or None,
            pace=form.pace.data,
            feedback=form.feedback.data,
            teams=control.parse_teams(form.teams.data),
            checks=form.checks.data,
            word_filter=form.word_filter.data,
            confidence=form.confidence.data,
            plan=lesson.parse(_plan_rows(form), questions) if planning else None,
            shuffle=form.shuffle.data,
            timer=int(form.timer.data) if form.timer.data else None,
            ends=getattr(form, "ends", None),
            language=form.language.data or None,
        )
        row = control.start(get_db(), g.teacher.id, settings)
    except sessions.PlayError as exc:
        show_refusal(form, exc, "checks")
        return _home_page(form, exc.status, questions if planning else None)
    # A led session opens on the room screen (the join screen until the first question).
    target = "facilitation.room_screen" if row["pace"] == "led" else "facilitation.screen"
    return redirect(url_for(target, code=row["code"]), 303)
