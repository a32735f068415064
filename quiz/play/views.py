"""The student's pages: join or practise, answer one question at a time, see a summary."""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from .. import clock
from ..numbers import whole
from ..sets.vocabulary import CHECK_PARTS
from ..storage import queries
from ..storage.connection import get_db
from ..storage.queries import Answers
from ..web.cache import current
from ..web.formatting import nickname
from ..web.forms import EmptyForm, require_csrf, show_refusal
from ..web.htmx import is_partial, render, respond
from . import ARRIVAL, answering, fragments, joining, limits, progress
from .feedback import context_passages, verdict, vote_line
from .forms import JoinForm
from .sessions import LoadedSession, PlayError, load_session, normalise_code, refreshed
from .shuffle import as_shown
from .summary import summarise

bp = Blueprint("play", __name__)
POLL_SECONDS = 2

MESSAGES = {"welcome_back": "Welcome back, {nickname}: you are in this session on this device."}


def _joined() -> dict[str, str]:
    """Return the participant ids this browser's cookie holds, by session code."""
    joined = session.get("p")
    return joined if isinstance(joined, dict) else {}


def _remember(code: str, participant_id: str) -> None:
    """Keep the participant id for this session code in the signed cookie."""
    session["p"] = {**_joined(), code: participant_id}
    session.permanent = True


def _arrival(code: str = "") -> joining.Arrival:
    """Return who asks to join (their client and what their cookie holds for the code)."""
    previous = _joined().get(normalise_code(code))
    return replace(
        current_app.extensions[ARRIVAL],
        client=limits.client_id(current_app.secret_key, request.remote_addr or ""),
        previous=previous if isinstance(previous, str) else None,
    )


def _me(sess: LoadedSession) -> tuple[str, Answers]:
    """Return this browser's participant id in a session and its answers (as
    ``queries.answers_of`` reads them), or refuse with a 403."""
    participant_id = _joined().get(sess.code)
    answers = None
    if isinstance(participant_id, str):
        answers = queries.participant_answers(get_db(), participant_id, sess.row["id"])
    if answers is None:
        raise PlayError(
            403,
            "This browser has not joined this session, or its cookie was lost, or the "
            "facilitator removed this nickname. Join again with the code and a nickname.",
        )
    return participant_id, answers


def _home(form: JoinForm, status: int = 200, teams: list[dict] | None = None):
    sets = queries.shared_sets(get_db())
    return render_template(
        "play/home.html", form=form, sets=sets, practice=EmptyForm(), teams=teams
    ), status


@bp.get("/")
def home() -> ResponseReturnValue:
    form = JoinForm(formdata=None, code=request.args.get("code", "")[:20])
    return _home(form)


def _resume(code: str) -> ResponseReturnValue | None:
    """Send a device that joined this session back in as the same participant."""
    found = joining.resume(get_db(), code, _joined(), current())
    if found is None:
        return None
    sess, participant = found
    # Markup survives the session cookie; the nickname sits in its <bdi>, escaped.
    flash(Markup(MESSAGES["welcome_back"]).format(nickname=nickname(participant["nickname"])))
    return redirect(url_for("play.question", code=sess.code), 303)


@bp.get("/join/<code>")
def join_link(code: str) -> ResponseReturnValue:
    return _resume(code) or redirect(url_for("play.home", code=normalise_code(code)[:20]))


@bp.post("/join")
def join() -> ResponseReturnValue:
    form = JoinForm()
    # CSRF is checked for every POST before any view runs (web.security).
    resumed = _resume((form.code.data or "")[:20])
    if resumed is not None:
        return resumed
    if not form.validate_on_submit():
        return _home(form, 422)
    team = request.form.get("team") or None
    try:
        sess, participant_id = joining.enter(
            get_db(),
            form.code.data,
            form.nickname.data,
            team,
            form.rejoin.data,
            current(),
            _arrival(form.code.data),
        )
    except PlayError as exc:
        show_refusal(form, exc, "code")
        # A team to pick: the form again, with the session's teams.
        teams = (
            load_session(get_db(), form.code.data, current()).teams if exc.field == "team" else None
        )
        page, status = _home(form, exc.status, teams=teams)
        return page, status, exc.headers
    if participant_id is None:
        # Second step: the same form again, now asking for the table or team.
        return _home(form, 200, teams=sess.teams)
    _remember(sess.code, participant_id)
    return redirect(url_for("play.question", code=sess.code), 303)


