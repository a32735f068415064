"""The participant sweep: the same burst at several class sizes, to find the knee.

    .venv/bin/python bench/run.py --sweep 500,1000,2000,3000

Each size gets a fresh database and a fresh server (as the README serves it), the
burst only (join stampede, led rounds with second votes, the facilitator's dashboard
and room screen), and the RSS of every server process. Bare Flask runs once at the
end for the machine's hello rate, printed beside every absolute figure.
"""

from __future__ import annotations

import asyncio
import os

import figures
import servers


def run(args, tmp, result: dict) -> None:
    import run as bench  # bench/run.py: the phases (imported here: it imports this module)

    result["sweep"] = []
    result["quiet"] = {}
    for n in args.sweep_counts:
        bench.step(f"sweep: {n} participants, fresh database")
        instance = tmp / f"sweep-{n}"
        facts, _env, server = bench.lateral_server(args, instance)
        db_path = instance / "lateral.db"
        server.start()
        result["quiet"][f"burst {n}"] = bench.quiet(args)
        memory = servers.MemorySampler(server, interval=0.1, max_seconds=args.max_seconds)
        memory.start()
        try:
            burst, *_ = asyncio.run(bench.burst_phase(args, server, facts, db_path, n))
        finally:
            burst["memory"] = memory.stop()
            server.stop()
        burst["load_after"] = os.getloadavg()
        result["sweep"].append(burst)
    hello = servers.Server(
        "hello:app",
        workers=args.workers,
        threads=args.threads,
        cwd=bench.BENCH,
        env={**os.environ},
        log_path=tmp / "hello-gunicorn.log",
    )
    hello.start()
    result["quiet"]["hello"] = bench.quiet(args)
    try:
        result["hello"] = asyncio.run(bench.hello_phase(args, hello))
    finally:
        hello.stop()


def targets(r: dict, args) -> list[dict]:
    rate = figures.hello_rate(r)
    out = []
    for b in r["sweep"]:
        n = b["participants"]
        out += figures._burst_targets(b, f"burst of {n}", rate)
        out.append(
            (
                f"burst of {n}: all server processes < {figures.TARGETS['rss_mb']} MB RSS",
                b["memory"]["peak_rss_total_mb"] < figures.TARGETS["rss_mb"],
                f"peak {b['memory']['peak_rss_total_mb']} MB",
            )
        )
    return [{"target": t, "pass": bool(ok), "measured": m} for t, ok, m in out]


def print_table(r: dict, args) -> None:
    m = r["meta"]
    print()
    print(f"Lateral participant sweep, {m['date']}, {m['machine']['cores']} cores")
    print(f"server: {m['server']}; git {m['git']['commit']}; {figures.hello_rate(r)}")
    print(
        f"{'participants':>12}{'answers':>9}{'ok':>8}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'in 3 s':>8}{'home p95':>10}{'join p95':>10}{'RSS MB':>8}  load after"
    )
    for b in r["sweep"]:
        k = b["kinds"]
        a = k.get("answer", {})
        errors = sum(v.get("errors", 0) for v in k.values())
        share = b["answers_within_window"] / b["answers_expected"] if b["answers_expected"] else 0
        print(
            f"{b['participants']:>12}{b['answers_expected']:>9}{b['answers_ok']:>8}{errors:>8}"
            f"{a.get('p50_ms', 0):>8}{a.get('p95_ms', 0):>8}{a.get('p99_ms', 0):>8}"
            f"{share:>8.3f}{k.get('home', {}).get('p95_ms', 0):>10}"
            f"{k.get('join', {}).get('p95_ms', 0):>10}{b['memory']['peak_rss_total_mb']:>8}  "
            + " ".join(f"{x:.2f}" for x in b["load_after"])
        )
    print()
    print("TARGETS")
    for t in r["targets"]:
        print(f"  [{'pass' if t['pass'] else 'MISS'}] {t['target']}: {t['measured']}")
