"""Who may use which teacher route: anonymous, a student, another teacher, the owner, an admin.

The matrix walks ``app.url_map``, so a new authoring or admin route is covered
without anyone remembering to add it here.
"""

from __future__ import annotations

import json

import pytest

from quiz.play import sessions
from quiz.storage import queries

from .conftest import Student

OWNER_OK = {200, 201, 204, 303}


TEACHER_AREAS = ("authoring", "facilitation", "results")
PUBLIC = ("facilitation.guide",)  # a set's guide is for anyone


def teacher_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        area = rule.endpoint.split(".")[0]
        if area in TEACHER_AREAS or rule.endpoint.startswith("accounts.admin"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def build(rule, world: dict) -> list[str]:
    """Return the URLs to try for a rule: one per value of each any() converter."""
    fixed = {
        "slug": world["slug"],
        "qid": "video",
        "code": world["code"],
        "pk": world["pk"],
        "pid": world["pid"],
        "account_id": world["people"]["teacher_b"],
        "token": "x",
    }
    urls = [{}]
    for name in rule.arguments:
        converter = rule._converters[name]
        choices = getattr(converter, "items", None)
        if choices:
            # Destructive choices last, so the others still find what they act on.
            ordered = sorted(choices, key=lambda c: (c in ("delete", "remove"), c))
            urls = [{**u, name: c} for u in urls for c in ordered]
        else:
            urls = [{**u, name: fixed[name]} for u in urls]
    return [rule.build(values, append_unknown=False)[1] for values in urls]


@pytest.fixture
def world(app, db, as_teacher, people, session_code):
    owner = as_teacher("teacher_a")
    slug = owner.post("/teach/sets/mini-set/duplicate").location.split("/")[-1]
    code = owner.post(
        "/run/", data={"set_id": "mini-set", "pace": "led", "feedback": "reveal", "teams": ""}
    ).location.split("/")[2]
    student = Student(app.test_client(), db)
    student.join(code)
    sess = sessions.load_session(db, code)
    return {
        "student": student.client,
        "code": code,
        "pk": sess.questions[0]["pk"],
        "pid": next(db.query("SELECT id FROM participant"))["id"],
        "anonymous": app.test_client(),
        "other teacher": as_teacher("teacher_b"),
        "admin": as_teacher("admin"),
        "owner": owner,
        "slug": slug,
        "people": people,
    }


TABLES = (
    "question_set",
    "set_draft",
    "set_version",
    "account",
    "invite",
    "session",
    "team",
    "participant",
    "answer",
    "session_question",
)


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
        for url in build(rule, world):
            for who in ("anonymous", "student"):
                before = snapshot(db)
                response = world[who].open(url, method=method)
                assert response.status_code == 403, (who, method, url, response.status_code)
                assert snapshot(db) == before, (who, method, url)
                checked += 1
    assert checked > 40


def test_another_teacher_and_an_admin_get_404_on_a_teachers_sets_and_sessions(app, db, world):
    for rule, method in teacher_rules(app):
        if "slug" not in rule.arguments and "code" not in rule.arguments:
            continue
        for url in build(rule, world):
            for who in ("other teacher", "admin"):
                before = snapshot(db)
                response = world[who].open(url, method=method)
                assert response.status_code == 404, (who, method, url, response.status_code)
                assert snapshot(db) == before, (who, method, url)


def test_teachers_cannot_use_admin_routes(app, db, world):
    for rule, method in teacher_rules(app):
        if not rule.endpoint.startswith("accounts.admin"):
            continue
        for url in build(rule, world):
            for who in ("owner", "other teacher"):
                before = snapshot(db)
                assert world[who].open(url, method=method).status_code == 403, (who, url)
                assert snapshot(db) == before


def test_the_owner_can_use_every_route_of_their_sets_and_sessions(app, db, world):
    owner = world["owner"]
    owner.post(f"/teach/sets/{world['slug']}/publish")

    def order(rule_method) -> tuple:
        rule, method = rule_method
        # Reads first; destructive routes last (they remove what others need).
        actions = getattr(rule._converters.get("action"), "items", ())
        destructive = rule.endpoint in ("authoring.delete", "facilitation.delete_data") or bool(
            {"delete", "remove"} & set(actions)
        )
        return (method != "GET", destructive)

    for rule, method in sorted(teacher_rules(app), key=order):
        if "slug" not in rule.arguments and "code" not in rule.arguments:
            continue
        for url in build(rule, world):
            response = owner.open(url, method=method)
            # Not refused: empty POSTs may be 422 (incomplete form), never 403/404/5xx.
            ok = OWNER_OK if method == "GET" else OWNER_OK | {409, 422}
            if url.endswith("/remove"):
                ok = ok | {404}  # the participant may be gone already
            assert response.status_code in ok, (method, url, response.status_code)


def test_changing_the_set_in_the_url_never_reaches_another_teachers_set(world, db):
    ben = world["other teacher"]
    slug = ben.post("/teach/sets", data={"title": "Ben's set"}).location.split("/")[-1]
    owner = world["owner"]
    before = json.dumps(queries.draft_of(db, queries.set_by_slug(db, slug)["id"]))
    assert owner.get(f"/teach/sets/{slug}").status_code == 404
    assert owner.post(f"/teach/sets/{slug}/details", data={"title": "Hijacked"}).status_code == 404
    assert json.dumps(queries.draft_of(db, queries.set_by_slug(db, slug)["id"])) == before
    assert sessions.load_session  # sessions are covered in test_student


def student_rules(app):
    for rule in app.url_map.iter_rules():
        # The join link is public by design: it only fills the code in.
        if (
            rule.endpoint.startswith("play.")
            and "code" in rule.arguments
            and rule.endpoint != "play.join_link"
        ):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_student_pages_of_session_a_refuse_everyone_but_its_students(app, db, world, as_teacher):
    """Anonymous, a student of session B, teachers A and B and an admin get 403 on A's pages."""
    code = world["code"]
    student_b = Student(app.test_client(), db)
    other = sessions.open_session(db, "mini-set")["code"]
    student_b.join(other, "Bea")
    people = {
        "anonymous": world["anonymous"],
        "student of session B": student_b.client,
        "teacher A (the facilitator)": world["owner"],
        "teacher B": world["other teacher"],
        "admin": world["admin"],
    }
    checked = 0
    for rule, method in student_rules(app):
        values = {"code": code, "pk": world["pk"]}
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        for who, client in people.items():
            before = snapshot(db)
            response = client.open(url, method=method, data={"question": str(world["pk"])})
            if rule.endpoint == "play.poll" and response.status_code == 204:
                # A poll only says whether the session's state counter moved: no data.
                continue
            assert response.status_code == 403, (who, method, url, response.status_code)
            assert snapshot(db) == before
            checked += 1
    assert checked >= 20
    # The session's own student gets in.
    assert world["student"].get(f"/play/{code}").status_code == 200


def test_a_student_cannot_read_another_students_feedback_by_changing_the_id(app, db, world):
    code = world["code"]
    ada = Student(app.test_client(), db)
    assert ada.join(code, "Adele").status_code == 303
    world["owner"].post(f"/run/{code}/goto", data={"number": "1"})
    assert ada.answer(code, "video", ["a"], reason="Ada's own words").status_code == 303
    url = f"/play/{code}/feedback/{world['pk']}"
    other = world["student"].get(url)
    assert other.status_code == 404
    assert "Ada's own words" not in other.get_data(as_text=True)
