"""CSRF: every state-changing route refuses a missing, wrong or foreign token.

The routes come from ``app.url_map``, so a new POST route is covered without
anyone remembering to add it here.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from quiz import create_app
from quiz.accounts import invitations, teachers
from quiz.play import sessions

from .world import DATA, EMAILS, PASSWORD, load_set

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
REFUSED = "This form has expired or came from another site"


def _post_rules() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": f"{tmp}/r.db"})
        return sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods})


POST_ENDPOINTS = _post_rules()


class World:
    """A CSRF-protected app with a session, a joined student, a teacher and an admin."""

    def __init__(self, tmp: Path):
        db_path = tmp / "csrf.db"
        self.app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "csrf",
                "DATABASE": str(db_path),
                "QUESTIONS_DIR": str(DATA),
            }
        )
        for name in ("mini.toml", "mini-check-a.toml", "mini-check-b.toml"):
            load_set(db_path, DATA / name)
        from quiz.storage.connection import connect

        self.db = connect(db_path)
        for who in ("teacher_a", "admin"):
            teachers.create_account(
                self.db, EMAILS[who], who, PASSWORD, "admin" if who == "admin" else "teacher"
            )
        self.teacher = self._signed_in(EMAILS["teacher_a"])
        self.admin = self._signed_in(EMAILS["admin"])
        token = self.token(self.teacher, "/teach/")
        self.slug = self.teacher.post(
            "/teach/sets/mini-set/duplicate", data={"csrf_token": token}
        ).location.split("/")[-1]
        self.code = self.teacher.post(
            "/run/",
            data={"csrf_token": token, "set_id": "mini-set", "pace": "self", "feedback": "now"},
        ).location.split("/")[2]
        self.student = self.app.test_client()
        self.student.post(
            "/join",
            data={"csrf_token": self.token(self.student, "/"), "code": self.code, "nickname": "A"},
        )
        self.pk = sessions.load_session(self.db, self.code).questions[0]["pk"]
        self.pid = next(self.db.query("SELECT id FROM participant"))["id"]
        self.invite = invitations.invite(self.db, 1, "new@school.org", "teacher")

    def _signed_in(self, email: str):
        client = self.app.test_client()
        token = self.token(client, "/signin")
        assert (
            client.post(
                "/signin", data={"csrf_token": token, "email": email, "password": PASSWORD}
            ).status_code
            == 303
        )
        return client

    @staticmethod
    def token(client, url: str) -> str:
        return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)

    def client_for(self, endpoint: str):
        """Return the client that may use an endpoint, and a page that gives it a token."""
        if endpoint.startswith(("authoring.", "facilitation.")) or endpoint in (
            "accounts.signout",
            "accounts.password",
        ):
            return self.teacher, "/teach/"
        if endpoint.startswith("accounts.admin"):
            return self.admin, "/admin/accounts"
        if endpoint.startswith("play.") and endpoint not in ("play.join", "play.practice"):
            return self.student, f"/play/{self.code}"
        return self.app.test_client(), "/"

    def url(self, endpoint: str) -> str:
        rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
        values = {
            "slug": self.slug,
            "qid": "video",
            "code": self.code,
            "pk": self.pk,
            "pid": self.pid,
            "account_id": 1,
            "token": self.invite,
        }
        args = {}
        for name in rule.arguments:
            items = getattr(rule._converters[name], "items", None)
            args[name] = sorted(items)[0] if items else values[name]
        if endpoint == "play.practice":
            args["slug"] = "mini-set"
        return rule.build(args, append_unknown=False)[1]


@pytest.fixture
def world(tmp_path) -> World:
    return World(tmp_path)


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory) -> World:
    """One world for the refusals: a refused request changes nothing."""
    return World(tmp_path_factory.mktemp("csrf"))


def refused(response) -> bool:
    return response.status_code == 400 and REFUSED in response.get_data(as_text=True)


def test_every_post_route_is_found():
    assert len(POST_ENDPOINTS) > 20
    assert "play.answer" in POST_ENDPOINTS and "facilitation.mark" in POST_ENDPOINTS


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_route_refuses_missing_wrong_and_foreign_tokens(shared_world, endpoint):
    world = shared_world
    client, page = world.client_for(endpoint)
    url = world.url(endpoint)
    foreign = world.token(world.app.test_client(), "/")
    assert refused(client.post(url, data={})), url
    assert refused(client.post(url, data={"csrf_token": "not-a-token"})), url
    assert refused(client.post(url, data={"csrf_token": foreign})), url
    assert refused(client.post(url, data={}, headers={"X-CSRFToken": foreign})), url


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_route_accepts_its_own_token_in_the_form_or_the_header(world, endpoint):
    client, page = world.client_for(endpoint)
    url = world.url(endpoint)
    token = world.token(client, page)
    in_form = client.post(url, data={"csrf_token": token})
    assert not refused(in_form), url
    in_header = client.post(url, data={}, headers={"X-CSRFToken": token})
    assert not refused(in_header), url
    assert in_form.status_code < 500 and in_header.status_code < 500


def test_tokens_do_not_expire_during_a_lesson(world):
    assert world.app.config["WTF_CSRF_TIME_LIMIT"] is None
