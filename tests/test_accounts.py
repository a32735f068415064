"""Teacher accounts: sign-in, throttling, sign-out, passwords, invitations, roles."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from quiz import clock
from quiz.accounts import throttle

from .world import EMAILS, PASSWORD, sign_in, text_of


def test_passwords_are_stored_as_argon2id_at_owasp_minimum_or_above(db, people):
    stored = db.execute(
        "SELECT password_hash FROM account WHERE id = ?", [people["teacher_a"]]
    ).fetchone()[0]
    assert stored.startswith("$argon2id$")
    params = dict(p.split("=") for p in re.search(r"\$m=[^$]+", stored).group(0)[1:].split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2 and int(params["p"]) >= 1
    assert PASSWORD not in stored


def test_sign_in_then_teacher_home(client, people):
    response = sign_in(client, "A@School.org")  # e-mail case does not matter
    assert response.status_code == 303 and response.location == "/teach/"
    assert "Your question sets" in client.get("/teach/").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message_and_no_session(client, people):
    response = sign_in(client, EMAILS["teacher_a"], "wrong password")
    assert response.status_code == 401
    assert "do not match an account" in response.get_data(as_text=True)
    assert client.get("/teach/").status_code == 403


def test_unknown_email_gets_the_same_message(client, people):
    response = sign_in(client, "nobody@school.org", "whatever it is")
    assert response.status_code == 401
    assert "do not match an account" in response.get_data(as_text=True)


def test_anonymous_teacher_pages_show_sign_in_with_403(client):
    response = client.get("/teach/")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "Sign in as a teacher to open this page." in html
    assert 'name="next" value="/teach/"' in html


def test_sign_in_follows_only_local_next_urls(client, people):
    ok = client.post(
        "/signin",
        data={"email": EMAILS["teacher_a"], "password": PASSWORD, "next": "/teach/upload"},
    )
    assert ok.location == "/teach/upload"
    other = client.post(
        "/signin",
        data={"email": EMAILS["teacher_a"], "password": PASSWORD, "next": "//evil.example/"},
    )
    assert other.location == "/teach/"


def test_failures_throttle_that_account_from_that_client_only(app, db, people, monkeypatch):
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: start)  # the 1 s wait must not pass
    attacker = app.test_client()
    for _ in range(throttle.FREE_PER_CLIENT):
        assert sign_in(attacker, EMAILS["teacher_a"], "bad guess!!").status_code == 401
    response = sign_in(attacker, EMAILS["teacher_a"])  # even the right password
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    # Another teacher behind the same address is not slowed.
    assert sign_in(app.test_client(), EMAILS["teacher_b"]).status_code == 303
    # The count lives in SQLite, so every worker process sees it.
    assert db.execute("SELECT count(*) FROM sign_in_attempt WHERE outcome = 'failed'").fetchone()[
        0
    ] == (throttle.FREE_PER_CLIENT)


def test_the_wait_grows_and_lifts(app, db, people, monkeypatch):
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: start)
    client = app.test_client()
    for _ in range(throttle.FREE_PER_CLIENT):
        sign_in(client, EMAILS["teacher_a"], "bad guess!!")
    assert sign_in(client, EMAILS["teacher_a"]).status_code == 429
    monkeypatch.setattr(clock, "utcnow", lambda: start + dt.timedelta(seconds=1))
    assert sign_in(client, EMAILS["teacher_a"]).status_code == 303


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, as_teacher):
    client = as_teacher()
    stolen = client.get_cookie("lateral").value
    response = client.post("/signout")
    assert response.status_code == 303
    assert client.get("/teach/").status_code == 403
    replay = app.test_client()
    replay.set_cookie("lateral", stolen)
    assert replay.get("/teach/").status_code == 403


def test_password_change_signs_out_other_browsers(app, as_teacher, db, people):
    here, elsewhere = as_teacher(), as_teacher()
    response = here.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 303
    assert here.get("/teach/").status_code == 200
    assert elsewhere.get("/teach/").status_code == 403
    assert (
        sign_in(app.test_client(), EMAILS["teacher_a"], "a brand new passphrase").status_code == 303
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "current": "wrong one!!",
                "password": "a brand new passphrase",
                "confirm": "a brand new passphrase",
            },
            "current password is not right",
        ),
        (
            {"current": PASSWORD, "password": "short", "confirm": "short"},
            "Use at least 12 characters",
        ),
        (
            {
                "current": PASSWORD,
                "password": "a brand new passphrase",
                "confirm": "another one entirely",
            },
            "The passwords differ",
        ),
    ],
)
def test_bad_password_changes_are_refused(as_teacher, db, people, data, message):
    before = db.execute(
        "SELECT password_hash FROM account WHERE id = ?", [people["teacher_a"]]
    ).fetchone()[0]
    response = as_teacher().post("/account/password", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert (
        db.execute(
            "SELECT password_hash FROM account WHERE id = ?", [people["teacher_a"]]
        ).fetchone()[0]
        == before
    )


def test_teacher_sessions_expire_after_8_hours_or_2_idle(app, as_teacher, monkeypatch):
    start = dt.datetime.now(dt.UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: start)
    client = as_teacher()
    monkeypatch.setattr(clock, "utcnow", lambda: start + dt.timedelta(hours=1, minutes=50))
    assert client.get("/teach/").status_code == 200  # active: the idle clock restarts
    monkeypatch.setattr(clock, "utcnow", lambda: start + dt.timedelta(hours=3, minutes=55))
    assert client.get("/teach/").status_code == 403  # idle over 2 hours
    client = as_teacher()
    for hours in range(1, 10):
        monkeypatch.setattr(clock, "utcnow", lambda h=hours: start + dt.timedelta(hours=h + 3.9))
        status = client.get("/teach/").status_code
    assert status == 403  # 8 hours after signing in, however active


def test_admin_invites_a_teacher_by_a_single_use_link(app, as_teacher, db):
    admin = as_teacher("admin")
    response = admin.post("/admin/invites", data={"email": "new@school.org", "role": "teacher"})
    assert response.status_code == 201
    link = re.search(r"http://localhost(/invite/[\w-]+)", response.get_data(as_text=True)).group(1)
    assert (
        db.execute(
            "SELECT count(*) FROM invite WHERE token_hash LIKE ?", [link.split("/")[-1]]
        ).fetchone()[0]
        == 0
    )
    newcomer = app.test_client()
    page = newcomer.get(link)
    assert "new@school.org" in page.get_data(as_text=True)
    data = {"name": "Nia", "password": "my own passphrase", "confirm": "my own passphrase"}
    assert newcomer.post(link, data=data).status_code == 303
    assert newcomer.get("/teach/").status_code == 200
    again = app.test_client().post(link, data=data)
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert (
        db.execute("SELECT role FROM account WHERE email = 'new@school.org'").fetchone()[0]
        == "teacher"
    )


def test_an_expired_invitation_is_refused(app, as_teacher, monkeypatch):
    admin = as_teacher("admin")
    html = admin.post(
        "/admin/invites", data={"email": "late@school.org", "role": "teacher"}
    ).get_data(as_text=True)
    link = re.search(r"http://localhost(/invite/[\w-]+)", html).group(1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    response = app.test_client().get(link)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)


def test_an_unknown_invitation_is_a_404(client):
    assert client.get("/invite/not-a-real-token").status_code == 404


def test_only_admins_manage_accounts(as_teacher, client, people):
    assert client.get("/admin/accounts").status_code == 403
    assert as_teacher("teacher_a").get("/admin/accounts").status_code == 403
    assert (
        as_teacher("teacher_a")
        .post("/admin/invites", data={"email": "x@y.org", "role": "admin"})
        .status_code
        == 403
    )
    page = as_teacher("admin").get("/admin/accounts")
    assert page.status_code == 200 and "b@school.org" in page.get_data(as_text=True)


def test_admin_changes_roles_and_disables_accounts(app, as_teacher, db, people):
    admin = as_teacher("admin")
    ben = as_teacher("teacher_b")
    assert admin.post(f"/admin/accounts/{people['teacher_b']}/disable").status_code == 303
    assert ben.get("/teach/").status_code == 403
    assert sign_in(app.test_client(), EMAILS["teacher_b"]).status_code == 401
    assert admin.post(f"/admin/accounts/{people['teacher_b']}/enable").status_code == 303
    assert (
        admin.post(
            f"/admin/accounts/{people['teacher_b']}/role", data={"role": "admin"}
        ).status_code
        == 303
    )
    assert (
        db.execute("SELECT role FROM account WHERE id = ?", [people["teacher_b"]]).fetchone()[0]
        == "admin"
    )


def test_the_last_admin_cannot_be_demoted_or_disable_themself(as_teacher, db, people):
    admin = as_teacher("admin")
    response = admin.post(f"/admin/accounts/{people['admin']}/role", data={"role": "teacher"})
    assert response.status_code == 409 and "Keep at least one administrator" in text_of(
        response.get_data(as_text=True)
    )
    assert admin.post(f"/admin/accounts/{people['admin']}/disable").status_code == 409


def test_registration_is_closed_by_default_and_opens_by_setting(app, db):
    assert app.test_client().get("/register").status_code == 404
    app.config["REGISTRATION_OPEN"] = True
    client = app.test_client()
    data = {
        "email": "self@school.org",
        "name": "Sam",
        "password": "a fine passphrase",
        "confirm": "a fine passphrase",
    }
    assert client.post("/register", data=data).status_code == 303
    assert (
        db.execute("SELECT role FROM account WHERE email = 'self@school.org'").fetchone()[0]
        == "teacher"
    )
    again = app.test_client().post("/register", data=data)
    assert again.status_code == 409


def test_cli_creates_the_first_administrator(runner, db):
    result = runner.invoke(
        args=["create-admin", "head@school.org", "--name", "Head"],
        env={"LATERAL_ADMIN_PASSWORD": "a long admin passphrase"},
    )
    assert result.exit_code == 0, result.output
    assert (
        db.execute("SELECT role FROM account WHERE email = 'head@school.org'").fetchone()[0]
        == "admin"
    )
    again = runner.invoke(
        args=["create-admin", "head@school.org", "--name", "Head"],
        env={"LATERAL_ADMIN_PASSWORD": "a long admin passphrase"},
    )
    assert again.exit_code != 0 and "already exists" in again.output
