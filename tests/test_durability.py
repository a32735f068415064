"""Durability under a real classroom load, against the production server (gunicorn).

A room of participants double-taps every answer at once, some retry a second later,
and the server is killed with SIGKILL in the middle of a lesson. What a student was
told is saved must be saved, once, with the option they chose.

Run with -s to see what was measured (requests, statuses, time); nothing here
asserts on timing.
"""

from __future__ import annotations

import collections
import json
import random
import shutil
import sqlite3
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomli_w

from quiz.play import sessions
from quiz.sets.files import load_misconceptions, parse_file, sync
from quiz.storage import migrations
from quiz.storage.connection import connect
from tests.load import (
    Participant,
    Plan,
    Recorder,
    Server,
    answer_once,
    answer_round,
    join_all,
    summary,
)

# gunicorn with 4 workers under a classroom's load: minutes, not seconds.
pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
SET_ID = "durability-set"
QUESTIONS = 10
OPTIONS = ("a", "b", "c")
POOL = 64
SECRET = "durability-test-secret"
# A locked database, an unhandled error, or a worker gunicorn gave up on mid-request.
SERVER_LOG_PROBLEMS = ("database is locked", "Traceback", "WORKER TIMEOUT")


# A room: a ten-question set loaded, a session open --------------------------------------


def write_set(folder: Path) -> Path:
    """Write a ten-question single-choice set over mini.toml's article into folder."""
    mini = tomllib.loads((DATA / "mini.toml").read_text())
    passages = mini["article"]["passages"]
    quotes = [
        "pulling some of its troops off the border",
        "not seen any signs",
        "geo-located for Crimea",
        "more than 100,000 troops",
    ]
    questions = []
    for n in range(1, QUESTIONS + 1):
        quote = quotes[n % len(quotes)]
        assert any(quote in p for p in passages)
        questions.append(
            {
                "id": f"q{n:02d}",
                "type": "single",
                "skills": ["EVI"],
                "difficulty": "medium",
                "stem": f"Question {n}: what does the passage with '{quote}' show?",
                "evidence": [quote],
                "key": ["b"],
                "confidence": True,
                "explanation": "Only what the passage says, no more.",
                "options": [
                    {
                        "id": "a",
                        "text": "More than it says.",
                        "feedback": "Read it again.",
                        "misconception": "seeing-is-believing",
                    },
                    {"id": "b", "text": "What it says.", "feedback": "Right."},
                    {
                        "id": "c",
                        "text": "Nothing: it is fake.",
                        "feedback": "Nothing says it is fake.",
                        "misconception": "an-error-means-fake",
                    },
                ],
            }
        )
    data = {
        "format": 1,
        "id": SET_ID,
        "title": "Durability set",
        "language": "en",
        "audience": "Tests",
        "description": "Ten single-choice questions for the load tests.",
        "article": mini["article"],
        "questions": questions,
    }
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "misconceptions.toml", folder / "misconceptions.toml")
    path = folder / f"{SET_ID}.toml"
    path.write_text(tomli_w.dumps(data))
    return path


@dataclass
class Room:
    db_path: Path
    env: dict[str, str]
    code: str
    questions: list[dict]
    tmp_path: Path

    def server(self, name: str, port: int = 0) -> Server:
        return Server(self.env, self.tmp_path / f"{name}.log", port=port)


@pytest.fixture
def room(tmp_path: Path) -> Room:
    questions_dir = tmp_path / "questions"
    set_path = write_set(questions_dir)
    db_path = tmp_path / "lateral.db"
    db = connect(db_path)
    try:
        migrations.apply(db)
        sync(db, parse_file(set_path, load_misconceptions(questions_dir / "misconceptions.toml")))
        code = sessions.open_session(db, SET_ID, feedback="now")["code"]
        questions = sessions.load_session(db, code).questions
    finally:
        db.close()
    assert len(questions) == QUESTIONS
    assert all([o["id"] for o in q["options"]] == list(OPTIONS) for q in questions)
    env = {
        "LATERAL_DATABASE": str(db_path),
        "LATERAL_SECRET_KEY": SECRET,
        "LATERAL_INSTANCE_PATH": str(tmp_path / "instance"),
        "LATERAL_QUESTIONS_DIR": str(questions_dir),
    }
    return Room(db_path, env, code, questions, tmp_path)


@pytest.fixture
def servers():
    """Servers started by a test; every one is stopped (process group killed) after it."""
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()
    for server in started:
        assert not server.pids(), f"server processes outlived the test: {server.pids()}"


# What each participant answers: fixed by name and question, so a retry resends the same.


def chosen_option(p: Participant, q: dict) -> str:
    return random.Random(f"option/{p.nickname}/{q['pk']}").choice(OPTIONS)


