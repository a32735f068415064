"""The facilitator's marking screen: written answers one by one, keys 1/2/3 to mark at a
level, n and p to move, u to undo; nicknames hidden unless asked for. Every control is
a plain link or form, so it works without JavaScript (static/js/marking.js adds keys).
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..accounts.access import teacher_required
from ..numbers import whole
from ..storage.connection import get_db
from ..web.forms import EmptyForm
from . import marking
from .marking_forms import MarkForm, UndoForm
from .views import _session, bp


def _page_url(code: str, pk: int, **args) -> str:
    """The marking screen's address; ``names`` only when nicknames are shown."""
    if args.pop("names", None):
        args["names"] = 1
    return url_for("facilitation.marking_page", code=code, pk=pk, **args)


@bp.get("/run/<code>/marking")
@teacher_required
def marking_home(code: str) -> ResponseReturnValue:
    sess = _session(code)
    return render_template(
        "facilitation/marking.html", sess=sess, rows=marking.overview(get_db(), sess)
    )


def _screen(code: str, pk: int, at: int | None, names: bool, last: int | None, status=200):
    sess = _session(code)
    q = marking.written_question(sess, pk)
    if q is None:
        flash(_("That question has no written answers to mark."))
        return redirect(url_for("facilitation.marking_home", code=sess.code), 303)
    found = marking.answers(get_db(), sess, q)
    index = marking.place(found, at)
    done = bool(found) and at is not None and at > len(found)
    number = index + 1
    teams = {t["id"]: t["name"] for t in sess.teams}
    links = {
        "prev": _page_url(sess.code, pk, at=number - 1, names=names) if number > 1 else None,
        "next": _page_url(sess.code, pk, at=number + 1, names=names)
        if found and not done
        else None,
        "names": _page_url(sess.code, pk, at=number, names=not names),
    }
    return render_template(
        "facilitation/mark.html",
        sess=sess,
        q=q,
        answers=found,
        current=None if done or not found else found[index],
        number=number,
        done=done,
        waiting=sum(a["level"] is None for a in found),
        first_waiting=next((i + 1 for i, a in enumerate(found) if a["level"] is None), None),
        names=names,
        team_name=teams.get,
        links=links,
        last=last,
        # Where the last marked answer is, for its undo.
        last_at=next((i + 1 for i, a in enumerate(found) if a["id"] == last), None),
        form=EmptyForm(),
        action=url_for("facilitation.give_mark", code=sess.code, pk=pk),
        undo_action=url_for("facilitation.undo_mark", code=sess.code, pk=pk),
    ), status


@bp.get("/run/<code>/marking/<id:pk>")
@teacher_required
def marking_page(code: str, pk: int) -> ResponseReturnValue:
    args = request.args
    return _screen(
        code,
        pk,
        whole(args.get("at", ""), low=1),
        args.get("names") == "1",
        whole(args.get("last", ""), low=1),
    )


def _posted(code: str, pk: int, form, refusal: str):
    """Read a marking form: (session, question, None), or a 422 screen saying ``refusal``."""
    sess = _session(code)
    q = marking.written_question(sess, pk)
    if q is None or not form.validate_on_submit():
        flash(refusal)
        return sess, q, _screen(code, pk, form.at.data, bool(form.names.data), None, 422)
    return sess, q, None


@bp.post("/run/<code>/marking/<id:pk>")
@teacher_required
def give_mark(code: str, pk: int) -> ResponseReturnValue:
    form = MarkForm()
    sess, q, refused = _posted(
        code,
        pk,
        form,
        _("Choose Beginning, Emerging or Mastery for one of this question's answers."),
    )
    if refused:
        return refused
    marking.mark(get_db(), sess, q, form.answer.data, form.level.data, g.teacher.id)
    at = (form.at.data or 1) + (1 if form.then.data != "stay" else 0)
    target = _page_url(sess.code, pk, at=at, names=form.names.data, last=form.answer.data)
    return redirect(target, 303)


@bp.post("/run/<code>/marking/<id:pk>/undo")
@teacher_required
def undo_mark(code: str, pk: int) -> ResponseReturnValue:
    form = UndoForm()
    sess, q, refused = _posted(code, pk, form, _("There is no mark to undo there."))
    if refused:
        return refused
    marking.undo(get_db(), sess, q, form.answer.data)
    flash(_("Mark undone."))
    return redirect(_page_url(sess.code, pk, at=form.at.data, names=form.names.data), 303)
