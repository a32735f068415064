"""Operations: health check and online backups."""

from __future__ import annotations

import sqlite3
import threading

from quiz.play import sessions
from quiz.storage import backup
from quiz.storage.connection import connect

from .world import Student


def test_health_check_answers_ok_with_a_migrated_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "pending": []}


def test_backup_while_answers_are_written_is_consistent_and_restorable(
    app, db, db_path, tmp_path, runner
):
    code = sessions.open_session(db, "mini-set")["code"]
    stop = threading.Event()
    written = []

    def write_answers():
        writer = connect(db_path)
        n = 0
        while not stop.is_set() and n < 400:
            pid = f"p{n}"
            # One transaction per participant and answer, as the app writes them.
            writer.conn.execute("BEGIN IMMEDIATE")
            writer.execute(
                "INSERT INTO participant (id, session_id, nickname, created_at) "
                "SELECT ?, id, ?, 't' FROM session WHERE code = ?",
                [pid, f"N{n}", code],
            )
            writer.execute(
                "INSERT INTO answer (participant_id, question_id, response, score, parts, "
                "created_at) SELECT ?, min(id), '{}', 1, '{}', 't' FROM question",
                [pid],
            )
            writer.conn.execute("COMMIT")
            written.append(pid)
            n += 1
        writer.close()

    thread = threading.Thread(target=write_answers)
    thread.start()
    target = tmp_path / "backups" / "lateral-backup.db"
    result = runner.invoke(args=["backup", str(target)])
    stop.set()
    thread.join()
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    assert backup.integrity(target) == "ok"

    # The copy is one consistent moment: every participant in it has their answer.
    copy = sqlite3.connect(target)
    participants = copy.execute("SELECT count(*) FROM participant").fetchone()[0]
    answers = copy.execute("SELECT count(*) FROM answer").fetchone()[0]
    assert participants == answers

    # Restoring (documented in the README): the app runs on the copy.
    from quiz import create_app

    restored = create_app({**app.config, "DATABASE": str(target)})
    assert restored.test_client().get("/healthz").status_code == 200
    student = Student(restored.test_client(), connect(target))
    assert student.join(code, "After restore").status_code == 303


def test_backup_refuses_to_overwrite_a_file(runner, tmp_path):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert target.read_text() == "keep me"
