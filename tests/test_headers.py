"""Security headers as a reviewed set (issue 13, findings 8-10): no-store on every page of
a signed-in teacher and on the account pages, HSTS over HTTPS, the __Host- cookie over
HTTPS without signing anyone out, and links built only from BASE_URL or allowed hosts."""

from __future__ import annotations

import re

import pytest

from quiz import create_app

from .conftest import DATA, EMAILS, PASSWORD, Student, load_set, sign_in
from .test_access import build, scene  # noqa: F401 - scene is a fixture

HTTPS = {"wsgi.url_scheme": "https"}
SKIP = {"static", "ops.healthz", "media.file"}  # see the test of images below


def get_rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in SKIP:
            yield rule


def test_every_page_a_signed_in_teacher_opens_is_no_store(app, scene):  # noqa: F811
    owner, seen = scene["owner"], 0
    for rule in get_rules(app):
        for url in build(rule, scene):
            response = owner.get(url)
            assert "no-store" in response.headers.get("Cache-Control", ""), url
            seen += 1
    assert seen > 20


@pytest.mark.parametrize(
    "url", ["/signin", "/register", "/invite/not-a-token", "/teach/", "/admin/accounts", "/run/"]
)
def test_account_pages_and_refusals_of_teacher_pages_are_no_store(app, client, url):
    app.config["REGISTRATION_OPEN"] = True
    assert client.get(url).headers.get("Cache-Control") == "no-store"


def test_downloads_are_no_store_with_one_charset(as_teacher, db, session_code):
    teacher = as_teacher("teacher_a")
    slug = teacher.post("/teach/sets/mini-set/duplicate").location.split("/")[-1]
    code = teacher.post("/run/", data={"set_id": "mini-set", "pace": "self", "feedback": "now"})
    code = code.location.split("/")[2]
    for url in (
        f"/teach/sets/{slug}/download/toml",
        f"/teach/sets/{slug}/download/gift",
        f"/teach/sets/{slug}/download/xml",
        f"/teach/sets/{slug}/download/qti",
        "/teach/upload/csv",
        "/teach/upload/xlsx",
        f"/run/{code}/answers.csv",
        f"/run/{code}/participants.csv",
        f"/run/{code}/qr.svg",
    ):
        response = teacher.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["Content-Type"].count("charset") <= 1, url


def test_a_students_pages_and_static_files_stay_cacheable(client, student, session_code):
    with client.get("/static/css/lateral.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")
    student.join(session_code)
    # The question screens choose no-store themselves (the back button asks again for a
    # form, play.screens.no_store); the rule of signed-in pages adds nothing to the others.
    assert "Cache-Control" not in client.get("/").headers
    summary = client.get(f"/play/{session_code}/summary")
    assert summary.status_code in {200, 303} and "Cache-Control" not in summary.headers


def test_hsts_only_over_https(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", environ_overrides=HTTPS)
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def proxied_app(db_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "DATABASE": str(db_path),
            "WTF_CSRF_ENABLED": False,
            "TRUST_PROXY": True,
            "BASE_URL": "https://quiz.school.org",
        }
    )
    load_set(db_path, DATA / "mini.toml")
    return app


