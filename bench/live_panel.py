#!/usr/bin/env python3
"""Time the facilitator's live panel at a class's size, in-process (no HTTP, no server).

    .venv/bin/python bench/live_panel.py                  # 1,000 participants × 10 questions
    .venv/bin/python bench/live_panel.py --participants 600 --refreshes 20

A temp database holds a facilitator-led session on the article set with four teams:
every participant has answered the first ``--questions`` questions (the last one, the
room's, by nine in ten: the others are who the panel points to), a second vote on the
first question that takes one, written reasons where the set asks for them, a written
question waiting for its marks. The owner signs in through ``app.test_client()``; a
changed refresh is the panel's poll address with ``state=0`` (as ``run.py`` asks it).

Printed: CPU ms per changed refresh (``time.process_time`` over ``--refreshes``
refreshes, Brotli as the dashboard's browser asks), its HTML bytes and its bytes as
sent with ``Accept-Encoding: br`` and with gzip; bare Flask's hello (``hello.py``) CPU
per request in the same run, and the ratio. The figures do not depend on the machine's
load much (CPU time, not wall time), but compare ratios from one run only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import secrets
import sys
import tempfile
import time
from html import unescape
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import dataset  # noqa: E402
import hello  # noqa: E402

from quiz.accounts import teachers  # noqa: E402
from quiz.play import sessions  # noqa: E402
from quiz.sets.files import load_misconceptions, parse_file, set_files, sync  # noqa: E402
from quiz.storage import migrations, queries  # noqa: E402
from quiz.storage.connection import connect  # noqa: E402

HX = {"HX-Request": "true"}
TEAMS = ("Reds", "Blues", "Greens", "Yellows")


def build(db_path: Path, participants: int, questions: int, seed: int = 7) -> dict:
    """The session described in the module's docstring; return its code."""
    db = connect(db_path)
    try:
        migrations.apply(db)
        misc = load_misconceptions(dataset.QUESTIONS / "misconceptions.toml")
        for path in set_files(dataset.QUESTIONS):
            sync(db, parse_file(path, misc), str(path), misc)
        teacher = teachers.create_account(
            db, dataset.TEACHER_EMAIL, "Bench Teacher", dataset.TEACHER_PASSWORD, "teacher"
        )
        row = sessions.open_session(
            db, dataset.SLUG, pace="led", feedback="reveal", owner_id=teacher, teams=TEAMS
        )
        sess = sessions.load_session(db, row["code"])
        _fill(db, sess, participants, questions, random.Random(seed))
    finally:
        db.close()
    return {"code": row["code"]}


def _fill(db, sess, participants: int, questions: int, rng: random.Random) -> None:
    session_id = sess.row["id"]
    played = [q for q in sess.questions if q["number"] <= questions]
    voted = next(q for q in played if q["type"] != "open")
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    people, answers = [], []
    for n in range(participants):
        pid = secrets.token_urlsafe(18)
        joined = start + dt.timedelta(seconds=n % 600, microseconds=n)
        team = sess.teams[n % len(sess.teams)]["id"]
        people.append((pid, session_id, f"student {n + 1}", team, joined.isoformat()))
        for q in played:
            if q is played[-1] and rng.random() < 0.1:
                continue  # still on the room's question
            votes = (1, 2) if q is voted and rng.random() < 0.8 else (1,)
            for vote in votes:
                a = dataset.stored_answer(q, dataset.answer_fields(q, rng))
                at = joined + dt.timedelta(seconds=60 * q["number"] + 20 * vote)
                answers.append(
                    (pid, q["pk"], json.dumps(a["response"]), a["confidence"], a["reason"])
                    + (a["score"], json.dumps(a["parts"]), at.isoformat(), vote)
                )
    with db.conn:
        db.conn.executemany(
            "INSERT INTO participant (id, session_id, nickname, team_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            people,
        )
        db.conn.executemany(
            "INSERT INTO answer (participant_id, question_id, response, confidence, reason, "
            "score, parts, created_at, vote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            answers,
        )
        queries.second_vote(db, session_id, voted["pk"], None)
        db.conn.execute(
            "UPDATE session SET current_number = ? WHERE id = ?", [questions, session_id]
        )


def _cpu_per_call(call, n: int) -> float:
    """CPU ms per call of ``call`` over ``n`` calls."""
    cpu = time.process_time()
    for _ in range(n):
        call()
    return 1000 * (time.process_time() - cpu) / n


def measure(db_path: Path, code: str, refreshes: int) -> dict:
    import report  # bench/report.py: the owner signed in on a test client

    client = report.signed_in_client(db_path)
    page = client.get(f"/run/{code}")
    live = re.search(r'<div id="live" hx-get="([^"]+)"', page.get_data(as_text=True))
    if page.status_code != 200 or live is None:
        raise RuntimeError(f"no live panel on the dashboard ({page.status_code})")
    changed = re.sub(r"state=\d+", "state=0", unescape(live.group(1)))

    def get(encoding: str | None) -> bytes:
        headers = {**HX, "Accept-Encoding": encoding} if encoding else HX
        r = client.get(changed, headers=headers)
        if r.status_code != 200:
            raise RuntimeError(f"changed refresh: {r.status_code}")
        body = r.get_data()
        r.close()
        return body

    sizes = {"html": len(get(None)), "br": len(get("br")), "gzip": len(get("gzip"))}
    get("br, gzip")
    refresh_ms = _cpu_per_call(lambda: get("br, gzip"), refreshes)
    dashboard_ms = _cpu_per_call(lambda: client.get(f"/run/{code}").close(), 3)

    bare = hello.app.test_client()
    _cpu_per_call(lambda: bare.get("/").close(), 200)
    hello_ms = _cpu_per_call(lambda: bare.get("/").close(), 2000)
    return {
        "refresh_cpu_ms": round(refresh_ms, 2),
        "dashboard_cpu_ms": round(dashboard_ms, 2),
        "html_bytes": sizes["html"],
        "br_bytes": sizes["br"],
        "gzip_bytes": sizes["gzip"],
        "hello_cpu_ms": round(hello_ms, 4),
        "ratio": round(refresh_ms / hello_ms, 1),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--participants", type=int, default=1000)
    p.add_argument("--questions", type=int, default=10, help="questions answered")
    p.add_argument("--refreshes", type=int, default=20)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="lateral-live-") as tmp:
        db_path = Path(tmp) / "lateral.db"
        facts = build(db_path, args.participants, args.questions, args.seed)
        figures = measure(db_path, facts["code"], args.refreshes)
    print(
        f"live panel, changed refresh, {args.participants} participants × "
        f"{args.questions} questions, 4 teams, in-process ({args.refreshes} refreshes):\n"
        f"  CPU {figures['refresh_cpu_ms']:.1f} ms per refresh "
        f"({figures['ratio']}× hello's {figures['hello_cpu_ms']:.3f} ms in this run); "
        f"dashboard {figures['dashboard_cpu_ms']:.1f} ms\n"
        f"  HTML {figures['html_bytes'] / 1024:.1f} KB; as sent: Brotli "
        f"{figures['br_bytes'] / 1024:.1f} KB, gzip {figures['gzip_bytes'] / 1024:.1f} KB"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
