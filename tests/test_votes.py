"""Peer instruction: vote, talk at the table, vote again; each vote stored once, the first
counting for the score everywhere, the shift in the room, the report, the CSV and the summary."""

from __future__ import annotations

import csv
import io
import sqlite3
import threading

import pytest

from quiz.facilitation import control
from quiz.play import sessions
from quiz.results import votes
from quiz.storage import migrations, queries
from quiz.storage.connection import connect

from .conftest import HX, text_of
from .test_facilitator import join, start


@pytest.fixture
def facilitator(as_teacher):
    return as_teacher("teacher_a")


def led(facilitator, **form) -> str:
    """Start a led session that holds the feedback until the reveal, at question 1."""
    code = start(facilitator, pace="led", feedback="reveal", **form)
    assert facilitator.post(f"/run/{code}/goto", data={"number": "1"}).status_code == 303
    return code


def vote_again(facilitator, code: str, pk: int):
    return facilitator.post(f"/run/{code}/questions/{pk}/vote")


def video(db, code: str) -> dict:
    return sessions.load_session(db, code).questions[0]


def stored_votes(db) -> list[tuple]:
    return [
        (r["nickname"], r["vote"], r["response"], r["score"])
        for r in db.query(
            "SELECT p.nickname, a.vote, a.response, a.score FROM answer a "
            "JOIN participant p ON p.id = a.participant_id ORDER BY p.nickname, a.vote"
        )
    ]


# The answer table --------------------------------------------------------------------


def _old_database(path) -> sqlite3.Connection:
    """A database as it was before votes: two participants with answers."""
    db = connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    migrations.migrations.apply(db, stop_before="0020_answer_votes")
    db.execute("PRAGMA foreign_keys = ON")
    statements = [
        "INSERT INTO question_set (id, slug, kind, created_at) VALUES (1, 'abc', 'main', 't')",
        "INSERT INTO set_version (id, set_id, number, content_hash, title, body, created_at) "
        "VALUES (1, 1, 1, 'h', 'T', '{}', 't')",
        "INSERT INTO question (id, version_id, position, qid, type, body) "
        "VALUES (1, 1, 1, 'q1', 'single', '{}'), (2, 1, 2, 'q2', 'single', '{}')",
        "INSERT INTO session (id, code, version_id, mode, feedback, created_at) "
        "VALUES (1, 'ABCDEF', 1, 'class', 'now', 't')",
        "INSERT INTO participant (id, session_id, nickname, created_at) "
        "VALUES ('p1', 1, 'Ada', 't'), ('p2', 1, 'Bo', 't')",
        "INSERT INTO answer (participant_id, question_id, response, confidence, reason, score, "
        "parts, created_at) VALUES "
        "('p1', 1, '{\"options\": [\"a\"]}', 3, 'Because', 1, '{}', 't1'), "
        "('p1', 2, '{\"options\": [\"b\"]}', NULL, NULL, 0, '{}', 't2'), "
        "('p2', 1, '{\"options\": [\"c\"]}', 1, NULL, 0.5, '{}', 't3')",
    ]
    for sql in statements:
        db.execute(sql)
    return db


