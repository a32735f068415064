"""Written answers marked on a rubric (issue 16): the student writes, the answer waits
for its mark and counts in no score until then; the facilitator marks, re-marks and
undoes; classmates mark one answer each; marks reach the report and the CSV files."""

from __future__ import annotations

import csv
import io
import json

import pytest

from quiz.facilitation import marking
from quiz.play import peer
from quiz.play.sessions import PlayError
from quiz.play.summary import summarise
from quiz.storage import queries

from .world import ROOT, load_set, text_of

SET = "russia-troops-feb-2022"
WRITTEN = "lateral-kuleba-reuters"
TEXT = "Reuters says Interfax Ukraine reported his words: passage 10 reversed the chain."


@pytest.fixture
def shipped(app, db_path):
    """The shipped sets loaded; the editor knows their misconceptions (questions/)."""
    app.config["QUESTIONS_DIR"] = str(ROOT / "questions")
    for name in ("russia-troops-check-a", "russia-troops-check-b", SET):
        load_set(db_path, ROOT / "questions" / f"{name}.toml")


def write(student, code: str, text: str = TEXT, qid: str = WRITTEN):
    q = student.question(code, qid)
    return student.client.post(
        f"/play/{code}/answer", data={"question": str(q["pk"]), "text": text}
    )


def stored(db, code: str, nickname: str = "Ada", qid: str = WRITTEN) -> dict:
    row = db.execute(
        """SELECT a.id, a.score, a.parts, a.response FROM answer a
           JOIN participant p ON p.id = a.participant_id JOIN session s ON s.id = p.session_id
           JOIN question q ON q.id = a.question_id
           WHERE s.code = ? AND p.nickname = ? AND q.qid = ?""",
        [code, nickname, qid],
    ).fetchone()
    return {"id": row[0], "score": row[1], "parts": json.loads(row[2]), "response": row[3]}


def marking_url(world, code: str, qid: str = WRITTEN) -> str:
    pk = next(q["pk"] for q in world.loaded(code).questions if q["id"] == qid)
    return f"/run/{code}/marking/{pk}"


# The student writes --------------------------------------------------------------------


def test_a_written_answer_is_stored_and_the_student_is_told_it_waits_for_a_mark(shipped, world, db):
    code = world.session(SET, owner="teacher_a", feedback="now")
    ada = world.join(code)
    note = ada.question(code, WRITTEN)["teacher_note"]
    response = write(ada, code)
    assert response.status_code == 303
    page = text_of(ada.client.get(response.headers["Location"]).get_data(as_text=True))
    # The teacher note (where to look, what was found) is for teachers only.
    assert "Where to look" in note and "Where to look" not in page
    assert "Your teacher will mark this. It counts in no score until it is marked." in page
    assert TEXT in page
    answer = stored(db, code)
    assert answer["parts"] == {"open": True}
    assert json.loads(answer["response"])["text"] == TEXT


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Write your answer"), ("x" * 3001, "3,000")],
)
def test_an_empty_or_overlong_written_answer_is_refused_and_nothing_is_stored(
    shipped, world, db, text, message
):
    code = world.session(SET, owner="teacher_a", feedback="now")
    ada = world.join(code)
    response = write(ada, code, text)
    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 0


def test_an_unmarked_answer_counts_in_no_score_then_its_level_does(shipped, world, db):
    code = world.session(SET, owner="teacher_a", feedback="now")
    ada = world.join(code)
    ada.answer_right(code, ada.question(code, "lede-source"))
    write(ada, code)
    sess = world.loaded(code)
    mains = sum(q["part"] == "main" for q in sess.questions)
    pid = world.participant_id(code)

    def summary() -> dict:
        return summarise(sess, queries.participant_answers(db, pid, sess.row["id"]))

    waiting = summary()
    assert [r["question"]["id"] for r in waiting["waiting"]] == [WRITTEN]
    assert (waiting["answered"], waiting["score"], waiting["total"]) == (1, 1, mains - 1)
    written = next(q for q in sess.questions if q["id"] == WRITTEN)
    marking.mark(db, sess, written, stored(db, code)["id"], "emerging", world.account("teacher_a"))
    marked = summary()
    assert marked["waiting"] == []
    assert (marked["answered"], marked["score"], marked["total"]) == (2, 1.5, mains)


# The facilitator marks -----------------------------------------------------------------


def test_the_marking_screen_hides_nicknames_until_asked_and_shows_the_rubric(shipped, world):
    code = world.session(SET, owner="teacher_a")
    write(world.join(code, "Zaphod"), code)
    ana = world.signed_in("teacher_a")
    page = text_of(ana.get(marking_url(world, code)).get_data(as_text=True))
    assert "Answer 1 of 1." in page and "One is waiting for a mark." in page
    assert TEXT in page and "Zaphod" not in page
    assert "Show nicknames" in page
    for label in ("1 Beginning", "2 Emerging", "3 Mastery"):
        assert label in page
    assert "Outside the article:" in page  # the teacher note, for the facilitator only
    shown = text_of(ana.get(marking_url(world, code) + "?names=1").get_data(as_text=True))
    assert "Zaphod" in shown and "Hide nicknames" in shown


