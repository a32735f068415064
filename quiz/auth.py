"""Teacher sign-in, sign-out, password change, invitations and account admin."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from . import accounts, audit, clock
from .forms import (
    AcceptInviteForm,
    InviteForm,
    PasswordChangeForm,
    RegisterForm,
    RoleForm,
    SignInForm,
)
from .storage import queries
from .storage.connection import get_db
from .web.forms import EmptyForm

bp = Blueprint("auth", __name__)


@bp.before_app_request
def load_teacher() -> None:
    """Put the signed-in teacher (or None) in g; refresh the idle clock."""
    g.teacher = None
    state = session.get("t")
    if state is None:
        return
    teacher, refreshed = accounts.current_teacher(get_db(), state)
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
            audit.log("denied", "not signed in")
            if request.method == "GET":
                form = SignInForm(formdata=None)
                return render_template(
                    "auth/signin.html", form=form, next=request.path, refused=True
                ), 403
            abort(403)
        return view(*args, **kwargs)

    return wrapped


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


def _safe_next(target: str | None) -> str:
    """Follow only local paths after sign-in (never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("author.home")


def _start(account: dict) -> None:
    session.pop("t", None)
    session["t"] = accounts.session_state(account)
    session.permanent = True


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    form = SignInForm()
    next_url = request.values.get("next")
    if request.method == "GET":
        return render_template("auth/signin.html", form=form, next=next_url)
    if not form.validate_on_submit():
        return render_template("auth/signin.html", form=form, next=next_url), 422
    try:
        account = accounts.sign_in(get_db(), form.email.data, form.password.data)
    except accounts.AccountError as exc:
        audit.log("sign_in", "throttled" if exc.status == 429 else "failed", status=exc.status)
        form.password.errors = [exc.message]
        return render_template("auth/signin.html", form=form, next=next_url), exc.status
    audit.log("sign_in", "ok", account=account["id"])
    _start(account)
    return redirect(_safe_next(next_url), 303)


@bp.post("/signout")
def signout():
    if not EmptyForm().validate_on_submit():
        abort(400)
    if g.teacher is not None:
        accounts.sign_out(get_db(), g.teacher.id)
        audit.log("sign_out", "ok", account=g.teacher.id)
    session.pop("t", None)
    flash("You are signed out.")
    return redirect(url_for("auth.signin"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@teacher_required
def password():
    form = PasswordChangeForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("auth/password.html", form=form), 422
        try:
            accounts.change_password(get_db(), g.teacher.id, form.current.data, form.password.data)
        except accounts.AccountError as exc:
            getattr(form, exc.field or "password").errors = [exc.message]
            return render_template("auth/password.html", form=form), exc.status
        # The change ended every session, this one included: start a fresh one.
        _start(queries.account_by_id(get_db(), g.teacher.id))
        flash("Your password is changed. Other browsers are signed out.")
        return redirect(url_for("author.home"), 303)
    return render_template("auth/password.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    try:
        invite = accounts.pending_invite(get_db(), token)
    except accounts.AccountError as exc:
        return render_template("auth/invite_gone.html", message=exc.message), exc.status
    form = AcceptInviteForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("auth/invite.html", form=form, invite=invite), 422
        try:
            account_id = accounts.accept_invite(get_db(), token, form.name.data, form.password.data)
        except accounts.AccountError as exc:
            getattr(form, exc.field or "password").errors = [exc.message]
            return render_template("auth/invite.html", form=form, invite=invite), exc.status
        _start(queries.account_by_id(get_db(), account_id))
        flash("Welcome to Lateral. Your account is ready.")
        return redirect(url_for("author.home"), 303)
    return render_template("auth/invite.html", form=form, invite=invite)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if not current_app.config["REGISTRATION_OPEN"]:
        abort(404)
    form = RegisterForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("auth/register.html", form=form), 422
        try:
            account_id = accounts.register(
                get_db(), form.email.data, form.name.data, form.password.data
            )
        except accounts.AccountError as exc:
            getattr(form, exc.field or "password").errors = [exc.message]
            return render_template("auth/register.html", form=form), exc.status
        _start(queries.account_by_id(get_db(), account_id))
        return redirect(url_for("author.home"), 303)
    return render_template("auth/register.html", form=form)


# Administration ---------------------------------------------------------------


def _accounts_page(form: InviteForm, status: int = 200, link: str | None = None):
    db = get_db()
    return render_template(
        "auth/accounts.html",
        form=form,
        accounts=queries.accounts(db),
        invites=queries.open_invites(db, clock.stamp()),
        link=link,
        role_form=RoleForm,
        action=EmptyForm(),
    ), status


@bp.get("/admin/accounts")
@admin_required
def admin_accounts():
    return _accounts_page(InviteForm(formdata=None))


@bp.post("/admin/invites")
@admin_required
def admin_invite():
    form = InviteForm()
    if not form.validate_on_submit():
        return _accounts_page(form, 422)
    try:
        token = accounts.invite(get_db(), g.teacher.id, form.email.data, form.role.data)
    except accounts.AccountError as exc:
        form.email.errors = [exc.message]
        return _accounts_page(form, exc.status)
    link = url_for("auth.accept_invite", token=token, _external=True)
    return _accounts_page(InviteForm(formdata=None), 201, link=link)


@bp.post("/admin/accounts/<id:account_id>/role")
@admin_required
def admin_role(account_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        abort(422)
    try:
        accounts.set_role(get_db(), g.teacher, account_id, form.role.data)
    except accounts.AccountError as exc:
        flash(exc.message)
        return _accounts_page(InviteForm(formdata=None), exc.status)
    return redirect(url_for("auth.admin_accounts"), 303)


@bp.post("/admin/accounts/<id:account_id>/<any(disable, enable):action>")
@admin_required
def admin_disable(account_id: int, action: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_disabled(get_db(), g.teacher, account_id, action == "disable")
    except accounts.AccountError as exc:
        flash(exc.message)
        return _accounts_page(InviteForm(formdata=None), exc.status)
    return redirect(url_for("auth.admin_accounts"), 303)
