"""Shared fixtures: an app on a real SQLite file in tmp_path, with the test set loaded."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from quiz import create_app
from quiz.accounts import teachers
from quiz.play import sessions
from quiz.sets.files import load_misconceptions, parse_file, sync
from quiz.storage.connection import connect

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def load_set(db_path: Path, path: Path) -> int:
    """Load a set file into the database; return the version id."""
    misc = load_misconceptions(path.parent / "misconceptions.toml")
    db = connect(db_path)
    try:
        version_id, _ = sync(db, parse_file(path, misc), str(path), misc)
    finally:
        db.close()
    return version_id


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lateral.db"


@pytest.fixture
def app(tmp_path: Path, db_path: Path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(db_path),
            "WTF_CSRF_ENABLED": False,
            "QUESTIONS_DIR": str(DATA),
        }
    )
    for name in ("mini.toml", "mini-check-a.toml", "mini-check-b.toml"):
        load_set(db_path, DATA / name)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app, db_path: Path):
    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture
def session_code(db) -> str:
    """Open a class session on the test set with feedback after each answer."""
    return sessions.open_session(db, "mini-set", feedback="now")["code"]


@pytest.fixture
def end_code(db) -> str:
    """Open a class session on the test set with feedback only at the end."""
    return sessions.open_session(db, "mini-set", feedback="end")["code"]


class Student:
    """Drive the student pages through the test client."""

    def __init__(self, client, db):
        self.client = client
        self.db = db

    def join(self, code: str, nickname: str = "Ada", **kw):
        return self.client.post("/join", data={"code": code, "nickname": nickname}, **kw)

    def questions(self, code: str) -> list[dict]:
        return sessions.load_session(self.db, code).questions

    def question(self, code: str, qid: str) -> dict:
        return next(q for q in self.questions(code) if q["id"] == qid)

    def answer(self, code: str, qid: str, options=(), headers=None, **extra):
        q = self.question(code, qid)
        data = {"question": str(q["pk"]), "option": list(options), **extra}
        return self.client.post(f"/play/{code}/answer", data=data, headers=headers or {})

    def answer_right(self, code: str, q: dict, **extra):
        data: dict = {"question": str(q["pk"])}
        if q["type"] == "order":
            data.update({f"pos-{oid}": str(i) for i, oid in enumerate(q["key"], start=1)})
        else:
            data["option"] = list(q["key"])
        if q["type"] == "cer":
            data["evidence"] = [str(n) for n in q["evidence_key"]]
        data.update(extra)
        return self.client.post(f"/play/{code}/answer", data=data)


@pytest.fixture
def student(client, db) -> Student:
    return Student(client, db)


HX = {"HX-Request": "true"}


def text_of(html: str) -> str:
    """Return the visible text of HTML, whitespace folded (for assertions)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


PASSWORD = "correct horse battery"


@pytest.fixture
def people(app, db) -> dict[str, int]:
    """Two teachers and an administrator, by name."""

    return {
        "teacher_a": teachers.create_account(db, "a@school.org", "Ana", PASSWORD, "teacher"),
        "teacher_b": teachers.create_account(db, "b@school.org", "Ben", PASSWORD, "teacher"),
        "admin": teachers.create_account(db, "admin@school.org", "Ada", PASSWORD, "admin"),
    }


EMAILS = {"teacher_a": "a@school.org", "teacher_b": "b@school.org", "admin": "admin@school.org"}


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/signin", data={"email": email, "password": password})


@pytest.fixture
def as_teacher(app, people):
    """Return a function giving a signed-in test client for a person."""

    def make(who: str = "teacher_a"):
        client = app.test_client()
        assert sign_in(client, EMAILS[who]).status_code == 303
        return client

    return make
