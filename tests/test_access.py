"""Who may use which teacher route: anonymous, a student, another teacher, the owner, an admin.

The matrix walks ``app.url_map``, so a new authoring or admin route is covered
without anyone remembering to add it here.
"""

from __future__ import annotations

import json

import pytest

from quiz import play, queries

from .conftest import Student

SAMPLE_ARGS = {"qid": "video", "kind": "toml", "action": None, "account_id": None, "token": "x"}
OWNER_OK = {200, 201, 303}


def teacher_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("author.") or rule.endpoint.startswith("auth.admin"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def build(rule, slug: str, account_id: int) -> list[str]:
    """Return the URLs to try for a rule (one per value of an any() converter)."""
    args: dict = {}
    choices = [None]
    for name in rule.arguments:
        if name == "slug":
            args[name] = slug
        elif name == "account_id":
            args[name] = account_id
        elif name == "action":
            choices = (
                list(rule._converters[name].items)
                if hasattr(rule._converters[name], "items")
                else ["up"]
            )
        elif name == "kind":
            args[name] = "toml"
        else:
            args[name] = SAMPLE_ARGS[name]
    urls = []
    for choice in choices:
        values = dict(args)
        if choice is not None:
            values["action"] = choice
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


@pytest.fixture
def world(app, db, as_teacher, people, session_code):
    owner = as_teacher("teacher_a")
    slug = owner.post("/teach/sets/mini-set/duplicate").location.split("/")[-1]
    student = Student(app.test_client(), db)
    student.join(session_code)
    return {
        "anonymous": app.test_client(),
        "student": student.client,
        "other teacher": as_teacher("teacher_b"),
        "admin": as_teacher("admin"),
        "owner": owner,
        "slug": slug,
        "people": people,
    }


def snapshot(db) -> str:
    return json.dumps(
        [
            list(db.query(f"SELECT * FROM {t} ORDER BY rowid"))
            for t in ("question_set", "set_draft", "set_version", "account", "invite")
        ]
    )


def test_every_teacher_route_refuses_anonymous_visitors_and_students(app, db, world):
    checked = 0
    for rule, method in teacher_rules(app):
        for url in build(rule, world["slug"], world["people"]["teacher_b"]):
            for who in ("anonymous", "student"):
                before = snapshot(db)
                response = world[who].open(url, method=method)
                assert response.status_code == 403, (who, method, url, response.status_code)
                assert snapshot(db) == before, (who, method, url)
                checked += 1
    assert checked > 40


def test_another_teacher_and_an_admin_get_404_on_a_teachers_set(app, db, world):
    for rule, method in teacher_rules(app):
        if "slug" not in rule.arguments:
            continue
        for url in build(rule, world["slug"], 0):
            for who in ("other teacher", "admin"):
                before = snapshot(db)
                response = world[who].open(url, method=method)
                assert response.status_code == 404, (who, method, url, response.status_code)
                assert snapshot(db) == before, (who, method, url)


def test_teachers_cannot_use_admin_routes(app, db, world):
    for rule, method in teacher_rules(app):
        if not rule.endpoint.startswith("auth.admin"):
            continue
        for url in build(rule, world["slug"], world["people"]["teacher_b"]):
            for who in ("owner", "other teacher"):
                before = snapshot(db)
                assert world[who].open(url, method=method).status_code == 403, (who, url)
                assert snapshot(db) == before


def test_the_owner_can_use_every_route_of_their_set(app, db, world):
    slug = world["slug"]
    owner = world["owner"]
    owner.post(f"/teach/sets/{slug}/publish")
    # Reads first: the empty POSTs below (add a blank question...) leave the draft invalid.
    for rule, method in sorted(teacher_rules(app), key=lambda rm: rm[1] != "GET"):
        if "slug" not in rule.arguments or rule.endpoint in ("author.delete",):
            continue
        for url in build(rule, slug, 0):
            if url.endswith("/questions/video/delete"):
                continue
            response = owner.open(url, method=method)
            # Not refused: empty POSTs may be 422 (incomplete form), never 403/404/5xx.
            ok = OWNER_OK if method == "GET" else OWNER_OK | {422}
            assert response.status_code in ok, (method, url, response.status_code)
    assert owner.post(f"/teach/sets/{slug}/delete").status_code in (303, 409)


def test_changing_the_set_in_the_url_never_reaches_another_teachers_set(world, db):
    ben = world["other teacher"]
    slug = ben.post("/teach/sets", data={"title": "Ben's set"}).location.split("/")[-1]
    owner = world["owner"]
    before = json.dumps(queries.draft_of(db, queries.set_by_slug(db, slug)["id"]))
    assert owner.get(f"/teach/sets/{slug}").status_code == 404
    assert owner.post(f"/teach/sets/{slug}/details", data={"title": "Hijacked"}).status_code == 404
    assert json.dumps(queries.draft_of(db, queries.set_by_slug(db, slug)["id"])) == before
    assert play.load_session  # sessions are covered in test_student
