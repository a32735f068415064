"""A running session's controls: move the room, lock, reveal, timers, second votes,
close or reopen, joining and the word filter, people (team, rejoin code, remove), and
deleting its data.

Each posts from the live view or the room screen and comes back to it (``_back``).
The routes are on ``views.bp``."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from ..accounts import audit
from ..accounts.access import teacher_required
from ..numbers import whole
from ..play import sessions
from ..storage.connection import get_db
from ..web.forms import EmptyForm, require_csrf
from . import control
from .forms import TimerForm
from .people_views import page_number, search_text
from .views import MESSAGES, _dashboard_url, _session, bp


def _back(sess: sessions.LoadedSession, anchor: str = "controls") -> ResponseReturnValue:
    """After a control: back to the room screen when it was used there, else the dashboard."""
    if request.form.get("back") == "room":
        return redirect(url_for("facilitation.room_screen", code=sess.code), 303)
    return redirect(_dashboard_url(sess.code, _anchor=anchor), 303)


@bp.post("/run/<code>/goto")
@teacher_required
def goto(code: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    raw = request.form.get("number", "")
    if raw == "start":
        number = None
    elif whole(raw) is not None:
        number = whole(raw)
    else:
        abort(422)
    control.go_to(get_db(), sess, number)
    return _back(sess)


@bp.post("/run/<code>/questions/<id:pk>/<any(lock, unlock, reveal, hide, why, answers):action>")
@teacher_required
def mark(code: str, pk: int, action: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    control.mark(get_db(), sess, pk, action)
    if action == "reveal" and request.form.get("then") == "room":
        return redirect(url_for("facilitation.room", code=sess.code, pk=pk), 303)
    return _back(sess, f"question-{pk}")


@bp.post("/run/<code>/questions/<id:pk>/timer/<any(set, add, stop):action>")
@teacher_required
def timer(code: str, pk: int, action: str) -> ResponseReturnValue:
    """Start a timer on the room's question, add time to it, or stop it."""
    sess = _session(code)
    seconds = None
    if action == "set":
        form = TimerForm()
        if not form.validate_on_submit():
            raise control.FacilitationError(422, control.MESSAGES["timer_range"], "seconds")
        seconds = int(form.seconds.data)
    else:
        require_csrf()
    control.set_timer(get_db(), sess, pk, action, seconds)
    return _back(sess)


@bp.post("/run/<code>/questions/<id:pk>/vote")
@teacher_required
def vote(code: str, pk: int) -> ResponseReturnValue:
    """Peer instruction: open the room's question to a second vote after table talk."""
    require_csrf()
    sess = _session(code)
    control.vote_again(get_db(), sess, pk)
    return _back(sess)


@bp.get("/run/<code>/close")
@teacher_required
def confirm_close(code: str) -> ResponseReturnValue:
    """Ask before closing a session: the second step, without JavaScript too."""
    sess = _session(code)
    if not sess.is_open:
        return redirect(_dashboard_url(sess.code), 303)
    return render_template("facilitation/close.html", sess=sess, form=EmptyForm())


@bp.post("/run/<code>/<any(close, reopen):action>")
@teacher_required
def open_close(code: str, action: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    control.set_open(get_db(), sess, action == "reopen")
    audit.log(f"session_{action}", "ok", session=sess.code)
    flash(str(MESSAGES["closed"] if action == "close" else MESSAGES["reopened"]))
    return redirect(_dashboard_url(sess.code), 303)


SWITCHED = {
    "lock": _l("Joining is locked: new nicknames can't join. Rejoin codes still work."),
    "unlock": _l("Joining is open again."),
    "on": _l("The word filter is on: nicknames on the word list are refused from now on."),
    "off": _l("The word filter is off."),
}


@bp.post("/run/<code>/joining/<any(lock, unlock):action>")
@teacher_required
def joining(code: str, action: str) -> ResponseReturnValue:
    return _switch(code, action, control.lock_joining, action == "lock")


@bp.post("/run/<code>/word-filter/<any(on, off):action>")
@teacher_required
def word_filter(code: str, action: str) -> ResponseReturnValue:
    return _switch(code, action, control.filter_words, action == "on")


def _switch(code: str, action: str, change: Callable, on: bool) -> ResponseReturnValue:
    """Turn one of the session's joining controls on or off, and say so."""
    require_csrf()
    sess = _session(code)
    change(get_db(), sess, on)
    flash(str(SWITCHED[action]))
    return redirect(_dashboard_url(sess.code, _anchor="controls"), 303)


@bp.post("/run/<code>/participants/<pid>/<any(remove, rejoin, team):action>")
@teacher_required
def participant(code: str, pid: str, action: str) -> ResponseReturnValue:
    require_csrf()
    sess = _session(code)
    if action == "remove":
        control.remove(get_db(), sess, pid)
        flash(str(MESSAGES["removed"]))
    elif action == "rejoin":
        flash(MESSAGES["rejoin"].format(code=control.issue_rejoin(get_db(), sess, pid)))
    else:
        control.move(get_db(), sess, pid, request.form.get("team", ""))
        flash(str(MESSAGES["moved"]))
    if request.form.get("back") == "people":
        # Back to the page of the People page it was posted from.
        return redirect(url_for("facilitation.people_page", code=sess.code, **_people_args()), 303)
    return redirect(_dashboard_url(sess.code, _anchor="people"), 303)


def _people_args() -> dict:
    """The People page's search and page, as the form carried them back."""
    search, number = search_text(), page_number()
    return {**({"q": search} if search else {}), **({"page": number} if number > 1 else {})}


@bp.route("/run/<code>/delete", methods=["GET", "POST"])
@teacher_required
def delete_data(code: str) -> ResponseReturnValue:
    sess = _session(code)
    if request.method == "GET":
        return render_template("facilitation/delete.html", sess=sess, form=EmptyForm(), error=None)
    require_csrf()
    if sessions.normalise_code(request.form.get("confirm", "")) != sess.code:
        return render_template(
            "facilitation/delete.html",
            sess=sess,
            form=EmptyForm(),
            error=MESSAGES["confirm_delete"].format(code=sess.code),
        ), 422
    count = control.delete_data(get_db(), sess)
    audit.log("session_delete_data", "ok", session=sess.code, participants=count)
    flash(MESSAGES["deleted"].format(count=count))
    return redirect(_dashboard_url(sess.code), 303)
