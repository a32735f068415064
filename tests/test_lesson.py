"""A led lesson as the students live it: timers, the lesson plan, shuffled options,
latecomers, locked questions and coming back on the same device."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from quiz import clock
from quiz.facilitation import lesson
from quiz.play import sessions
from quiz.play.shuffle import shuffled
from quiz.sets.vocabulary import MINUTES_PER_TYPE
from quiz.storage import queries

from .conftest import HX, text_of
from .forms import as_data, form_fields
from .test_facilitator import join, start

CLOSED = "Answers are closed for this question; wait for the next one."


@pytest.fixture
def facilitator(as_teacher):
    return as_teacher("teacher_a")


class Clock:
    """The injected clock: quiz.clock.utcnow reads it, and a test moves it on."""

    def __init__(self, monkeypatch):
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        monkeypatch.setattr(clock, "utcnow", lambda: self.now)

    def wait(self, seconds: int) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def frozen(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def goto(facilitator, code: str, number: int) -> None:
    assert facilitator.post(f"/run/{code}/goto", data={"number": str(number)}).status_code == 303


def questions(db, code: str) -> list[dict]:
    return sessions.load_session(db, code).questions


def answer_count(db) -> int:
    return db.execute("SELECT count(*) FROM answer").fetchone()[0]


# The timer -----------------------------------------------------------------------------


def test_a_timed_question_closes_at_its_deadline_in_the_insert_itself(app, facilitator, db, frozen):
    code = start(facilitator, pace="led", timer="30")
    ada = join(app, db, code, "Ada")
    goto(facilitator, code, 1)
    sess = sessions.load_session(db, code)
    q = sess.questions[0]
    assert sess.deadline(q) == "2026-03-02T09:00:30+00:00" and sess.time_left(q) == 30
    page = ada.client.get(f"/play/{code}").get_data(as_text=True)
    assert 'data-seconds-left="30"' in page and "0:30" in text_of(page)
    frozen.wait(30)
    # The session was read while the question was open: the statement refuses by itself.
    pid = next(db.query("SELECT id FROM participant"))["id"]
    graded = {"response": {"options": ["b"]}, "confidence": None, "reason": None}
    graded.update(score=1.0, parts={"choice": 1.0})
    assert queries.insert_answer(db, pid, q, sess.row["id"], graded) is None
    late = ada.answer(code, "video", ["b"])
    assert late.status_code == 409 and CLOSED in text_of(late.get_data(as_text=True))
    assert answer_count(db) == 0


def test_time_never_enters_the_score(app, facilitator, db, frozen):
    code = start(facilitator, pace="led", timer="60")
    goto(facilitator, code, 1)
    fast, slow = join(app, db, code, "Fast"), join(app, db, code, "Slow")
    fast.answer(code, "video", ["b"])
    frozen.wait(59)
    slow.answer(code, "video", ["b"])
    scores = [r["score"] for r in db.query("SELECT score FROM answer ORDER BY id")]
    assert scores == [1.0, 1.0]


def test_adding_time_moves_the_deadline_and_reopens_a_question_whose_time_ran_out(
    app, facilitator, db, frozen
):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    goto(facilitator, code, 1)
    pk = questions(db, code)[0]["pk"]
    set_timer = f"/run/{code}/questions/{pk}/timer/set"
    assert facilitator.post(set_timer, data={"seconds": "45"}).status_code == 303
    frozen.wait(50)
    assert "Answers are closed" in text_of(ada.client.get(f"/play/{code}").get_data(as_text=True))
    assert facilitator.post(f"/run/{code}/questions/{pk}/timer/add").status_code == 303
    sess = sessions.load_session(db, code)
    assert sess.time_left(sess.questions[0]) == 30
    facilitator.post(f"/run/{code}/questions/{pk}/timer/add")
    assert sessions.load_session(db, code).time_left(sess.questions[0]) == 60
    assert ada.answer(code, "video", ["b"]).status_code == 303
    assert facilitator.post(f"/run/{code}/questions/{pk}/timer/stop").status_code == 303
    assert sessions.load_session(db, code).deadline(sess.questions[0]) is None


def test_the_poll_notices_the_time_on_screen_running_out(app, facilitator, db, frozen):
    code = start(facilitator, pace="led", timer="30")
    ada = join(app, db, code, "Ada")
    goto(facilitator, code, 1)
    html = ada.client.get(f"/play/{code}").get_data(as_text=True)
    poll = re.search(r'<div id="poll" hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "until=2026-03-02T09:00:30%2B00:00" in poll
    assert ada.client.get(poll, headers=HX).status_code == 204
    frozen.wait(31)
    moved = ada.client.get(poll, headers=HX)
    assert moved.status_code == 200 and moved.headers["HX-Retarget"] == "#main"
    assert CLOSED in text_of(moved.get_data(as_text=True))
    # A garbled deadline is no deadline: the poll stays cheap and never fails.
    version = queries.session_by_code(db, code)["state_version"]
    garbled = f"/play/{code}/poll?v={version}&at=wait&until=yesterday%00"
    assert ada.client.get(garbled, headers=HX).status_code == 204


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"pace": "self", "timer": "60"}, "needs a facilitator-led session"),
        ({"pace": "led", "timer": "20"}, "Not a valid choice"),
        ({"pace": "led", "timer": "3600"}, "Not a valid choice"),
    ],
)
def test_a_timer_is_for_led_sessions_from_30_seconds_to_5_minutes(facilitator, db, form, message):
    data = {"set_id": "mini-set", "feedback": "now", "teams": "", **form}
    response = facilitator.post("/run/", data=data)
    assert response.status_code == 422 and message in text_of(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 0


# Latecomers and locked questions --------------------------------------------------------


def test_a_latecomer_lands_on_the_rooms_question(app, facilitator, db):
    code = start(facilitator, pace="led")
    goto(facilitator, code, 3)
    late = join(app, db, code, "Late")
    page = text_of(late.client.get(f"/play/{code}").get_data(as_text=True))
    assert "Question 3 of 6" in page and "NATO said it had seen no signs" in page
    late.answer(code, "nato-signs", ["true"])
    # The questions the room left behind are not offered again.
    page = text_of(late.client.get(f"/play/{code}").get_data(as_text=True))
    assert "Waiting for your facilitator" in page


def test_a_locked_question_tells_the_waiting_student_answers_are_closed(app, facilitator, db):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    goto(facilitator, code, 1)
    facilitator.post(f"/run/{code}/questions/{questions(db, code)[0]['pk']}/lock")
    page = text_of(ada.client.get(f"/play/{code}").get_data(as_text=True))
    assert CLOSED in page and "moved on" not in page


def test_a_question_on_screen_stays_until_answered_when_the_room_moves_on(app, facilitator, db):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    goto(facilitator, code, 1)
    q1 = questions(db, code)[0]
    version = queries.session_by_code(db, code)["state_version"]
    goto(facilitator, code, 2)
    poll = f"/play/{code}/poll?v={version}&at=question:{q1['pk']}"
    kept = ada.client.get(poll, headers=HX)
    assert kept.status_code == 200 and "HX-Retarget" not in kept.headers
    assert ada.answer(code, "video", ["b"]).status_code == 303


# Coming back on the same device ---------------------------------------------------------


def test_the_same_device_comes_back_by_the_code_alone_however_it_comes_back(app, facilitator, db):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    home = ada.client.post("/join", data={"code": code.lower(), "nickname": ""})
    assert home.status_code == 303 and home.location == f"/play/{code}"
    assert ada.client.get(f"/join/{code}").location == f"/play/{code}"
    other_name = ada.client.post("/join", data={"code": code, "nickname": "Someone else"})
    assert other_name.location == f"/play/{code}"
    welcome = text_of(ada.client.get(f"/play/{code}").get_data(as_text=True))
    assert "Welcome back, Ada" in welcome
    assert [r["nickname"] for r in db.query("SELECT nickname FROM participant")] == ["Ada"]


def test_a_nickname_taken_on_another_device_points_to_a_rejoin_code(app, facilitator, db):
    code = start(facilitator)
    join(app, db, code, "Ada")
    other = app.test_client().post("/join", data={"code": code, "nickname": "ada"})
    assert other.status_code == 409
    text = text_of(other.get_data(as_text=True))
    assert "If this is you on a new device, ask your teacher for a rejoin code" in text
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 1


def test_a_removed_participants_device_joins_afresh(app, facilitator, db):
    code = start(facilitator)
    ada = join(app, db, code, "Ada")
    pid = next(db.query("SELECT id FROM participant"))["id"]
    facilitator.post(f"/run/{code}/participants/{pid}/remove")
    assert ada.client.get(f"/join/{code}").location.startswith("/?code=")
    assert ada.client.post("/join", data={"code": code, "nickname": ""}).status_code == 422


# The lesson plan ------------------------------------------------------------------------


def test_the_plan_step_offers_every_question_with_an_estimate(facilitator):
    step = facilitator.post(
        "/run/", data={"set_id": "mini-set", "pace": "led", "feedback": "now", "step": "plan"}
    )
    assert step.status_code == 200
    html = step.get_data(as_text=True)
    _, fields = form_fields(html, action="/run/")
    data = as_data(fields)
    assert data["plan_for"] == ["mini-set"]
    assert len([k for k in data if k.endswith("-include")]) == 6
    minutes = lesson.estimate(
        [{"type": t} for t in ("single", "multiple", "true_false", "passage", "order", "cer")]
    )
    assert minutes == math.ceil(sum(MINUTES_PER_TYPE.values())) == 16
    assert f"6 of 6 questions chosen: about {minutes} minutes" in text_of(html)
    # The minutes allowed per type are stated, and what a second vote adds.
    assert "single choice 2 min" in text_of(html).lower()
    assert "A second vote (talk at the table, vote again) adds about 3 min" in text_of(html)


def test_a_lesson_runs_only_the_planned_questions_in_their_order(app, facilitator, db):
    html = facilitator.post(
        "/run/", data={"set_id": "mini-set", "pace": "self", "feedback": "now", "step": "plan"}
    ).get_data(as_text=True)
    data = as_data(form_fields(html, action="/run/")[1])
    qids = [data[f"plan-{n}-qid"][0] for n in range(6)]  # video, sources, nato-signs…
    for n in (1, 3, 5):
        data.pop(f"plan-{n}-include")
    data["plan-4-position"] = ["1"]  # chain first, then video (1) and nato-signs (3)
    data.pop("step", None)
    started = facilitator.post("/run/", data=data)
    assert started.status_code == 303
    code = started.location.split("/")[2]
    assert [q["id"] for q in questions(db, code)] == [qids[0], qids[4], qids[2]]
    assert [q["number"] for q in questions(db, code)] == [1, 2, 3]
    ada = join(app, db, code, "Ada")
    for q in questions(db, code):
        ada.answer_right(code, q)
    summary = text_of(ada.client.get(f"/play/{code}/summary").get_data(as_text=True))
    assert "3 out of 3" in summary
    report = text_of(facilitator.get(f"/run/{code}/report").get_data(as_text=True))
    assert "answered all 3 questions of the main set" in report


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plan_for": "mini-check-a"}, "You chose another set"),
        ({"plan-0-qid": "not-a-question"}, "does not have"),
        ({"plan-0-position": "first"}, "position of 1 or more"),
        ("untick all", "at least one question"),
    ],
)
def test_a_plan_that_cannot_be_run_is_refused_and_starts_nothing(facilitator, db, change, message):
    html = facilitator.post(
        "/run/", data={"set_id": "mini-set", "pace": "self", "feedback": "now", "step": "plan"}
    ).get_data(as_text=True)
    data = as_data(form_fields(html, action="/run/")[1])
    data.pop("step", None)
    if change == "untick all":
        data = {k: v for k, v in data.items() if not k.endswith("-include")}
    else:
        data.update({k: [v] for k, v in change.items()})
    refused = facilitator.post("/run/", data=data)
    assert refused.status_code == 422 and message in text_of(refused.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 0


def test_plan_positions_keep_the_sets_order_for_ties_and_the_default_stores_nothing():
    qs = [{"id": x} for x in "abcd"]
    rows = [
        {"qid": "a", "include": True, "position": "2"},
        {"qid": "b", "include": True, "position": "1"},
        {"qid": "c", "include": False, "position": "3"},
        {"qid": "d", "include": True, "position": ""},
    ]
    assert lesson.parse(rows, qs) == ["b", "a", "d"]
    assert lesson.parse(lesson.default_rows(qs), qs) is None


# Shuffled options -------------------------------------------------------------------------


def test_shuffled_options_stay_put_for_a_student_and_answers_keep_option_ids(app, facilitator, db):
    code = start(facilitator, shuffle="y")
    assert queries.session_by_code(db, code)["shuffle"] == 1
    orders = {}
    for name in ("Ada", "Bob", "Cy", "Dee", "Eve"):
        s = join(app, db, code, name)
        first = s.client.get(f"/play/{code}").get_data(as_text=True)
        again = s.client.get(f"/play/{code}").get_data(as_text=True)
        order = re.findall(r'name="option" value="([^"]+)"', first)
        assert order == re.findall(r'name="option" value="([^"]+)"', again)
        assert sorted(order) == ["a", "b", "c"]
        orders[name] = tuple(order)
        s.answer(code, "video", ["b"])
    assert len(set(orders.values())) > 1
    stored = [r["response"] for r in db.query("SELECT response FROM answer")]
    assert stored == ['{"options": ["b"]}'] * 5
    tf = {"pk": 1, "type": "true_false", "options": [{"id": "true"}, {"id": "false"}]}
    assert [o["id"] for o in shuffled(tf, "anyone")] == ["true", "false"]


def test_without_shuffling_everyone_sees_the_sets_order(app, facilitator, db):
    code = start(facilitator)
    page = join(app, db, code, "Ada").client.get(f"/play/{code}").get_data(as_text=True)
    assert re.findall(r'name="option" value="([^"]+)"', page) == ["a", "b", "c"]