def test_the_vote_migration_keeps_every_answer_of_a_copy_with_answers(tmp_path):
    original = _old_database(tmp_path / "live.db")
    before = [dict(r) for r in original.query("SELECT * FROM answer ORDER BY id")]
    copy_path = tmp_path / "copy.db"
    with sqlite3.connect(copy_path) as target:
        original.conn.backup(target)
    copy = connect(copy_path)
    applied = migrations.apply(copy)
    assert applied[:2] == ["0020_answer_votes", "0021_lesson_plan_timer_room"]
    after = [dict(r) for r in copy.query("SELECT * FROM answer ORDER BY id")]
    assert [{k: v for k, v in r.items() if k != "vote"} for r in after] == before
    assert {r["vote"] for r in after} == {1}
    assert list(copy.query("PRAGMA foreign_key_check")) == []
    assert next(copy.query("PRAGMA foreign_keys"))["foreign_keys"] == 1
    # The uniqueness is now per participant, question and vote, in the database.
    insert = (
        "INSERT INTO answer (participant_id, question_id, response, score, parts, created_at, "
        "vote) VALUES ('p1', 1, '{}', 1, '{}', 't', ?)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        copy.execute(insert, [1])
    copy.execute(insert, [2])
    with pytest.raises(sqlite3.IntegrityError):
        copy.execute(insert, [3])  # only votes 1 and 2
    # Answers still go with their participant.
    copy.execute("DELETE FROM participant WHERE id = 'p1'")
    assert [r["participant_id"] for r in copy.query("SELECT participant_id FROM answer")] == ["p2"]
    # The live file was not touched.
    assert [dict(r) for r in original.query("SELECT * FROM answer ORDER BY id")] == before


def test_the_vote_migration_keeps_columns_and_indexes_added_to_answers_before_it(tmp_path):
    # Another branch's migration may add to the answer table before this one runs on a
    # live file: the rebuild starts from the table as it is, not as 0001 made it.
    db = _old_database(tmp_path / "live.db")
    db.execute("ALTER TABLE answer ADD COLUMN marks TEXT")
    db.execute("UPDATE answer SET marks = 'rubric ' || id")
    db.execute("CREATE INDEX answer_marks ON answer (marks)")
    before = [dict(r) for r in db.query("SELECT * FROM answer ORDER BY id")]
    migrations.apply(db)
    after = [dict(r) for r in db.query("SELECT * FROM answer ORDER BY id")]
    assert [{k: v for k, v in r.items() if k != "vote"} for r in after] == before
    indexes = {r["name"] for r in db.query("PRAGMA index_list(answer)")}
    assert {"answer_marks", "answer_question"} <= indexes


# Two votes, each stored once ------------------------------------------------------------


def test_a_second_vote_is_a_second_answer_and_each_vote_is_stored_once(app, facilitator, db):
    code = led(facilitator)
    ada = join(app, db, code, "Ada")
    q = video(db, code)
    for _ in range(2):  # a double submit
        assert ada.answer(code, "video", ["a"], vote="1").status_code == 303
    assert vote_again(facilitator, code, q["pk"]).status_code == 303
    page = text_of(ada.client.get(f"/play/{code}").get_data(as_text=True))
    assert "Second vote" in page and "Your first vote: Yes, footage is hard to fake." in page
    for option in ("b", "c"):  # the second submit of the second vote changes nothing
        assert ada.answer(code, "video", [option], vote="2").status_code == 303
    assert stored_votes(db) == [
        ("Ada", 1, '{"options": ["a"]}', 0.0),
        ("Ada", 2, '{"options": ["b"]}', 1.0),
    ]
    # Everything that scores reads the first vote.
    sid = queries.session_by_code(db, code)["id"]
    assert [a["vote"] for a in queries.answers_in(db, sid)] == [1]


def test_a_vote_the_question_does_not_take_now_is_refused_and_stores_nothing(app, facilitator, db):
    code = led(facilitator)
    ada, bob = join(app, db, code, "Ada"), join(app, db, code, "Bob")
    q = video(db, code)
    early = ada.answer(code, "video", ["b"], vote="2")
    assert early.status_code == 409 and "Wait for your facilitator" in text_of(
        early.get_data(as_text=True)
    )
    bad = ada.answer(code, "video", ["b"], vote="3")
    assert bad.status_code == 422
    ada.answer(code, "video", ["a"], vote="1")
    vote_again(facilitator, code, q["pk"])
    # Bob's screen still showed the first vote: his late first vote is refused, and
    # he is shown the question again for the second.
    late = bob.answer(code, "video", ["b"], vote="1")
    assert late.status_code == 409
    page = text_of(late.get_data(as_text=True))
    assert "The second vote has started" in page and "Second vote" in page
    assert stored_votes(db) == [("Ada", 1, '{"options": ["a"]}', 0.0)]
    # Having missed the first vote, his second is the answer that counts.
    bob.answer(code, "video", ["b"], vote="2")
    sid = queries.session_by_code(db, code)["id"]
    counted = {a["participant_id"]: a["vote"] for a in queries.answers_in(db, sid)}
    assert sorted(counted.values()) == [1, 2]


def test_a_questions_own_address_follows_the_room_and_takes_the_second_vote(app, facilitator, db):
    code = led(facilitator)
    ada = join(app, db, code, "Ada")
    first, second = sessions.load_session(db, code).questions[:2]
    own = f"/play/{code}/question/{first['pk']}"

    def shown(url: str) -> str:
        return ada.client.get(url).get_data(as_text=True)

    # A question the room has not reached leads to the room's question.
    ahead = ada.client.get(f"/play/{code}/question/{second['pk']}")
    assert ahead.status_code == 303 and ahead.location == f"/play/{code}"
    assert "Question 1 of" in text_of(shown(own))
    ada.answer(code, "video", ["a"], vote="1")
    assert "You have already answered this question." in text_of(shown(own))
    # A second vote: the question's address takes it, then says it is answered.
    vote_again(facilitator, code, first["pk"])
    page = shown(own)
    assert 'name="vote" value="2"' in page and "Your first vote:" in text_of(page)
    ada.answer(code, "video", ["b"], vote="2")
    assert "You have already answered this question." in text_of(shown(own))
    # The room moves on: a latecomer sent to an earlier question lands on the room's.
    assert facilitator.post(f"/run/{code}/goto", data={"number": "2"}).status_code == 303
    late = join(app, db, code, "Late")
    behind = late.client.get(own)
    assert behind.status_code == 303 and behind.location == f"/play/{code}"
    assert "Question 2 of" in text_of(late.client.get(behind.location).get_data(as_text=True))
    assert "Question 2 of" in text_of(shown(f"/play/{code}/question/{second['pk']}"))


def test_a_vote_sent_many_times_at_once_is_stored_once(app, facilitator, db, db_path):
    code = led(facilitator)
    join(app, db, code, "Ada")
    sess = sessions.load_session(db, code)
    q = sess.questions[0]
    control.vote_again(db, sess, q["pk"])
    pid = next(db.query("SELECT id FROM participant"))["id"]
    answer = {"response": {"options": ["b"]}, "confidence": None, "reason": None}
    answer.update(score=1.0, parts={"choice": 1.0})
    results, start_line = [], threading.Barrier(8)

    def send() -> None:
        own = connect(db_path)
        try:
            start_line.wait()
            results.append(queries.insert_answer(own, pid, q, sess.row["id"], answer, 2))
        finally:
            own.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1
    assert db.execute("SELECT count(*) FROM answer WHERE vote = 2").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("feedback", "message"), [("now", "feedback held back"), ("reveal", "revealed")]
)
def test_a_second_vote_needs_held_feedback_and_an_unrevealed_question(
    app, facilitator, db, feedback, message
):
    code = start(facilitator, pace="led", feedback=feedback)
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    q = video(db, code)
    if feedback == "reveal":
        facilitator.post(f"/run/{code}/questions/{q['pk']}/reveal")
    refused = vote_again(facilitator, code, q["pk"])
    assert refused.status_code == 409 and message in text_of(refused.get_data(as_text=True))
    assert sessions.load_session(db, code).vote(q) == 1