def confidence_of(nickname: str, pk: int) -> int:
    return random.Random(f"confidence/{nickname}/{pk}").randint(1, 3)


def chosen_confidence(p: Participant, q: dict) -> int:
    return confidence_of(p.nickname, q["pk"])


def retried(p: Participant, q: dict) -> bool:
    return random.Random(f"retry/{p.nickname}/{q['pk']}").random() < 0.1


def plan() -> Plan:
    return Plan(chosen_option, chosen_confidence, double=True, retry=retried, retry_delay=1.0)


# Reading the database afterwards --------------------------------------------------------


def stored_answers(db_path: Path, code: str) -> list[tuple[str, int, list[str], int | None]]:
    """Return (nickname, question pk, options, confidence) of every stored answer."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            """SELECT p.nickname, a.question_id, a.response, a.confidence
               FROM answer a JOIN participant p ON p.id = a.participant_id
               JOIN session s ON s.id = p.session_id WHERE s.code = ?""",
            [code],
        ).fetchall()
    finally:
        conn.close()
    return [(n, q, json.loads(r)["options"], c) for n, q, r, c in rows]


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def participants_by_nickname(db_path: Path, code: str) -> collections.Counter:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT p.nickname FROM participant p JOIN session s ON s.id = p.session_id "
            "WHERE s.code = ?",
            [code],
        ).fetchall()
    finally:
        conn.close()
    return collections.Counter(n for (n,) in rows)


def check_stored(room: Room, acknowledged: dict[tuple[str, int], str]) -> dict:
    """Assert one row per participant and question, and every acknowledged answer kept.

    Return the stored answers by (nickname, question pk).
    """
    rows = stored_answers(room.db_path, room.code)
    counts = collections.Counter((n, q) for n, q, _, _ in rows)
    duplicates = {k: c for k, c in counts.items() if c > 1}
    assert not duplicates, f"answers stored more than once: {list(duplicates.items())[:5]}"
    stored = {(n, q): (options, confidence) for n, q, options, confidence in rows}
    missing = sorted(set(acknowledged) - set(stored))
    assert not missing, f"{len(missing)} acknowledged answers not stored, e.g. {missing[:5]}"
    wrong = []
    for (nickname, pk), option in acknowledged.items():
        expected = ([option], confidence_of(nickname, pk))
        if stored[(nickname, pk)] != expected:
            wrong.append(((nickname, pk), stored[(nickname, pk)], expected))
    assert not wrong, f"{len(wrong)} answers stored differently from what was sent: {wrong[:5]}"
    return stored


def check_log(server: Server) -> None:
    log = server.log()
    for problem in SERVER_LOG_PROBLEMS:
        assert problem not in log, f"{problem!r} in {server.log_path.name}:\n{log[-4000:]}"


def round_windows(rec: Recorder) -> dict[int, float]:
    """Per question: seconds from the first answer sent to the last double tap answered."""
    spans: dict[int, list[float]] = {}
    for r in rec.snapshot():
        if r.kind in ("answer", "double") and r.question is not None:
            span = spans.setdefault(r.question, [r.started, r.ended])
            span[0], span[1] = min(span[0], r.started), max(span[1], r.ended)
    return {q: round(end - start, 2) for q, (start, end) in spans.items()}


def assert_no_server_errors(rec: Recorder) -> None:
    errors = [r for r in rec.snapshot() if r.status is not None and r.status >= 500]
    assert not errors, f"{len(errors)} 5xx responses; statuses {rec.statuses()}; e.g. {errors[:2]}"


# The tests -----------------------------------------------------------------------------


def test_300_participants_double_submits_store_exactly_one_answer_each(room: Room, servers):
    server = room.server("server")
    servers.append(server)
    server.start()
    rec = Recorder()
    people = [Participant(server.port, f"p{n:03d}") for n in range(300)]
    began = time.monotonic()
    with ThreadPoolExecutor(POOL) as pool:
        joins = join_all(pool, people, room.code, rec)
        assert collections.Counter(r.status for r in joins) == {303: len(people)}
        drive = plan()
        for q in room.questions:
            answer_round(pool, people, room.code, q, drive, rec)
        drive.drain()
    elapsed = time.monotonic() - began
    server.stop()

    results = rec.snapshot()
    print()
    print(summary(rec, elapsed, "300 participants"))
    print(f"[300 participants] per-question window (s): {list(round_windows(rec).values())}")
    answers = [r for r in results if r.kind != "join"]
    assert_no_server_errors(rec)
    assert not [r for r in answers if r.status is None], f"no response: {rec.errors()}"
    assert {r.status for r in answers} <= {200, 303}, rec.statuses()

    acknowledged = rec.acknowledged()
    assert len(acknowledged) == len(people) * QUESTIONS
    assert participants_by_nickname(room.db_path, room.code) == {p.nickname: 1 for p in people}
    stored = check_stored(room, acknowledged)
    assert len(stored) == len(acknowledged)
    assert integrity(room.db_path) == "ok"
    check_log(server)


def test_kill_9_mid_load_loses_no_acknowledged_answer(room: Room, servers):
    first = room.server("before-kill")
    servers.append(first)
    first.start()
    people = [Participant(first.port, f"k{n:03d}") for n in range(300)]
    total = len(people) * QUESTIONS
    before = Recorder()
    began = time.monotonic()
    killed: list[int] = []
    with ThreadPoolExecutor(POOL) as pool:
        joins = join_all(pool, people, room.code, before)
        assert collections.Counter(r.status for r in joins) == {303: len(people)}
        drive = plan()
        failure: list[BaseException] = []

        def lesson() -> None:
            try:
                for q in room.questions:
                    answer_round(pool, people, room.code, q, drive, before)
                drive.drain()
            except BaseException as exc:  # surfaced in the test thread below
                failure.append(exc)

        driver = threading.Thread(target=lesson, daemon=True)
        driver.start()
        # Kill once 45% of the answers are acknowledged: in the middle of the fifth round.
        deadline = time.monotonic() + 120
        while len(before.acknowledged()) < 0.45 * total and time.monotonic() < deadline:
            assert driver.is_alive(), f"the lesson ended before the kill: {failure}"
            time.sleep(0.01)
        answered_before = sum(1 for r in before.snapshot() if r.kind != "join")
        killed = first.kill9()
        killed_at = time.monotonic()
        # The room notices: nobody sends more until the server is back.
        drive.stop.set()
        driver.join(180)
        assert not driver.is_alive(), "the lesson did not finish after the kill"
        assert not failure, failure
    master = first.process.pid
    assert master in killed and len(killed) > 1, f"expected master and workers, killed {killed}"
    assert not first.pids()

    acknowledged = before.acknowledged()
    no_response = [r for r in before.snapshot() if r.status is None]
    assert no_response, "the kill came after the lesson: no request went unanswered"
    assert_no_server_errors(before)
    check_log(first)
    # Checked before the restart: a resend afterwards must not be what saves an answer.
    assert integrity(room.db_path) == "ok"
    stored_at_kill = check_stored(room, acknowledged)
    # Answers the server committed but could not acknowledge before it died.
    stored_unacknowledged = set(stored_at_kill) - set(acknowledged)

    # Back up on the same port and file; every browser sends again what got no answer,
    # and a sample of the acknowledged answers once more.
    second = room.server("after-restart", port=first.port)
    servers.append(second)
    restart_began = time.monotonic()
    second.start()
    restarted_in = time.monotonic() - restart_began
    after = Recorder()
    by_pk = {q["pk"]: q for q in room.questions}
    unanswered = [
        (p, q) for p in people for q in room.questions if (p.nickname, q["pk"]) not in acknowledged
    ]
    sample = random.Random(7).sample(sorted(acknowledged), k=len(acknowledged) // 10)
    again = [(p, by_pk[pk]) for p in people for (n, pk) in sample if n == p.nickname]
    resend = Plan(chosen_option, chosen_confidence, double=False)

    def send_until_answered(p: Participant, q: dict, kind: str) -> None:
        for _ in range(3):
            if answer_once(p, room.code, q, resend, after, kind).status is not None:
                return
            time.sleep(0.2)

    with ThreadPoolExecutor(POOL) as pool:
        jobs = [pool.submit(send_until_answered, p, q, "retry") for p, q in unanswered]
        jobs += [pool.submit(send_until_answered, p, q, "again") for p, q in again]
        for job in jobs:
            job.result(timeout=120)
    elapsed = time.monotonic() - began
    second.stop()

    print()
    print(summary(before, killed_at - began, "before kill -9"))
    print(
        f"[kill -9] {len(killed)} processes killed after {answered_before} answer requests; "
        f"{len(acknowledged)} of {total} answers acknowledged before; "
        f"{len(no_response)} requests got no response; {len(stored_unacknowledged)} answers "
        f"were stored without an acknowledgement; restart took {restarted_in:.1f} s"
    )
    print(summary(after, time.monotonic() - restart_began, "after restart"))
    print(f"[kill -9] whole test {elapsed:.1f} s")

    results = after.snapshot()
    assert_no_server_errors(after)
    assert all(r.ok for r in results), f"statuses {after.statuses()}; errors {after.errors()}"
    # What the server acknowledged before the kill is kept, unchanged; the retries
    # add the rest, once each.
    stored = check_stored(room, {**acknowledged, **after.acknowledged()})
    assert len(stored) == total
    assert integrity(room.db_path) == "ok"
    check_log(second)