@bp.post("/practice/<slug>")
def practice(slug: str) -> ResponseReturnValue:
    require_csrf()
    sess, participant_id = joining.start_practice(get_db(), slug, current(), _arrival())
    _remember(sess.code, participant_id)
    return redirect(url_for("play.question", code=sess.code), 303)


# One screen at a time ---------------------------------------------------------------


def _poller(
    sess: LoadedSession, at: str, last: dict | None = None, timed: dict | None = None
) -> dict:
    """Return what a page needs to poll for a change.

    ``timed``: the question on screen when its timer runs, so the poll notices the
    time running out (nothing else changes then).
    """
    params = {"code": sess.code, "v": sess.row["state_version"], "at": at}
    if last is not None:
        params["last"] = last["pk"]
    if timed is not None and sess.deadline(timed) is not None:
        params["until"] = sess.deadline(timed)
    return {"url": url_for("play.poll", **params), "seconds": POLL_SECONDS}


def _round(sess: LoadedSession, q: dict, answers: Answers) -> dict:
    """What a question screen shows of the room's round: the vote it takes, the time left,
    and on a second vote what this student chose the first time."""
    vote = sess.vote(q)
    first = answers.get(q["pk"]) if vote == 2 else None
    return {
        "vote": vote,
        "time_left": sess.time_left(q),
        "first_vote": first and vote_line(q, first),
    }


def _current_view(sess: LoadedSession, answers: Answers, status: int = 200, error=None):
    """Render what this student should see now: a question, the wait, or the summary.

    ``answers`` are the student's answers, as ``_me`` returns them.
    """
    current = progress.next_question(sess, answers)
    if current is None and progress.finished(sess, answers):
        return _summary_view(sess, answers)
    shared = {"status": status, "push_url": url_for("play.question", code=sess.code)}
    if current is None:
        return render(
            "play/wait.html",
            "play/_wait.html",
            sess=sess,
            answered=len(answers),
            missed=progress.missed(sess, answers),
            poll=_poller(sess, "wait"),
            error=error,
            **shared,
        )
    key = progress.question_key(sess, current)
    return render(
        "play/question.html",
        "play/_question.html",
        sess=sess,
        q=as_shown(current, session["p"][sess.code], sess.shuffled),
        number=current["number"],
        part=CHECK_PARTS.get(current["part"]),
        context=context_passages(current, sess.passages(current)),
        article=sess.article(current),
        article_html=fragments.whole_article(sess.versions[current["version_id"]]),
        multi=answering.takes_several(current),
        form=EmptyForm(),
        error=error,
        poll=_poller(sess, key, timed=current) if sess.led else None,
        round=_round(sess, current, answers),
        **shared,
    )


def _summary_view(sess: LoadedSession, answers: Answers):
    return render(
        "play/summary.html",
        "play/_summary.html",
        push_url=url_for("play.summary", code=sess.code),
        sess=sess,
        s=summarise(sess, answers),
    )


def _feedback_view(sess: LoadedSession, answers: Answers, q: dict):
    """Render the feedback on an answer, or the wait for the facilitator's reveal."""
    version = sess.versions[q["version_id"]]
    context = {
        "push_url": url_for("play.feedback", code=sess.code, pk=q["pk"]),
        "sess": sess,
        "number": q["number"],
        "part": CHECK_PARTS.get(q["part"]),
        "article_html": fragments.whole_article(version),
        "finished": progress.finished(sess, answers),
    }
    if not progress.feedback_open(sess, q, answers):
        return render(
            "play/pending.html",
            "play/_pending.html",
            q=q,
            poll=_poller(sess, f"pending:{q['pk']}", last=q),
            **context,
        )
    answer = answers[q["pk"]]
    again = answers.second.get(q["pk"])

    def page(template: str) -> str:
        return render_template(
            template,
            q=q,
            v=verdict(answer),
            review_html=fragments.review(version, q, answer, sess.passages(q)),
            votes=again and {"first": vote_line(q, answer), "second": vote_line(q, again)},
            **context,
        )

    if is_partial():
        # The fragment after an answer: the same for everyone who answered alike.
        body = fragments.feedback(
            sess.row,
            version,
            q,
            (answer, again),
            context["finished"],
            lambda: page("play/_feedback.html"),
        )
    else:
        body = page("play/feedback.html")
    return respond(body, push_url=context["push_url"])