# What the room, the report, the CSV and the summary show ---------------------------------


def _run_two_votes(app, facilitator, db) -> tuple[str, dict]:
    """Three students at two tables: Ada right then right, Bob wrong then right, Cy right
    then wrong; Dee only votes the second time."""
    code = led(facilitator, teams="Red\nBlue")
    people = {
        "Ada": join(app, db, code, "Ada", "Red"),
        "Bob": join(app, db, code, "Bob", "Red"),
        "Cy": join(app, db, code, "Cy", "Blue"),
        "Dee": join(app, db, code, "Dee", "Blue"),
    }
    q = video(db, code)
    for name, option in (("Ada", "b"), ("Bob", "a"), ("Cy", "b")):
        people[name].answer(code, "video", [option], vote="1")
    vote_again(facilitator, code, q["pk"])
    for name, option in (("Ada", "b"), ("Bob", "b"), ("Cy", "c"), ("Dee", "b")):
        people[name].answer(code, "video", [option], vote="2")
    facilitator.post(f"/run/{code}/questions/{q['pk']}/reveal")
    return code, people


def test_the_shift_between_votes_per_question_and_per_table(app, facilitator, db):
    code, _ = _run_two_votes(app, facilitator, db)
    sess = sessions.load_session(db, code)
    found = votes.shift(
        sess.questions,
        queries.participants_of(db, sess.row["id"]),
        sess.teams,
        queries.votes_in(db, sess.row["id"]),
        {},
    )
    assert [s["number"] for s in found] == [1]
    everyone = found[0]["all"]
    assert (everyone["twice"], everyone["to_right"], everyone["to_wrong"]) == (3, 1, 1)
    assert (everyone["right_first"], everyone["right_second"]) == (0.667, 0.75)
    by_team = {t["name"]: (t["twice"], t["to_right"], t["to_wrong"]) for t in found[0]["teams"]}
    assert by_team == {"Red": (2, 1, 0), "Blue": (1, 0, 1)}


