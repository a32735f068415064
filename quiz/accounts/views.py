"""Account pages: sign-in, sign-out, password change, invitations and account admin."""

from __future__ import annotations

from dataclasses import replace

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
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext, refresh

from .. import clock
from ..play import ARRIVAL, joining
from ..play.sessions import PlayError
from ..storage import queries
from ..storage.connection import get_db
from ..web.forms import EmptyForm, show_refusal
from ..web.redirects import safe_next
from ..web.urls import public_base
from . import audit, invitations, roles, teachers
from .access import admin_required, teacher_required
from .forms import (
    AcceptInviteForm,
    AccountLanguageForm,
    InviteForm,
    PasswordChangeForm,
    RegisterForm,
    RoleForm,
    SignInForm,
    WordListForm,
)
from .throttle import new_device_id

bp = Blueprint("accounts", __name__)


def _start(account: dict, device: str | None = None) -> None:
    session.pop("t", None)
    # A new CSRF token for the signed-in browser: one seen before sign-in is void.
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    session["t"] = teachers.session_state(account)
    if device:
        session["d"] = device
    session.permanent = True


def _device() -> str:
    """Return this browser's device id (from its cookie, or a new one for the throttle)."""
    device = session.get("d")
    return device if isinstance(device, str) and 16 <= len(device) <= 64 else new_device_id()


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> ResponseReturnValue:
    form = SignInForm()
    next_url = safe_next(request.values.get("next"), "") or None
    if request.method != "POST":
        return render_template("accounts/signin.html", form=form, next=next_url)
    if not form.validate_on_submit():
        return render_template("accounts/signin.html", form=form, next=next_url), 422
    device = _device()
    try:
        account = teachers.sign_in(
            get_db(), form.email.data, form.password.data, request.remote_addr or "", device
        )
    except teachers.SignInRefused as exc:
        outcome = "throttled" if exc.status == 429 else "failed"
        audit.log("sign_in", outcome, account=exc.account_id, status=exc.status)
        show_refusal(form, exc, "password")
        page = render_template("accounts/signin.html", form=form, next=next_url)
        return page, exc.status, exc.headers
    audit.log("sign_in", "ok", account=account["id"])
    _start(account, device)
    return redirect(next_url or url_for("authoring.home"), 303)


@bp.post("/signout")
def signout() -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    if g.teacher is not None:
        teachers.sign_out(get_db(), g.teacher.id)
        audit.log("sign_out", "ok", account=g.teacher.id)
    session.pop("t", None)
    flash(_("You are signed out."))
    return redirect(url_for("accounts.signin"), 303)


def _account_page(form: PasswordChangeForm, language: AccountLanguageForm | None = None):
    language = language or AccountLanguageForm(formdata=None, language=g.teacher.language or "")
    return render_template("accounts/password.html", form=form, account_language=language)


@bp.route("/account/password", methods=["GET", "POST"])
@teacher_required
def password() -> ResponseReturnValue:
    form = PasswordChangeForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _account_page(form), 422
        try:
            teachers.change_password(get_db(), g.teacher.id, form.current.data, form.password.data)
        except teachers.AccountError as exc:
            audit.log("password_change", "refused", status=exc.status)
            show_refusal(form, exc, "password")
            return _account_page(form), exc.status
        audit.log("password_change", "ok")
        # The change ended every session, this one included: start a fresh one.
        _start(queries.account_by_id(get_db(), g.teacher.id))
        flash(_("Your password is changed. Other browsers are signed out."))
        return redirect(url_for("authoring.home"), 303)
    return _account_page(form)


@bp.post("/account/language")
@teacher_required
def language() -> ResponseReturnValue:
    """Set the language of the teacher's own pages (an unknown one changes nothing)."""
    form = AccountLanguageForm()
    if not form.validate_on_submit():
        return _account_page(PasswordChangeForm(formdata=None), form), 422
    queries.set_account_language(get_db(), g.teacher.id, form.language.data or None)
    g.teacher = replace(g.teacher, language=form.language.data or None)
    refresh()
    flash(_("The language of your pages is saved."))
    return redirect(url_for("accounts.password"), 303)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> ResponseReturnValue:
    try:
        invite = invitations.pending_invite(get_db(), token)
    except teachers.AccountError as exc:
        return render_template("accounts/invite_gone.html", message=exc.message), exc.status
    form = AcceptInviteForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("accounts/invite.html", form=form, invite=invite), 422
        try:
            account_id = invitations.accept_invite(
                get_db(), token, form.name.data, form.password.data
            )
        except teachers.AccountError as exc:
            audit.log("invite_accept", "refused", invite=invite["id"], status=exc.status)
            show_refusal(form, exc, "password")
            return render_template("accounts/invite.html", form=form, invite=invite), exc.status
        audit.log("invite_accept", "ok", invite=invite["id"], account=account_id)
        _start(queries.account_by_id(get_db(), account_id))
        flash(_("Welcome to Lateral. Your account is ready."))
        return redirect(url_for("authoring.home"), 303)
    return render_template("accounts/invite.html", form=form, invite=invite)


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if not current_app.config["REGISTRATION_OPEN"]:
        abort(404)
    form = RegisterForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("accounts/register.html", form=form), 422
        try:
            account_id = teachers.register(
                get_db(), form.email.data, form.name.data, form.password.data
            )
        except teachers.AccountError as exc:
            audit.log("register", "refused", status=exc.status)
            show_refusal(form, exc, "password")
            return render_template("accounts/register.html", form=form), exc.status
        audit.log("register", "ok", account=account_id)
        _start(queries.account_by_id(get_db(), account_id))
        return redirect(url_for("authoring.home"), 303)
    return render_template("accounts/register.html", form=form)


