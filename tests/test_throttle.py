"""The sign-in throttle (issue 13, finding 7): atomic, per account and client, growing."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from quiz.accounts import throttle
from quiz.accounts.throttle import FREE_PER_ACCOUNT, FREE_PER_CLIENT, Throttled, begin, finish
from quiz.storage import migrations
from quiz.storage.connection import connect

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
TEACHER = "teacher@school.fi"
CLASSROOM, STAFFROOM, HOME = "192.0.2.10", "192.0.2.20", "198.51.100.7"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "lateral.db"
    db = connect(path)
    migrations.apply(db)
    db.close()
    return path


@pytest.fixture
def db(db_path):
    db = connect(db_path)
    yield db
    db.close()


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def fail(db, email=TEACHER, client=CLASSROOM, now=T0) -> None:
    finish(db, begin(db, email, client, now), ok=False, now=now)


def refused(db, email=TEACHER, client=CLASSROOM, now=T0) -> Throttled:
    with pytest.raises(Throttled) as caught:
        begin(db, email, client, now)
    return caught.value


def outcomes(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT outcome FROM sign_in_attempt ORDER BY id")]


def test_sixty_parallel_wrong_attempts_get_exactly_the_free_checks(db_path):
    barrier = threading.Barrier(60)
    allowed, throttled, errors = [], [], []

    def attempt() -> None:
        db = connect(db_path)
        try:
            barrier.wait(timeout=300)  # only a broken thread would ever reach this
            try:
                attempt_id = begin(db, TEACHER, CLASSROOM, T0)
            except Throttled as exc:
                throttled.append(exc.retry_after)
                return
            allowed.append(attempt_id)  # here the password would be checked, and be wrong
            finish(db, attempt_id, ok=False, now=T0)
        except Exception as exc:  # noqa: BLE001 - reported below, not lost in a thread
            errors.append(exc)
        finally:
            db.close()

    with ThreadPoolExecutor(max_workers=60) as pool:  # 60 threads: all wait at the barrier
        for _ in range(60):
            pool.submit(attempt)
    assert errors == []
    assert len(allowed) == FREE_PER_CLIENT
    assert len(throttled) == 60 - FREE_PER_CLIENT and set(throttled) == {1}
    db = connect(db_path)
    assert outcomes(db) == ["failed"] * FREE_PER_CLIENT
    db.close()


def test_an_attempt_still_pending_counts_as_a_failure(db):
    pending = [begin(db, TEACHER, CLASSROOM, T0) for _ in range(FREE_PER_CLIENT)]
    assert refused(db).retry_after == 1
    assert outcomes(db) == ["pending"] * FREE_PER_CLIENT
    for attempt_id in pending:
        finish(db, attempt_id, ok=False, now=T0)
    assert outcomes(db) == ["failed"] * FREE_PER_CLIENT


def test_delays_double_from_one_second_up_to_fifteen_minutes(db):
    now = T0
    for _ in range(FREE_PER_CLIENT):
        fail(db, now=now)
    waits = []
    for _ in range(14):
        waits.append(refused(db, now=now).retry_after)
        now += dt.timedelta(seconds=waits[-1])  # wait exactly as long as told
        fail(db, now=now)
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]
    exc = refused(db, now=now + dt.timedelta(seconds=899))
    assert exc.retry_after == 1 and exc.scope == "client"


def test_the_message_says_how_long_to_wait_in_plain_words():
    assert Throttled(1, "client").message == (
        "Too many failed sign-ins for this account. Wait 1 second and try again."
    )
    assert "Wait 45 seconds" in Throttled(45, "client").message
    assert "Wait 2 minutes" in Throttled(61, "client").message
    assert "Wait 15 minutes" in Throttled(900, "account").message


def test_the_real_teacher_from_another_client_still_signs_in(db):
    for second in range(60):  # a student in the classroom guesses on and on
        try:
            fail(db, client=CLASSROOM, now=at(second * 60))
        except Throttled:
            pass
    assert refused(db, client=CLASSROOM, now=at(3600)).scope == "client"
    attempt_id = begin(db, TEACHER, STAFFROOM, at(3600))  # no wait at all
    finish(db, attempt_id, ok=True, now=at(3600))
    assert throttle.retry_after(db, TEACHER, STAFFROOM, at(3600)) == 0


def test_guesses_spread_over_many_addresses_meet_the_account_ceiling(db):
    for n in range(FREE_PER_ACCOUNT):
        fail(db, client=f"203.0.113.{n % 50}", now=T0)  # 2 guesses from each of 50
    exc = refused(db, client="203.0.113.99", now=T0)
    assert (exc.scope, exc.retry_after) == ("account", 1)
    assert throttle.retry_after(db, TEACHER, HOME, at(1)) == 0  # the doubling, as per client


def test_a_client_the_teacher_signed_in_from_is_spared_the_account_ceiling(db):
    finish(db, begin(db, TEACHER, HOME, T0), ok=True, now=T0)
    for n in range(FREE_PER_ACCOUNT):
        fail(db, client=f"203.0.113.{n % 50}", now=at(60))
    assert refused(db, client="203.0.113.200", now=at(60)).scope == "account"
    attempt_id = begin(db, TEACHER, HOME, at(60))
    finish(db, attempt_id, ok=True, now=at(60))


def test_other_accounts_are_not_slowed(db):
    for _ in range(FREE_PER_CLIENT):
        fail(db)
    assert refused(db).retry_after == 1
    fail(db, email="colleague@school.fi")  # same classroom address, another account


def test_a_success_clears_its_clients_failures_only(db):
    for _ in range(FREE_PER_CLIENT - 1):
        fail(db, client=CLASSROOM)
        fail(db, client=STAFFROOM)
    finish(db, begin(db, TEACHER, STAFFROOM, T0), ok=True, now=T0)
    rows = db.execute("SELECT client, outcome FROM sign_in_attempt ORDER BY id").fetchall()
    assert rows == [(CLASSROOM, "failed")] * (FREE_PER_CLIENT - 1) + [(STAFFROOM, "ok")]
    fail(db, client=CLASSROOM)
    assert refused(db, client=CLASSROOM).scope == "client"


def test_failures_older_than_the_window_do_not_count_and_are_pruned(db):
    for _ in range(FREE_PER_CLIENT + 3):
        try:
            fail(db)
        except Throttled:
            pass
    later = T0 + throttle.WINDOW + dt.timedelta(seconds=1)
    assert throttle.retry_after(db, TEACHER, CLASSROOM, later) == 0
    finish(db, begin(db, "other@school.fi", HOME, T0), ok=True, now=T0)
    throttle.prune(db, later)
    assert outcomes(db) == ["ok"]  # the success is kept for KNOWN_FOR
    throttle.prune(db, T0 + throttle.KNOWN_FOR + dt.timedelta(seconds=1))
    assert outcomes(db) == []


def test_the_email_is_counted_trimmed_and_case_folded(db):
    for email in ["Teacher@School.fi", " teacher@school.fi", "TEACHER@SCHOOL.FI", TEACHER, TEACHER]:
        fail(db, email=email)
    assert refused(db, email="teacher@SCHOOL.fi ").retry_after == 1


def test_an_ipv6_client_is_counted_by_its_64_network():
    assert throttle.client_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert throttle.client_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert throttle.client_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert throttle.client_key(" 192.0.2.1 ") == "192.0.2.1"
    assert throttle.client_key("") == "unknown"
    assert throttle.client_key("not an address") == "not an address"


def test_rotating_addresses_within_one_ipv6_network_does_not_reset_the_count(db):
    for n in range(FREE_PER_CLIENT):
        fail(db, client=f"2001:db8:1:2::{n + 1:x}")
    assert refused(db, client="2001:db8:1:2::ffff").scope == "client"


def test_delay_is_zero_while_free_then_doubles_and_is_capped():
    assert [throttle.delay(n, 5).total_seconds() for n in range(4, 9)] == [0, 1, 2, 4, 8]
    assert throttle.delay(10**9, 5) == throttle.MAX_DELAY


def test_the_migration_makes_the_table_and_its_indexes(db):
    assert "sign_in_attempt" in db.table_names()
    assert {index.name for index in db["sign_in_attempt"].indexes} == {
        "sign_in_attempt_pair",
        "sign_in_attempt_at",
    }
    with pytest.raises(Exception, match="CHECK"):
        db.execute(
            "INSERT INTO sign_in_attempt (account, client, at, outcome) VALUES ('a', 'b', 'c', 'x')"
        )


def test_the_migration_is_a_named_step_of_the_apps_own(db):
    names = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations")]
    assert "0010_sign_in_throttle" in names
    assert "sign_in_failure" not in db.table_names()
