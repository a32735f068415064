"""The answer path alone under gunicorn: server CPU per answer, user and system time apart.

`bench/run.py` measures answer capacity right after a class of 1,000 has played ten
questions, with the facilitator advancing. This script measures the same requests with
nothing before them but joins (and, with --warm, answers to earlier questions), so the
two can be compared: what an answer costs by itself, and what the server's state after
a class adds. It also reports the context switches per answer, which show how much the
worker threads wait on each other (Python's GIL, SQLite's write lock).

    .venv/bin/python bench/answers.py --participants 1000 --questions 11,12 --warm 1-10

Nothing is written; the figures are printed. It serves the app the way `bench/run.py`
does (bench/servers.py), on a fresh database in a temp dir that is removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import dataset  # noqa: E402
import servers  # noqa: E402
from loadgen import Client, Recorder, closed_loop  # noqa: E402

HX = {"HX-Request": "true"}
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def numbers(text: str) -> list[int]:
    """Read "11,12" or "1-10" (or a mix) as question numbers."""
    out: list[int] = []
    for part in filter(None, text.split(",")):
        low, _, high = part.partition("-")
        out += range(int(low), int(high or low) + 1)
    return out


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--participants", type=int, default=1000)
    p.add_argument("--questions", type=numbers, default=numbers("11,12"), help="timed (11,12)")
    p.add_argument("--warm", type=numbers, default=[], help="answered first, untimed (1-10)")
    p.add_argument("--facilitator", action="store_true", help="goto + dashboard per question")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument(
        "--feedback",
        choices=["now", "reveal"],
        default="now",
        help="the session's feedback: after each answer (now: the feedback fragment)\n"
        "or when the facilitator reveals (reveal: the wait, as bench/run.py runs it)",
    )
    p.add_argument(
        "--early",
        choices=["on", "off"],
        default="on",
        help="answers answered before Flask (EARLY_ANSWERS, play.early_answer): on, or off\n"
        "(every answer through Flask's own path, as before it)",
    )
    p.add_argument(
        "--hello",
        action="store_true",
        help="also bare Flask's hello under the same command and concurrency, and the ratio",
    )
    args = p.parse_args(argv)
    if not 1 <= args.participants <= 5000 or max(args.questions + args.warm) > 34:
        p.error("--participants must be 1..5000 and question numbers 1..34")
    return args


def _proc_times(pids: list[int]) -> tuple[float, float, int]:
    """User seconds, system seconds and context switches of these processes."""
    times = [servers.process_times(pid) for pid in pids]
    return sum(t[0] for t in times), sum(t[1] for t in times), sum(t[2] for t in times)


def join_everyone(db_path: Path, key: str, code: str, count: int) -> list[tuple[str, str]]:
    """Join participants in-process (same database and key); return (cookie, token)."""
    from quiz import create_app

    # From one address, as the server's joins: a workshop's join limits (bench/servers.py).
    app = create_app(
        {
            "DATABASE": str(db_path),
            "SECRET_KEY": key,
            "TESTING": False,
            "JOIN_LIMITS": servers.WORKSHOP_JOIN_LIMITS,
        }
    )
    people = []
    for i in range(count):
        client = app.test_client()
        token = TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
        r = client.post("/join", data={"csrf_token": token, "code": code, "nickname": f"p{i}"})
        if r.status_code != 303:
            raise RuntimeError(f"join failed with {r.status_code}")
        people.append((client.get_cookie("lateral").value, token))
    return people


async def play(args, server: servers.Server, facts: dict, people) -> None:
    recorder = Recorder()
    clients = [Client(server.port, recorder) for _ in range(args.concurrency)]
    by_number = {q["number"]: q for q in facts["questions"]}
    rngs = [random.Random(i) for i in range(len(people))]
    code = facts["code"]
    facilitator = Client(server.port, recorder)
    token = TOKEN.search((await facilitator.send("f", "GET", "/signin")).text).group(1)
    form = {"csrf_token": token, "email": dataset.TEACHER_EMAIL}
    r = await facilitator.send(
        "f", "POST", "/signin", form={**form, "password": dataset.TEACHER_PASSWORD}
    )
    if r is None or r.status != 303:
        raise RuntimeError("the facilitator could not sign in")
    # Signing in renews the CSRF token (issue 13): read the new one from the dashboard.
    token = TOKEN.search((await facilitator.send("f", "GET", f"/run/{code}")).text).group(1)

    async def open_question(number: int, kind: str) -> None:
        form = {"csrf_token": token, "number": str(number)}
        r = await facilitator.send(kind, "POST", f"/run/{code}/goto", form=form)
        if r is None or r.status != 303:
            raise RuntimeError(f"goto {number} failed")
        if kind == "timed-goto":
            await facilitator.send(kind, "GET", f"/run/{code}")

    async def answer_all(number: int, kind: str) -> None:
        q = by_number[number]
        # Each participant answers once: closed_loop's n counts per connection, so the
        # next participant comes from one queue shared by all of them.
        queue = list(range(len(people) - 1, -1, -1))

        async def one(worker: int, _n: int) -> None:
            n = queue.pop()
            cookie, csrf = people[n]
            client = clients[worker]
            client.cookie = cookie
            fields = [("csrf_token", csrf), ("question", str(q["pk"]))]
            fields += dataset.answer_fields(q, rngs[n])
            headers = {**HX, "X-CSRFToken": csrf}
            path = f"/play/{code}/answer"
            await client.send(kind, "POST", path, form=fields, headers=headers)

        await closed_loop(one, args.concurrency, 300, len(people))

    for number in args.warm:
        await open_question(number, "warm-goto")
        await answer_all(number, "warm")
    user0, system0, switches0 = _proc_times(server.pids())
    seconds = 0.0
    for number in args.questions:
        # Without --facilitator the question is opened before the clock runs on.
        if args.facilitator:
            await open_question(number, "timed-goto")
        else:
            user1, system1, switches1 = _proc_times(server.pids())
            await open_question(number, "warm-goto")
            user2, system2, switches2 = _proc_times(server.pids())
            user0 += user2 - user1
            system0 += system2 - system1
            switches0 += switches2 - switches1
        t = asyncio.get_running_loop().time()
        await answer_all(number, "answer")
        seconds += asyncio.get_running_loop().time() - t
    user, system, switches = _proc_times(server.pids())
    for c in clients + [facilitator]:
        c.close()
    s = recorder.summary("answer", duration=seconds)
    n = s["count"]
    print(f"answers {n}, statuses {s['statuses']}, errors {s['errors']}")
    print(f"throughput {n / seconds:.0f}/s, p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms")
    per_answer = (user - user0 + system - system0) / n * 1000
    print(
        f"server CPU per answer {per_answer:.3f} ms "
        f"(user {(user - user0) / n * 1000:.3f}, system {(system - system0) / n * 1000:.3f}); "
        f"context switches per answer {(switches - switches0) / n:.1f}"
    )
    return per_answer


def hello_cpu(args, tmp: Path) -> float:
    """Server CPU ms per request of bare Flask's hello (bench/hello.py) under the same
    gunicorn command and concurrency, closed loop, as bench/floor.py measures it."""
    from loadgen import Recorder
    from scenario import capacity

    server = servers.Server(
        "hello:app",
        workers=args.workers,
        threads=args.threads,
        cwd=BENCH,
        env=dict(os.environ),
        log_path=tmp / "hello.log",
    )
    server.start()
    try:
        cpu = servers.CpuMeter(server)
        cpu.start()
        recorder = Recorder()
        asyncio.run(capacity(server.port, recorder, "hello", args.concurrency, 8, 500_000, "/"))
        used = cpu.stop()
    finally:
        server.stop()
    count = recorder.summary("hello", duration=1.0)["count"]
    ms = used["server_cpu_s"] * 1000 / count
    print(f"bare Flask hello: {count} requests, server CPU per request {ms:.3f} ms")
    return ms


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="lateral-answers-"))
    try:
        instance = tmp / "instance"
        instance.mkdir()
        db_path = instance / "lateral.db"
        facts = dataset.make_database(db_path, feedback=args.feedback)
        os.environ["LATERAL_EARLY_ANSWERS"] = "true" if args.early == "on" else "false"
        key = secrets.token_hex(32)
        people = join_everyone(db_path, key, facts["code"], args.participants)
        server, _env = servers.lateral(
            ROOT,
            db_path,
            instance,
            dataset.QUESTIONS,
            workers=args.workers,
            threads=args.threads,
            log_path=tmp / "gunicorn.log",
            key=key,
        )
        print(" ".join(server.argv[1:]))
        server.start()
        try:
            per_answer = asyncio.run(play(args, server, facts, people))
        finally:
            server.stop()
        if args.hello:
            hello = hello_cpu(args, tmp)
            print(f"answer server CPU / hello's: {per_answer / hello:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
