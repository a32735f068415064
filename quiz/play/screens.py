"""The student's screens as the play views answer with them: a question (or, answered,
a note that it is), the wait, the feedback or the pending reveal, and the summary.

Each renders the page, or for htmx the fragment, at the address htmx should show.
"""

from __future__ import annotations

from flask import Response, redirect, render_template, session, url_for
from flask_babel import lazy_gettext as _l

from ..sets.vocabulary import CHECK_PARTS
from ..storage.queries import Answers
from ..web.compression import share
from ..web.forms import EmptyForm
from ..web.htmx import is_partial, render, respond
from ..web.urls import kept_url
from . import answering, fragments, progress
from .feedback import context_passages, verdict, vote_line
from .sessions import LoadedSession
from .shuffle import as_shown
from .summary import summarise

POLL_SECONDS = 2
# An answer sent again to a question whose feedback comes at the end.
REPEATED_WITHOUT_FEEDBACK = _l(
    "That answer was already stored, and an answer can't be changed. "
    "Its feedback comes with your summary."
)


def poller(
    sess: LoadedSession, at: str, last: dict | None = None, timed: dict | None = None
) -> dict:
    """Return what a page needs to poll for a change.

    ``timed``: the question on screen when its timer runs, so the poll notices the
    time running out (nothing else changes then).
    """
    return {
        "url": kept_url("play.poll", **poll_values(sess, at, last, timed)),
        "seconds": POLL_SECONDS,
    }


def poll_values(
    sess: LoadedSession, at: str, last: dict | None = None, timed: dict | None = None
) -> dict:
    """The poll's address as ``url_for``'s values (``poller``; ``play.early_screens``)."""
    params = {"code": sess.code, "v": sess.row["state_version"], "at": at}
    if last is not None:
        params["last"] = last["pk"]
    if timed is not None and sess.deadline(timed) is not None:
        params["until"] = sess.deadline(timed)
    return params


def round_of(sess: LoadedSession, q: dict, answers: Answers) -> dict:
    """What a question screen shows of the room's round: the vote it takes, the time left,
    and on a second vote what this student chose the first time."""
    vote = sess.vote(q)
    first = answers.get(q["pk"]) if vote == 2 else None
    return {
        "vote": vote,
        "time_left": sess.time_left(q),
        "first_vote": first and vote_line(q, first),
    }


def next_url(sess: LoadedSession, answers: Answers) -> str:
    """Where "Next question" leads: the next question's own address when there is
    one to answer now (so that the back button comes back to it), else the session's."""
    upcoming = progress.next_question(sess, answers)
    if upcoming is None:
        return kept_url("play.question", code=sess.code)
    return kept_url("play.ask", code=sess.code, pk=upcoming["pk"])


def no_store(response: Response) -> Response:
    """Have the back button ask again for a form rather than show a stale one."""
    response.headers["Cache-Control"] = "no-store"
    return response


def question_context(sess: LoadedSession, q: dict) -> dict:
    """What the question screen shows of a question, answered or not (its options in
    this participant's own order where the session shuffles them)."""
    return {
        "sess": sess,
        "q": as_shown(q, session["p"][sess.code], sess.shuffled),
        "number": q["number"],
        "part": CHECK_PARTS.get(q["part"]),
        "context": context_passages(q, sess.passages(q)),
        "article": sess.article(q),
        "article_html": fragments.whole_article(sess.versions[q["version_id"]]),
        "multi": answering.takes_several(q),
        "asks_confidence": sess.asks_confidence(q),
    }


def current_view(
    sess: LoadedSession,
    answers: Answers,
    status: int = 200,
    error=None,
    push_url: str | None = None,
):
    """Render what this student should see now: a question, the wait, or the summary.

    ``answers`` are the student's answers, as ``_me`` returns them; ``push_url`` the
    address htmx shows for a question (the session's unless the question's was asked).
    """
    current = progress.next_question(sess, answers)
    if current is None and progress.finished(sess, answers):
        return summary_view(sess, answers, status, error)
    push_url = push_url or kept_url("play.question", code=sess.code)
    if current is None:
        return wait_view(sess, answers, (status, error), push_url)
    return question_view(sess, answers, current, (status, error), push_url)


def wait_view(sess: LoadedSession, answers: Answers, refused: tuple[int, object], push_url: str):
    """Render the wait for the room's next question (``refused``: the status and the
    message of an answer refused, else 200 and None). Without an error, the htmx
    fragment is kept for everyone who answered as many (``fragments.wait_screen``)."""
    status, error = refused
    context = {
        "sess": sess,
        "answered": len(answers),
        "missed": progress.missed(sess, answers),
        "poll": poller(sess, "wait"),
        "error": error,
    }
    if error is not None or not is_partial():
        return render(
            "play/wait.html", "play/_wait.html", status=status, push_url=push_url, **context
        )
    key, body = fragments.wait_screen(
        sess.row,
        len(sess.questions),
        (context["answered"], context["missed"]),
        context["poll"]["url"],
        lambda: render_template("play/_wait.html", **context),
    )
    return share(respond(body, status, push_url), key)


