"""The world a test acts on: an app on a real SQLite file, and the people and things in it.

``make_app`` builds the app (the test sets loaded); ``World`` fills its database with
what a test needs, each piece by one call, made the way the app makes it:

    world = World(app, db)                      # the ``world`` fixture gives one
    ana = world.signed_in("teacher_a")          # a test client signed in through /signin
    slug = world.own_set("teacher_a", published=True)     # a copy of the shared mini set
    code = world.session(slug, owner="teacher_a", pace="led", feedback="reveal")
    ada = world.join(code, "Ada")               # a Student whose client joined through /join
    ada.answer(code, "video", ["b"])

People are named by key (``PEOPLE``): ``teacher_a`` (Ana), ``teacher_b`` (Ben) and
``admin`` (Ada); an account is made the first time a key is used. Forms are posted
with a CSRF token when the app checks them, so the same calls serve an app with CSRF
on (test_csrf, the browser tests) and off (the ``app`` fixture).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from quiz import create_app
from quiz.accounts import invitations, teachers
from quiz.authoring import drafts, publishing
from quiz.play import sessions
from quiz.sets.files import load_misconceptions, parse_file, sync
from quiz.storage.connection import connect

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TEST_SETS = ("mini.toml", "mini-check-a.toml", "mini-check-b.toml")
SHARED_SET = "mini-set"  # the shared set of tests/data/mini.toml (with two check forms)

PASSWORD = "correct horse battery"
# key -> (e-mail, name, role)
PEOPLE = {
    "teacher_a": ("a@school.org", "Ana", "teacher"),
    "teacher_b": ("b@school.org", "Ben", "teacher"),
    "admin": ("admin@school.org", "Ada", "admin"),
}
EMAILS = {who: email for who, (email, _name, _role) in PEOPLE.items()}

HX = {"HX-Request": "true"}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def load_set(db_path: Path, path: Path) -> int:
    """Load a set file into the database; return the version id."""
    misc = load_misconceptions(path.parent / "misconceptions.toml")
    db = connect(db_path)
    try:
        version_id, _ = sync(db, parse_file(path, misc), str(path), misc)
    finally:
        db.close()
    return version_id


def make_app(db_path: Path, *, sets: tuple[str, ...] = TEST_SETS, **config: Any) -> Flask:
    """Return an app on ``db_path`` with ``sets`` (files in tests/data) loaded.

    CSRF is on unless ``WTF_CSRF_ENABLED=False`` is given; other settings override
    the test defaults the same way.
    """
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "DATABASE": str(db_path),
        "QUESTIONS_DIR": str(DATA),
        **config,
    }
    app = create_app(settings)
    for name in sets:
        load_set(db_path, DATA / name)
    return app


def text_of(html: str) -> str:
    """Return the visible text of HTML, whitespace folded (for assertions)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def csrf_token(client: FlaskClient, url: str) -> str:
    """Return the CSRF token of the form on a page."""
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):
    return client.post("/signin", data={"email": email, "password": password})


class Student:
    """Drive the student pages through the test client."""

    def __init__(self, client: FlaskClient, db):
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


