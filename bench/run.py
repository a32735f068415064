#!/usr/bin/env python3
"""Benchmark Lateral under gunicorn as the README serves it, against a bare Flask app.

    .venv/bin/python bench/run.py --participants 1000

Steps (see bench/README.md for how to read each figure):

1. a fresh SQLite database in a temp dir: migrations, questions/, a teacher, a
   facilitator-led session on the article set;
2. ``gunicorn --workers 4 --threads 4 --bind 127.0.0.1:<free port> 'quiz:create_app()'``;
3. the burst: N participants join, then the facilitator opens Q questions one after
   another; every screen polls every 2 s and everyone answers within ~3 s of each
   advance; RSS of every gunicorn process is sampled every 100 ms;
4. closed-loop capacity at the same concurrency: no-change polls, then answers;
5. the bare Flask app (bench/hello.py) under the same gunicorn settings;
6. in-process: 10,000 no-change polls and 1,000 answers with app.test_client;
7. the report and both CSV downloads over a database of 100,000 answers.

Results: a table on standard output and bench/results/<timestamp>.json.
Every loop is bounded in count and time; only 127.0.0.1 is contacted; every server
started here is stopped at the end, on Ctrl-C and on errors too.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import assets  # noqa: E402
import dataset  # noqa: E402
import figures  # noqa: E402
import floor  # noqa: E402
import scenario  # noqa: E402
import servers  # noqa: E402
import sweep  # noqa: E402
import table  # noqa: E402
from loadgen import LoopLag, Recorder  # noqa: E402

HX = {"HX-Request": "true"}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--participants", type=int, default=1000, help="participants (default 1000)")
    p.add_argument("--questions", type=int, default=10, help="led questions in the burst (10)")
    p.add_argument(
        "--capacity-questions", type=int, default=2, help="questions answered closed-loop (2)"
    )
    p.add_argument(
        "--concurrency", type=int, default=64, help="connections for the capacity runs (64)"
    )
    p.add_argument("--join-seconds", type=float, default=10, help="joins spread over (10 s)")
    p.add_argument("--round-seconds", type=float, default=8, help="time per led question (8 s)")
    p.add_argument(
        "--drain-seconds",
        type=float,
        default=60,
        help="after the last round, wait up to this for outstanding answers (60 s)",
    )
    p.add_argument(
        "--answer-window", type=float, default=3, help="answers spread over (3 s after advance)"
    )
    p.add_argument(
        "--capacity-seconds", type=float, default=8, help="length of each closed-loop run (8 s)"
    )
    p.add_argument("--serial-requests", type=int, default=2000, help="one-at-a-time requests")
    p.add_argument("--inprocess-polls", type=int, default=10_000, help="test_client polls")
    p.add_argument("--inprocess-answers", type=int, default=1000, help="test_client answers")
    p.add_argument("--report-answers", type=int, default=100_000, help="answers for the report")
    p.add_argument(
        "--report-timeout", type=int, default=300, help="stop the report timing after (300 s)"
    )
    p.add_argument("--workers", type=int, default=4, help="gunicorn --workers (README: 4)")
    p.add_argument("--threads", type=int, default=4, help="gunicorn --threads (README: 4)")
    p.add_argument("--no-live", action="store_true", help="no facilitator live-panel polling")
    p.add_argument(
        "--feedback",
        choices=["reveal", "now"],
        default="reveal",
        help="the session's feedback: when the facilitator reveals (default: peer\n"
        "instruction, votes possible) or after each answer (no second votes)",
    )
    p.add_argument(
        "--votes",
        default="2,5",
        help="rounds with a second vote (peer instruction), comma-separated (2,5)",
    )
    p.add_argument(
        "--sweep",
        default="",
        help="only the burst, once per participant count (e.g. 500,1000,2000,3000),\n"
        "each on a fresh database and server, then bare Flask for the hello rate",
    )
    p.add_argument("--no-floor", action="store_true", help="skip bench/floor.py's answer floor")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--max-seconds", type=int, default=1800, help="hard stop for the whole run")
    p.add_argument("--results-dir", type=Path, default=BENCH / "results")
    p.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (logs, databases)")
    p.add_argument(
        "--wait-quiet",
        type=float,
        default=300,
        help="before each phase, wait up to this many seconds for an idle machine (300)",
    )
    args = p.parse_args(argv)
    try:
        args.vote_rounds = frozenset(int(n) for n in args.votes.split(",") if n.strip())
        args.sweep_counts = [int(n) for n in args.sweep.split(",") if n.strip()]
    except ValueError:
        p.error("--votes and --sweep take comma-separated numbers")
    if args.feedback == "now":
        args.vote_rounds = frozenset()  # a second vote needs feedback held until the reveal
    total = args.questions + args.capacity_questions + 1
    if not all(1 <= n <= 5000 for n in [args.participants, *args.sweep_counts]):
        p.error("--participants and --sweep must be 1..5000")
    if args.questions < 1 or args.capacity_questions < 1 or total > 34:
        p.error("--questions + --capacity-questions + 1 must fit the 34 questions of the set")
    return args


# The run ---------------------------------------------------------------------------------


class Abort(Exception):
    """Ctrl-C, SIGTERM or the --max-seconds alarm."""


def _abort(signum, _frame):
    raise Abort(f"stopped by {signal.Signals(signum).name}")


def main(argv=None) -> int:
    args = parse_args(argv)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(sig, _abort)
    signal.alarm(args.max_seconds)
    tmp = Path(tempfile.mkdtemp(prefix="lateral-bench-"))
    result: dict = {"meta": meta(args, tmp)}
    code = 1
    try:
        if args.sweep_counts:
            sweep.run(args, tmp, result)
            result["targets"] = sweep.targets(result, args)
            path = write(result, args.results_dir)
            sweep.print_table(result, args)
        else:
            run_all(args, tmp, result)
            result["targets"] = figures.targets(result, args)
            path = write(result, args.results_dir)
            table.print_table(result, args)
        print(f"\nResults: {path}")
        code = 0 if all(t["pass"] for t in result["targets"]) else 2
    except Abort as exc:
        print(f"\nbench: {exc}; servers stopped", file=sys.stderr)
        code = 130
    finally:
        signal.alarm(0)
        servers.stop_all()
        if args.keep_tmp:
            print(f"Kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return code


def meta(args, tmp: Path) -> dict:
    def git(*cmd):
        try:
            return subprocess.run(
                ["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except OSError:
            return ""

    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]]),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine": {
            "cores": os.cpu_count(),
            "cpu": cpu,
            "memory_gib": round(mem, 1),
            "kernel": platform.release(),
        },
        "python": platform.python_version(),
        "versions": {
            name: _version(name) for name in ("gunicorn", "flask", "werkzeug", "sqlite-utils")
        },
        "sqlite": sqlite3.sqlite_version,
        "git": {
            "commit": git("rev-parse", "--short", "HEAD"),
            "dirty": bool(git("status", "-s", "--untracked-files=no")),
        },
        "server": f"gunicorn --workers {args.workers} --threads {args.threads} "
        "--bind 127.0.0.1:<free port>",
        "tmp": str(tmp),
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def run_all(args, tmp: Path, result: dict) -> None:
    # 1. The database ------------------------------------------------------------------
    instance = tmp / "instance"
    result["quiet"] = {}
    step("setting up a fresh database")
    facts, env, lateral = lateral_server(args, instance)
    db_path = instance / "lateral.db"
    result["session"] = {
        "code": facts["code"],
        "set": dataset.SLUG,
        "questions": len(facts["questions"]),
        "feedback": args.feedback,
    }

    # 2-4. The app under gunicorn ----------------------------------------------------------
    step(f"starting {' '.join(lateral.argv[1:])}")
    lateral.start()
    result["quiet"]["burst"] = quiet(args)
    memory = servers.MemorySampler(lateral, interval=0.1, max_seconds=args.max_seconds)
    memory.start()
    try:
        live = asyncio.run(lateral_phase(args, lateral, facts, db_path))
    finally:
        result["memory"] = memory.stop()
        lateral.stop()
    result.update(live["result"])

    # 4b. The floor under an answer (bench/floor.py, group commit) ------------------------------
    if not args.no_floor:
        step("floor: the least a Flask answer costs (bench/floor.py --write group)")
        result["quiet"]["floor"] = quiet(args)
        result["floor"] = floor.measure(
            args.participants, args.capacity_questions, args, tmp / "floor", write="group"
        )

    # 5. Bare Flask --------------------------------------------------------------------------
    hello = servers.Server(
        "hello:app",
        workers=args.workers,
        threads=args.threads,
        cwd=BENCH,
        env={**os.environ},
        log_path=tmp / "hello-gunicorn.log",
    )
    step(f"starting {' '.join(hello.argv[1:])} (bare Flask)")
    hello.start()
    result["quiet"]["hello"] = quiet(args)
    try:
        result["hello"] = asyncio.run(hello_phase(args, hello))
        result["hello"]["load"] = os.getloadavg()
    finally:
        hello.stop()

    # 6. In-process ----------------------------------------------------------------------------
    step(f"in-process: {args.inprocess_polls} no-change polls, {args.inprocess_answers} answers")
    os.environ.update({k: v for k, v in env.items() if k.startswith("LATERAL_")})
    result["quiet"]["in_process"] = quiet(args)
    result["in_process"] = in_process(args, facts, db_path, live["people"])
    result["in_process"].update(facilitator_in_process(facts, db_path, live["facilitator"]))

    # 7. Report and CSVs over 100,000 answers ---------------------------------------------------
    step(f"report and CSVs over {args.report_answers} answers")
    result["quiet"]["report"] = quiet(args)
    result["report"] = report_timing(args, tmp)


def lateral_server(args, instance: Path) -> tuple[dict, dict, servers.Server]:
    """A fresh database in ``instance`` and the app's server on it (not started yet):
    return the database's facts, the server's environment and the server."""
    instance.mkdir()
    db_path = instance / "lateral.db"
    facts = dataset.make_database(db_path, feedback=args.feedback)
    server, env = servers.lateral(
        ROOT,
        db_path,
        instance,
        dataset.QUESTIONS,
        workers=args.workers,
        threads=args.threads,
        log_path=instance / "gunicorn.log",
    )
    return facts, env, server


def quiet(args) -> dict:
    """Wait for the machine to be idle (bounded); record how that went and the load
    average (uptime's figures) when the phase began."""
    if args.wait_quiet <= 0:
        return {"waited_s": 0, "quiet": None, "load": os.getloadavg()}
    step(f"waiting up to {args.wait_quiet:g} s for an idle machine")
    found = {**servers.wait_quiet(args.wait_quiet), "load": os.getloadavg()}
    if not found["quiet"]:
        step(f"warning: the machine is busy (cores busy: {found['last_busy_cores']}); going on")
    return found


def step(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _state(db_path: Path, code: str) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT state_version FROM session WHERE code = ?", [code]).fetchone()[
            0
        ]
    finally:
        conn.close()


def _count_answers(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT count(*) FROM answer").fetchone()[0]
    finally:
        conn.close()


async def burst_phase(args, server: servers.Server, facts: dict, db_path: Path, n: int):
    """The burst of ``n`` participants; return its figures, the facilitator and people."""
    recorder = Recorder()
    scene = scenario.Scene(
        server.port,
        facts["code"],
        facts["questions"],
        recorder,
        seed=args.seed,
        answer_window=args.answer_window,
    )
    scene.deadline = (
        scenario.now()
        + args.join_seconds
        + 90
        + args.questions * args.round_seconds
        + len(args.vote_rounds) * (args.answer_window + 1.5)
        + args.drain_seconds
        + 30
    )
    step(
        f"burst: {n} participants join over {args.join_seconds:g} s, then "
        f"{args.questions} led questions of {args.round_seconds:g} s"
    )
    lag = LoopLag()
    lag.start()
    cpu = servers.CpuMeter(server)
    cpu.start()
    facilitator, people, timing = await scenario.burst(
        scene,
        n,
        args.questions,
        args.join_seconds,
        args.round_seconds,
        live=not args.no_live,
        drain_seconds=args.drain_seconds,
        votes=args.vote_rounds,
    )
    burst_cpu = cpu.stop()
    stored = _count_answers(db_path)
    joined = sum(p.joined for p in people)
    voted = [r for r in timing["rounds"] if r.get("vote_ok")]
    answered = sum(len(p.answered) + len(p.revoted) for p in people)
    out = {
        "participants": n,
        "joined": joined,
        "questions": args.questions,
        "answers_ok": answered,
        "answers_expected": n * (args.questions + len(voted)),
        "vote_rounds": [r["number"] for r in voted],
        "answers_stored": stored,
        "timing": timing,
        "cpu": burst_cpu,
        "generator_loop_lag": await lag.stop(),
        "kinds": {k: recorder.summary(k) for k in recorder.kinds()},
        "rounds": scenario.round_summary(scene, args.answer_window),
    }
    ok_offsets = [end for _pk, _s, end, status in scene.answer_log if status == 200]
    out["answers_within_window"] = sum(1 for o in ok_offsets if o <= args.answer_window)
    return out, scene, facilitator, people


async def lateral_phase(args, server: servers.Server, facts: dict, db_path: Path) -> dict:
    out: dict = {}
    cpu = servers.CpuMeter(server)
    out["burst"], scene, facilitator, people = await burst_phase(
        args, server, facts, db_path, args.participants
    )
    joined = out["burst"]["joined"]

    # Capacity: no-change polls, one at a time and then closed-loop --------------------------
    cap = Recorder()
    state = _state(db_path, facts["code"])
    poll_path = f"/play/{facts['code']}/poll?v={state}&at=wait"
    cookie = next(p.client.cookie for p in people if p.joined)
    step(f"capacity: {args.serial_requests} polls one at a time, then {args.concurrency} at once")
    await scenario.capacity(
        server.port, cap, "poll-serial", 1, 30, args.serial_requests, poll_path, cookie, HX
    )
    cpu.start()
    poll_seconds = await scenario.capacity(
        server.port,
        cap,
        "poll-capacity",
        args.concurrency,
        args.capacity_seconds,
        500_000,
        poll_path,
        cookie,
        HX,
    )
    poll_cpu = cpu.stop()
    room_path = await scenario.room_poll_path(facilitator)
    step(f"capacity: the room screen's poll, {args.concurrency} at once")
    cpu.start()
    room_seconds = await scenario.capacity(
        server.port,
        cap,
        "room-capacity",
        args.concurrency,
        args.capacity_seconds,
        500_000,
        room_path,
        facilitator.client.cookie,
        HX,
    )
    room_cpu = cpu.stop()
    step("static files and compression, as a phone fetches them")
    out["assets"] = await assets.check(server.port, facts["code"], cookie)
    # Capacity: every participant answers a newly opened question at once --------------------
    numbers = list(range(args.questions + 1, args.questions + 1 + args.capacity_questions))
    step(f"capacity: {joined} answers to each of questions {numbers}, {args.concurrency} at once")
    cpu.start()
    before = _count_answers(db_path)
    answer_run = await scenario.answer_capacity(
        scene, facilitator, people, numbers, args.concurrency, cap, 120
    )
    answer_cpu = cpu.stop()
    answer_run["stored"] = _count_answers(db_path) - before
    out["capacity"] = {
        "concurrency": args.concurrency,
        "poll_serial": cap.summary("poll-serial"),
        "poll": {
            **cap.summary("poll-capacity", duration=poll_seconds),
            **_per_request(poll_cpu, cap, "poll-capacity"),
        },
        "room_poll": {
            **cap.summary("room-capacity", duration=room_seconds),
            **_per_request(room_cpu, cap, "room-capacity"),
        },
        "answer": {
            **cap.summary("answer-capacity", duration=answer_run["seconds"]),
            **answer_run,
            **_per_request(answer_cpu, cap, "answer-capacity"),
        },
    }
    for p in people:
        p.client.close()
    facilitator.client.close()
    return {
        "result": out,
        "people": [p for p in people if p.joined],
        "facilitator": facilitator.client.cookie,
    }


def _per_request(cpu: dict, recorder: Recorder, kind: str) -> dict:
    count = len(recorder.latencies.get(kind, []))
    if not count:
        return {**cpu, "server_cpu_ms_per_request": None}
    return {
        **cpu,
        "server_cpu_ms_per_request": round(1000 * cpu["server_cpu_s"] / count, 3),
        "server_user_ms_per_request": round(1000 * cpu["server_user_s"] / count, 3),
        "server_system_ms_per_request": round(1000 * cpu["server_system_s"] / count, 3),
        "context_switches_per_request": round(cpu["server_context_switches"] / count, 1),
    }


async def hello_phase(args, server: servers.Server) -> dict:
    rec = Recorder()
    step(f"bare Flask: {args.serial_requests} one at a time, then {args.concurrency} at once")
    await scenario.capacity(server.port, rec, "hello-serial", 1, 30, args.serial_requests, "/")
    cpu = servers.CpuMeter(server)
    cpu.start()
    seconds = await scenario.capacity(
        server.port, rec, "hello", args.concurrency, args.capacity_seconds, 500_000, "/"
    )
    used = cpu.stop()
    return {
        "serial": rec.summary("hello-serial"),
        "capacity": {
            **rec.summary("hello", duration=seconds),
            **_per_request(used, rec, "hello"),
        },
    }


# In-process -----------------------------------------------------------------------------


def _timed(calls, cpu_seconds: float | None = None) -> dict:
    times = sorted(calls)
    out = {
        "count": len(times),
        "mean_ms": round(1000 * statistics.fmean(times), 4),
        "p50_ms": round(1000 * times[len(times) // 2], 4),
        "p99_ms": round(1000 * times[int(0.99 * (len(times) - 1))], 4),
    }
    if cpu_seconds is not None:
        out["cpu_ms"] = round(1000 * cpu_seconds / len(times), 4)
    return out


def _repeat(call, n: int) -> tuple[list[float], float, dict]:
    """Call ``call()`` n times; return wall times, CPU seconds and status counts."""
    times, statuses = [], {}
    cpu = time.process_time()
    for _ in range(n):
        t = time.perf_counter()
        status = call()
        times.append(time.perf_counter() - t)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return times, time.process_time() - cpu, statuses


def in_process(args, facts: dict, db_path: Path, people) -> dict:
    """Time the app's own work per request, without HTTP, one request at a time.

    Wall time and CPU time are both kept: on a shared machine the CPU time per
    request is the steadier of the two.
    """
    import hello

    from quiz import create_app
    from quiz.storage import queries
    from quiz.storage.connection import connect

    app = create_app()
    client = app.test_client()
    code = facts["code"]
    state = _state(db_path, code)
    path = f"/play/{code}/poll?v={state}&at=wait"
    client.set_cookie("lateral", people[0].client.cookie)

    def poll():
        r = client.get(path, headers=HX)
        r.close()
        return r.status_code

    _repeat(poll, 200)  # warm up
    # Alone: the request's connection is the only one, so closing it checkpoints the
    # WAL and removes the -wal and -shm files (what an idle server does per request).
    times, cpu, statuses = _repeat(poll, args.inprocess_polls)
    alone = {**_timed(times, cpu), "statuses": statuses}
    # Beside another open connection, as on a server with other requests in flight.
    holder = sqlite3.connect(db_path)
    holder.execute("SELECT count(*) FROM session").fetchone()
    try:
        times, cpu, statuses = _repeat(poll, args.inprocess_polls)
    finally:
        holder.close()
    busy = {**_timed(times, cpu), "statuses": statuses}

    hello_client = hello.app.test_client()

    def bare():
        r = hello_client.get("/")
        r.close()
        return r.status_code

    _repeat(bare, 200)
    times, cpu, _ = _repeat(bare, args.inprocess_polls)
    bare_flask = _timed(times, cpu)

    # Answers: open one more question and let participants answer it, one at a time.
    number = args.questions + args.capacity_questions + 1
    q = next(q for q in facts["questions"] if q["number"] == number)
    db = connect(db_path)
    try:
        session_id = queries.session_by_code(db, code)["id"]
        queries.set_current(db, session_id, number)
    finally:
        db.close()
    chosen = iter(people[: args.inprocess_answers])

    def answer():
        p = next(chosen)
        client.set_cookie("lateral", p.client.cookie)
        data: dict[str, list[str]] = {}
        fields = [("csrf_token", p.token or ""), ("question", str(q["pk"]))]
        for k, v in fields + dataset.answer_fields(q, p.rng):
            data.setdefault(k, []).append(v)
        r = client.post(
            f"/play/{code}/answer", data=data, headers={**HX, "X-CSRFToken": p.token or ""}
        )
        r.close()
        return r.status_code

    times, cpu, statuses = _repeat(answer, min(args.inprocess_answers, len(people)))
    return {
        "poll_204": busy,
        "poll_204_alone": alone,
        "hello": bare_flask,
        "answer": {**_timed(times, cpu), "statuses": statuses},
        "answer_question": {"number": number, "type": q["type"]},
    }


def facilitator_in_process(facts: dict, db_path: Path, cookie: str | None) -> dict:
    """The facilitator's screens at the burst's size, in-process: the live panel's
    changed refresh (server time and bytes) and the room screen's no-change poll."""
    import re
    from html import unescape

    from quiz import create_app

    app = create_app()
    client = app.test_client()
    client.set_cookie("lateral", cookie or "")
    code = facts["code"]
    page = client.get(f"/run/{code}").get_data(as_text=True)
    live = re.search(r'<div id="live" hx-get="([^"]+)"', page)
    room = re.search(r'<div id="room" [^>]*hx-get="([^"]+)"', client.get(f"/run/{code}/room").text)
    if live is None or room is None:
        return {"live_changed": None, "room_poll_204": None}
    # A changed refresh: the panel as it was before anything happened (state 0).
    changed = re.sub(r"state=\d+", "state=0", unescape(live.group(1)))
    sizes = []
    raw = client.get(changed, headers=HX)
    raw_bytes = len(raw.get_data())
    raw.close()

    def refresh():
        # As the dashboard's browser asks: compressed (Brotli), and timed with it.
        r = client.get(changed, headers={**HX, "Accept-Encoding": "br, gzip"})
        sizes.append(len(r.get_data()))
        r.close()
        return r.status_code

    refresh()
    times, cpu, statuses = _repeat(refresh, 20)
    room_url = unescape(room.group(1))

    def room_poll():
        r = client.get(room_url, headers=HX)
        r.close()
        return r.status_code

    _repeat(room_poll, 100)
    rtimes, rcpu, rstatuses = _repeat(room_poll, 2000)
    return {
        "live_changed": {
            **_timed(times, cpu),
            "statuses": statuses,
            "bytes": max(sizes),
            "raw_bytes": raw_bytes,
        },
        "room_poll_204": {**_timed(rtimes, rcpu), "statuses": rstatuses},
    }


def report_timing(args, tmp: Path) -> dict:
    """Time the report page and both CSVs (views, queries included) over many answers.

    The timing runs in a child process that writes each figure as soon as it has it;
    after --report-timeout seconds the child is killed and what it did not finish is
    reported as not finished.
    """
    import multiprocessing

    db_path = tmp / "report" / "lateral.db"
    t = time.perf_counter()
    facts = dataset.make_report_database(db_path, args.report_answers, seed=args.seed)
    made = time.perf_counter() - t
    out_path = tmp / "report" / "timing.json"
    child = multiprocessing.get_context("fork").Process(
        target=_report_child, args=(db_path, facts["code"], out_path), daemon=True
    )
    child.start()
    child.join(args.report_timeout)
    finished = not child.is_alive()
    if not finished:
        step(f"report timing still running after {args.report_timeout} s: stopping it")
        child.terminate()
        child.join(10)
        if child.is_alive():
            child.kill()
            child.join(5)
    partial = json.loads(out_path.read_text()) if out_path.exists() else {}
    http = partial.get("http", {})
    for name in REPORT_PAGES:
        http.setdefault(
            name,
            {"median_s": None, "status": None, "bytes": 0, "not_finished": args.report_timeout},
        )
    return {
        "answers": facts["answers"],
        "participants": facts["participants"],
        "questions": len(facts["questions"]),
        "generate_s": round(made, 2),
        "timeout_s": args.report_timeout,
        "finished": finished,
        "http": http,
        "breakdown_s": partial.get("breakdown_s", {}),
        "breakdown_cpu_s": partial.get("breakdown_cpu_s", {}),
    }


REPORT_PAGES = {
    "answers_csv": "/run/{code}/answers.csv",
    "participants_csv": "/run/{code}/participants.csv",
    "report": "/run/{code}/report",
}


def _report_child(db_path: Path, code: str, out_path: Path) -> None:
    """In the child: GET each page as the signed-in owner (in-process), then time the
    calls the views make, saving the figures after each one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    import report as report_bench  # bench/report.py

    from quiz.play import sessions
    from quiz.results import charts, csv_files, report
    from quiz.storage import queries
    from quiz.storage.connection import get_db

    client = report_bench.signed_in_client(db_path)
    app = client.application
    out: dict = {"http": {}, "breakdown_s": {}, "breakdown_cpu_s": {}}

    def save():
        tmp = out_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(out))
        tmp.replace(out_path)

    slow = False
    for name, pattern in REPORT_PAGES.items():
        runs, cpu_runs, status, size = [], [], None, 0
        for _ in range(3):
            t, c = time.perf_counter(), time.process_time()
            r = client.get(pattern.format(code=code))
            body = r.get_data()
            runs.append(time.perf_counter() - t)
            cpu_runs.append(time.process_time() - c)
            status, size = r.status_code, len(body)
            r.close()
            out["http"][name] = {
                "median_s": round(statistics.median(runs), 3),
                "min_s": round(min(runs), 3),
                "max_s": round(max(runs), 3),
                "cpu_s": round(statistics.median(cpu_runs), 3),
                "runs": len(runs),
                "status": status,
                "bytes": size,
            }
            save()
            if runs[-1] > 5:  # one run of a slow page is enough
                slow = slow or name == "report"
                break
    # Where the time goes: the same calls the views make.
    with app.app_context():
        db = get_db()

        def lap(name, fn):
            t, c = time.perf_counter(), time.process_time()
            value = fn()
            out["breakdown_s"][name] = round(time.perf_counter() - t, 3)
            out["breakdown_cpu_s"][name] = round(time.process_time() - c, 3)
            save()
            return value

        sess = lap("load_session", lambda: sessions.load_session(db, code))
        people = lap("participants_of", lambda: queries.participants_of(db, sess.row["id"]))
        answers = lap("answers_in", lambda: queries.answers_in(db, sess.row["id"]))
        misc = lap("misconceptions", lambda: sess.misconceptions)
        args_ = (sess.questions, people, sess.teams, answers)
        lap("csv_files.answers_csv", lambda: csv_files.answers_csv(*args_))
        lap("csv_files.participants_csv", lambda: csv_files.participants_csv(*args_))
        if not slow:
            built = lap("report.build", lambda: report.build(*args_, misc))
            lap("charts.charts_for", lambda: charts.charts_for(built))


# Results ------------------------------------------------------------------------------------


def write(result: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
