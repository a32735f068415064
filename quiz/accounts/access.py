"""Who may open a page: the signed-in teacher in ``g``, and the decorators that refuse
anyone else."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort, g, render_template, request, session
from flask.typing import ResponseReturnValue

from ..storage.connection import get_db
from . import audit, teachers
from .forms import SignInForm


def load_teacher() -> None:
    """Put the signed-in teacher (or None) in g; refresh the idle clock."""
    g.teacher = None
    state = session.get("t")
    if state is None:
        return
    teacher, refreshed = teachers.current_teacher(get_db(), state)
    if teacher is None:
        session.pop("t", None)
        return
    g.teacher = teacher
    session["t"] = refreshed


def teacher_required(view: Callable) -> Callable:
    """Refuse anyone but a signed-in teacher (403, with the sign-in form on GET)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.teacher is None:
            return signin_required_page()
        return view(*args, **kwargs)

    wrapped.no_store = True  # web.security: never cached, whoever asks
    return wrapped


def signin_required_page() -> ResponseReturnValue:
    """Refuse an anonymous visitor: 403, with the sign-in form (leading back) on GET."""
    audit.log("denied", "not signed in")
    if request.method != "GET":
        abort(403)
    form = SignInForm(formdata=None)
    return render_template("accounts/signin.html", form=form, next=request.path, refused=True), 403


def admin_required(view: Callable) -> Callable:
    """Refuse anyone but a signed-in administrator."""

    @functools.wraps(view)
    @teacher_required
    def wrapped(*args, **kwargs):
        if not g.teacher.is_admin:
            audit.log("denied", "not an administrator", account=g.teacher.id)
            abort(403)
        return view(*args, **kwargs)

    return wrapped
