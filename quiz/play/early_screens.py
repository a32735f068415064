"""The changed poll's screen sent before Flask (issue 19), with Flask's exact response.

After the facilitator's advance, reveal or second vote, every phone's poll finds
something changed and asks for its new screen, all within a second or two. Most of
those screens are already kept (``play.fragments``): the question screen, the wait, the
feedback on an answer, the wait for the reveal. So ``web.early`` hands a poll that is
not a no-change 204 here, and when the new screen is one of those, with its compressed
bytes for this ``Accept-Encoding`` and its URLs kept, it is sent as the poll view sends
it (``views.poll``): the same status, headers (``HX-Push-Url``, ``Cache-Control`` of a
question, ``HX-Retarget`` and ``HX-Reswap``, Vary, Content-Encoding, the security
headers) and bytes.

It reads the cookie and the participant as ``play.early_answer`` does (the same
methods: ``EarlyAnswers.cookie`` and ``EarlyAnswers.student``) and runs the view's
plain functions (``progress.view_key``, ``still_answering``, ``next_question``,
``screens.round_of``, ``screens.poll_values``, ``shuffle.as_shown``) to find the kept
fragment's key (``fragments.question_screen_key``, ``wait_screen_key``, and through
``Reply.after_answer`` the feedback's and the reveal's).

Everything else goes on to Flask as it came: ``EARLY_SCREENS`` off, no ``HX-Request``
(or boosted, or a history restore), a cookie ``EarlyAnswers.cookie`` is unsure of, a
participant unknown, the same screen (the poller moves on: ``_poll_update.html``), the
summary, a screen not kept yet, ``TRUSTED_HOSTS`` or ``SERVER_NAME`` set, anything that
raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from ..numbers import whole
from ..storage.connection import kept
from ..web import early
from ..web.i18n import session_language
from . import fragments, progress, screens
from .early_answer import EarlyAnswers, Reply, Unsure, sent
from .sessions import LoadedSession
from .shuffle import as_shown

RETARGET = (("HX-Retarget", "#main"), ("HX-Reswap", "innerHTML"))
NO_STORE = ("Cache-Control", "no-store")  # screens.no_store, on a question


class EarlyScreens:
    """Send a changed poll's kept screen (see the module)."""

    def __init__(self, answers: EarlyAnswers) -> None:
        self.answers = answers
        self.config = answers.config
        self.cache = answers.cache

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes] | None:
        if not self.config["EARLY_SCREENS"] or not _partial(environ):
            return None
        return sent(start_response, lambda: self.reply(environ))

    def reply(self, environ: dict[str, Any]) -> tuple[list, bytes] | None:
        """The poll's response when its new screen is kept, else None or Unsure."""
        config = self.config
        if config.get("SERVER_NAME") or config["SESSION_REFRESH_EACH_REQUEST"]:
            return None
        args = early.query_args(environ.get("QUERY_STRING", ""))
        if args is None:
            return None
        secure = environ.get("wsgi.url_scheme") in ("https", "wss")  # request.is_secure
        cookie = self.answers.cookie(environ, secure)
        db = kept(config["DATABASE"], self.cache)
        code = environ["PATH_INFO"].split("/")[2]
        sess, participant_id, answers = self.answers.student(db, code, cookie)
        last_pk = whole(args.get("last", ""))
        last = sess.question(last_pk) if last_pk is not None else None
        at = args.get("at", "")
        key = progress.view_key(sess, answers, last)
        if at.startswith("question:") and progress.still_answering(sess, answers, at):
            key = at
        if key == at:
            return None  # the same screen: the poller moves on (Flask's)
        language = session_language(sess.row, sess.version["body"], config)
        reply = Reply(self.cache, (environ.get("SCRIPT_NAME") or "").rstrip("/"))
        extra: tuple = RETARGET
        if key.startswith(("feedback:", "pending:")) and last is not None:
            reply.after_answer(language, sess, last, answers)
        elif key == "summary":
            return None
        else:
            extra = self.screen(reply, language, sess, participant_id, answers)
        return reply.response(environ.get("HTTP_ACCEPT_ENCODING", ""), secure, config, extra)

    def screen(
        self, reply: Reply, language: str, sess: LoadedSession, participant_id: str, answers
    ) -> tuple:
        """Find the question screen or the wait as ``screens.current_view`` makes it for
        htmx (its key, its HX-Push-Url); return the headers the views add to it."""
        q = progress.next_question(sess, answers)
        if q is None and progress.finished(sess, answers):
            raise Unsure  # the summary: Flask's
        reply.push_url = reply.url("play.question", code=sess.code)
        if q is None:
            poll = reply.url("play.poll", **screens.poll_values(sess, "wait"))
            counts = (len(answers), progress.missed(sess, answers))
            reply.key = fragments.wait_screen_key(
                language, sess.row, len(sess.questions), counts, poll
            )
            return RETARGET
        poll = None
        if sess.led:
            at = progress.question_key(sess, q)
            poll = reply.url("play.poll", **screens.poll_values(sess, at, timed=q))
        reply.key = fragments.question_screen_key(
            language,
            sess.row,
            sess.versions[q["version_id"]],
            as_shown(q, participant_id, sess.shuffled),
            screens.round_of(sess, q, answers),
            poll,
        )
        return (NO_STORE, *RETARGET)


def _partial(environ: dict[str, Any]) -> bool:
    """An htmx request for a fragment (``htmx.is_partial``)."""
    return (
        environ.get("HTTP_HX_REQUEST") == "true"
        and environ.get("HTTP_HX_BOOSTED") != "true"
        and environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true"
    )


def install(app: Flask, answers: EarlyAnswers) -> None:
    """Offer the student's changed polls to ``EarlyScreens`` before Flask (``web.early``)."""
    early.changed(app, "play", "poll", EarlyScreens(answers))
