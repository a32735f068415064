"""Running a session: start, join screen, led flow, reveal, people, report, data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time

import pytest

from quiz import clock
from quiz.facilitation import retention
from quiz.play import sessions
from quiz.storage import queries

from .world import HX, Student, text_of


@pytest.fixture
def facilitator(as_teacher):
    return as_teacher("teacher_a")


def start(client, **form) -> str:
    data = {"set_id": "mini-set", "pace": "self", "feedback": "now", "teams": "", **form}
    response = client.post("/run/", data=data)
    assert response.status_code == 303, text_of(response.get_data(as_text=True))[:400]
    return response.location.split("/")[2]


def join(app, db, code: str, nickname: str, team: str | None = None) -> Student:
    student = Student(app.test_client(), db)
    data = {"code": code, "nickname": nickname}
    if team is not None:
        sess = sessions.load_session(db, code)
        data["team"] = str(next(t["id"] for t in sess.teams if t["name"] == team))
    assert student.client.post("/join", data=data).status_code == 303
    return student


def test_starting_a_session_records_its_settings_and_owner(facilitator, db, people):
    code = start(
        facilitator,
        pace="led",
        feedback="reveal",
        teams="Red\n  Blue  \n",
        checks="y",
        title="Year 10",
    )
    row = queries.session_by_code(db, code)
    assert (row["pace"], row["feedback"], row["title"], row["owner_id"]) == (
        "led",
        "reveal",
        "Year 10",
        people["teacher_a"],
    )
    assert row["check_before"] and row["check_after"]
    assert [t["name"] for t in queries.teams_of(db, row["id"])] == ["Red", "Blue"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"set_id": "no-such-set"}, "Not a valid choice"),
        ({"pace": "fast"}, "Not a valid choice"),
        ({"teams": "Red\nred"}, "different name"),
        ({"teams": "Only one"}, "at least two"),
        ({"teams": "\n".join(f"T{i}" for i in range(13))}, "at most 12"),
    ],
)
def test_a_bad_start_form_is_refused_and_starts_nothing(facilitator, db, form, message):
    data = {"set_id": "mini-set", "pace": "self", "feedback": "now", "teams": "", **form}
    response = facilitator.post("/run/", data=data)
    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 0


def test_a_teacher_cannot_start_another_teachers_set(as_teacher, db):
    ben = as_teacher("teacher_b")
    slug = ben.post("/teach/sets/mini-set/duplicate").location.split("/")[-1]
    assert ben.post(f"/teach/sets/{slug}/publish").status_code == 303
    ana = as_teacher("teacher_a")
    response = ana.post("/run/", data={"set_id": slug, "pace": "self", "feedback": "now"})
    assert response.status_code == 422
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 0


def test_join_screen_shows_code_qr_url_and_counts_per_team(app, facilitator, db):
    code = start(facilitator, teams="Red\nBlue")
    join(app, db, code, "Ada", "Red")
    join(app, db, code, "Bob", "Red")
    join(app, db, code, "Cy", "Blue")
    html = facilitator.get(f"/run/{code}/screen").get_data(as_text=True)
    assert f'<p class="join-code" aria-label="Session code {" ".join(code)}">{code}</p>' in html
    assert f"http://localhost/join/{code}" in html
    count = text_of(facilitator.get(f"/run/{code}/screen/count").get_data(as_text=True))
    assert "3 joined" in count and "Red 2" in count and "Blue 1" in count
    qr = facilitator.get(f"/run/{code}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


def test_joining_a_session_with_teams_asks_for_the_team(app, facilitator, db):
    code = start(facilitator, teams="Red\nBlue")
    client = app.test_client()
    step = client.post("/join", data={"code": code, "nickname": "Ada"})
    assert step.status_code == 200
    assert 'name="team"' in step.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 0
    bad = client.post("/join", data={"code": code, "nickname": "Ada", "team": "999999"})
    assert bad.status_code == 422 and "Choose your table or team" in bad.get_data(as_text=True)
    join(app, db, code, "Ada", "Blue")
    row = next(db.query("SELECT t.name FROM participant p JOIN team t ON t.id = p.team_id"))
    assert row["name"] == "Blue"


def test_led_session_students_wait_then_follow_the_facilitator(app, facilitator, db):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    page = text_of(ada.client.get(f"/play/{code}").get_data(as_text=True))
    assert "Waiting for your facilitator" in page
    q1, q2 = sessions.load_session(db, code).questions[:2]
    early = ada.answer_right(code, q1)
    assert early.status_code == 409 and "Wait for your facilitator" in early.get_data(as_text=True)

    version = queries.session_by_code(db, code)["state_version"]
    poll = f"/play/{code}/poll?v={version}&at=wait"
    assert ada.client.get(poll, headers=HX).status_code == 204
    assert facilitator.post(f"/run/{code}/goto", data={"number": "1"}).status_code == 303
    moved = ada.client.get(poll, headers=HX)
    assert moved.status_code == 200
    assert moved.headers["HX-Retarget"] == "#main"
    assert "Question 1 of 6" in moved.get_data(as_text=True)
    assert ada.answer_right(code, q1).status_code == 303
    assert ada.answer_right(code, q2).status_code == 409  # not opened yet


def test_a_poll_with_nothing_new_is_a_cheap_204(app, facilitator, db):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    version = queries.session_by_code(db, code)["state_version"]
    response = ada.client.get(f"/play/{code}/poll?v={version}&at=wait", headers=HX)
    assert response.status_code == 204 and response.data == b""


def test_a_changed_state_on_the_same_screen_only_moves_the_poller(app, facilitator, db):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    q1 = sessions.load_session(db, code).questions[0]
    old = queries.session_by_code(db, code)["state_version"]
    q3 = sessions.load_session(db, code).questions[2]
    # Locking a later question bumps the state, but Ada's screen stays the same.
    facilitator.post(f"/run/{code}/questions/{q3['pk']}/lock")
    response = ada.client.get(f"/play/{code}/poll?v={old}&at=question:{q1['pk']}", headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.strip().startswith('<div id="poll"') and "HX-Retarget" not in response.headers


def test_locking_a_question_refuses_late_answers_and_moves_the_student_on(app, facilitator, db):
    code = start(facilitator, pace="led")
    ada = join(app, db, code, "Ada")
    facilitator.post(f"/run/{code}/goto", data={"number": "2"})
    q1, q2 = sessions.load_session(db, code).questions[:2]
    facilitator.post(f"/run/{code}/questions/{q1['pk']}/lock")
    late = ada.answer_right(code, q1)
    assert late.status_code == 409 and "Answers are closed for this question" in late.get_data(
        as_text=True
    )
    page = text_of(ada.client.get(f"/play/{code}").get_data(as_text=True))
    assert "Who is quoted through a news agency?" in page  # question 2, not the locked one
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 0


def test_reveal_mode_holds_feedback_until_the_facilitator_reveals(app, facilitator, db):
    code = start(facilitator, feedback="reveal")
    ada = join(app, db, code, "Ada")
    q1 = sessions.load_session(db, code).questions[0]
    response = ada.answer(code, "video", ["a"])
    pending = ada.client.get(response.location).get_data(as_text=True)
    assert "Answer received" in pending and "Footage can be real" not in pending
    version = queries.session_by_code(db, code)["state_version"]
    poll = f"/play/{code}/poll?v={version}&at=pending:{q1['pk']}&last={q1['pk']}"
    assert ada.client.get(poll, headers=HX).status_code == 204
    room = facilitator.post(f"/run/{code}/questions/{q1['pk']}/reveal", data={"then": "room"})
    assert room.location == f"/run/{code}/room/{q1['pk']}"
    room_text = text_of(facilitator.get(room.location).get_data(as_text=True))
    assert "The video was filmed in Crimea" in room_text and "1 (100%)" in room_text
    shown = ada.client.get(poll, headers=HX)
    assert shown.status_code == 200 and "Footage can be real" in shown.get_data(as_text=True)
    # Revealing also closes the question to answers.
    assert sessions.load_session(db, code).locked(q1)


def test_live_view_shows_progress_distribution_and_the_misconception(app, facilitator, db):
    code = start(facilitator, teams="Red\nBlue")
    for name, team, option in (("Ada", "Red", "a"), ("Bob", "Red", "a"), ("Cy", "Blue", "b")):
        join(app, db, code, name, team).answer(code, "video", [option])
    html = facilitator.get(f"/run/{code}").get_data(as_text=True)
    text = text_of(html)
    assert "3 joined" in text and "3 answers" in text
    # Before a reveal the facilitator's own view hides the key and the misconception...
    assert "Most chosen wrong answer" not in text and "Correct" not in text
    assert "Footage can be real and still show another place." not in text
    assert "Hide nicknames" not in text
    # ...until they ask to see it.
    html = facilitator.get(f"/run/{code}?key=1").get_data(as_text=True)
    text = text_of(html)
    assert "Most chosen wrong answer: Yes, footage is hard to fake. (2)" in text
    assert "Footage can be real and still show another place." in text
    assert "Seeing is believing" in text
    assert re.search(r"<th scope=\"row\">Red</th><td>2</td>\s*<td>0%</td>", html)
    assert "key=1" in re.search(r'<div id="live" hx-get="([^"]+)"', html).group(1)


def test_the_live_panel_answers_204_until_something_happens(app, facilitator, db):
    code = start(facilitator)
    sess_id = queries.session_by_code(db, code)["id"]
    counts = queries.activity(db, sess_id)
    query = "&".join(f"{k}={counts[k]}" for k in ("state", "joined", "answers"))
    url = f"/run/{code}/live?{query}"
    assert facilitator.get(url, headers=HX).status_code == 204
    join(app, db, code, "Ada").answer(code, "video", ["b"])
    fresh = facilitator.get(url, headers=HX)
    assert fresh.status_code == 200 and fresh.get_data(as_text=True).lstrip().startswith(
        '<div id="live"'
    )


def test_removing_a_participant_deletes_their_answers_and_ends_their_access(app, facilitator, db):
    code = start(facilitator)
    joker = join(app, db, code, "Rude name")
    joker.answer(code, "video", ["b"])
    pid = next(db.query("SELECT id FROM participant"))["id"]
    assert facilitator.post(f"/run/{code}/participants/{pid}/remove").status_code == 303
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 0
    assert joker.client.get(f"/play/{code}").status_code == 403


def test_a_student_rejoins_on_a_new_device_with_an_approved_code(app, facilitator, db):
    code = start(facilitator)
    ada = join(app, db, code, "Ada")
    ada.answer(code, "video", ["b"])
    pid = next(db.query("SELECT id FROM participant"))["id"]
    response = facilitator.post(f"/run/{code}/participants/{pid}/rejoin", follow_redirects=True)
    rejoin_code = re.search(r"Rejoin code: ([A-Z2-9]{6})", response.get_data(as_text=True)).group(1)
    new_device = app.test_client()
    wrong = new_device.post("/join", data={"code": code, "nickname": "Ada", "rejoin": "ZZZZZZ"})
    assert wrong.status_code == 403 and "does not match" in wrong.get_data(as_text=True)
    ok = new_device.post(
        "/join", data={"code": code, "nickname": "ada", "rejoin": rejoin_code.lower()}
    )
    assert ok.status_code == 303
    assert "Question 2 of 6" in new_device.get(f"/play/{code}").get_data(as_text=True)
    # Single use.
    again = app.test_client().post(
        "/join", data={"code": code, "nickname": "Ada", "rejoin": rejoin_code}
    )
    assert again.status_code == 403


def test_rejoin_codes_expire(app, facilitator, db, monkeypatch):
    code = start(facilitator)
    join(app, db, code, "Ada")
    pid = next(db.query("SELECT id FROM participant"))["id"]
    html = facilitator.post(
        f"/run/{code}/participants/{pid}/rejoin", follow_redirects=True
    ).get_data(as_text=True)
    rejoin_code = re.search(r"Rejoin code: ([A-Z2-9]{6})", html).group(1)
    later = clock.utcnow() + dt.timedelta(minutes=31)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    response = app.test_client().post(
        "/join", data={"code": code, "nickname": "Ada", "rejoin": rejoin_code}
    )
    assert response.status_code == 403


def test_moving_a_participant_to_another_team(app, facilitator, db):
    code = start(facilitator, teams="Red\nBlue")
    join(app, db, code, "Ada", "Red")
    pid = next(db.query("SELECT id FROM participant"))["id"]
    blue = next(t for t in sessions.load_session(db, code).teams if t["name"] == "Blue")
    facilitator.post(f"/run/{code}/participants/{pid}/team", data={"team": str(blue["id"])})
    assert next(db.query("SELECT team_id FROM participant"))["team_id"] == blue["id"]
    bad = facilitator.post(f"/run/{code}/participants/{pid}/team", data={"team": "0"})
    assert bad.status_code == 422


def test_closing_refuses_answers_and_reopening_takes_them_again(app, facilitator, db):
    code = start(facilitator)
    ada = join(app, db, code, "Ada")
    facilitator.post(f"/run/{code}/close")
    assert ada.answer(code, "video", ["b"]).status_code == 409
    facilitator.post(f"/run/{code}/reopen")
    assert ada.answer(code, "video", ["b"]).status_code == 303


def test_report_and_csv_exports(app, facilitator, db):
    code = start(facilitator, teams="Red\nBlue")
    ada = join(app, db, code, "=HYPERLINK(1)", "Red")
    bob = join(app, db, code, "Bob", "Blue")
    ada.answer(code, "video", ["a"], confidence="3", reason="Looks real")
    bob.answer(code, "video", ["b"], confidence="1")
    report = facilitator.get(f"/run/{code}/report")
    assert report.status_code == 200
    text = text_of(report.get_data(as_text=True))
    assert "Misconceptions" in text and "Seeing is believing" in text
    assert "Looks real" in text

    answers = facilitator.get(f"/run/{code}/answers.csv")
    assert answers.mimetype == "text/csv"
    assert 'filename="lateral-' in answers.headers["Content-Disposition"]
    body = answers.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 3
    assert rows[1][1] == "'=HYPERLINK(1)"
    people = list(
        csv.reader(
            io.StringIO(
                facilitator.get(f"/run/{code}/participants.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert len(people) == 3 and people[2][1] == "Bob"


def test_answers_in_decodes_each_distinct_response_once(app, facilitator, db):
    code = start(facilitator)
    for nickname in ("Ada", "Bob"):
        join(app, db, code, nickname).answer(code, "video", ["b"])
    join(app, db, code, "Cy").answer(code, "video", ["a"])
    session_id = queries.session_by_code(db, code)["id"]
    ada, bob, cy = queries.answers_in(db, session_id)
    assert ada["response"] == bob["response"] == {"options": ["b"]}
    # Equal stored JSON, one decoded object: callers treat it as read-only.
    assert ada["response"] is bob["response"]
    assert cy["response"] == {"options": ["a"]}


def test_deleting_participant_data_needs_the_code_typed(app, facilitator, db):
    code = start(facilitator)
    join(app, db, code, "Ada").answer(code, "video", ["b"])
    page = facilitator.get(f"/run/{code}/delete")
    assert page.status_code == 200 and "for good" in page.get_data(as_text=True)
    refused = facilitator.post(f"/run/{code}/delete", data={"confirm": "nope"})
    assert refused.status_code == 422
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 1
    done = facilitator.post(f"/run/{code}/delete", data={"confirm": code.lower()})
    assert done.status_code == 303
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 0


def test_retention_purges_participant_data_30_days_after_closing(app, facilitator, db, monkeypatch):
    start_time = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: start_time)
    closed = start(facilitator)
    still_open = start(facilitator)
    for code in (closed, still_open):
        join(app, db, code, "Ada").answer(code, "video", ["b"])
    facilitator.post(f"/run/{closed}/close")

    monkeypatch.setattr(clock, "utcnow", lambda: start_time + dt.timedelta(days=29))
    assert retention.purge(db, 30) == 0
    monkeypatch.setattr(clock, "utcnow", lambda: start_time + dt.timedelta(days=31))
    assert retention.purge(db, 30) == 1
    left = list(db.query("SELECT s.code FROM participant p JOIN session s ON s.id = p.session_id"))
    assert [r["code"] for r in left] == [still_open]
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 1


def test_retention_runs_by_itself_on_requests(app, facilitator, db, monkeypatch):
    code = start(facilitator)
    join(app, db, code, "Ada")
    facilitator.post(f"/run/{code}/close")
    later = clock.utcnow() + dt.timedelta(days=31)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    fresh = app.__class__  # a new app process: its hourly timer starts at zero
    from quiz import create_app

    other = create_app({**app.config, "TESTING": True})
    assert isinstance(other, fresh)
    other.test_client().get("/")
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 0


def test_retention_runs_on_the_first_request_of_a_freshly_booted_machine(
    app, facilitator, db, monkeypatch
):
    code = start(facilitator)
    join(app, db, code, "Ada")
    facilitator.post(f"/run/{code}/close")
    later = clock.utcnow() + dt.timedelta(days=31)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    # Ten minutes after boot, as on a CI machine started for the run.
    monkeypatch.setattr(time, "monotonic", lambda: 600.0)
    from quiz import create_app

    create_app({**app.config, "TESTING": True}).test_client().get("/")
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 0


def test_cli_purge_reports_what_it_did(runner):
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "retention 30 days" in result.output


def test_sessions_list_shows_only_my_sessions(as_teacher, db):
    ana, ben = as_teacher("teacher_a"), as_teacher("teacher_b")
    mine = start(ana, title="Ana's class")
    start(ben, title="Ben's class")
    html = ana.get("/run/").get_data(as_text=True)
    assert "Ana&#39;s class" in html and mine in html and "Ben&#39;s class" not in html
