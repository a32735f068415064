"""The projector's pages: the join screen, the room screen that follows the lesson, and
the QR code. Signed-in facilitators only (the projector is the teacher's laptop); no site
navigation, no nicknames, never the key before a reveal."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..accounts.access import teacher_required
from ..play import sessions
from ..results import items
from ..storage import queries
from ..storage.connection import get_db
from ..web.forms import EmptyForm
from ..web.i18n import for_session
from . import room as room_screen_data
from . import signed_poll
from .views import _session, bp, controls, join_url

ROOM_POLL_SECONDS = 2


def _projected(code: str) -> sessions.LoadedSession:
    """A session the teacher runs, for a screen the class reads: in the session's
    language (the facilitator chose it for the students)."""
    sess = _session(code)
    for_session(sess.row, sess.version["body"])
    return sess


def _join(sess: sessions.LoadedSession) -> dict:
    """What the join screen shows: the code, the address, the QR code and the counts."""
    url = join_url(sess.code)
    return {
        "join_url": url,
        # Where to type the code: the address without /join/<code>.
        "join_host": url.rsplit("/join/", 1)[0],
        # Read out letter by letter by a screen reader.
        "spelled_code": " ".join(sess.code),
    }


def _counts(sess: sessions.LoadedSession) -> dict:
    participants = queries.participants_of(get_db(), sess.row["id"])
    teams = [
        {**t, "joined": sum(1 for p in participants if p["team_id"] == t["id"])} for t in sess.teams
    ]
    return {"joined": len(participants), "teams": teams}


@bp.get("/run/<code>/screen")
@teacher_required
def screen(code: str) -> ResponseReturnValue:
    sess = _projected(code)
    return render_template(
        "facilitation/screen.html", sess=sess, counts=_counts(sess), form=EmptyForm(), **_join(sess)
    )


@bp.get("/run/<code>/screen/count")
@teacher_required
def screen_count(code: str) -> ResponseReturnValue:
    sess = _projected(code)
    return render_template("facilitation/_count.html", sess=sess, counts=_counts(sess))


@bp.get("/run/<code>/qr.svg")
@teacher_required
def qr(code: str) -> ResponseReturnValue:
    sess = _projected(code)
    out = io.BytesIO()
    segno.make(join_url(sess.code), error="m").save(
        out,
        kind="svg",
        scale=10,
        border=2,
        title=_("QR code to join session %(code)s", code=sess.code),
    )
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# The room screen ---------------------------------------------------------------------


def _room_context(sess: sessions.LoadedSession) -> dict:
    """What the room screen renders, with the poll that notices the next change."""
    db = get_db()
    room = room_screen_data.screen(db, sess)
    params = queries.activity(db, sess.row["id"])
    if room["phase"] == "question" and room["time_left"]:
        params["until"] = sess.deadline(room["q"])
    # Signed, so that web.early can answer its no-change case (signed_poll).
    watch = queries.room_watch(db, sess.code, {})
    params = signed_poll.signed(current_app.secret_key, sess.code, watch, params)
    return {
        "sess": sess,
        "room": room,
        "counts": {"joined": room["joined"], "teams": room["teams"]},
        "poll_url": url_for("facilitation.room_poll", code=sess.code, **params),
        "poll_seconds": ROOM_POLL_SECONDS,
        "form": EmptyForm(),
        "controls": controls(sess, on_room=True),
        **_join(sess),
    }


@bp.get("/run/<code>/room")
@teacher_required
def room_screen(code: str) -> ResponseReturnValue:
    """The room screen for the projector: it follows the facilitator by itself."""
    sess = _projected(code)
    return render_template("facilitation/room_screen.html", **_room_context(sess))


@bp.get("/run/<code>/room/poll")
@teacher_required
def room_poll(code: str) -> ResponseReturnValue:
    """The room screen's poll: 204 while nothing changed (state, joined, answers), no
    timer on screen ran out and its URL is freshly signed; otherwise the screen as it is
    now, with a new poll URL. (``web.early`` answers most 204s before Flask: see
    ``signed_poll``.)"""
    sess = _projected(code)
    watch = queries.room_watch(get_db(), sess.code, request.args)
    if signed_poll.answerable(current_app.secret_key, sess.code, watch, request.args):
        return Response(status=204)
    return render_template("facilitation/_room.html", **_room_context(sess))


@bp.get("/run/<code>/room/<id:pk>")
@teacher_required
def room(code: str, pk: int) -> ResponseReturnValue:
    """One question for the room, its distribution and, once revealed, its explanation
    (for self-paced sessions; a led session's room screen follows by itself)."""
    sess = _projected(code)
    q = sess.question(pk)
    if q is None:
        abort(404)
    answers = queries.answers_in(get_db(), sess.row["id"], pk)
    return render_template(
        "facilitation/room.html",
        sess=sess,
        q=q,
        stats=items.question_stats(q, answers, misconceptions=sess.misconceptions),
        revealed=sess.revealed(q),
        form=EmptyForm(),
    )
