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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..numbers import whole
from ..storage import queries
from ..storage.connection import get_db
from ..storage.queries import Answers
from ..web.cache import current
from ..web.formatting import nickname
from ..web.forms import EmptyForm, require_csrf, show_refusal
from ..web.htmx import is_partial
from ..web.i18n import current_language, for_session, for_set
from ..web.language import LanguageForm
from . import ARRIVAL, answering, counterbalance, joining, limits, polls, progress, screens
from .forms import JoinForm
from .sessions import LoadedSession, PlayError, load_session, normalise_code, refreshed

bp = Blueprint("play", __name__)

MESSAGES = {"welcome_back": _l("Welcome back, {nickname}: you are in this session on this device.")}


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
            _(
                "This browser has not joined this session, or its cookie was lost, or the "
                "facilitator removed this nickname. Join again with the code and a nickname."
            ),
        )
    return participant_id, answers


def _student(code: str) -> tuple[LoadedSession, str, dict[int, dict]]:
    """Load a session as this browser's participant plays it (``_me``), with the check
    forms in their order (``counterbalance``); return it, their id and their answers."""
    sess = load_session(get_db(), code, current())
    for_session(sess.row, sess.version["body"])
    participant_id, answers = _me(sess)
    if sess.row["check_before"] is not None:
        order = queries.check_order_of(get_db(), participant_id)
        sess = counterbalance.arranged(sess, order, current())
    return sess, participant_id, answers


def _home(form: JoinForm, status: int = 200, teams: list[dict] | None = None):
    sets = queries.shared_sets(get_db())
    language = LanguageForm(formdata=None, language=current_language())
    return render_template(
        "play/home.html",
        form=form,
        sets=sets,
        practice=EmptyForm(),
        teams=teams,
        language_form=language,
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


@bp.route("/practice/link/<token>", methods=["GET", "POST"])
def practice_link(token: str) -> ResponseReturnValue:
    """A teacher's set shared by its practice link: what it is, and a button to start."""
    version = joining.practice_set(get_db(), token)
    for_set(version["body"])
    if request.method == "GET":
        return render_template(
            "play/practice_link.html", version=version, token=token, form=EmptyForm()
        )
    require_csrf()
    sess, participant_id = joining.start_practice(
        get_db(), version["slug"], current(), _arrival(), shared=False
    )
    _remember(sess.code, participant_id)
    return redirect(url_for("play.question", code=sess.code), 303)


# One screen at a time ---------------------------------------------------------------


@bp.get("/play/<code>")
def question(code: str) -> ResponseReturnValue:
    sess, _pid, answers = _student(code)
    return screens.current_view(sess, answers)


@bp.get("/play/<code>/question/<id:pk>")
def ask(code: str, pk: int) -> ResponseReturnValue:
    """One question's own address: the question, or (answered) a note that it is."""
    sess, _pid, answers = _student(code)
    q = sess.question(pk)
    if q is None:
        abort(404)
    upcoming = progress.next_question(sess, answers)
    if upcoming is not None and upcoming["pk"] == pk:
        # The one to answer now (a second vote on an answered question too).
        return screens.current_view(
            sess, answers, push_url=url_for("play.ask", code=sess.code, pk=pk)
        )
    if pk in answers:
        return screens.answered_view(sess, answers, q)
    # Not the one to answer now (not opened yet, locked, an earlier one waits, or in a
    # led session not the room's question): where this student is now.
    return redirect(url_for("play.question", code=sess.code), 303)


@bp.post("/play/<code>/answer")
def answer(code: str) -> ResponseReturnValue:
    sess, participant_id, answers = _student(code)
    pk = whole(request.form.get("question", ""))
    # The answers stored before this one: a vote sent again comes back as one of them.
    known = {a["id"] for a in (*answers.values(), *answers.second.values())}
    try:
        q, stored = answering.submit(get_db(), sess, participant_id, request.form, answers)
    except PlayError as exc:
        if exc.status == 409:
            # Closed, locked, timed out or not yet opened: show where the session is now
            # (the room's screen, or the summary of a closed session) with the reason, so
            # the screen keeps following the facilitator.
            sess = refreshed(get_db(), sess)
            return screens.current_view(sess, answers, exc.status, exc.message)
        if exc.status == 422 and pk is not None:
            q = sess.question(pk)
            if q and progress.awaits_vote(sess, answers, q):
                # Show the same question again with the message beside it.
                return screens.current_view(sess, answers, exc.status, exc.message)
        raise
    if stored["id"] in known:
        return screens.repeated(sess, answers, q)
    if sess.feedback == "end":
        if is_partial():
            return screens.current_view(sess, answers, push_url=screens.next_url(sess, answers))
        return redirect(screens.next_url(sess, answers), 303)
    if is_partial():
        return screens.feedback_view(sess, answers, q)
    return redirect(url_for("play.feedback", code=sess.code, pk=q["pk"]), 303)


@bp.get("/play/<code>/feedback/<id:pk>")
def feedback(code: str, pk: int) -> ResponseReturnValue:
    sess, _pid, answers = _student(code)
    q = sess.question(pk)
    if q is None or pk not in answers:
        abort(404)
    if sess.feedback == "end" and not progress.feedback_open(sess, q, answers):
        # Feedback comes with the summary in this session.
        return redirect(url_for("play.question", code=sess.code), 303)
    notice = "repeated" if request.args.get("again") == "1" else None
    return screens.feedback_view(sess, answers, q, notice)


@bp.get("/play/<code>/summary")
def summary(code: str) -> ResponseReturnValue:
    sess, _pid, answers = _student(code)
    if not progress.finished(sess, answers):
        return redirect(url_for("play.question", code=sess.code), 303)
    return screens.summary_view(sess, answers)


def unchanged(code: str) -> Response | None:
    """204 when the screen polling session ``code`` has nothing new, else None (404 for
    no such session).

    One indexed read (``polls.still_showing``). ``web.early`` answers most of these
    before Flask; this is the path for the rest (and with ``EARLY_POLLS`` off).
    """
    state = queries.state_of(get_db(), normalise_code(code))
    if state is None:
        abort(404)
    if polls.still_showing(state, request.args):
        return Response(status=204)
    return None


def unchanged_poll() -> Response | None:
    """Before every other request hook: answer a no-change poll at once.

    A room of phones polls every 2 s, and most polls change nothing. Answered here,
    they skip the teacher check, CSRF and the session cookie (which is then never
    decoded: ``web.cookies.LazySession``); the response hooks (security headers)
    still run.
    """
    if request.endpoint == "play.poll" and request.view_args:
        return unchanged(request.view_args["code"])
    return None


@bp.get("/play/<code>/poll")
def poll(code: str) -> ResponseReturnValue:
    """Answer a screen's poll that found something changed: what to show now.

    A poll that finds nothing changed is answered 204 before this view, by the first of
    all request hooks (``unchanged_poll``, installed with the blueprint: ``register``),
    which also answers 404 for no such session; so the state is not read again here.
    """
    code = normalise_code(code)
    sess, _pid, answers = _student(code)
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
            poll=screens.poller(sess, at, last, timed=shown),
            round=shown and screens.round_of(sess, shown, answers),
        )
    if key.startswith(("feedback:", "pending:")) and last is not None:
        response = screens.feedback_view(sess, answers, last)
    else:
        response = screens.current_view(sess, answers)
    response.headers["HX-Retarget"] = "#main"
    response.headers["HX-Reswap"] = "innerHTML"
    return response
