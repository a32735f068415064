"""CSRF: every state-changing route refuses a missing, wrong or foreign token.

The routes come from ``app.url_map``, so a new POST route is covered without
anyone remembering to add it here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from quiz import create_app
from quiz.storage.connection import connect

from .data.csrf import ADMIN, ANONYMOUS, FORGED, REFUSED, SLUG_OF, STUDENT, TEACHER, TOKEN_PAGES
from .world import World, csrf_token, make_app


def _post_rules() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": f"{tmp}/r.db"})
        return sorted({r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods})


POST_ENDPOINTS = _post_rules()


class Routes:
    """A CSRF-protected app with a session, a joined student, a teacher and an admin."""

    def __init__(self, tmp: Path):
        db_path = tmp / "csrf.db"
        self.app = make_app(db_path, SECRET_KEY="csrf")
        self.db = connect(db_path)
        world = World(self.app, self.db)
        self.teacher = world.signed_in("teacher_a")
        self.admin = world.signed_in("admin")
        self.slug = world.own_set("teacher_a")
        self.code = world.session(owner="teacher_a", pace="self", feedback="now")
        self.student = world.join(self.code, "A").client
        self.pk = world.loaded(self.code).questions[0]["pk"]
        self.pid = world.participant_id(self.code, "A")
        self.account_id = world.account("teacher_a")
        self.invite = world.invite("new@school.org")

    token = staticmethod(csrf_token)

    def client_for(self, endpoint: str):
        """Return the client that may use an endpoint, and a page that gives it a token."""
        if endpoint.startswith(TEACHER):
            who, client = "teacher", self.teacher
        elif endpoint.startswith(ADMIN):
            who, client = "admin", self.admin
        elif endpoint.startswith(STUDENT) and endpoint not in ANONYMOUS:
            who, client = "student", self.student
        else:
            who, client = "anonymous", self.app.test_client()
        return client, TOKEN_PAGES[who].format(code=self.code)

    def url(self, endpoint: str) -> str:
        rule = next(r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint)
        values = {
            "slug": SLUG_OF.get(endpoint, self.slug),
            "qid": "video",
            "code": self.code,
            "pk": self.pk,
            "pid": self.pid,
            "account_id": self.account_id,
            "token": self.invite,
        }
        args = {}
        for name in rule.arguments:
            items = getattr(rule._converters[name], "items", None)
            args[name] = sorted(items)[0] if items else values[name]
        return rule.build(args, append_unknown=False)[1]


@pytest.fixture
def routes(tmp_path) -> Routes:
    return Routes(tmp_path)


@pytest.fixture(scope="module")
def shared_routes(tmp_path_factory) -> Routes:
    """One world for the refusals: a refused request changes nothing."""
    return Routes(tmp_path_factory.mktemp("csrf"))


def refused(response) -> bool:
    return response.status_code == 400 and REFUSED in response.get_data(as_text=True)


def test_every_post_route_is_found():
    assert len(POST_ENDPOINTS) > 20
    assert "play.answer" in POST_ENDPOINTS and "facilitation.mark" in POST_ENDPOINTS


def forged(value: dict, foreign: str) -> dict:
    return {k: v.format(foreign=foreign) for k, v in value.items()}


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_route_refuses_missing_wrong_and_foreign_tokens(shared_routes, endpoint):
    routes = shared_routes
    client, page = routes.client_for(endpoint)
    url = routes.url(endpoint)
    foreign = routes.token(routes.app.test_client(), "/")
    for form, headers in FORGED.values():
        response = client.post(url, data=forged(form, foreign), headers=forged(headers, foreign))
        assert refused(response), url


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_route_accepts_its_own_token_in_the_form_or_the_header(routes, endpoint):
    client, page = routes.client_for(endpoint)
    url = routes.url(endpoint)
    token = routes.token(client, page)
    in_form = client.post(url, data={"csrf_token": token})
    assert not refused(in_form), url
    in_header = client.post(url, data={}, headers={"X-CSRFToken": token})
    assert not refused(in_header), url
    assert in_form.status_code < 500 and in_header.status_code < 500


def test_tokens_do_not_expire_during_a_lesson(routes):
    assert routes.app.config["WTF_CSRF_TIME_LIMIT"] is None