def test_the_room_report_csv_and_summary_show_both_votes_and_count_the_first(app, facilitator, db):
    code, people = _run_two_votes(app, facilitator, db)
    room = text_of(facilitator.get(f"/run/{code}/room").get_data(as_text=True))
    assert "67% right at the first vote, 75% after talking." in room
    assert "First vote After talking" in room  # the table's columns, a row per option
    assert "Of 3 who voted twice: 1 moved from wrong to right, 1 from right to wrong." in room

    report = text_of(facilitator.get(f"/run/{code}/report").get_data(as_text=True))
    assert "Peer instruction: first and second votes" in report
    assert "Everyone 3 67% 75% 1 (33%) 1 (33%)" in report
    assert "Red 2 50% 100% 1 (50%) 0 (0%)" in report
    # The report's scores count the first vote: 2 of 4 answers right.
    assert "questions of the main set (4 answers)." in report

    body = facilitator.get(f"/run/{code}/answers.csv").get_data(as_text=True)
    rows = {r["Nickname"]: r for r in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
    assert (rows["Bob"]["Chosen option ids"], rows["Bob"]["Score"]) == ("a", "0")
    assert [rows["Bob"][k] for k in ("Vote", "Second vote: chosen option ids")] == ["1", "b"]
    assert (rows["Bob"]["Second vote: right"], rows["Bob"]["Second vote: score"]) == ("yes", "1")
    assert [rows["Dee"][k] for k in ("Vote", "Chosen option ids", "Second vote: score")] == [
        "2",
        "b",
        "",
    ]

    facilitator.post(f"/run/{code}/close")
    summary = text_of(people["Bob"].client.get(f"/play/{code}/summary").get_data(as_text=True))
    assert "Your second votes" in summary
    assert (
        # The options are set content, each in an element with its own lang.
        "You changed your answer and got it right: from “ Yes, footage is hard to fake. ” "
        "to “ No, it was filmed in Crimea. ”." in summary
    )
    assert "0 out of 6" in summary  # the score counts his first vote
    feedback = people["Cy"].client.get(f"/play/{code}/feedback/{video(db, code)['pk']}", headers=HX)
    text = text_of(feedback.get_data(as_text=True))
    assert "First vote: No, it was filmed in Crimea. · Right (counts for your score)" in text
    assert "Second vote, after talking: No, the video is fake. · Not quite" in text
