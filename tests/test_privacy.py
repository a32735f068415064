"""Student data is minimal, and exporting or deleting a session covers all of it."""

from __future__ import annotations

import csv
import io

from quiz.facilitation import control
from quiz.play import sessions

from .world import Student

# What Lateral keeps about a student. A new column here needs a privacy review:
# add it only if it is necessary, then update this list and the exports.
PARTICIPANT_COLUMNS = {
    "id",  # random, not derived from anything about the student
    "session_id",
    "nickname",
    "skeleton",  # the nickname's confusable skeleton (derived from it, for look-alikes)
    "team_id",
    "rejoin_hash",  # a hash of a one-time code the facilitator issued
    "rejoin_expires",
    # 'AB' or 'BA': which check form comes first (counterbalancing, balanced per table)
    "check_order",
    "created_at",  # server time
}
ANSWER_COLUMNS = {
    "id",
    "participant_id",
    "question_id",
    "response",
    "confidence",
    "reason",
    "score",
    "parts",
    "created_at",
    "vote",  # 1, or 2 for a second vote after talking at the table (peer instruction)
}
# Every table that holds participant data, and how export and deletion cover it.
COVERED = {"participant": "participants.csv", "answer": "answers.csv"}
# Deleted with the participant but not exported: the client they joined from, as an
# HMAC of the address under the app's secret (quiz.play.limits), meaningless elsewhere.
NOT_EXPORTED = {"participant_client"}


def tables_referencing_participants(db) -> set[str]:
    found = set()
    for table in db.table_names():
        for fk in db.execute(f"PRAGMA foreign_key_list('{table}')").fetchall():
            if fk[2] == "participant":
                found.add(table)
                assert fk[6] == "CASCADE", f"{table} must be deleted with its participant"
    return found


def test_a_participant_is_a_random_id_a_nickname_answers_and_server_times(
    db, student, session_code
):
    assert {c.name for c in db["participant"].columns} == PARTICIPANT_COLUMNS
    assert {c.name for c in db["answer"].columns} == ANSWER_COLUMNS
    student.join(session_code, "Ada")
    row = next(db.query("SELECT * FROM participant"))
    assert len(row["id"]) >= 24 and "Ada" not in row["id"]


def test_every_table_with_participant_data_is_covered_by_export_and_deletion(db):
    assert tables_referencing_participants(db) | {"participant"} == set(COVERED) | NOT_EXPORTED


def test_deleting_a_session_leaves_no_participant_data_anywhere(app, db, as_teacher):
    teacher = as_teacher("teacher_a")
    code = teacher.post(
        "/run/", data={"set_id": "mini-set", "pace": "self", "feedback": "now", "teams": "A\nB"}
    ).location.split("/")[2]
    other = sessions.open_session(db, "mini-set")["code"]
    for c, name in ((code, "Ada"), (other, "Keep")):
        s = Student(app.test_client(), db)
        data = {"code": c, "nickname": name}
        if c == code:
            data["team"] = str(sessions.load_session(db, c).teams[0]["id"])
        s.client.post("/join", data=data)
        s.answer(c, "video", ["b"], reason="why")
    exported = {
        name: list(
            csv.reader(
                io.StringIO(
                    teacher.get(f"/run/{code}/{name}").get_data(as_text=True).lstrip("\ufeff")
                )
            )
        )
        for name in COVERED.values()
    }
    assert len(exported["participants.csv"]) == 2 and len(exported["answers.csv"]) == 2

    control.delete_data(db, sessions.load_session(db, code))
    for table in [*COVERED, *NOT_EXPORTED]:
        rows = list(db.query(f"SELECT * FROM {table}"))
        assert len(rows) == 1, table  # only the other session's row is left
    assert next(db.query("SELECT nickname FROM participant"))["nickname"] == "Keep"
