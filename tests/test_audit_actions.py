"""Every privileged action writes one audit line with the account acting, the client's
address and the outcome, and still nothing of a student's (issue 13, finding 12)."""

from __future__ import annotations

import json
import logging

import pytest

from .world import EMAILS, PASSWORD, make_app, sign_in

NEW = "a fresh long passphrase"
NICK = "Zorblax Nickname"


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="lateral.audit")

    def read(event: str | None = None) -> list[dict]:
        found = [json.loads(r.getMessage()) for r in caplog.records if r.name == "lateral.audit"]
        return [x for x in found if event is None or x["event"] == event]

    return read


def only(lines, event: str) -> dict:
    found = lines(event)
    assert len(found) == 1, found
    return found[0]


def test_a_failed_sign_in_names_the_account_and_the_client(app, people, lines):
    sign_in(app.test_client(), EMAILS["teacher_b"], "wrong password!!")
    line = only(lines, "sign_in")
    assert (line["outcome"], line["account"], line["client"]) == (
        "failed",
        people["teacher_b"],
        "127.0.0.1",
    )
    assert EMAILS["teacher_b"] not in json.dumps(line)


def test_the_client_address_comes_from_the_proxy_only_when_trusted(db_path, people, lines):
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    for trusted, expected in ((False, "127.0.0.1"), (True, "203.0.113.7")):
        app = make_app(db_path, sets=(), WTF_CSRF_ENABLED=False, TRUST_PROXY=trusted)
        client = app.test_client()
        data = {"email": EMAILS["teacher_a"], "password": PASSWORD}
        client.post("/signin", data=data, headers=forwarded)
        assert lines("sign_in")[-1]["client"] == expected


def test_password_changes_are_logged_with_their_outcome(as_teacher, people, lines):
    teacher = as_teacher("teacher_a")
    teacher.post("/account/password", data={"current": "nope", "password": NEW, "confirm": NEW})
    teacher.post("/account/password", data={"current": PASSWORD, "password": NEW, "confirm": NEW})
    found = lines("password_change")
    assert [x["outcome"] for x in found] == ["refused", "ok"]
    assert {x["actor"] for x in found} == {people["teacher_a"]}


def test_invitations_roles_and_disabling_are_logged(app, as_teacher, people, world, lines):
    admin = as_teacher("admin")
    admin.post("/admin/invites", data={"email": "new@school.org", "role": "teacher"})
    admin.post(f"/admin/accounts/{people['teacher_b']}/role", data={"role": "admin"})
    admin.post(f"/admin/accounts/{people['teacher_b']}/disable")
    admin.post(f"/admin/accounts/{people['admin']}/disable")  # refused: not oneself
    token = world.invite("other@school.org")
    app.test_client().post(
        f"/invite/{token}", data={"name": "Other", "password": NEW, "confirm": NEW}
    )
    assert only(lines, "invite")["outcome"] == "ok"
    assert only(lines, "role")["account"] == people["teacher_b"]
    assert [x["outcome"] for x in lines("disable")] == ["ok", "refused"]
    assert only(lines, "invite_accept")["outcome"] == "ok"
    for line in lines("invite") + lines("role") + lines("disable"):
        assert line["actor"] == people["admin"] and line["client"] == "127.0.0.1"
    assert "new@school.org" not in json.dumps(lines())


def test_publishing_archiving_and_deleting_a_set_are_logged(as_teacher, world, people, lines):
    teacher = as_teacher("teacher_a")
    slug = world.own_set("teacher_a")
    teacher.post(f"/teach/sets/{slug}/publish")
    teacher.post(f"/teach/sets/{slug}/archive")
    other = world.own_set("teacher_a")
    teacher.post(f"/teach/sets/{other}/delete")
    assert only(lines, "set_publish")["set"] == slug
    assert only(lines, "set_archive")["outcome"] == "ok"
    assert only(lines, "set_delete")["set"] == other


def test_making_and_stopping_a_practice_link_are_logged(as_teacher, world, people, lines):
    teacher = as_teacher("teacher_a")
    slug = world.own_set("teacher_a")
    teacher.post(f"/teach/sets/{slug}/publish")
    teacher.post(f"/teach/sets/{slug}/practice-link/make")
    teacher.post(f"/teach/sets/{slug}/practice-link/stop")
    made, stopped = only(lines, "practice_link_make"), only(lines, "practice_link_stop")
    assert (made["set"], made["outcome"], stopped["set"]) == (slug, "ok", slug)
    assert made["actor"] == people["teacher_a"] and made["client"] == "127.0.0.1"


def test_closing_a_session_and_deleting_its_data_are_logged_without_nicknames(
    as_teacher, world, people, lines
):
    teacher = as_teacher("teacher_a")
    code = world.session(owner="teacher_a")
    world.join(code, NICK)
    teacher.post(f"/run/{code}/close")
    teacher.post(f"/run/{code}/delete", data={"confirm": code})
    assert only(lines, "session_close")["session"] == code
    deleted = only(lines, "session_delete_data")
    assert deleted["participants"] == 1 and deleted["actor"] == people["teacher_a"]
    assert NICK not in json.dumps(lines())
