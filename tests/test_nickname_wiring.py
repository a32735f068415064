"""Nicknames as the projector shows them (issue 13, finding 5), through the join form:
cleaned and refused as quiz.play.nicknames says, look-alikes taken, the word filter
per session with a list an administrator can edit, and every nickname in a <bdi>."""

from __future__ import annotations

import dataclasses
import re

import pytest

from quiz.facilitation import control
from quiz.play import ARRIVAL, sessions
from quiz.play.nicknames import skeleton
from quiz.storage import migrations
from quiz.storage.connection import connect

from .conftest import ROOT, Student, text_of


def participants(db) -> list[tuple[str, str]]:
    return db.execute("SELECT nickname, skeleton FROM participant ORDER BY rowid").fetchall()


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("\u202eAda", "changes the direction of text (U+202E)"),
        ("A\u200bda", "can't be seen (U+200B)"),
        ("\u3164", "can't be seen (U+3164)"),
        ("\u2800\u2800\u2800", "can't be seen (U+2800)"),
        ("e\u0301\u0301\u0301", "stacks more than 2 accents"),
        ("\ufdfd" * 30, "too wide"),
        ("Ada\x07", "control character (U+0007)"),
    ],
)
def test_each_kind_of_projector_trick_is_refused(student, db, session_code, nickname, message):
    response = student.join(session_code, nickname)
    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    assert participants(db) == []


@pytest.mark.parametrize("name", ["Ääpeli", "Nguyễn", "李雷", "O'Brien", "👩‍💻 Kim"])
def test_real_names_join(student, db, session_code, name):
    assert student.join(session_code, name).status_code == 303
    assert participants(db) == [(name, skeleton(name))]


def test_a_nickname_is_stored_normalised(student, db, session_code):
    assert student.join(session_code, "  Ａｄａ２  ").status_code == 303
    assert participants(db)[0][0] == "Ada2"


@pytest.mark.parametrize("copy", ["Аda", "ADA", "Αda", "ada", "Ada\u200b"])
def test_a_look_alike_of_a_nickname_in_use_is_taken(app, db, session_code, copy):
    assert Student(app.test_client(), db).join(session_code, "Ada").status_code == 303
    response = Student(app.test_client(), db).join(session_code, copy)
    assert response.status_code in (409, 422)  # taken, or refused for an invisible character
    if response.status_code == 409:
        assert "one that looks like it" in text_of(response.get_data(as_text=True))
    assert len(participants(db)) == 1


def test_zero_and_o_one_and_l_are_look_alikes(app, db, session_code):
    assert Student(app.test_client(), db).join(session_code, "B0b1").status_code == 303
    assert Student(app.test_client(), db).join(session_code, "Bobl").status_code == 409


def test_a_rejoin_finds_the_nickname_by_its_look(app, db, session_code):
    assert Student(app.test_client(), db).join(session_code, "Ada").status_code == 303
    sess = sessions.load_session(db, session_code)
    pid = db.execute("SELECT id FROM participant").fetchone()[0]
    code = control.issue_rejoin(db, sess, pid)
    response = app.test_client().post(
        "/join", data={"code": session_code, "nickname": "ada", "rejoin": code}
    )
    assert response.status_code == 303


# The word filter ------------------------------------------------------------------


@pytest.fixture
def owned_code(as_teacher) -> tuple[object, str]:
    teacher = as_teacher("teacher_a")
    started = teacher.post("/run/", data={"set_id": "mini-set", "pace": "self", "feedback": "now"})
    return teacher, started.location.split("/")[2]


def test_the_word_filter_is_off_unless_the_facilitator_turns_it_on(app, db, owned_code):
    teacher, code = owned_code
    assert Student(app.test_client(), db).join(code, "Big Ass").status_code == 303
    assert teacher.post(f"/run/{code}/word-filter/on").status_code == 303
    refused = Student(app.test_client(), db).join(code, "B1g 4SS")
    assert refused.status_code == 422
    assert "not allowed in this session" in text_of(refused.get_data(as_text=True))
    assert Student(app.test_client(), db).join(code, "Cassandra").status_code == 303
    assert teacher.post(f"/run/{code}/word-filter/off").status_code == 303
    assert Student(app.test_client(), db).join(code, "Sh1tty").status_code == 303


def test_the_start_form_can_turn_the_filter_on(app, db, as_teacher):
    teacher = as_teacher("teacher_a")
    form = teacher.get("/run/").get_data(as_text=True)
    assert 'name="word_filter"' in form
    started = teacher.post(
        "/run/", data={"set_id": "mini-set", "pace": "self", "feedback": "now", "word_filter": "y"}
    )
    code = started.location.split("/")[2]
    assert Student(app.test_client(), db).join(code, "shitty").status_code == 422
    page = text_of(teacher.get(f"/run/{code}").get_data(as_text=True))
    assert "The word filter refuses nicknames on the word list" in page


def test_an_administrator_edits_the_word_list(app, db, as_teacher, owned_code):
    teacher, code = owned_code
    teacher.post(f"/run/{code}/word-filter/on")
    admin = as_teacher("admin")
    page = admin.get("/admin/nickname-words").get_data(as_text=True)
    assert "*fuck*" in page and "from the file" in text_of(page)
    assert admin.post("/admin/nickname-words", data={"words": "zorblax\n"}).status_code == 303
    assert Student(app.test_client(), db).join(code, "Z0rblax").status_code == 422
    assert Student(app.test_client(), db).join(code, "shitty").status_code == 303  # not listed
    assert admin.post("/admin/nickname-words", data={"words": "", "reset": "1"}).status_code == 303
    assert Student(app.test_client(), db).join(code, "zorblax").status_code == 303
    assert Student(app.test_client(), db).join(code, "shitty2").status_code == 422


