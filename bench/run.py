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
import secrets
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

import dataset  # noqa: E402
import scenario  # noqa: E402
import servers  # noqa: E402
from loadgen import LoopLag, Recorder  # noqa: E402

HX = {"HX-Request": "true"}

TARGETS = {
    "answer_vs_hello": 0.3,
    "burst_answer_p95_ms": 300,
    "poll_server_ms": 2.0,
    "polling_share": 0.25,
    "report_s": 1.0,
    "rss_mb": 600,
}


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
    total = args.questions + args.capacity_questions + 1
    if not 1 <= args.participants <= 5000:
        p.error("--participants must be 1..5000")
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
        run_all(args, tmp, result)
        result["targets"] = targets(result, args)
        path = write(result, args.results_dir)
        print_table(result, args)
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
    instance.mkdir()
    db_path = instance / "lateral.db"
    result["quiet"] = {}
    step("setting up a fresh database")
    facts = dataset.make_database(db_path)
    env = {
        **os.environ,
        "LATERAL_DATABASE": str(db_path),
        "LATERAL_SECRET_KEY": secrets.token_hex(32),
        "LATERAL_INSTANCE_PATH": str(instance),
        "LATERAL_QUESTIONS_DIR": str(dataset.QUESTIONS),
    }
    result["session"] = {"code": facts["code"], "set": dataset.SLUG, "questions": 34}

    # 2-4. The app under gunicorn ----------------------------------------------------------
    lateral = servers.Server(
        "quiz:create_app()",
        workers=args.workers,
        threads=args.threads,
        cwd=ROOT,
        env=env,
        log_path=tmp / "lateral-gunicorn.log",
        health_path="/healthz",
    )
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
    finally:
        hello.stop()

    # 6. In-process ----------------------------------------------------------------------------
    step(f"in-process: {args.inprocess_polls} no-change polls, {args.inprocess_answers} answers")
    os.environ.update({k: v for k, v in env.items() if k.startswith("LATERAL_")})
    result["quiet"]["in_process"] = quiet(args)
    result["in_process"] = in_process(args, facts, db_path, live["people"])

    # 7. Report and CSVs over 100,000 answers ---------------------------------------------------
    step(f"report and CSVs over {args.report_answers} answers")
    result["quiet"]["report"] = quiet(args)
    result["report"] = report_timing(args, tmp)


def quiet(args) -> dict:
    """Wait for the machine to be idle (bounded); record how that went."""
    if args.wait_quiet <= 0:
        return {"waited_s": 0, "quiet": None}
    step(f"waiting up to {args.wait_quiet:g} s for an idle machine")
    found = servers.wait_quiet(args.wait_quiet)
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


async def lateral_phase(args, server: servers.Server, facts: dict, db_path: Path) -> dict:
    out: dict = {}
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
        + args.drain_seconds
        + 30
    )
    step(
        f"burst: {args.participants} participants join over {args.join_seconds:g} s, then "
        f"{args.questions} led questions of {args.round_seconds:g} s"
    )
    lag = LoopLag()
    lag.start()
    cpu = servers.CpuMeter(server)
    cpu.start()
    facilitator, people, timing = await scenario.burst(
        scene,
        args.participants,
        args.questions,
        args.join_seconds,
        args.round_seconds,
        live=not args.no_live,
        drain_seconds=args.drain_seconds,
    )
    burst_cpu = cpu.stop()
    stored = _count_answers(db_path)
    joined = sum(p.joined for p in people)
    answered = sum(len(p.answered) for p in people)
    out["burst"] = {
        "participants": args.participants,
        "joined": joined,
        "questions": args.questions,
        "answers_ok": answered,
        "answers_expected": args.participants * args.questions,
        "answers_stored": stored,
        "timing": timing,
        "cpu": burst_cpu,
        "generator_loop_lag": await lag.stop(),
        "kinds": {k: recorder.summary(k) for k in recorder.kinds()},
        "rounds": scenario.round_summary(scene, args.answer_window),
    }
    answers = [e for e in scene.answer_log]
    ok_offsets = [end for _pk, _s, end, status in answers if status == 200]
    out["burst"]["answers_within_window"] = sum(1 for o in ok_offsets if o <= args.answer_window)

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
        "answer": {
            **cap.summary("answer-capacity", duration=answer_run["seconds"]),
            **answer_run,
            **_per_request(answer_cpu, cap, "answer-capacity"),
        },
    }
    for p in people:
        p.client.close()
    facilitator.client.close()
    return {"result": out, "people": [p for p in people if p.joined]}


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
    from quiz import create_app
    from quiz.play import sessions
    from quiz.results import charts, csv_files, report
    from quiz.storage import queries
    from quiz.storage.connection import get_db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_hex(16),
            "DATABASE": str(db_path),
            "QUESTIONS_DIR": str(dataset.QUESTIONS),
            "WTF_CSRF_ENABLED": False,
        }
    )
    client = app.test_client()
    r = client.post(
        "/signin", data={"email": dataset.TEACHER_EMAIL, "password": dataset.TEACHER_PASSWORD}
    )
    if r.status_code != 303:
        raise RuntimeError(f"report: sign-in failed with {r.status_code}")
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


