"""The student's peer-marking page: one classmate's written answer, the rubric, and a
button per level (see ``peer``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..storage.connection import get_db
from . import peer
from .forms import PeerMarkForm
from .sessions import PlayError
from .views import _student, bp


def _page(code: str, pk: int, status: int = 200, error: str | None = None):
    sess, me, answers = _student(code)
    q = peer.peer_question(sess, pk)
    if pk not in answers:
        # Write your own answer before you mark someone else's.
        return redirect(url_for("play.question", code=sess.code), 303)
    kind, found = peer.state(get_db(), sess, q, me)
    return render_template(
        "play/peer.html", sess=sess, q=q, kind=kind, found=found, form=PeerMarkForm(), error=error
    ), status


@bp.get("/play/<code>/peer/<id:pk>")
def peer_page(code: str, pk: int) -> ResponseReturnValue:
    return _page(code, pk)


@bp.post("/play/<code>/peer/<id:pk>")
def peer_mark(code: str, pk: int) -> ResponseReturnValue:
    sess, me, answers = _student(code)
    q = peer.peer_question(sess, pk)
    form = PeerMarkForm()
    if pk not in answers or not form.validate_on_submit():
        return _page(code, pk, 422, _("Choose Beginning, Emerging or Mastery."))
    try:
        peer.mark(get_db(), sess, q, me, form.answer.data, form.level.data)
    except PlayError as exc:
        return _page(code, pk, exc.status, exc.message)
    flash(_("Thank you: your mark is saved. Your teacher can see it."))
    return redirect(url_for("play.question", code=sess.code), 303)
