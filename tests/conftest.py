"""Shared fixtures: an app on a real SQLite file in tmp_path, with the test sets loaded.

What tests build in it (people, sets, sessions, students) comes from ``world``
(tests/world.py): ``world.signed_in("teacher_a")``, ``world.session(...)``,
``world.join(code)``...
"""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher

from quiz import clock
from quiz.accounts import teachers
from quiz.storage.connection import connect

from . import hypothesis_profiles  # noqa: F401  (registers and loads the profiles)
from .early_pair import NOW, Pair
from .world import (
    DATA,
    EMAILS,
    HX,
    PASSWORD,
    ROOT,
    Student,
    World,
    load_set,
    make_app,
    sign_in,
    text_of,
)

# Older tests import these from here; tests/world.py is their home.
__all__ = ["DATA", "EMAILS", "HX", "PASSWORD", "ROOT", "Student", "load_set", "sign_in", "text_of"]

BROWSER_TESTS = Path(__file__).parent / "browser"

# Production hashes passwords at OWASP's minimum for argon2id (quiz.accounts.teachers:
# 19 MiB, 2 passes, some 40 ms a hash); tests hash at argon2's lowest cost, so that the
# hundreds of accounts and sign-ins they make cost next to nothing. A test marked
# ``production_hashing`` runs with the production hasher.
PRODUCTION_HASHER = teachers.HASHER
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def pytest_collection_modifyitems(items):
    """Every browser test is slow (a live server and Chromium): ``-m "not slow"`` leaves
    them out. Other slow tests (servers, many processes) say so with ``pytest.mark.slow``."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(teachers, "HASHER", QUICK_HASHER)
        yield


@pytest.fixture(autouse=True)
def production_hashing(request, monkeypatch):
    if request.node.get_closest_marker("production_hashing"):
        monkeypatch.setattr(teachers, "HASHER", PRODUCTION_HASHER)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lateral.db"


@pytest.fixture
def app(tmp_path: Path, db_path: Path):
    return make_app(db_path, WTF_CSRF_ENABLED=False)


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
def world(app, db) -> World:
    """The factory of people, sets, sessions and students in the app's database."""
    return World(app, db)


@pytest.fixture
def session_code(world) -> str:
    """Open a class session on the test set with feedback after each answer."""
    return world.session(feedback="now")


@pytest.fixture
def end_code(world) -> str:
    """Open a class session on the test set with feedback only at the end."""
    return world.session(feedback="end")


@pytest.fixture
def student(client, db) -> Student:
    return Student(client, db)


@pytest.fixture
def people(world) -> dict[str, int]:
    """Two teachers and an administrator, by name."""
    return world.people("teacher_a", "teacher_b", "admin")


@pytest.fixture
def as_teacher(world):
    """Return a function giving a signed-in test client for a person (made when first asked
    for: ask for ``people`` too to have all three, in order)."""
    return world.signed_in


@pytest.fixture
def pair(tmp_path: Path, monkeypatch) -> Pair:
    """Two apps on two databases, a path before Flask on in one and off in the other
    (tests/early_pair.py), with the clock held at early_pair's ``NOW``."""
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    return Pair(tmp_path)
