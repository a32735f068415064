"""The password policy on every way a password is set (issue 13, finding 6): register,
invitation, change and create-admin refuse weak passwords with a plain message beside
the field, and store nothing."""

from __future__ import annotations

import re

import pytest

from quiz.storage.connection import connect

from .conftest import EMAILS, PASSWORD, sign_in, text_of

WEAK = [
    ("1234567890", "Use at least 12 characters"),  # the finding
    (" " * 10, "Use more than one character"),  # the finding
    ("password1234", "on a list of common passwords"),
    ("qwertyuiopasd", "mostly runs or repeats"),
    ("Sam Teacher 2026", "made from your name"),
]
GOOD = "violet kayak under the pier"


def accounts(db) -> int:
    return db.execute("SELECT count(*) FROM account").fetchone()[0]


def refused(response, message: str) -> bool:
    text = text_of(response.get_data(as_text=True))
    return response.status_code == 422 and message in text


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_registering_with_a_weak_password_is_refused(app, db, password, message):
    app.config["REGISTRATION_OPEN"] = True
    before = accounts(db)
    data = {"email": "sam@school.org", "name": "Sam Teacher", "password": password}
    response = app.test_client().post("/register", data={**data, "confirm": password})
    assert refused(response, message)
    assert accounts(db) == before


@pytest.fixture
def invite_link(as_teacher) -> str:
    html = (
        as_teacher("admin")
        .post("/admin/invites", data={"email": "sam@school.org", "role": "teacher"})
        .get_data(as_text=True)
    )
    return re.search(r"http://localhost(/invite/[\w-]+)", html).group(1)


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_accepting_an_invitation_with_a_weak_password_is_refused(
    app, db, invite_link, password, message
):
    before = accounts(db)
    data = {"name": "Sam Teacher", "password": password, "confirm": password}
    assert refused(app.test_client().post(invite_link, data=data), message)
    assert accounts(db) == before
    assert db.execute("SELECT used_at FROM invite").fetchone()[0] is None
    good = {"name": "Sam Teacher", "password": GOOD, "confirm": GOOD}
    assert app.test_client().post(invite_link, data=good).status_code == 303


@pytest.mark.parametrize(("password", "message"), [*WEAK[:4], ("Ana 2026 ana school", "your name")])
def test_changing_to_a_weak_password_is_refused(as_teacher, db, people, password, message):
    def stored() -> str:
        return db.execute(
            "SELECT password_hash FROM account WHERE id = ?", [people["teacher_a"]]
        ).fetchone()[0]

    before = stored()
    data = {"current": PASSWORD, "password": password, "confirm": password}
    assert refused(as_teacher().post("/account/password", data=data), message)
    assert stored() == before


def test_the_message_lists_every_problem_at_once(as_teacher, people):
    data = {"current": PASSWORD, "password": "1234567890", "confirm": "1234567890"}
    text = text_of(as_teacher().post("/account/password", data=data).get_data(as_text=True))
    assert "Use at least 12 characters; this password has 10." in text
    assert "on a list of common passwords" in text


@pytest.mark.parametrize(("password", "message"), WEAK[:3])
def test_create_admin_refuses_a_weak_password(runner, db_path, password, message):
    result = runner.invoke(
        args=["create-admin", "head@school.org", "--name", "Head"],
        env={"LATERAL_ADMIN_PASSWORD": password},
    )
    assert result.exit_code != 0 and message in result.output
    db = connect(db_path)
    assert db.execute("SELECT count(*) FROM account").fetchone()[0] == 0
    db.close()


def test_a_good_passphrase_is_taken_everywhere(app, as_teacher, people, runner):
    data = {"current": PASSWORD, "password": GOOD, "confirm": GOOD}
    assert as_teacher().post("/account/password", data=data).status_code == 303
    assert sign_in(app.test_client(), EMAILS["teacher_a"], GOOD).status_code == 303
    result = runner.invoke(
        args=["create-admin", "head@school.org", "--name", "Head"],
        env={"LATERAL_ADMIN_PASSWORD": GOOD},
    )
    assert result.exit_code == 0, result.output


def test_an_account_made_under_the_old_rule_still_signs_in(app, db, people):
    # Ten characters were enough before the policy: such an account is not locked out.
    from quiz.accounts.teachers import HASHER

    db.execute(
        "UPDATE account SET password_hash = ? WHERE id = ?",
        [HASHER.hash("old10chars"), people["teacher_b"]],
    )
    assert sign_in(app.test_client(), EMAILS["teacher_b"], "old10chars").status_code == 303


def test_the_form_says_what_the_policy_asks(as_teacher):
    text = text_of(as_teacher().get("/account/password").get_data(as_text=True))
    assert "At least 12 characters" in text and "common passwords" in text