class World:
    """Make the people, sets, sessions and students of a test in the app's database."""

    def __init__(self, app: Flask, db):
        self.app = app
        self.db = db
        self.accounts: dict[str, int] = {}

    # People ------------------------------------------------------------------------

    def account(self, who: str) -> int:
        """Return the account id of a person of ``PEOPLE``, made the first time."""
        if who not in self.accounts:
            email, name, role = PEOPLE[who]
            self.accounts[who] = teachers.create_account(self.db, email, name, PASSWORD, role)
        return self.accounts[who]

    def people(self, *who: str) -> dict[str, int]:
        """Make several people at once, in order; return their ids by key."""
        return {key: self.account(key) for key in who or PEOPLE}

    def anonymous(self) -> FlaskClient:
        return self.app.test_client()

    def signed_in(self, who: str = "teacher_a") -> FlaskClient:
        """Return a test client signed in as a person, through the sign-in form."""
        self.account(who)
        client = self.app.test_client()
        response = client.post("/signin", data=self._form(client, "/signin", EMAILS[who]))
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        return client

    def _form(self, client: FlaskClient, page: str, email: str) -> dict:
        return self._with_token(client, page, {"email": email, "password": PASSWORD})

    def _with_token(self, client: FlaskClient, page: str, data: dict) -> dict:
        if self.app.config.get("WTF_CSRF_ENABLED", True):
            return {**data, "csrf_token": csrf_token(client, page)}
        return data

    # Sets --------------------------------------------------------------------------

    def own_set(
        self,
        who: str = "teacher_a",
        *,
        source: str = SHARED_SET,
        published: bool = False,
        archived: bool = False,
    ) -> str:
        """A teacher's copy of a set (as "Duplicate" makes it); return its slug."""
        slug = drafts.duplicate(self.db, self.account(who), source)
        if published:
            self.publish(slug, who)
        if archived:
            drafts.archive(self.db, drafts.owned(self.db, slug, self.account(who)), True)
        return slug

    def new_set(self, who: str = "teacher_a", title: str = "A new set") -> str:
        """An empty draft set of a teacher's (as "New set" makes it); return its slug."""
        return drafts.create_set(self.db, self.account(who), title)

    def add_question(self, slug: str, who: str = "teacher_a", qtype: str = "single") -> str:
        """Add a blank question to a teacher's draft (it has errors until filled in)."""
        found = drafts.owned(self.db, slug, self.account(who))
        qid = drafts.add_question(found.raw, qtype)
        drafts.save(self.db, found)
        return qid

    def publish(self, slug: str, who: str = "teacher_a") -> int:
        """Publish a teacher's draft as a new version; return the version id."""
        found = drafts.owned(self.db, slug, self.account(who))
        return publishing.publish(self.db, found, self.misconceptions())

    def misconceptions(self) -> dict[str, dict]:
        return publishing.misconceptions(self.app.config["QUESTIONS_DIR"])

    # Sessions and students ------------------------------------------------------------

    def session(
        self, slug: str = SHARED_SET, *, owner: str | None = None, closed: bool = False, **settings
    ) -> str:
        """Open a class session on a published set; return its code.

        ``owner`` is a person's key (None: a session opened from the command line);
        ``settings`` go to ``sessions.open_session`` (pace, feedback, teams, checks...).
        """
        owner_id = self.account(owner) if owner else None
        code = sessions.open_session(self.db, slug, owner_id=owner_id, **settings)["code"]
        if closed:
            self.close(code)
        return code

    def close(self, code: str) -> None:
        sessions.close_session(self.db, code)

    def loaded(self, code: str) -> sessions.LoadedSession:
        return sessions.load_session(self.db, code)

    def team_ids(self, code: str) -> list[str]:
        return [str(t["id"]) for t in self.loaded(code).teams]

    def join(
        self,
        code: str,
        nickname: str = "Ada",
        *,
        team: str | None = None,
        client: FlaskClient | None = None,
    ) -> Student:
        """A student who joined a session through the join form (on ``client``, or a new one)."""
        student = Student(client or self.app.test_client(), self.db)
        data = {"code": code, "nickname": nickname, **({"team": team} if team else {})}
        response = student.client.post("/join", data=self._with_token(student.client, "/", data))
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        return student

    def participant_id(self, code: str, nickname: str = "Ada") -> str:
        session_id = self.loaded(code).row["id"]
        rows = self.db.query(
            "SELECT id FROM participant WHERE session_id = ? AND nickname = ?",
            [session_id, nickname],
        )
        return next(rows)["id"]

    # Invitations -------------------------------------------------------------------

    def invite(
        self, email: str, *, by: str = "admin", used: bool = False, expired: bool = False
    ) -> str:
        """An invitation to teach; return its token (``used``: accepted by Uma)."""
        token = invitations.invite(self.db, self.account(by), email, "teacher")
        if used:
            invitations.accept_invite(self.db, token, "Uma", PASSWORD)
        if expired:
            self.db.execute(
                "UPDATE invite SET expires_at = '2000-01-01T00:00:00+00:00' WHERE email = ?",
                [email],
            )
            self.db.conn.commit()
        return token