@bp.get("/play/<code>")
def question(code: str) -> ResponseReturnValue:
    sess = load_session(get_db(), code, current())
    _, answers = _me(sess)
    return _current_view(sess, answers)


@bp.post("/play/<code>/answer")
def answer(code: str) -> ResponseReturnValue:
    sess = load_session(get_db(), code, current())
    participant_id, answers = _me(sess)
    try:
        q, _ = answering.submit(get_db(), sess, participant_id, request.form, answers)
    except PlayError as exc:
        if exc.status == 409 and sess.is_open:
            # Locked, timed out or not yet opened: show where the room is now, with the
            # reason, so the screen keeps following the facilitator.
            return _current_view(refreshed(get_db(), sess), answers, exc.status, exc.message)
        pk = whole(request.form.get("question", ""))
        if exc.status == 422 and pk is not None:
            q = sess.question(pk)
            if q and progress.awaits_vote(sess, answers, q):
                # Show the same question again with the message beside it.
                return _current_view(sess, answers, exc.status, exc.message)
        raise
    if sess.feedback == "end":
        if is_partial():
            return _current_view(sess, answers)
        return redirect(url_for("play.question", code=sess.code), 303)
    if is_partial():
        return _feedback_view(sess, answers, q)
    return redirect(url_for("play.feedback", code=sess.code, pk=q["pk"]), 303)


@bp.get("/play/<code>/feedback/<id:pk>")
def feedback(code: str, pk: int) -> ResponseReturnValue:
    sess = load_session(get_db(), code, current())
    _, answers = _me(sess)
    q = sess.question(pk)
    if q is None or pk not in answers:
        abort(404)
    if sess.feedback == "end" and not progress.feedback_open(sess, q, answers):
        # Feedback comes with the summary in this session.
        return redirect(url_for("play.question", code=sess.code), 303)
    return _feedback_view(sess, answers, q)


@bp.get("/play/<code>/summary")
def summary(code: str) -> ResponseReturnValue:
    sess = load_session(get_db(), code, current())
    _, answers = _me(sess)
    if not progress.finished(sess, answers):
        return redirect(url_for("play.question", code=sess.code), 303)
    return _summary_view(sess, answers)


@bp.get("/play/<code>/poll")
def poll(code: str) -> ResponseReturnValue:
    """Answer a screen's poll: 204 when nothing changed, else what to show now.

    The unchanged case is one indexed read, so a room of phones polling costs little.
    A screen with a timer says when it runs out (``until``): then it changes too.
    """
    code = normalise_code(code)
    state = queries.state_of(get_db(), code)
    if state is None:
        abort(404)
    if request.args.get("v") == str(state) and not clock.passed(request.args.get("until")):
        return Response(status=204)
    sess = load_session(get_db(), code, current())
    _, answers = _me(sess)
    last_pk = whole(request.args.get("last", ""))
    last = sess.question(last_pk) if last_pk is not None else None
    at = request.args.get("at", "")
    key = progress.view_key(sess, answers, last)
    if at.startswith("question:") and progress.still_answering(sess, answers, at):
        key = at  # the question on screen still takes this answer: keep it
    if key == at:
        # Same screen: only the poller moves on to the new state (and the timer with it).
        shown = sess.question(whole(at.split(":")[1])) if at.startswith("question:") else None
        return render_template(
            "play/_poll_update.html",
            poll=_poller(sess, at, last, timed=shown),
            round=shown and _round(sess, shown, answers),
        )
    if key.startswith(("feedback:", "pending:")) and last is not None:
        response = _feedback_view(sess, answers, last)
    else:
        response = _current_view(sess, answers)
    response.headers["HX-Retarget"] = "#main"
    response.headers["HX-Reswap"] = "innerHTML"
    return response
