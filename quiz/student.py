"""Student pages: join or practise, answer one question at a time, see a summary."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from . import play, queries, review
from .db import get_db
from .forms import EmptyForm, JoinForm
from .htmx import is_partial, render
from .questions import SKILLS

bp = Blueprint("student", __name__)


def _remember(code: str, participant_id: str) -> None:
    """Keep the participant id for this session code in the signed cookie."""
    joined = dict(session.get("p", {}))
    joined[code] = participant_id
    session["p"] = joined
    session.permanent = True


def _me(sess: play.Session) -> str:
    """Return this browser's participant id in a session, or refuse with a 403."""
    participant_id = session.get("p", {}).get(sess.code)
    if not isinstance(participant_id, str) or not queries.participant(
        get_db(), participant_id, sess.row["id"]
    ):
        raise play.PlayError(
            403,
            "This browser has not joined this session, or its cookie was lost. "
            "Join again with the code and a nickname.",
        )
    return participant_id


def _home(form: JoinForm, status: int = 200):
    sets = queries.shared_sets(get_db())
    return render_template("home.html", form=form, sets=sets, practice=EmptyForm()), status


@bp.get("/")
def home():
    form = JoinForm(formdata=None, code=request.args.get("code", "")[:20])
    return _home(form)


@bp.get("/join/<code>")
def join_link(code: str):
    return redirect(url_for("student.home", code=play.normalise_code(code)[:20]))


@bp.post("/join")
def join():
    form = JoinForm()
    if not form.validate_on_submit():
        return _home(form, 422)
    try:
        sess, participant_id = play.join(get_db(), form.code.data, form.nickname.data)
    except play.PlayError as exc:
        field = form.nickname if "nickname" in exc.message else form.code
        field.errors = [exc.message]
        return _home(form, exc.status)
    _remember(sess.code, participant_id)
    return redirect(url_for("student.question", code=sess.code), 303)


@bp.post("/practice/<slug>")
def practice(slug: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    sess, participant_id = play.start_practice(get_db(), slug)
    _remember(sess.code, participant_id)
    return redirect(url_for("student.question", code=sess.code), 303)


def _question_view(sess: play.Session, participant_id: str, status: int = 200, error=None):
    answers = queries.answers_of(get_db(), participant_id)
    current = play.next_question(sess, answers)
    push = url_for("student.question", code=sess.code)
    if current is None:
        return _summary_view(sess, answers)
    return render(
        "play/question.html",
        "play/_question.html",
        status=status,
        push_url=push,
        sess=sess,
        q=current,
        number=current["number"],
        part=play.PART_LABELS[current["part"]],
        context=_context(current, sess),
        article=sess.article(current),
        form=EmptyForm(),
        error=error,
        skills=SKILLS,
    )


def _context(q: dict, sess: play.Session) -> list[dict]:
    """Return the passages shown beside a question before it is answered.

    Where picking the passage is the task, showing it would give the answer away.
    """
    if q["type"] in ("passage", "cer"):
        return []
    return review.evidence_passages(q, sess.passages(q))


def _summary_view(sess: play.Session, answers: dict):
    return render(
        "play/summary.html",
        "play/_summary.html",
        push_url=url_for("student.summary", code=sess.code),
        sess=sess,
        s=review.summarise(sess, answers),
        skills=SKILLS,
    )


@bp.get("/play/<code>")
def question(code: str):
    sess = play.load_session(get_db(), code)
    return _question_view(sess, _me(sess))


@bp.post("/play/<code>/answer")
def answer(code: str):
    sess = play.load_session(get_db(), code)
    participant_id = _me(sess)
    try:
        q, stored = play.submit(get_db(), sess, participant_id, request.form)
    except play.PlayError as exc:
        if exc.status == 422 and request.form.get("question", "").isdigit():
            q = sess.question(int(request.form["question"]))
            answered = q and queries.answer_for(get_db(), participant_id, q["pk"])
            if q and not answered:
                # Show the same question again with the message beside it.
                return _question_view(sess, participant_id, exc.status, exc.message)
        raise
    if sess.row["feedback"] == "end":
        if is_partial():
            return _question_view(sess, participant_id)
        return redirect(url_for("student.question", code=sess.code), 303)
    target = url_for("student.feedback", code=sess.code, pk=q["pk"])
    if is_partial():
        return _feedback_view(sess, participant_id, q, stored)
    return redirect(target, 303)


def _feedback_view(sess: play.Session, participant_id: str, q: dict, stored: dict):
    answers = queries.answers_of(get_db(), participant_id)
    return render(
        "play/feedback.html",
        "play/_feedback.html",
        push_url=url_for("student.feedback", code=sess.code, pk=q["pk"]),
        sess=sess,
        r=review.review(q, stored, sess.passages(q)),
        article=sess.article(q),
        number=q["number"],
        part=play.PART_LABELS[q["part"]],
        finished=play.next_question(sess, answers) is None,
        skills=SKILLS,
    )


@bp.get("/play/<code>/feedback/<int:pk>")
def feedback(code: str, pk: int):
    sess = play.load_session(get_db(), code)
    participant_id = _me(sess)
    q = sess.question(pk)
    stored = q and queries.answer_for(get_db(), participant_id, pk)
    if not stored:
        abort(404)
    if sess.row["feedback"] == "end":
        # Feedback comes with the summary in this session.
        return redirect(url_for("student.question", code=sess.code), 303)
    return _feedback_view(sess, participant_id, q, stored)


@bp.get("/play/<code>/summary")
def summary(code: str):
    sess = play.load_session(get_db(), code)
    participant_id = _me(sess)
    answers = queries.answers_of(get_db(), participant_id)
    if play.next_question(sess, answers) is not None:
        return redirect(url_for("student.question", code=sess.code), 303)
    return _summary_view(sess, answers)