@pytest.mark.parametrize(
    ("words", "message"),
    [("*\n", "would refuse nearly every nickname"), ("a*\n", "at least two letters")],
)
def test_a_word_list_that_refuses_everyone_is_refused(as_teacher, db, words, message):
    response = as_teacher("admin").post("/admin/nickname-words", data={"words": words})
    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM nickname_words").fetchone()[0] == 0


def test_only_an_administrator_edits_the_word_list(as_teacher, client, db):
    assert client.get("/admin/nickname-words").status_code == 403
    teacher = as_teacher("teacher_a")
    assert teacher.post("/admin/nickname-words", data={"words": "x"}).status_code == 403
    assert db.execute("SELECT count(*) FROM nickname_words").fetchone()[0] == 0


def test_the_file_is_read_again_when_it_changes(app, db, tmp_path, owned_code):
    teacher, code = owned_code
    words = tmp_path / "words.txt"
    words.write_text("zorblax\n", encoding="utf-8")
    app.extensions[ARRIVAL] = dataclasses.replace(app.extensions[ARRIVAL], words_file=words)
    teacher.post(f"/run/{code}/word-filter/on")
    assert Student(app.test_client(), db).join(code, "zorblax").status_code == 422
    words.write_text("# nothing\nquuxly\n", encoding="utf-8")
    assert Student(app.test_client(), db).join(code, "zorblax").status_code == 303
    assert Student(app.test_client(), db).join(code, "quuxly").status_code == 422


# Stored skeletons -------------------------------------------------------------------


def test_the_migration_gives_existing_participants_their_skeleton(tmp_path):
    db = connect(tmp_path / "old.db")
    migrations.migrations.apply(db, stop_before="0011_participant_skeleton")
    db.execute("INSERT INTO question_set (id, slug, kind, created_at) VALUES (1, 's', 'main', 't')")
    db.execute(
        "INSERT INTO set_version (id, set_id, number, content_hash, title, body, created_at) "
        "VALUES (1, 1, 1, 'h', 'T', '{}', 't')"
    )
    db.execute(
        "INSERT INTO session (id, code, version_id, mode, feedback, created_at) "
        "VALUES (1, 'ABCDEF', 1, 'class', 'now', 't')"
    )
    for pid, nickname in (("p1", "Ada"), ("p2", "Аda"), ("p3", "Ben")):  # p2: Cyrillic А
        db.execute(
            "INSERT INTO participant (id, session_id, nickname, created_at) VALUES (?, 1, ?, 't')",
            [pid, nickname],
        )
    migrations.apply(db)
    rows = dict(db.execute("SELECT id, skeleton FROM participant").fetchall())
    assert rows == {"p1": skeleton("Ada"), "p2": skeleton("Ada") + "\np2", "p3": skeleton("Ben")}
    assert "participant_skeleton" in {i.name for i in db["participant"].indexes}
    db.close()


# <bdi> on every page ---------------------------------------------------------------

RTL = "שרה"  # Sarah, in Hebrew: a right-to-left nickname beside left-to-right text


def test_every_nickname_on_every_page_is_isolated(app, db, as_teacher, owned_code):
    teacher, code = owned_code
    students = []
    for name in (RTL, "Ada 1"):
        s = Student(app.test_client(), db)
        assert s.join(code, name).status_code == 303
        s.answer(code, "video", ["b"], reason="Because of the shadows")
        students.append(s)
    sess = sessions.load_session(db, code)
    pk = sess.questions[0]["pk"]
    pages = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "<code>" not in rule.rule or "csv" in rule.rule:
            continue
        url = rule.rule.replace("<code>", code)
        url = re.sub(r"<id:\w+>", str(pk), url).replace("<any(answers, participants):kind>", "x")
        for client in (teacher, students[0].client):
            html = client.get(url).get_data(as_text=True)
            for name in (RTL, "Ada 1"):
                found = html.count(name)
                assert found == html.count(f"<bdi>{name}</bdi>"), (url, name)
                pages += found > 0
    assert pages >= 3  # the live view, its panel and the report show nicknames


def test_the_welcome_back_on_the_same_device_isolates_the_nickname(app, db, session_code):
    student = Student(app.test_client(), db)
    assert student.join(session_code, f"{RTL} <b>").status_code == 303
    assert student.client.get(f"/join/{session_code}").location == f"/play/{session_code}"
    html = student.client.get(f"/play/{session_code}").get_data(as_text=True)
    assert f"Welcome back, <bdi>{RTL} &lt;b&gt;</bdi>:" in html


def test_every_template_prints_a_nickname_through_the_bdi_filter():
    """Pages a test cannot reach with a nickname on them (the report's "who may need
    help", the marking screen with names shown) are held to it by their templates."""
    printed = re.compile(r"\{\{[^}]*\b(?!form\.)\w+\.nicknames?\b[^}]*\}\}")
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for expression in printed.findall(path.read_text(encoding="utf-8")):
            found.append(expression)
            assert "|nickname" in expression or "map('nickname')" in expression, (
                path,
                expression,
            )
    assert len(found) >= 8