# Targets, results, table ---------------------------------------------------------------------


def targets(r: dict, args) -> list[dict]:
    burst_answer = r["burst"]["kinds"].get("answer", {})
    hello_tp = r["hello"]["capacity"]["throughput"] or 0
    answer_tp = r["capacity"]["answer"]["throughput"] or 0
    poll_tp = r["capacity"]["poll"]["throughput"] or 0
    ratio = answer_tp / hello_tp if hello_tp else 0
    needed = args.participants / scenario.POLL_SECONDS
    share = needed / poll_tp if poll_tp else float("inf")
    ip = r["in_process"]["poll_204"]
    poll_204 = ip["statuses"] == {"204": ip["count"]} and r["capacity"]["poll"]["errors"] == 0
    serial_statuses = r["capacity"]["poll_serial"]["statuses"]
    poll_204 = poll_204 and set(serial_statuses) == {"204"}
    http = r["report"]["http"]
    r["derived"] = {
        "answer_vs_hello": round(ratio, 3),
        "polls_needed_per_s": needed,
        "poll_capacity_per_s": poll_tp,
        "polling_share_of_capacity": round(share, 3),
        "answers_per_s_given_up_to_polling": round(share * answer_tp, 1),
        "answer_capacity_per_s": answer_tp,
        "polling_share_by_cpu": round(
            needed
            * (r["capacity"]["poll"]["server_cpu_ms_per_request"] or 0)
            / 1000
            / (os.cpu_count() or 1),
            3,
        ),
    }

    # What the ratio would be if both were CPU-bound on an otherwise idle machine:
    # cores / (server + generator CPU per request), from the CPU each run used.
    def cpu_rate(run: dict, count: int) -> float | None:
        used = run.get("server_cpu_s", 0) + run.get("generator_cpu_s", 0)
        return (os.cpu_count() or 1) * count / used if used and count else None

    hello_run = r["hello"]["capacity"]
    answer_run = r["capacity"]["answer"]
    hello_cpu_rate = cpu_rate(hello_run, hello_run["count"])
    answer_cpu_rate = cpu_rate(answer_run, answer_run["count"])
    r["derived"]["cpu_bound_estimate"] = {
        "hello_per_s": round(hello_cpu_rate or 0),
        "answer_per_s": round(answer_cpu_rate or 0),
        "answer_vs_hello": round(answer_cpu_rate / hello_cpu_rate, 3)
        if hello_cpu_rate and answer_cpu_rate
        else None,
    }
    p95 = burst_answer.get("p95_ms")
    out = [
        (
            "answer capacity >= 0.3 x bare Flask (same run, same concurrency)",
            ratio >= TARGETS["answer_vs_hello"],
            f"{answer_tp:.0f}/s vs {hello_tp:.0f}/s = {ratio:.2f}",
        ),
        (
            f"burst: {args.participants} answering within {args.answer_window:g} s, zero errors",
            burst_answer.get("errors", 1) == 0
            and r["burst"]["answers_ok"] == r["burst"]["answers_expected"]
            and r["burst"]["answers_stored"] == r["burst"]["answers_expected"],
            f"{burst_answer.get('errors')} errors; {r['burst']['answers_ok']} of "
            f"{r['burst']['answers_expected']} answered, {r['burst']['answers_stored']} stored",
        ),
        (
            "burst: answer p95 < 300 ms",
            p95 is not None and p95 < TARGETS["burst_answer_p95_ms"],
            f"p95 {p95} ms",
        ),
        (
            "no-change poll: 204 and < 2 ms server time",
            poll_204 and ip["mean_ms"] < TARGETS["poll_server_ms"],
            f"{ip['mean_ms']:.3f} ms in-process mean (CPU {ip['cpu_ms']:.3f} ms; "
            f"{r['in_process']['poll_204_alone']['mean_ms']:.3f} ms with no other connection); "
            f"statuses {ip['statuses']}",
        ),
        (
            f"polling by {args.participants} <= 1/4 of capacity",
            share <= TARGETS["polling_share"],
            f"{needed:.0f} polls/s / {poll_tp:.0f} polls/s = {share:.2f} "
            f"(= {share * answer_tp:.0f} of {answer_tp:.0f} answers/s)",
        ),
    ]
    for name, label in (
        ("report", "report page"),
        ("answers_csv", "answers CSV"),
        ("participants_csv", "participants CSV"),
    ):
        h = http[name]
        if h.get("median_s") is None:
            measured = f"did not finish within {r['report']['timeout_s']} s"
        else:
            measured = (
                f"{h['median_s']:.3f} s (median of {h['runs']}; CPU {h['cpu_s']:.3f} s), "
                f"status {h['status']}"
            )
        out.append(
            (
                f"{label} over {r['report']['answers']} answers < 1 s",
                h["status"] == 200 and (h["median_s"] or 1e9) < TARGETS["report_s"],
                measured,
            )
        )
    out.append(
        (
            "all server processes < 600 MB RSS during the burst",
            r["memory"]["peak_rss_total_mb"] < TARGETS["rss_mb"],
            f"peak {r['memory']['peak_rss_total_mb']} MB summed over "
            f"{r['memory']['processes']} processes",
        )
    )
    return [{"target": t, "pass": bool(ok), "measured": m} for t, ok, m in out]