def test_the_marking_screen_isolates_the_nickname_it_shows(shipped, world):
    code = world.session(SET, owner="teacher_a")
    write(world.join(code, "שרה"), code)  # a right-to-left nickname (issue 13)
    ana = world.signed_in("teacher_a")
    html = ana.get(marking_url(world, code) + "?names=1").get_data(as_text=True)
    assert html.count("שרה") == html.count("<bdi>שרה</bdi>") == 1


def test_marking_remarking_and_undo_are_stored_and_follow_the_answer(shipped, world, db):
    code = world.session(SET, owner="teacher_a")
    write(world.join(code, "Ada"), code)
    write(world.join(code, "Ben"), code)
    ana = world.signed_in("teacher_a")
    url = marking_url(world, code)
    first, second = stored(db, code, "Ada")["id"], stored(db, code, "Ben")["id"]

    response = ana.post(url, data={"answer": first, "level": "mastery", "at": 1})
    assert response.status_code == 303 and "at=2" in response.headers["Location"]
    assert stored(db, code, "Ada")["score"] == 1.0
    ana.post(url, data={"answer": first, "level": "beginning", "at": 1, "then": "stay"})
    row = db.execute(
        "SELECT level, marker, previous_level FROM answer_mark WHERE answer_id = ?", [first]
    ).fetchone()
    assert tuple(row) == ("beginning", "teacher", "mastery")
    assert stored(db, code, "Ada")["score"] == 0.0
    assert stored(db, code, "Ada")["parts"]["level"] == "beginning"

    ana.post(url + "/undo", data={"answer": first, "at": 1})
    assert stored(db, code, "Ada")["parts"]["level"] == "mastery"
    ana.post(url + "/undo", data={"answer": first, "at": 1})
    assert stored(db, code, "Ada")["parts"] == {"open": True}

    refused = ana.post(url, data={"answer": second, "level": "perfect", "at": 2})
    assert refused.status_code == 422
    assert "Choose Beginning, Emerging or Mastery" in text_of(refused.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM answer_mark").fetchone()[0] == 0


def test_another_teacher_cannot_see_or_mark_the_answers(shipped, world, db):
    code = world.session(SET, owner="teacher_a")
    write(world.join(code), code)
    ben = world.signed_in("teacher_b")
    url = marking_url(world, code)
    assert ben.get(url).status_code in (403, 404)
    answer = stored(db, code)["id"]
    assert ben.post(url, data={"answer": answer, "level": "mastery"}).status_code in (403, 404)
    assert db.execute("SELECT count(*) FROM answer_mark").fetchone()[0] == 0


def test_a_mark_survives_a_new_version_of_the_set(shipped, world, db):
    slug = world.own_set("teacher_a", source=SET, published=True)
    code = world.session(slug, owner="teacher_a")
    write(world.join(code), code)
    sess = world.loaded(code)
    written = next(q for q in sess.questions if q["id"] == WRITTEN)
    marking.mark(db, sess, written, stored(db, code)["id"], "mastery", world.account("teacher_a"))
    # The teacher edits the written question's rubric and publishes again.
    ana = world.signed_in("teacher_a")
    ana.post(
        f"/teach/sets/{slug}/questions/{WRITTEN}/rubric",
        data={
            **{
                f"{level}_{part}": f"New {level} {part}."
                for level in ("beginning", "emerging", "mastery")
                for part in ("descriptor", "example")
            },
            "marking": "teacher",
            "lateral": "y",
        },
    )
    world.publish(slug)
    assert stored(db, code)["parts"]["level"] == "mastery"
    page = text_of(ana.get(f"/run/{code}/report").get_data(as_text=True))
    assert "Mastery" in page


# Classmates mark -----------------------------------------------------------------------


def peer_session(world, db) -> tuple[str, dict]:
    """A session on a copy of the set whose written question classmates mark."""
    slug = world.own_set("teacher_a", source=SET)
    ana = world.signed_in("teacher_a")
    rubric = {
        f"{level}_{part}": f"{level.title()} {part}."
        for level in ("beginning", "emerging", "mastery")
        for part in ("descriptor", "example")
    }
    response = ana.post(
        f"/teach/sets/{slug}/questions/{WRITTEN}/rubric",
        data={**rubric, "marking": "peer", "lateral": "y"},
    )
    assert response.status_code == 303
    world.publish(slug)
    code = world.session(slug, owner="teacher_a", teams=["Red", "Blue"])
    sess = world.loaded(code)
    return code, next(q for q in sess.questions if q["id"] == WRITTEN)


ANSWERS = {
    "Ada": "Interfax Ukraine came first, then Reuters.",
    "Ben": "The article reversed who reported whom.",
    "Cy": "Reuters quoted an agency, not Kuleba himself.",
    "Dee": "I could not find the report.",
}


def test_peer_marking_gives_each_student_a_classmates_answer_at_their_table_never_their_own(
    shipped, world, db
):
    code, q = peer_session(world, db)
    red, blue = world.team_ids(code)
    students = {}
    for name, team in (("Ada", red), ("Ben", red), ("Cy", red), ("Dee", blue)):
        students[name] = world.join(code, name, team=team)
        write(students[name], code, ANSWERS[name])
    sess = world.loaded(code)
    ids = {name: world.participant_id(code, name) for name in students}
    given = {name: peer.to_mark(db, sess, q, ids[name]) for name in students}
    owners = {
        name: next(n for n, i in ids.items() if i == a["participant_id"])
        for name, a in given.items()
        if a
    }
    assert owners == {"Ada": "Ben", "Ben": "Cy", "Cy": "Ada"}  # round the table, in join order
    assert given["Dee"] is None  # alone at Blue: no one else's answer
    assert {name: peer.to_mark(db, sess, q, ids[name]) for name in students} == given

    page = text_of(
        students["Ada"].client.get(f"/play/{code}/peer/{q['pk']}").get_data(as_text=True)
    )
    assert ANSWERS["Ben"] in page and "Ben" not in page
    peer.mark(db, sess, q, ids["Ada"], given["Ada"]["id"], "emerging")
    with pytest.raises(PlayError):
        peer.mark(db, sess, q, ids["Ada"], given["Cy"]["id"], "mastery")
    ben_answer = stored(db, code, "Ben")
    assert ben_answer["parts"]["level"] == "emerging"
    # The facilitator overrides the classmate's mark.
    marking.mark(db, sess, q, ben_answer["id"], "mastery", world.account("teacher_a"))
    row = db.execute(
        "SELECT level, marker FROM answer_mark WHERE answer_id = ?", [ben_answer["id"]]
    ).fetchone()
    assert tuple(row) == ("mastery", "teacher")


# The report and the CSV files ------------------------------------------------------------


def test_marks_appear_in_the_report_and_the_csv_files(shipped, world, db):
    code = world.session(SET, owner="teacher_a")
    write(world.join(code, "Ada"), code)
    write(world.join(code, "Ben"), code)
    sess = world.loaded(code)
    q = next(x for x in sess.questions if x["id"] == WRITTEN)
    marking.mark(db, sess, q, stored(db, code, "Ada")["id"], "mastery", world.account("teacher_a"))
    ana = world.signed_in("teacher_a")
    report = text_of(ana.get(f"/run/{code}/report").get_data(as_text=True))
    assert "Written answers" in report
    assert "Mastery" in report

    answers = list(csv.DictReader(io.StringIO(ana.get(f"/run/{code}/answers.csv").text)))
    mine = [r for r in answers if r["Nickname"] == "Ada" and TEXT in " ".join(r.values())]
    assert len(mine) == 1 and "Mastery" in mine[0].values()
    people = list(csv.DictReader(io.StringIO(ana.get(f"/run/{code}/participants.csv").text)))
    column = next(c for c in people[0] if str(q["number"]) in c and "level" in c.lower())
    assert {p["Nickname"]: p[column] for p in people} == {
        "Ada": "Mastery",
        "Ben": "waiting for a mark",
    }


# In a led lesson ------------------------------------------------------------------------


def test_a_written_question_in_a_led_lesson_takes_no_second_vote_and_reveals_no_key(
    shipped, world, db
):
    code = world.session(SET, owner="teacher_a", pace="led", feedback="reveal")
    q = next(x for x in world.loaded(code).questions if x["id"] == WRITTEN)
    ana = world.signed_in("teacher_a")
    ada = world.join(code, "Ada")
    assert ana.post(f"/run/{code}/goto", data={"number": str(q["number"])}).status_code == 303
    room = text_of(ana.get(f"/run/{code}/room").get_data(as_text=True))
    assert "Vote again" not in room and "Vote again" not in text_of(ana.get(f"/run/{code}").text)
    assert write(ada, code).status_code == 303
    refused = ana.post(f"/run/{code}/questions/{q['pk']}/vote")
    assert refused.status_code == 409
    assert "a second vote is for questions with options" in text_of(refused.text)
    assert world.loaded(code).vote(q) == 1
    assert ana.post(f"/run/{code}/questions/{q['pk']}/reveal").status_code == 303
    room = text_of(ana.get(f"/run/{code}/room").get_data(as_text=True))
    assert "1 written answer, marked on the rubric." in room
    assert "First vote" not in room and "Why" in room
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == 1
