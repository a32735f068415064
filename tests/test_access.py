"""Who may use which teacher route: anonymous, a student, another teacher, the owner, an admin.

The matrix walks ``app.url_map``, so a new authoring or admin route is covered
without anyone remembering to add it here.
"""

from __future__ import annotations

import json

import pytest

from quiz.play import sessions
from quiz.storage import queries

from .data.access import (
    ADMIN_ROUTES,
    DESTRUCTIVE_CHOICES,
    DESTRUCTIVE_ENDPOINTS,
    OWNER_OK,
    OWNER_OK_POST,
    OWNER_OK_REMOVE,
    PUBLIC,
    PUBLIC_STUDENT_ROUTES,
    REFUSALS,
    STUDENT_AREA,
    TEACHER_AREAS,
    WATCHED_TABLES,
)
from .world import Student


def teacher_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        area = rule.endpoint.split(".")[0]
        if area in TEACHER_AREAS or rule.endpoint.startswith(ADMIN_ROUTES):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def build(rule, scene: dict) -> list[str]:
    """Return the URLs to try for a rule: one per value of each any() converter."""
    fixed = {
        "slug": scene["slug"],
        "qid": "video",
        "code": scene["code"],
        "pk": scene["pk"],
        "pid": scene["pid"],
        "account_id": scene["people"]["teacher_b"],
        "token": "x",
    }
    urls = [{}]
    for name in rule.arguments:
        converter = rule._converters[name]
        choices = getattr(converter, "items", None)
        if choices:
            # Destructive choices last, so the others still find what they act on.
            ordered = sorted(choices, key=lambda c: (c in DESTRUCTIVE_CHOICES, c))
            urls = [{**u, name: c} for u in urls for c in ordered]
        else:
            urls = [{**u, name: fixed[name]} for u in urls]
    return [rule.build(values, append_unknown=False)[1] for values in urls]


@pytest.fixture
def scene(world, people, session_code) -> dict:
    """Ana's draft copy of the mini set and her led session, which one student joined."""
    slug = world.own_set("teacher_a")
    code = world.session(owner="teacher_a", pace="led", feedback="reveal")
    student = world.join(code)
    return {
        "student": student.client,
        "code": code,
        "pk": world.loaded(code).questions[0]["pk"],
        "pid": world.participant_id(code),
        "anonymous": world.anonymous(),
        "other teacher": world.signed_in("teacher_b"),
        "admin": world.signed_in("admin"),
        "owner": world.signed_in("teacher_a"),
        "slug": slug,
        "people": people,
    }


def snapshot(db) -> str:
    return json.dumps([list(db.query(f"SELECT * FROM {t} ORDER BY rowid")) for t in WATCHED_TABLES])


def refused_everywhere(scene, db, rules, kind: str) -> int:
    """Each of the rules' URLs, for each person of the kind: the status the matrix says,
    and nothing stored. Return how many requests were checked."""
    checked = 0
    for rule, method in rules:
        for url in build(rule, scene):
            for who, status in REFUSALS[kind].items():
                before = snapshot(db)
                response = scene[who].open(url, method=method)
                assert response.status_code == status, (who, method, url, response.status_code)
                assert snapshot(db) == before, (who, method, url)
                checked += 1
    return checked


def owned_rules(app):
    """The teacher routes that act on one set or session."""
    for rule, method in teacher_rules(app):
        if "slug" in rule.arguments or "code" in rule.arguments:
            yield rule, method


def test_every_teacher_route_refuses_anonymous_visitors_and_students(app, db, scene):
    assert refused_everywhere(scene, db, teacher_rules(app), "teacher routes") > 40


def test_another_teacher_and_an_admin_get_404_on_a_teachers_sets_and_sessions(app, db, scene):
    refused_everywhere(scene, db, owned_rules(app), "a teacher's sets and sessions")


def test_teachers_cannot_use_admin_routes(app, db, scene):
    admin_rules = (r for r in teacher_rules(app) if r[0].endpoint.startswith(ADMIN_ROUTES))
    refused_everywhere(scene, db, admin_rules, "admin routes")


def test_the_owner_can_use_every_route_of_their_sets_and_sessions(app, db, scene):
    owner = scene["owner"]
    owner.post(f"/teach/sets/{scene['slug']}/publish")

    def order(rule_method) -> tuple:
        rule, method = rule_method
        # Reads first; destructive routes last (they remove what others need).
        actions = getattr(rule._converters.get("action"), "items", ())
        destructive = rule.endpoint in DESTRUCTIVE_ENDPOINTS or bool(
            set(DESTRUCTIVE_CHOICES) & set(actions)
        )
        return (method != "GET", destructive)

    for rule, method in sorted(owned_rules(app), key=order):
        for url in build(rule, scene):
            response = owner.open(url, method=method)
            ok = OWNER_OK if method == "GET" else OWNER_OK_POST
            if url.endswith("/remove"):
                ok = ok | OWNER_OK_REMOVE
            assert response.status_code in ok, (method, url, response.status_code)


def test_changing_the_set_in_the_url_never_reaches_another_teachers_set(scene, db):
    ben = scene["other teacher"]
    slug = ben.post("/teach/sets", data={"title": "Ben's set"}).location.split("/")[-1]
    owner = scene["owner"]
    before = json.dumps(queries.draft_of(db, queries.set_by_slug(db, slug)["id"]))
    assert owner.get(f"/teach/sets/{slug}").status_code == 404
    assert owner.post(f"/teach/sets/{slug}/details", data={"title": "Hijacked"}).status_code == 404
    assert json.dumps(queries.draft_of(db, queries.set_by_slug(db, slug)["id"])) == before
    assert sessions.load_session  # sessions are covered in test_student


def student_rules(app):
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint.startswith(STUDENT_AREA)
            and "code" in rule.arguments
            and rule.endpoint not in PUBLIC_STUDENT_ROUTES
        ):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_student_pages_of_session_a_refuse_everyone_but_its_students(app, db, scene, world):
    """Anonymous, a student of session B, teachers A and B and an admin get 403 on A's pages."""
    code = scene["code"]
    student_b = world.join(world.session(), "Bea")
    clients = {
        "anonymous": scene["anonymous"],
        "student of session B": student_b.client,
        "teacher A (the facilitator)": scene["owner"],
        "teacher B": scene["other teacher"],
        "admin": scene["admin"],
    }
    checked = 0
    for rule, method in student_rules(app):
        values = {"code": code, "pk": scene["pk"]}
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        for who, status in REFUSALS["student pages of session A"].items():
            before = snapshot(db)
            response = clients[who].open(url, method=method, data={"question": str(scene["pk"])})
            if rule.endpoint == "play.poll" and response.status_code == 204:
                # A poll only says whether the session's state counter moved: no data.
                continue
            assert response.status_code == status, (who, method, url, response.status_code)
            assert snapshot(db) == before
            checked += 1
    assert checked >= 20
    # The session's own student gets in.
    assert scene["student"].get(f"/play/{code}").status_code == 200


def test_a_student_cannot_read_another_students_feedback_by_changing_the_id(app, db, scene):
    code = scene["code"]
    ada = Student(app.test_client(), db)
    assert ada.join(code, "Adele").status_code == 303
    scene["owner"].post(f"/run/{code}/goto", data={"number": "1"})
    assert ada.answer(code, "video", ["a"], reason="Ada's own words").status_code == 303
    url = f"/play/{code}/feedback/{scene['pk']}"
    other = scene["student"].get(url)
    assert other.status_code == 404
    assert "Ada's own words" not in other.get_data(as_text=True)
