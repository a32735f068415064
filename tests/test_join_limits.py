"""Anti-automation for joining and practice (issue 13, finding 4): counts in SQLite per
client and per session with limits a real class never meets, the facilitator's lock,
and a removed nickname's device held back."""

from __future__ import annotations

import datetime as dt

import pytest

from quiz import clock, create_app
from quiz.play import limits
from quiz.play.limits import Limits
from quiz.storage import queries

from .conftest import Student, text_of

SCHOOL, ELSEWHERE = "192.0.2.10", "198.51.100.7"
T0 = dt.datetime(2026, 3, 2, 8, 0, 30, tzinfo=dt.UTC)
SECRET = "test-only-secret"  # the app fixture's


@pytest.fixture
def frozen(monkeypatch):
    now = {"at": T0}
    monkeypatch.setattr(clock, "utcnow", lambda: now["at"])

    def move(seconds: float) -> None:
        now["at"] += dt.timedelta(seconds=seconds)

    return move


def student(app, db, address: str = SCHOOL) -> Student:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Student(client, db)


def joined(db) -> int:
    return db.execute("SELECT count(*) FROM participant").fetchone()[0]


def fill(db, key: str, count: int, bucket: str) -> None:
    """Count ``count`` events under a key, as earlier requests would have."""
    for _ in range(count):
        queries.count_in_window(db, key, bucket)


def test_a_class_of_300_joins_through_one_school_address(app, db, session_code, frozen):
    statuses = [student(app, db).join(session_code, f"Student {n}").status_code for n in range(300)]
    assert statuses == [303] * 300
    assert joined(db) == 300


def test_the_ceiling_per_client_is_600_joins_a_minute(app, db, session_code, frozen):
    assert Limits().client_per_minute == 600 and Limits().client_per_hour == 3_000
    client = limits.client_id(SECRET, SCHOOL)
    fill(db, f"join:client:{client}", 600, "2026-03-02T08:00")
    response = student(app, db).join(session_code, "One more")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert "Too many people joined from this network" in text_of(response.get_data(as_text=True))
    assert joined(db) == 0
    assert student(app, db, ELSEWHERE).join(session_code, "Elsewhere").status_code == 303
    frozen(30)  # the next minute
    assert student(app, db).join(session_code, "One more").status_code == 303


def test_the_ceiling_per_session_is_1200_joins_a_minute(app, db, session_code, frozen):
    session_id = queries.session_by_code(db, session_code)["id"]
    fill(db, f"join:session:{session_id}", 1_200, "2026-03-02T08:00")
    response = student(app, db, ELSEWHERE).join(session_code, "Late")
    assert response.status_code == 429
    assert "joining this session at once" in text_of(response.get_data(as_text=True))


def test_a_session_holds_at_most_its_size(tmp_path, db_path, frozen):
    from .conftest import DATA, load_set

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "DATABASE": str(db_path),
            "WTF_CSRF_ENABLED": False,
            "JOIN_LIMITS": {"session_size": 2},
        }
    )
    load_set(db_path, DATA / "mini.toml")
    from quiz.play import sessions
    from quiz.storage.connection import connect

    db = connect(db_path)
    code = sessions.open_session(db, "mini-set")["code"]
    assert [student(app, db).join(code, n).status_code for n in ("A1", "B2", "C3")] == [
        303,
        303,
        409,
    ]
    db.close()