def test_hsts_behind_a_trusted_proxy_that_says_https(db_path):
    client = proxied_app(db_path).test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_an_untrusted_forwarded_proto_gives_no_hsts(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def cookie_names(response) -> list[str]:
    return [h.split("=", 1)[0] for h in response.headers.getlist("Set-Cookie")]


def test_over_https_the_session_cookie_is_host_prefixed(app, people):
    client = app.test_client()
    response = client.post(
        "/signin",
        data={"email": EMAILS["teacher_a"], "password": PASSWORD},
        environ_overrides=HTTPS,
    )
    assert cookie_names(response) == ["__Host-lateral"]
    header = response.headers["Set-Cookie"]
    assert "Secure" in header and "Path=/" in header and "Domain" not in header
    assert client.get("/teach/", environ_overrides=HTTPS).status_code == 200
    assert cookie_names(client.post("/signin", data={}, environ_overrides={})) != ["__Host-lateral"]


def test_switching_to_https_keeps_teachers_and_students_signed_in(app, db, people, session_code):
    teacher = app.test_client()
    assert sign_in(teacher, EMAILS["teacher_a"]).status_code == 303  # over HTTP: "lateral"
    first = teacher.get("/teach/", environ_overrides=HTTPS)  # the server now behind HTTPS
    assert first.status_code == 200
    assert set(cookie_names(first)) == {"__Host-lateral", "lateral"}  # moved, old one dropped
    assert re.search(r"lateral=;.*Expires=Thu, 01 Jan 1970", str(first.headers))
    student = Student(app.test_client(), db)
    assert student.join(session_code).status_code == 303
    assert student.client.get(f"/play/{session_code}", environ_overrides=HTTPS).status_code == 200


# Links -------------------------------------------------------------------------------


def host(client, name: str) -> dict[str, str]:
    """Headers for a request to another host name with the client's cookie; send them
    from a client without a cookie jar (``bare``), which would keep it for localhost."""
    return {"Host": name, "Cookie": f"lateral={client.get_cookie('lateral').value}"}


@pytest.fixture
def bare(app):
    return app.test_client(use_cookies=False)


def join_link(client, code: str, **kw) -> str:
    html = client.get(f"/run/{code}/screen", **kw).get_data(as_text=True)
    return re.search(r"<code>(https?://[^<]+/join/[A-Z0-9]+)</code>", html).group(1)


@pytest.fixture
def owned(as_teacher, world):
    """Ana signed in, and the code of a session she runs."""
    return as_teacher("teacher_a"), world.session(owner="teacher_a")


def test_links_come_from_base_url_whatever_the_host_header(app, owned, bare):
    teacher, code = owned
    app.config["BASE_URL"] = "https://quiz.school.org/"
    link = join_link(bare, code, headers=host(teacher, "evil.example"))
    assert link == f"https://quiz.school.org/join/{code}"


def test_without_base_url_a_host_outside_the_allow_list_is_a_400(app, db, owned, as_teacher, bare):
    teacher, code = owned
    evil = host(teacher, "evil.example")
    response = bare.get(f"/run/{code}/screen", headers=evil)
    assert response.status_code == 400
    assert "BASE_URL" in response.get_data(as_text=True)
    assert bare.get(f"/run/{code}/qr.svg", headers=evil).status_code == 400
    admin = as_teacher("admin")
    invite = bare.post(
        "/admin/invites",
        data={"email": "n@school.org", "role": "teacher"},
        headers=host(admin, "evil.example"),
    )
    assert invite.status_code == 400
    assert "evil.example" not in invite.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM invite").fetchone()[0] == 0


def test_loopback_names_are_allowed_by_default_and_the_list_is_a_setting(app, owned, bare):
    teacher, code = owned
    assert join_link(teacher, code) == f"http://localhost/join/{code}"
    assert join_link(bare, code, headers=host(teacher, "127.0.0.1:5000")).startswith(
        "http://127.0.0.1:5000/join/"
    )
    assert join_link(bare, code, headers=host(teacher, "[::1]:5000")).startswith(
        "http://[::1]:5000/join/"
    )
    app.config["ALLOWED_HOSTS"] = ["quiz.lan"]
    assert join_link(bare, code, headers=host(teacher, "quiz.lan:8000")).startswith(
        "http://quiz.lan:8000/join/"
    )
    assert teacher.get(f"/run/{code}/screen").status_code == 400  # localhost is no longer listed


def test_flasks_trusted_hosts_refuses_another_host_with_a_400_not_a_500(app, client, db):
    """Flask's own TRUSTED_HOSTS setting: a request naming another Host has no URL
    adapter, and the error page (which builds links) raised AttributeError: a 500."""
    app.config["TRUSTED_HOSTS"] = ["quiz.school.org"]
    app.testing = False  # the error handlers answer, as in production
    before = db.execute("SELECT count(*) FROM participant").fetchone()[0]
    for path in ("/", "/play/ABCDEF/poll?v=1", "/nowhere"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 400, path
        assert "The request could not be read" in response.get_data(as_text=True)
    joined = client.post(
        "/join", data={"code": "ABCDEF", "nickname": "Eve"}, headers={"Host": "evil.example"}
    )
    assert joined.status_code == 400
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == before
    assert client.get("/", headers={"Host": "quiz.school.org"}).status_code == 200
