"""Commands run on the server (issue 13, finding 15): create-admin works without a
terminal and prints the app's real address; ``session close`` tells the screens."""

from __future__ import annotations

from quiz.storage import queries

GOOD = "a long admin passphrase"


def test_create_admin_takes_the_name_from_the_environment_without_a_terminal(runner, db):
    result = runner.invoke(
        args=["create-admin", "head@school.org"],
        env={"LATERAL_ADMIN_PASSWORD": GOOD, "LATERAL_ADMIN_NAME": "Head"},
        input=None,
    )
    assert result.exit_code == 0, result.output
    row = db.execute("SELECT name, role FROM account WHERE email = 'head@school.org'").fetchone()
    assert tuple(row) == ("Head", "admin")


def test_create_admin_without_a_name_or_terminal_says_what_to_pass(runner, db):
    result = runner.invoke(
        args=["create-admin", "head@school.org"], env={"LATERAL_ADMIN_PASSWORD": GOOD}
    )
    assert result.exit_code != 0
    assert "--name" in result.output and "LATERAL_ADMIN_NAME" in result.output
    assert db.execute("SELECT count(*) FROM account").fetchone()[0] == 0


def test_create_admin_prints_the_address_the_app_serves(runner, app):
    result = runner.invoke(
        args=["create-admin", "head@school.org", "--name", "Head"],
        env={"LATERAL_ADMIN_PASSWORD": GOOD, "FLASK_RUN_PORT": "8080"},
    )
    assert "Sign in at http://127.0.0.1:8080/signin" in result.output
    app.config["BASE_URL"] = "https://quiz.school.org/"
    again = runner.invoke(
        args=["create-admin", "other@school.org", "--name", "Other"],
        env={"LATERAL_ADMIN_PASSWORD": GOOD},
    )
    assert "Sign in at https://quiz.school.org/signin" in again.output


def test_session_close_from_the_command_line_tells_the_screens(runner, db, session_code):
    before = queries.session_by_code(db, session_code)["state_version"]
    result = runner.invoke(args=["session", "close", session_code])
    assert result.exit_code == 0, result.output
    after = queries.session_by_code(db, session_code)
    assert after["status"] == "closed" and after["state_version"] > before
