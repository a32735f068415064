"""Databases for the benchmark: a fresh one for the live run, a large one for the report.

Everything goes through the app's own functions (migrations, set loading, accounts,
sessions, answer parsing and scoring), so the data is what the app itself would store.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import secrets
from pathlib import Path

from werkzeug.datastructures import MultiDict

from quiz.accounts import teachers
from quiz.play import answering, sessions
from quiz.sets.files import load_misconceptions, parse_file, set_files, sync
from quiz.storage import migrations
from quiz.storage.connection import connect

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "questions"
SLUG = "russia-troops-feb-2022"
TEACHER_EMAIL = "bench-teacher@school.example"
TEACHER_PASSWORD = "bench horse battery staple"
REASONS = [
    "The article only quotes one side.",
    "Passage 3 says the troops were announced, not seen leaving.",
    "The headline goes further than the text.",
    "=SUM(A1) looks like a formula but is a reason",
]


def app_on(db_path: Path, secret: str, **settings: str):
    """Lateral's app on the bench's database (``settings``: more ``LATERAL_*`` values),
    its instance folder beside the database, the shipped sets' folder."""
    os.environ.update(
        LATERAL_DATABASE=str(db_path),
        LATERAL_SECRET_KEY=secret,
        LATERAL_INSTANCE_PATH=str(db_path.parent / "instance"),
        LATERAL_QUESTIONS_DIR=str(QUESTIONS),
        **settings,
    )
    from quiz import create_app

    return create_app()


def make_database(db_path: Path, feedback: str = "now") -> dict:
    """Migrate, load questions/, add a teacher, open a led session; return the facts."""
    db = connect(db_path)
    try:
        migrations.apply(db)
        misc = load_misconceptions(QUESTIONS / "misconceptions.toml")
        for path in set_files(QUESTIONS):
            sync(db, parse_file(path, misc), str(path), misc)
        teacher_id = teachers.create_account(
            db, TEACHER_EMAIL, "Bench Teacher", TEACHER_PASSWORD, "teacher"
        )
        row = sessions.open_session(db, SLUG, pace="led", feedback=feedback, owner_id=teacher_id)
        sess = sessions.load_session(db, row["code"])
    finally:
        db.close()
    return {"code": row["code"], "teacher_id": teacher_id, "questions": sess.questions}


def answer_fields(q: dict, rng: random.Random, right_share: float = 0.6) -> list[tuple[str, str]]:
    """Return form fields a student could submit for a question (right or not)."""
    right = rng.random() < right_share
    qtype = q["type"]
    fields: list[tuple[str, str]] = []
    if qtype == "open":  # a written answer: a sentence, marked later by the teacher
        fields.append(("text", rng.choice(REASONS)))
        if q.get("confidence") and rng.random() < 0.6:
            fields.append(("confidence", rng.choice("123")))
        return fields
    ids = [o["id"] for o in q["options"]]
    if qtype == "order":
        order = list(q["key"]) if right else rng.sample(ids, len(ids))
        fields += [(f"pos-{oid}", str(i)) for i, oid in enumerate(order, start=1)]
    else:
        if qtype in ("single", "true_false", "cer"):
            chosen = list(q["key"]) if right else [rng.choice(ids)]
        else:  # multiple, passage
            chosen = list(q["key"]) if right else rng.sample(ids, rng.randint(1, len(ids)))
        fields += [("option", oid) for oid in chosen]
    if qtype == "cer":
        choices = [str(n) for n in q["evidence_choices"]]
        if right:
            evidence = [str(n) for n in q["evidence_key"]]
        else:
            evidence = rng.sample(choices, rng.randint(1, len(choices)))
        fields += [("evidence", e) for e in evidence]
    if q.get("confidence") and rng.random() < 0.6:
        fields.append(("confidence", rng.choice("123")))
    if q.get("reason") and rng.random() < 0.3:
        fields.append(("reason", rng.choice(REASONS)))
    return fields


def stored_answer(q: dict, fields: list[tuple[str, str]]) -> dict:
    """What answering.submit would store for these fields."""
    return answering.grade(q, MultiDict(fields))


def make_report_database(db_path: Path, answers: int, seed: int = 7) -> dict:
    """A finished session on the article set holding about ``answers`` answers.

    Every participant answers every question of the set (34), so the participants
    number ceil(answers / 34). Rows are inserted with executemany in one transaction.
    """
    facts = make_database(db_path)
    questions = facts["questions"]
    rng = random.Random(seed)
    people = -(-answers // len(questions))
    db = connect(db_path)
    try:
        session_id = db.execute(
            "SELECT id FROM session WHERE code = ?", [facts["code"]]
        ).fetchone()[0]
        start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        participant_rows = []
        answer_rows = []
        for n in range(people):
            pid = secrets.token_urlsafe(18)
            joined = start + dt.timedelta(seconds=n % 600)
            participant_rows.append((pid, session_id, f"student {n + 1}", joined.isoformat()))
            for i, q in enumerate(questions):
                a = stored_answer(q, answer_fields(q, rng))
                at = joined + dt.timedelta(seconds=60 * (i + 1) + rng.randint(0, 30))
                answer_rows.append(
                    (
                        pid,
                        q["pk"],
                        json.dumps(a["response"]),
                        a["confidence"],
                        a["reason"],
                        a["score"],
                        json.dumps(a["parts"]),
                        at.isoformat(timespec="seconds"),
                    )
                )
        with db.conn:
            db.conn.executemany(
                "INSERT INTO participant (id, session_id, nickname, created_at) "
                "VALUES (?, ?, ?, ?)",
                participant_rows,
            )
            db.conn.executemany(
                "INSERT INTO answer (participant_id, question_id, response, confidence, "
                "reason, score, parts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                answer_rows,
            )
            db.conn.execute(
                "UPDATE session SET current_number = ? WHERE id = ?", [len(questions), session_id]
            )
        count = db.execute("SELECT count(*) FROM answer").fetchone()[0]
    finally:
        db.close()
    return {**facts, "participants": people, "answers": count}