# Administration ---------------------------------------------------------------


def _accounts_page(form: InviteForm, status: int = 200, link: str | None = None):
    db = get_db()
    return render_template(
        "accounts/accounts.html",
        form=form,
        accounts=queries.accounts(db),
        invites=queries.open_invites(db, clock.stamp()),
        link=link,
        role_form=RoleForm,
        action=EmptyForm(),
    ), status


@bp.get("/admin/accounts")
@admin_required
def admin_accounts() -> ResponseReturnValue:
    return _accounts_page(InviteForm(formdata=None))


@bp.post("/admin/invites")
@admin_required
def admin_invite() -> ResponseReturnValue:
    form = InviteForm()
    if not form.validate_on_submit():
        return _accounts_page(form, 422)
    base = public_base()  # before the invitation is stored: a link must be possible
    try:
        token = invitations.invite(get_db(), g.teacher.id, form.email.data, form.role.data)
    except teachers.AccountError as exc:
        audit.log("invite", "refused", role=form.role.data, status=exc.status)
        show_refusal(form, exc, "email")
        return _accounts_page(form, exc.status)
    audit.log("invite", "ok", role=form.role.data)
    link = base + url_for("accounts.accept_invite", token=token)
    return _accounts_page(InviteForm(formdata=None), 201, link=link)


@bp.post("/admin/accounts/<id:account_id>/role")
@admin_required
def admin_role(account_id: int) -> ResponseReturnValue:
    form = RoleForm()
    if not form.validate_on_submit():
        abort(422)
    try:
        roles.set_role(get_db(), g.teacher, account_id, form.role.data)
    except teachers.AccountError as exc:
        audit.log("role", "refused", account=account_id, role=form.role.data, status=exc.status)
        flash(exc.message)
        return _accounts_page(InviteForm(formdata=None), exc.status)
    audit.log("role", "ok", account=account_id, role=form.role.data)
    return redirect(url_for("accounts.admin_accounts"), 303)


@bp.post("/admin/accounts/<id:account_id>/<any(disable, enable):action>")
@admin_required
def admin_disable(account_id: int, action: str) -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        roles.set_disabled(get_db(), g.teacher, account_id, action == "disable")
    except teachers.AccountError as exc:
        audit.log(action, "refused", account=account_id, status=exc.status)
        flash(exc.message)
        return _accounts_page(InviteForm(formdata=None), exc.status)
    audit.log(action, "ok", account=account_id)
    return redirect(url_for("accounts.admin_accounts"), 303)


@bp.route("/admin/nickname-words", methods=["GET", "POST"])
@admin_required
def admin_words() -> ResponseReturnValue:
    db, file = get_db(), current_app.extensions[ARRIVAL].words_file
    saved = queries.nickname_words(db)
    if request.method != "POST":
        text = saved if saved is not None else file.read_text(encoding="utf-8")
        return _words_page(WordListForm(formdata=None, words=text), saved is not None)
    form = WordListForm()
    if not form.validate_on_submit():
        return _words_page(form, saved is not None, 400)
    if request.form.get("reset"):
        queries.forget_nickname_words(db)
        audit.log("nickname_words", "reset", account=g.teacher.id)
        flash(_("The word filter uses the list from the file again."))
        return redirect(url_for("accounts.admin_words"), 303)
    try:
        words = joining.save_word_list(db, form.words.data, g.teacher.id)
    except PlayError as exc:
        show_refusal(form, exc, "words")
        return _words_page(form, saved is not None, exc.status)
    audit.log("nickname_words", "saved", account=g.teacher.id, entries=len(words))
    flash(
        ngettext(
            "Word list saved: %(num)d entry. Sessions with the filter on use it now.",
            "Word list saved: %(num)d entries. Sessions with the filter on use it now.",
            len(words),
        )
    )
    return redirect(url_for("accounts.admin_words"), 303)


def _words_page(form: WordListForm, saved: bool, status: int = 200):
    return render_template(
        "accounts/words.html",
        form=form,
        saved=saved,
        file=current_app.extensions[ARRIVAL].words_file,
    ), status
