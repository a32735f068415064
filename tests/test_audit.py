"""Security events are logged as one structured line each, without personal data."""

from __future__ import annotations

import json
import logging
import re

import pytest

from quiz import create_app

from .world import DATA, EMAILS, PASSWORD, Student, load_set, sign_in

SECRET_NICK = "Zorblax Nickname"


@pytest.fixture
def audit_lines(caplog):
    caplog.set_level(logging.INFO, logger="lateral.audit")

    def lines() -> list[dict]:
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "lateral.audit"]

    return lines


def test_sign_in_success_and_failure_write_one_line_each(app, people, audit_lines):
    client = app.test_client()
    sign_in(client, EMAILS["teacher_a"], "wrong password!!")
    sign_in(client, EMAILS["teacher_a"])
    lines = audit_lines()
    assert [(x["event"], x["outcome"]) for x in lines] == [("sign_in", "failed"), ("sign_in", "ok")]
    for line in lines:
        assert set(line) >= {"time", "event", "outcome", "route", "method", "id"}
        assert line["route"] == "/signin"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", line["time"])


def test_throttling_is_logged(app, people, audit_lines):
    client = app.test_client()
    for _ in range(11):
        sign_in(client, EMAILS["teacher_b"], "wrong password!!")
    assert audit_lines()[-1]["outcome"] == "throttled"


def test_denials_are_logged_once_per_request(app, people, as_teacher, audit_lines):
    app.test_client().get("/teach/")
    app.test_client().post("/teach/sets", data={"title": "x"})
    as_teacher("teacher_a").get("/admin/accounts")
    denied = [x for x in audit_lines() if x["event"] == "denied"]
    assert [(x["route"], x["outcome"]) for x in denied] == [
        ("/teach/", "not signed in"),
        ("/teach/sets", "not signed in"),
        ("/admin/accounts", "not an administrator"),
    ]
    assert len({x["id"] for x in denied}) == 3


def test_csrf_rejections_are_logged(db_path, audit_lines):
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path)})
    load_set(db_path, DATA / "mini.toml")
    app.test_client().post("/join", data={"code": "ABCDEF", "nickname": "x"})
    assert [(x["event"], x["outcome"]) for x in audit_lines()] == [("csrf", "rejected")]


def test_no_password_cookie_token_or_nickname_reaches_the_logs(
    app, people, db, session_code, caplog
):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    sign_in(client, EMAILS["teacher_a"], "my wrong password xyz")
    sign_in(client, EMAILS["teacher_a"])
    client.get("/admin/accounts")
    student = Student(app.test_client(), db)
    student.join(session_code, SECRET_NICK)
    student.client.get("/play/ZZZZZZ")
    admin = app.test_client()
    sign_in(admin, EMAILS["admin"])
    html = admin.post("/admin/invites", data={"email": "n@school.org", "role": "teacher"}).get_data(
        as_text=True
    )
    token = re.search(r"/invite/([\w-]+)", html).group(1)
    app.test_client().get(f"/invite/{token}x")
    text = "\n".join(r.getMessage() for r in caplog.records)
    secrets_seen = [
        PASSWORD,
        "my wrong password xyz",
        SECRET_NICK,
        token,
        client.get_cookie("lateral").value,
        student.client.get_cookie("lateral").value,
    ]
    for secret in secrets_seen:
        assert secret not in text