@pytest.mark.parametrize("setting", [{"client_per_mnute": 5}, {"session_size": 0}])
def test_a_wrong_join_limits_setting_is_refused_at_start(db_path, setting):
    with pytest.raises(ValueError, match="JOIN_LIMITS"):
        create_app(
            {"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(db_path), "JOIN_LIMITS": setting}
        )


def test_practice_starts_are_limited_per_client(app, db, frozen):
    before = db.execute("SELECT count(*) FROM session").fetchone()[0]
    assert student(app, db).client.post("/practice/mini-set").status_code == 303
    client = limits.client_id(SECRET, SCHOOL)
    fill(db, f"practice:client:{client}", 600, "2026-03-02T08:00")
    response = student(app, db).client.post("/practice/mini-set")
    assert response.status_code == 429
    assert "practice sessions were started from this network" in text_of(
        response.get_data(as_text=True)
    )
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == before + 1


def test_counts_are_kept_in_sqlite_without_the_address(app, db, session_code, frozen):
    student(app, db).join(session_code, "Ada")
    dump = "\n".join(db.iterdump())
    assert SCHOOL not in dump
    keys = [row[0] for row in db.execute("SELECT key FROM rate_window")]
    assert f"join:client:{limits.client_id(SECRET, SCHOOL)}" in keys


def test_the_hourly_purge_drops_old_counts(app, db, session_code, frozen):
    from quiz.facilitation import retention

    student(app, db).join(session_code, "Ada")
    frozen(3 * 3600)
    retention.purge(db, 30)
    assert db.execute("SELECT count(*) FROM rate_window").fetchone()[0] == 0


# The facilitator's controls ----------------------------------------------------------


@pytest.fixture
def owned(as_teacher):
    teacher = as_teacher("teacher_a")
    started = teacher.post("/run/", data={"set_id": "mini-set", "pace": "self", "feedback": "now"})
    return teacher, started.location.split("/")[2]


def test_the_facilitator_locks_and_opens_joining(app, db, owned):
    teacher, code = owned
    assert student(app, db).join(code, "Early").status_code == 303
    assert teacher.post(f"/run/{code}/joining/lock").status_code == 303
    assert "Joining is locked" in text_of(teacher.get(f"/run/{code}").get_data(as_text=True))
    response = student(app, db).join(code, "Late")
    assert response.status_code == 409
    assert "Joining this session is locked" in text_of(response.get_data(as_text=True))
    assert joined(db) == 1
    assert teacher.post(f"/run/{code}/joining/unlock").status_code == 303
    assert student(app, db).join(code, "Late").status_code == 303


def test_a_rejoin_code_still_works_while_joining_is_locked(app, db, owned):
    from quiz.facilitation import control
    from quiz.play import sessions

    teacher, code = owned
    assert student(app, db).join(code, "Ada").status_code == 303
    teacher.post(f"/run/{code}/joining/lock")
    sess = sessions.load_session(db, code)
    rejoin = control.issue_rejoin(db, sess, db.execute("SELECT id FROM participant").fetchone()[0])
    again = student(app, db).client.post(
        "/join", data={"code": code, "nickname": "Ada", "rejoin": rejoin}
    )
    assert again.status_code == 303


def remove(teacher, code: str, db, nickname: str) -> None:
    pid = db.execute("SELECT id FROM participant WHERE nickname = ?", [nickname]).fetchone()[0]
    response = teacher.post(f"/run/{code}/participants/{pid}/remove")
    assert response.status_code == 303


def test_a_removed_nickname_cannot_come_straight_back(app, db, owned, frozen):
    teacher, code = owned
    joker = student(app, db)
    assert joker.join(code, "Joke Name").status_code == 303
    remove(teacher, code, db, "Joke Name")
    assert "can't join this session again" in text_of(
        teacher.get(f"/run/{code}").get_data(as_text=True)
    )
    # The same browser, under another name: its cookie remembers.
    again = joker.join(code, "Innocent")
    assert again.status_code == 403
    assert "removed this device's nickname" in text_of(again.get_data(as_text=True))
    # With the cookie cleared, from the same address: the client remembers, for a while.
    fresh = student(app, db)
    held = fresh.join(code, "Innocent")
    assert held.status_code == 429 and 1 <= int(held.headers["Retry-After"]) <= 121
    assert "just removed from this session" in text_of(held.get_data(as_text=True))
    # Someone on another network is not held; after two minutes, the address is not either.
    assert student(app, db, ELSEWHERE).join(code, "Elsewhere").status_code == 303
    frozen(121)
    assert fresh.join(code, "Latecomer").status_code == 303
    assert joker.join(code, "Innocent").status_code == 403  # the removed browser, never
    assert [r[0] for r in db.execute("SELECT nickname FROM participant ORDER BY rowid")] == [
        "Elsewhere",
        "Latecomer",
    ]


def test_deleting_the_data_forgets_the_removals(app, db, owned):
    from quiz.facilitation import control
    from quiz.play import sessions

    teacher, code = owned
    student(app, db).join(code, "Joke")
    remove(teacher, code, db, "Joke")
    control.delete_data(db, sessions.load_session(db, code))
    assert db.execute("SELECT count(*) FROM participant_removal").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM participant_client").fetchone()[0] == 0
