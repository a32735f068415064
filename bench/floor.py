"""The floor under an answer: the least a Flask answer can cost, served like the app.

The app below does only what the issue's target names for an answer, with the same
libraries and settings as Lateral: Flask-WTF's CSRF check, Flask's signed session
cookie, the form, one insert into SQLite (WAL, synchronous=FULL, one connection per
thread; committed on its own, or in Lateral's group commit with ``--write group``) and
a fixed 10 KB HTML fragment as the reply. No session state is read, no
answer is graded, nothing is rendered. This script serves it and bench/hello.py under
the same gunicorn command as bench/run.py, drives both with the same generator and
concurrency, and prints the ratio the target asks of Lateral, as measured on this
floor. It tells how much of the target the stack alone leaves to the app:

    .venv/bin/python bench/floor.py --questions 6                 # about a minute
    .venv/bin/python bench/floor.py --questions 6 --write group   # Lateral's group commit
    .venv/bin/python bench/floor.py --questions 6 --write none    # no insert

Nothing is written; a temp dir holds the database and is removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import shutil
import sqlite3
import sys
import tempfile
import threading
from pathlib import Path

from flask import Flask, Response, request, session
from flask_wtf.csrf import CSRFProtect, generate_csrf

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from quiz.storage import commits  # noqa: E402
from quiz.storage.connection import connect  # noqa: E402
from quiz.web.cache import Cache  # noqa: E402

# The app ----------------------------------------------------------------------------

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ.get("FLOOR_SECRET_KEY", "floor"),
    WTF_CSRF_TIME_LIMIT=None,
    SESSION_REFRESH_EACH_REQUEST=False,
    SESSION_COOKIE_NAME="lateral",
)
CSRFProtect(app)
FRAGMENT = "<div>" + "<p>Feedback on the answer, the same for everyone.</p>" * 200 + "</div>"
_local = threading.local()
CACHE = Cache()


def _db() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(os.environ["FLOOR_DB"], isolation_level=None, timeout=10)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        _local.conn = conn
    return conn


@app.get("/")
def join() -> str:
    session["p"] = secrets.token_urlsafe(18)
    return f'<input name="csrf_token" value="{generate_csrf()}">'


INSERT = (
    "INSERT INTO answer (participant, question, option) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
)


@app.post("/answer")
def answer() -> Response:
    row = [session["p"], int(request.form["question"]), request.form["option"]]
    write = os.environ.get("FLOOR_WRITE", "each")
    if write == "each":
        _db().execute(INSERT, row)
    elif write == "group":
        commits.run(_grouped_db(), INSERT, row)
    return Response(FRAGMENT)


def _grouped_db():
    """This thread's connection as Lateral opens it, for Lateral's group commit (which
    keeps the file's writer in the app's cache: here, one for the process)."""
    db = getattr(_local, "grouped", None)
    if db is None:
        db = _local.grouped = connect(os.environ["FLOOR_DB"], CACHE)
    return db


# The driver -------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _measure(args, port: int, server, people, questions: int) -> dict:
    from loadgen import Client, Recorder, closed_loop
    from servers import CpuMeter

    recorder = Recorder()
    clients = [Client(port, recorder) for _ in range(args.concurrency)]
    cpu = CpuMeter(server)
    cpu.start()
    seconds = 0.0
    for question in range(1, questions + 1):
        queue = list(reversed(people))

        async def one(worker: int, _n: int, queue=queue, question=question) -> None:
            cookie, token = queue.pop()
            client = clients[worker]
            client.cookie = cookie
            form = {"csrf_token": token, "question": str(question), "option": "a"}
            await client.send("answer", "POST", "/answer", form=form)

        seconds += await closed_loop(one, args.concurrency, 120, len(people))
    used = cpu.stop()
    for c in clients:
        c.close()
    s = recorder.summary("answer", duration=seconds)
    return {**s, **used}


async def _join(port: int, count: int) -> list[tuple[str, str]]:
    from loadgen import Client, Recorder

    people = []
    for _ in range(count):
        client = Client(port, Recorder())
        r = await client.send("join", "GET", "/")
        people.append((client.cookie, TOKEN.search(r.text).group(1)))
        client.close()
    return people


async def _hello(args, port: int, server) -> dict:
    from loadgen import Recorder
    from scenario import capacity
    from servers import CpuMeter

    rec = Recorder()
    cpu = CpuMeter(server)
    cpu.start()
    seconds = await capacity(port, rec, "hello", args.concurrency, 8, 500_000, "/")
    return {**rec.summary("hello", duration=seconds), **cpu.stop()}


def measure(participants: int, questions: int, opts, tmp: Path, write: str = "group") -> dict:
    """Serve the floor app and bare Flask under the same gunicorn command as
    bench/run.py (``opts``: workers, threads, concurrency); return both runs."""
    sys.path.insert(0, str(BENCH))
    import servers

    tmp.mkdir(parents=True, exist_ok=True)
    db_path = tmp / "floor.db"
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE answer (id INTEGER PRIMARY KEY, participant TEXT NOT NULL, "
        "question INTEGER NOT NULL, option TEXT NOT NULL, UNIQUE (participant, question))"
    )
    conn.close()
    env = {
        **os.environ,
        "FLOOR_DB": str(db_path),
        "FLOOR_SECRET_KEY": secrets.token_hex(32),
        "FLOOR_WRITE": write,
    }
    results = {"write": write}
    for name, target in (("floor", "floor:app"), ("hello", "hello:app")):
        server = servers.Server(
            target,
            workers=opts.workers,
            threads=opts.threads,
            cwd=BENCH,
            env=env,
            log_path=tmp / f"{name}.log",
        )
        server.start()
        try:
            if target == "floor:app":
                people = asyncio.run(_join(server.port, participants))
                results[name] = asyncio.run(_measure(opts, server.port, server, people, questions))
            else:
                results[name] = asyncio.run(_hello(opts, server.port, server))
        finally:
            server.stop()
        run = results[name]
        run["server_cpu_ms_per_request"] = round(1000 * run["server_cpu_s"] / run["count"], 3)
    results["argv"] = " ".join(server.argv[1:-1])
    return results


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--participants", type=int, default=1000)
    p.add_argument("--questions", type=int, default=2)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument(
        "--write",
        choices=["each", "group", "none"],
        default="each",
        help="each answer its own commit (each), Lateral's group commit (group), or no "
        "insert at all, to see what the write itself costs (none)",
    )
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="lateral-floor-"))
    try:
        results = measure(args.participants, args.questions, args, tmp, args.write)
        print(results["argv"])
        for name in ("floor", "hello"):
            r = results[name]
            print(
                f"{name:<17} {r['count']:>6} requests, {r['throughput']:>7.0f}/s, "
                f"p95 {r['p95_ms']} ms, errors {r['errors']}, server CPU "
                f"{r['server_cpu_ms_per_request']:.3f} ms/req "
                f"(generator {1000 * r['generator_cpu_s'] / r['count']:.3f})"
            )
        ratio = results["floor"]["throughput"] / results["hello"]["throughput"]
        print(f"floor answer / bare Flask throughput: {ratio:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
