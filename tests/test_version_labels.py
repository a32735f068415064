"""A published version keeps the misconception labels it was published with: an old
session's report and live view do not change when misconceptions.toml does."""

from __future__ import annotations

import shutil

from quiz import create_app
from quiz.accounts import teachers
from quiz.play import sessions
from quiz.storage import queries
from quiz.storage.connection import connect

from .world import DATA, PASSWORD, sign_in, text_of

LABEL = 'label = "Seeing is believing"'


def test_an_old_sessions_report_keeps_the_labels_its_version_was_published_with(tmp_path):
    questions = tmp_path / "questions"
    questions.mkdir()
    for name in ("mini.toml", "misconceptions.toml"):
        shutil.copy(DATA / name, questions / name)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(tmp_path / "lateral.db"),
            "WTF_CSRF_ENABLED": False,
            "QUESTIONS_DIR": str(questions),
        }
    )
    assert app.test_cli_runner().invoke(args=["questions", "load"]).exit_code == 0
    db = connect(tmp_path / "lateral.db")
    try:
        teacher = teachers.create_account(db, "a@school.org", "Ana", PASSWORD, "teacher")
        code = sessions.open_session(db, "mini-set", owner_id=teacher)["code"]
        version = queries.latest_published(db, "mini-set")
        q = next(q for q in sessions.load_session(db, code).questions if q["id"] == "video")
    finally:
        db.close()
    assert version["misconceptions"]["seeing-is-believing"]["label"] == "Seeing is believing"
    student = app.test_client()
    student.post("/join", data={"code": code, "nickname": "Ada"})
    # Option a names "seeing-is-believing".
    student.post(f"/play/{code}/answer", data={"question": str(q["pk"]), "option": ["a"]})

    # The shared list renames the label after the session ran, and the set changes.
    path = questions / "misconceptions.toml"
    path.write_text(path.read_text().replace(LABEL, 'label = "Renamed since"'))
    set_file = questions / "mini.toml"
    set_file.write_text(set_file.read_text().replace('title = "Mini', 'title = "New mini', 1))
    assert app.test_cli_runner().invoke(args=["questions", "load"]).exit_code == 0
    db = connect(tmp_path / "lateral.db")
    try:
        newer = queries.latest_published(db, "mini-set")
    finally:
        db.close()
    assert newer["id"] != version["id"]
    assert newer["misconceptions"]["seeing-is-believing"]["label"] == "Renamed since"

    facilitator = app.test_client()
    assert sign_in(facilitator, "a@school.org").status_code == 303
    # The live view names misconceptions once asked to show the key (or after a reveal).
    for url in (f"/run/{code}/report", f"/run/{code}?key=1"):
        page = text_of(facilitator.get(url).get_data(as_text=True))
        assert "Seeing is believing" in page, url
        assert "Renamed since" not in page, url
