"""The sign-in throttle wired in (issue 13, finding 7): atomic, per account and client,
with growing delays, and the teacher's own browser not slowed by a student's guesses."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from quiz import clock
from quiz.accounts import teachers, throttle
from quiz.facilitation import retention

from .conftest import EMAILS, PASSWORD, sign_in, text_of

SCHOOL = "192.0.2.10"  # the school's one public address: students and teacher alike
HOME = "198.51.100.7"
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """Hold the clock at T0 in every test here (a wait of 1 s must not pass while a busy
    machine answers); return a function that moves it on by seconds."""
    now = {"at": T0}
    monkeypatch.setattr(clock, "utcnow", lambda: now["at"])

    def move(seconds: float) -> None:
        now["at"] += dt.timedelta(seconds=seconds)

    return move


class CountingHasher:
    """The app's argon2 hasher, counting the passwords it checks."""

    def __init__(self, hasher) -> None:
        self.hasher, self.checked = hasher, []

    def verify(self, hash_: str, password: str) -> bool:
        self.checked.append(password)
        return self.hasher.verify(hash_, password)

    def __getattr__(self, name: str):
        return getattr(self.hasher, name)


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """Count the password checks argon2 runs."""
    counting = CountingHasher(teachers.HASHER)
    monkeypatch.setattr(teachers, "HASHER", counting)
    return counting.checked


def browser(app, address: str = SCHOOL):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_sixty_parallel_wrong_sign_ins_get_exactly_the_free_password_checks(
    app, people, checks, frozen
):
    # The clock stands still: on a real one, the first wait (1 s) can pass while the
    # sixty are still arriving, and a late one would rightly get a check.
    barrier = threading.Barrier(60)
    statuses, errors = [], []

    def attempt() -> None:
        try:
            client = browser(app)
            barrier.wait(timeout=300)  # only a broken thread would ever wait this long
            statuses.append(sign_in(client, EMAILS["teacher_a"], "a wrong guess").status_code)
        except Exception as exc:  # noqa: BLE001 - reported below, not lost in a thread
            errors.append(exc)

    with ThreadPoolExecutor(max_workers=60) as pool:
        for _ in range(60):
            pool.submit(attempt)
    assert errors == []
    assert len(checks) == throttle.FREE_PER_CLIENT
    assert sorted(statuses) == [401] * throttle.FREE_PER_CLIENT + [429] * (
        60 - throttle.FREE_PER_CLIENT
    )


def test_a_throttled_sign_in_says_how_long_to_wait_and_checks_no_password(
    app, people, checks, frozen
):
    student = browser(app)
    for _ in range(throttle.FREE_PER_CLIENT):
        assert sign_in(student, EMAILS["teacher_a"], "a wrong guess").status_code == 401
    checks.clear()
    response = sign_in(student, EMAILS["teacher_a"])  # even the right password waits
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert "Wait 1 second and try again" in text_of(response.get_data(as_text=True))
    assert checks == []
    frozen(1)
    assert sign_in(student, EMAILS["teacher_a"], "a wrong guess").status_code == 401
    assert sign_in(student, EMAILS["teacher_a"]).headers["Retry-After"] == "2"  # doubled


def test_a_student_guessing_from_the_school_address_does_not_slow_the_teacher(app, people, frozen):
    teacher = browser(app)
    assert sign_in(teacher, EMAILS["teacher_a"]).status_code == 303  # once, before the lesson
    teacher.post("/signout")
    student = browser(app)
    for _ in range(40):
        sign_in(student, EMAILS["teacher_a"], "a wrong guess")
        frozen(30)
    assert sign_in(student, EMAILS["teacher_a"]).status_code == 429
    assert sign_in(teacher, EMAILS["teacher_a"]).status_code == 303  # same address, not slowed


def test_the_teacher_at_another_address_is_not_slowed_either(app, people):
    student = browser(app)
    for _ in range(throttle.FREE_PER_CLIENT + 1):
        sign_in(student, EMAILS["teacher_a"], "a wrong guess")
    assert sign_in(browser(app, HOME), EMAILS["teacher_a"]).status_code == 303


def test_a_new_browser_on_the_guessed_address_waits_with_the_guesser(app, people):
    for _ in range(throttle.FREE_PER_CLIENT):
        sign_in(browser(app), EMAILS["teacher_a"], "a wrong guess")
    assert sign_in(browser(app), EMAILS["teacher_a"]).status_code == 429


def test_another_account_behind_the_same_address_is_not_slowed(app, people):
    student = browser(app)
    for _ in range(throttle.FREE_PER_CLIENT + 1):
        sign_in(student, EMAILS["teacher_a"], "a wrong guess")
    assert sign_in(student, EMAILS["teacher_b"]).status_code == 303


def test_a_made_up_device_id_counts_as_the_address(app, people):
    for _ in range(throttle.FREE_PER_CLIENT):
        sign_in(browser(app), EMAILS["teacher_a"], "a wrong guess")
    forger = browser(app)
    with forger.session_transaction() as cookie:
        cookie["d"] = "a-device-id-never-signed-in"
    assert sign_in(forger, EMAILS["teacher_a"]).status_code == 429


def test_the_throttle_is_kept_in_sqlite_for_every_worker(app, people, db):
    sign_in(browser(app), EMAILS["teacher_a"], "a wrong guess")
    rows = db.execute("SELECT account, client, outcome FROM sign_in_attempt").fetchall()
    assert rows == [(EMAILS["teacher_a"], SCHOOL, "failed")]
    assert "sign_in_failure" not in db.table_names()


def test_the_hourly_purge_prunes_old_attempts(app, people, db, frozen):
    sign_in(browser(app), EMAILS["teacher_a"], "a wrong guess")
    frozen(throttle.WINDOW.total_seconds() + 1)
    retention.purge(db, app.config["RETENTION_DAYS"])
    assert db.execute("SELECT count(*) FROM sign_in_attempt").fetchone()[0] == 0


def test_a_success_clears_only_its_own_accounts_failures(app, people, db):
    client = browser(app)
    sign_in(client, EMAILS["teacher_b"], "a wrong guess")
    sign_in(client, EMAILS["teacher_a"], "a wrong guess")
    assert sign_in(client, EMAILS["teacher_a"], PASSWORD).status_code == 303
    left = db.execute("SELECT account, outcome FROM sign_in_attempt ORDER BY id").fetchall()
    assert (EMAILS["teacher_b"], "failed") in left
    assert (EMAILS["teacher_a"], "failed") not in left
