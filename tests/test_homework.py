"""Homework (issue 17.6): a self-paced session with an end, after which answers are
refused with a clear message and summaries stay readable. The clock is quiz.clock's."""

from __future__ import annotations

import datetime as dt

import pytest

from quiz import clock
from quiz.play import sessions
from quiz.storage import queries

from .conftest import text_of

MONDAY = dt.datetime(2030, 3, 11, 9, 0, tzinfo=dt.UTC)
START = {"set_id": "mini-set", "pace": "self", "feedback": "now", "teams": ""}


@pytest.fixture
def at(monkeypatch):
    """Set quiz.clock's time."""

    def move(moment: dt.datetime) -> None:
        monkeypatch.setattr(clock, "utcnow", lambda: moment)

    move(MONDAY)
    return move


@pytest.fixture
def teacher(as_teacher, app, at):
    app.config["TIMEZONE"] = "Europe/Helsinki"
    return as_teacher("teacher_a")


def start(teacher, **fields) -> tuple[int, str | None]:
    response = teacher.post("/run/", data={**START, **fields})
    code = response.location.split("/")[2] if response.status_code == 303 else None
    return response.status_code, code


def answer_count(db) -> int:
    return db.execute("SELECT count(*) FROM answer").fetchone()[0]


def test_the_end_is_read_in_the_schools_time_zone(teacher, db, at):
    status, code = start(teacher, ends_on="2030-03-14", ends_time="18:00")
    assert status == 303
    row = queries.session_by_code(db, code)
    assert row["ends_at"] == "2030-03-14T16:00:00+00:00"  # 18:00 in Helsinki, in March
    assert row["ends_label"] == "14 March 2030 at 18:00 (Europe/Helsinki)"
    page = text_of(teacher.get(f"/run/{code}").get_data(as_text=True))
    assert "Homework: answers are taken until 14 March 2030 at 18:00 (Europe/Helsinki)." in page


def test_without_a_time_the_homework_closes_at_the_end_of_the_day(teacher, db, at):
    _status, code = start(teacher, ends_on="2030-03-14")
    assert queries.session_by_code(db, code)["ends_at"] == "2030-03-14T21:59:00+00:00"


def test_answers_are_refused_after_the_end_and_summaries_stay_readable(
    teacher, as_teacher, student, app, db, at
):
    _status, code = start(teacher, ends_on="2030-03-14", ends_time="18:00")
    student.join(code, "Ada")
    first = student.questions(code)[0]
    assert student.answer_right(code, first).status_code in (200, 303)
    at(dt.datetime(2030, 3, 14, 16, 0, tzinfo=dt.UTC))  # 18:00 in Helsinki: closed
    second = student.questions(code)[1]
    refused = student.answer_right(code, second)
    assert refused.status_code == 409
    assert (
        "This homework closed on 14 March 2030 at 18:00 (Europe/Helsinki), so it no longer "
        "takes answers." in text_of(refused.get_data(as_text=True))
    )
    assert answer_count(db) == 1
    summary = student.client.get(f"/play/{code}")
    assert summary.status_code == 200
    assert "Your summary" in text_of(summary.get_data(as_text=True))
    # The student's own device comes back to its summary by the code alone; a new
    # device cannot join any more.
    back = student.client.post("/join", data={"code": code, "nickname": "Ada"})
    assert back.status_code == 303
    joining = app.test_client().post("/join", data={"code": code, "nickname": "Late"})
    assert joining.status_code == 409
    assert "This homework closed on 14 March 2030" in text_of(joining.get_data(as_text=True))
    later = as_teacher("teacher_a")  # days later: a new sign-in
    page = text_of(later.get(f"/run/{code}").get_data(as_text=True))
    assert "This homework closed on 14 March 2030 at 18:00 (Europe/Helsinki)" in page


def test_the_answers_insert_itself_refuses_after_the_end(teacher, student, db, at):
    _status, code = start(teacher, ends_on="2030-03-14", ends_time="18:00")
    student.join(code, "Ada")
    loaded = sessions.load_session(db, code)  # read while the homework was open
    pid = next(db.query("SELECT id FROM participant"))["id"]
    at(dt.datetime(2030, 3, 14, 16, 0, 1, tzinfo=dt.UTC))
    q = loaded.questions[0]
    answer = {"response": {"options": q["key"]}, "confidence": None, "reason": None}
    stored = queries.insert_answer(
        db, pid, q, loaded.row["id"], {**answer, "score": 1, "parts": {}}
    )
    assert stored is None and answer_count(db) == 0


def test_reopening_lifts_the_end(teacher, as_teacher, student, db, at):
    _status, code = start(teacher, ends_on="2030-03-12")
    student.join(code, "Ada")
    at(dt.datetime(2030, 3, 13, tzinfo=dt.UTC))
    assert student.answer_right(code, student.questions(code)[0]).status_code == 409
    assert as_teacher("teacher_a").post(f"/run/{code}/reopen").status_code == 303
    assert queries.session_by_code(db, code)["ends_at"] is None
    assert student.answer_right(code, student.questions(code)[0]).status_code in (200, 303)
    assert answer_count(db) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_on": "2030-03-10"}, "Choose a date and time still to come."),
        ({"ends_on": "2030-03-11", "ends_time": "10:00"}, "Choose a date and time still to come."),
        ({"ends_on": "14.3.2030"}, "Give the date as a calendar date"),
        ({"ends_on": "2030-03-14", "ends_time": "25:00"}, "Give the time of day as hours"),
        ({"ends_on": "2030-03-14", "pace": "led"}, "Only a self-paced session can close by itself"),
    ],
)
def test_an_end_that_cannot_be_is_refused_and_starts_nothing(teacher, db, at, fields, message):
    before = db.execute("SELECT count(*) FROM session").fetchone()[0]
    response = teacher.post("/run/", data={**START, **fields})
    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == before


def test_a_session_without_an_end_is_unchanged(teacher, db, at):
    _status, code = start(teacher)
    row = queries.session_by_code(db, code)
    assert row["ends_at"] is None and row["ends_label"] is None
    at(dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
    assert sessions.load_session(db, code).is_open


def test_participant_data_is_purged_counting_from_the_end(teacher, student, db, at):
    _status, code = start(teacher, ends_on="2030-03-12")
    student.join(code, "Ada")
    row = queries.session_by_code(db, code)
    assert queries.sessions_to_purge(db, "2030-03-12T00:00:00+00:00") == []
    assert queries.sessions_to_purge(db, "2030-04-12T00:00:00+00:00") == [row["id"]]


def test_an_unknown_time_zone_setting_reads_the_end_in_utc(teacher, app, db, at):
    app.config["TIMEZONE"] = "Mars/Olympus"
    _status, code = start(teacher, ends_on="2030-03-14", ends_time="18:00")
    row = queries.session_by_code(db, code)
    assert row["ends_at"] == "2030-03-14T18:00:00+00:00" and row["ends_label"].endswith("(UTC)")