def write(result: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


def _f(v, width=8, digits=1) -> str:
    if v is None:
        return "-".rjust(width)
    if isinstance(v, float):
        return f"{v:.{digits}f}".rjust(width)
    return str(v).rjust(width)


def _row(label: str, s: dict) -> str:
    return (
        f"{label:<28}{_f(s['count'])}{_f(s['throughput'], 9)}{_f(s['p50_ms'])}{_f(s['p95_ms'])}"
        f"{_f(s['p99_ms'])}{_f(s['max_ms'], 9)}{_f(s['errors'], 7)}"
    )


HEADER = (
    f"{'request':<28}{'count':>8}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    f"{'max ms':>9}{'errors':>7}"
)
LABELS = {
    "home": "home (GET /)",
    "static": "static files (200/304)",
    "join": "join (POST /join)",
    "page": "page (GET /play/<code>)",
    "poll": "poll, no change (204)",
    "poll-changed": "poll, changed (200)",
    "answer": "answer (POST, htmx)",
    "goto": "facilitator goto (303)",
    "dashboard": "facilitator dashboard",
    "live": "live panel, no change",
    "live-changed": "live panel, changed",
    "signin": "facilitator sign-in",
}


def print_table(r: dict, args) -> None:
    m = r["meta"]
    b = r["burst"]
    print()
    print(f"Lateral benchmark, {m['date']}, {m['machine']['cores']} cores ({m['machine']['cpu']})")
    print(
        f"server: {m['server']}; git {m['git']['commit']}{' (dirty)' if m['git']['dirty'] else ''}"
    )
    print()
    print(
        f"BURST: {b['participants']} participants ({b['joined']} joined over "
        f"{args.join_seconds:g} s), {b['questions']} led questions, {args.round_seconds:g} s each, "
        f"then {b['timing']['drain_s']} s for outstanding answers; {b['timing']['total_s']} s"
    )
    print(HEADER)
    order = [k for k in LABELS if k in b["kinds"]] + [k for k in b["kinds"] if k not in LABELS]
    for kind in order:
        print(_row(LABELS.get(kind, kind), b["kinds"][kind]))
    print(
        f"answers: {b['answers_ok']} ok of {b['answers_expected']}, {b['answers_stored']} stored, "
        f"{b['answers_within_window']} completed within {args.answer_window:g} s of their advance"
    )
    print(
        f"server CPU {b['cpu']['server_cpu_s']} s, generator CPU {b['cpu']['generator_cpu_s']} s; "
        f"generator loop lag p99 {b['generator_loop_lag']['p99_ms']} ms, "
        f"max {b['generator_loop_lag']['max_ms']} ms"
    )
    print(
        "per round (number/type: answers ok, within window, last answer s, p95 ms): "
        + "; ".join(
            f"{x['number']}/{x['type']}: {x['ok']}, {x['within_window']}, {x['last_answer_s']}, "
            f"{x['p95_ms']}"
            for x in b["rounds"]
        )
    )
    c = r["capacity"]
    h = r["hello"]
    print()
    print(f"CAPACITY: closed loop, {c['concurrency']} keep-alive connections (serial: 1)")
    print(HEADER + f"{'srv CPU ms/req':>16}")
    for label, s in (
        ("bare Flask hello", h["capacity"]),
        ("poll, no change (204)", c["poll"]),
        ("answer (POST, htmx)", c["answer"]),
    ):
        print(_row(label, s) + _f(s.get("server_cpu_ms_per_request"), 16, 3))
    print(_row("bare Flask hello, serial", h["serial"]))
    print(_row("poll 204, serial", c["poll_serial"]))
    ip = r["in_process"]
    d = r["derived"]
    print()
    print("FIGURES")
    est = d["cpu_bound_estimate"]
    print(
        f"  answer capacity / bare Flask capacity     {d['answer_vs_hello']:.2f} measured; "
        f"{est['answer_vs_hello']} if CPU-bound on an idle machine ({est['answer_per_s']}/s vs "
        f"{est['hello_per_s']}/s from CPU per request)"
    )
    for label, x in (("answer", c["answer"]), ("bare Flask hello", h["capacity"])):
        if "server_user_ms_per_request" in x:
            spread = " / ".join(f"{v:g}" for v in x["server_cpu_s_by_process"])
            print(
                f"  {label + ' server CPU, closed loop':<41} user "
                f"{x['server_user_ms_per_request']:.3f} + system "
                f"{x['server_system_ms_per_request']:.3f} ms/req, "
                f"{x['context_switches_per_request']} context switches/req; "
                f"CPU s by process {spread}"
            )
    for label, x in (
        ("no-change poll, in-process (test_client)", ip["poll_204"]),
        ("  same, connection alone (idle server)", ip["poll_204_alone"]),
        ("bare Flask hello, in-process", ip["hello"]),
    ):
        print(
            f"  {label:<41} mean {x['mean_ms']:.3f} ms, p99 {x['p99_ms']:.3f} ms, "
            f"CPU {x['cpu_ms']:.3f} ms" + (f"; {x['statuses']}" if "statuses" in x else "")
        )
    print(
        f"  no-change poll over HTTP, one at a time   mean {c['poll_serial']['mean_ms']} ms "
        f"(bare Flask hello {h['serial']['mean_ms']} ms)"
    )
    print(
        f"  answer, in-process one at a time          mean {ip['answer']['mean_ms']:.2f} ms, "
        f"p99 {ip['answer']['p99_ms']:.2f} ms, CPU {ip['answer']['cpu_ms']:.2f} ms "
        f"(statuses {ip['answer']['statuses']})"
    )
    print(
        f"  polling {args.participants} every 2 s               {d['polls_needed_per_s']:.0f}/s "
        f"of {d['poll_capacity_per_s']:.0f}/s capacity = {d['polling_share_of_capacity']:.2f} "
        f"(by server CPU: {d['polling_share_by_cpu']:.2f}); "
        f"costs {d['answers_per_s_given_up_to_polling']:.0f} of {d['answer_capacity_per_s']:.0f} "
        "answers/s"
    )
    mem = r["memory"]
    print(
        f"  peak RSS, all gunicorn processes          {mem['peak_rss_total_mb']} MB "
        f"(largest process {mem['peak_rss_largest_process_mb']} MB; PSS at end "
        f"{mem['pss_total_at_end_mb']} MB)"
    )
    rep = r["report"]
    print(
        f"  report over {rep['answers']} answers ({rep['participants']} participants x "
        f"{rep['questions']} questions):"
    )
    for name, x in rep["http"].items():
        if x.get("median_s") is None:
            print(f"    GET {name:<18} did not finish within {rep['timeout_s']} s")
            continue
        print(
            f"    GET {name:<18} median {x['median_s']:.3f} s of {x['runs']} (CPU "
            f"{x['cpu_s']:.3f} s), status {x['status']}, {x['bytes'] / 1e6:.1f} MB"
        )
    print(
        "    breakdown (CPU s): "
        + ", ".join(f"{k} {v:.3f}" for k, v in rep["breakdown_cpu_s"].items())
    )
    phases = {
        "burst": b["cpu"],
        "poll capacity": c["poll"],
        "answer capacity": c["answer"],
        "hello capacity": h["capacity"],
    }
    print(
        "  other processes on the machine (cores)    "
        + ", ".join(f"{k} {v.get('other_cores_avg')}" for k, v in phases.items())
    )
    busy = [k for k, v in phases.items() if (v.get("other_cores_avg") or 0) > 0.2]
    if busy:
        print(f"  WARNING: the machine was busy with other work during {', '.join(busy)}:")
        print("  wall-clock figures there are not reliable (CPU-time figures are steadier).")
    print()
    print("TARGETS")
    for t in r["targets"]:
        print(f"  [{'pass' if t['pass'] else 'MISS'}] {t['target']}: {t['measured']}")


if __name__ == "__main__":
    sys.exit(main())