def question_view(
    sess: LoadedSession, answers: Answers, q: dict, refused: tuple[int, object], push_url: str
):
    """Render the question this student should answer now (``refused`` as for
    ``wait_view``).

    The whole page's form carries its CSRF token; an htmx fragment's does not (htmx
    sends the page's with every request, from ``<body hx-headers>``), so that without
    an error the fragment is the same for the room, and kept
    (``fragments.question_screen``).
    """
    status, error = refused
    context = {
        "error": error,
        "poll": poller(sess, progress.question_key(sess, q), timed=q) if sess.led else None,
        "round": round_of(sess, q, answers),
    }
    if not is_partial():
        page = render_template(
            "play/question.html", form=EmptyForm(), **context, **question_context(sess, q)
        )
        return no_store(respond(page, status))

    def make() -> str:
        return render_template("play/_question.html", **context, **question_context(sess, q))

    if error is not None:
        return no_store(respond(make(), status, push_url))
    key, body = fragments.question_screen(
        sess.row,
        sess.versions[q["version_id"]],
        as_shown(q, session["p"][sess.code], sess.shuffled),
        context["round"],
        context["poll"] and context["poll"]["url"],
        make,
    )
    return no_store(share(respond(body, status, push_url), key))


def answered_view(sess: LoadedSession, answers: Answers, q: dict):
    """Render an answered question's screen: it says so and leads to its feedback."""
    url = url_for("play.ask", code=sess.code, pk=q["pk"])
    return no_store(
        render(
            "play/question.html",
            "play/_question.html",
            push_url=url,
            answered=True,
            feedback_url=(
                url_for("play.feedback", code=sess.code, pk=q["pk"])
                if progress.feedback_open(sess, q, answers) or sess.feedback == "reveal"
                else None
            ),
            next_url=next_url(sess, answers),
            **question_context(sess, q),
        )
    )


def summary_view(sess: LoadedSession, answers: Answers, status: int = 200, error=None):
    return render(
        "play/summary.html",
        "play/_summary.html",
        status=status,
        push_url=url_for("play.summary", code=sess.code),
        sess=sess,
        s=summarise(sess, answers),
        error=error,
    )


def feedback_view(sess: LoadedSession, answers: Answers, q: dict, notice: str | None = None):
    """Render the feedback on an answer, or the wait for the facilitator's reveal.

    ``notice``: "repeated" when the answer came again and the first one stands.
    """
    version = sess.versions[q["version_id"]]
    context = {
        "push_url": kept_url("play.feedback", code=sess.code, pk=q["pk"]),
        "sess": sess,
        "number": q["number"],
        "part": CHECK_PARTS.get(q["part"]),
        "finished": progress.finished(sess, answers),
        "next_url": next_url(sess, answers),
        "notice": notice,
    }
    if not progress.feedback_open(sess, q, answers):
        return pending_view(sess, q, context)
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

    if is_partial() and notice is None:
        # The fragment after an answer: the same for everyone who answered alike, and
        # so is its compressed form (web.compression).
        key, body = fragments.feedback(
            sess.row,
            version,
            q,
            (answer, again),
            (context["finished"], context["next_url"]),
            lambda: page("play/_feedback.html"),
        )
        return share(respond(body, push_url=context["push_url"]), key)
    body = page("play/_feedback.html" if is_partial() else "play/feedback.html")
    return respond(body, push_url=context["push_url"])


def pending_view(sess: LoadedSession, q: dict, context: dict):
    """Render the wait for the facilitator's reveal after an answer (``context`` as
    ``feedback_view`` makes it); the fragment is the same for the room (``fragments``)."""
    poll = poller(sess, f"pending:{q['pk']}", last=q)
    if not is_partial():
        return render("play/pending.html", "play/_pending.html", q=q, poll=poll, **context)
    key, body = fragments.pending(
        sess.row,
        sess.versions[q["version_id"]],
        q,
        (context["finished"], context["next_url"]),
        poll["url"],
        lambda: render_template("play/_pending.html", q=q, poll=poll, **context),
    )
    return share(respond(body, push_url=context["push_url"]), key)


def repeated(sess: LoadedSession, answers: Answers, q: dict):
    """Answer an answer sent again: the first one stands, and the page says so."""
    if sess.feedback == "end" and not progress.feedback_open(sess, q, answers):
        return current_view(sess, answers, error=REPEATED_WITHOUT_FEEDBACK)
    if is_partial():
        return feedback_view(sess, answers, q, notice="repeated")
    return redirect(url_for("play.feedback", code=sess.code, pk=q["pk"], again=1), 303)
