"""The targets of issue 19 and the table bench/run.py prints.

Ratio targets compare costs measured in the same run, so that they hold from machine
to machine; absolute targets (latencies, seconds) are printed with the machine's
hello rate (bare Flask requests per second at the same concurrency) beside them.
"""

from __future__ import annotations

import os

import assets
import scenario

TARGETS = {
    "answer_cpu_vs_hello": 3.0,
    "answer_vs_floor": 0.85,
    "poll_cpu_vs_hello": 1.3,
    "polling_share": 0.10,
    "burst_p95_ms": 300,
    "within_window_share": 0.99,
    "join_p95_ms": 300,
    "live_kb": 60,
    "live_ms": 50,
    "report_s": 1.0,
    "rss_mb": 600,
}


def _cpu(run: dict) -> float | None:
    return run.get("server_cpu_ms_per_request")


def hello_rate(r: dict) -> str:
    return f"hello {r['hello']['capacity']['throughput'] or 0:.0f}/s"


def derived(r: dict, args) -> dict:
    """The ratios the targets read, kept in the JSON under ``derived``."""
    hello = r["hello"]["capacity"]
    cap = r["capacity"]
    answer_tp = cap["answer"]["throughput"] or 0
    poll_tp = cap["poll"]["throughput"] or 0
    needed = args.participants / scenario.POLL_SECONDS
    hello_cpu = _cpu(hello) or 0
    cores = os.cpu_count() or 1
    floor = r.get("floor")
    return {
        "hello_per_s": hello["throughput"],
        "answer_per_s": answer_tp,
        "answer_vs_hello": round(answer_tp / hello["throughput"], 3) if hello["throughput"] else 0,
        "answer_cpu_vs_hello": round((_cpu(cap["answer"]) or 0) / hello_cpu, 2)
        if hello_cpu
        else None,
        "poll_cpu_vs_hello": round((_cpu(cap["poll"]) or 0) / hello_cpu, 2) if hello_cpu else None,
        "room_poll_cpu_vs_hello": round((_cpu(cap["room_poll"]) or 0) / hello_cpu, 2)
        if hello_cpu
        else None,
        "floor_per_s": floor and floor["floor"]["throughput"],
        "floor_hello_per_s": floor and floor["hello"]["throughput"],
        "answer_vs_floor": round(answer_tp / floor["floor"]["throughput"], 3)
        if floor and floor["floor"]["throughput"]
        else None,
        "polls_needed_per_s": needed,
        "poll_capacity_per_s": poll_tp,
        "polling_share_of_capacity": round(needed / poll_tp, 3) if poll_tp else None,
        "polling_share_by_cpu": round(needed * (_cpu(cap["poll"]) or 0) / 1000 / cores, 3),
        "answers_per_s_given_up_to_polling": round(needed / poll_tp * answer_tp, 1)
        if poll_tp
        else None,
    }


def _burst_targets(b: dict, label: str, rate: str) -> list[tuple[str, bool, str]]:
    """The burst's targets for one class size (the run's, or one of the sweep's)."""
    kinds = b["kinds"]
    answer = kinds.get("answer", {})
    errors = {k: v["errors"] for k, v in kinds.items() if v.get("errors")}
    expected = b["answers_expected"]
    share = b["answers_within_window"] / expected if expected else 0
    p95 = answer.get("p95_ms")
    out = [
        (
            f"{label}: zero errors, every answer stored",
            not errors and b["answers_ok"] == expected == b["answers_stored"],
            f"errors {errors or 0}; {b['answers_ok']} of {expected} answered, "
            f"{b['answers_stored']} stored",
        ),
        (
            f"{label}: answer p95 < {TARGETS['burst_p95_ms']} ms",
            p95 is not None and p95 < TARGETS["burst_p95_ms"],
            f"p95 {p95} ms ({rate})",
        ),
        (
            f"{label}: 99% of answers within 3 s of their question opening",
            share >= TARGETS["within_window_share"],
            f"{b['answers_within_window']} of {expected} = {share:.3f} ({rate})",
        ),
    ]
    for kind in ("home", "join"):
        p = kinds.get(kind, {}).get("p95_ms")
        out.append(
            (
                f"{label}: join stampede, {kind} p95 < {TARGETS['join_p95_ms']} ms",
                p is not None and p < TARGETS["join_p95_ms"],
                f"p95 {p} ms ({rate})",
            )
        )
    return out


def targets(r: dict, args) -> list[dict]:
    d = r["derived"] = derived(r, args)
    cap, hello = r["capacity"], r["hello"]["capacity"]
    rate = hello_rate(r)
    ip = r["in_process"]
    polls_204 = (
        ip["poll_204"]["statuses"] == {"204": ip["poll_204"]["count"]}
        and set(cap["poll_serial"]["statuses"]) == {"204"}
        and cap["poll"]["errors"] == 0
    )
    out = [
        (
            f"answer server CPU <= {TARGETS['answer_cpu_vs_hello']:g} x hello's",
            (d["answer_cpu_vs_hello"] or 99) <= TARGETS["answer_cpu_vs_hello"],
            f"{_cpu(cap['answer'])} ms vs {_cpu(hello)} ms = {d['answer_cpu_vs_hello']} x",
        ),
        (
            f"answer throughput >= {TARGETS['answer_vs_floor']:g} x the floor's (group commit)",
            d["answer_vs_floor"] is not None and d["answer_vs_floor"] >= TARGETS["answer_vs_floor"],
            "not run (--no-floor)"
            if d["answer_vs_floor"] is None
            else f"{d['answer_per_s']:.0f}/s vs {d['floor_per_s']:.0f}/s = {d['answer_vs_floor']}",
        ),
        (
            f"no-change poll: 204, server CPU <= {TARGETS['poll_cpu_vs_hello']:g} x hello's",
            polls_204 and (d["poll_cpu_vs_hello"] or 99) <= TARGETS["poll_cpu_vs_hello"],
            f"{_cpu(cap['poll'])} ms vs {_cpu(hello)} ms = {d['poll_cpu_vs_hello']} x; "
            f"statuses {ip['poll_204']['statuses']}",
        ),
        (
            f"polling by {args.participants} every 2 s <= 1/10 of capacity",
            (d["polling_share_of_capacity"] or 99) <= TARGETS["polling_share"],
            f"{d['polls_needed_per_s']:.0f}/s of {d['poll_capacity_per_s']:.0f}/s = "
            f"{d['polling_share_of_capacity']} (by server CPU {d['polling_share_by_cpu']})",
        ),
        (
            "room screen poll as cheap as a student's (<= 1.3 x hello's CPU)",
            (d["room_poll_cpu_vs_hello"] or 99) <= TARGETS["poll_cpu_vs_hello"],
            f"{_cpu(cap['room_poll'])} ms = {d['room_poll_cpu_vs_hello']} x hello "
            f"(student {d['poll_cpu_vs_hello']} x); {cap['room_poll']['statuses']}",
        ),
    ]
    out += _burst_targets(r["burst"], f"burst of {args.participants}", rate)
    live = ip.get("live_changed")
    out.append(
        (
            f"live panel at {r['burst']['joined']}: changed refresh < {TARGETS['live_kb']} KB "
            f"and < {TARGETS['live_ms']} ms server time",
            live is not None
            and live["bytes"] < TARGETS["live_kb"] * 1024
            and live["mean_ms"] < TARGETS["live_ms"],
            "not measured"
            if live is None
            else f"{live['bytes'] / 1024:.1f} KB as sent (Brotli; "
            f"{live.get('raw_bytes', 0) / 1024:.0f} KB of HTML), {live['mean_ms']:.1f} ms (CPU "
            f"{live['cpu_ms']:.1f} ms) in-process ({rate})",
        )
    )
    out += _report_targets(r, rate)
    out.append(
        (
            "all server processes < 600 MB RSS during the burst",
            r["memory"]["peak_rss_total_mb"] < TARGETS["rss_mb"],
            f"peak {r['memory']['peak_rss_total_mb']} MB summed over "
            f"{r['memory']['processes']} processes",
        )
    )
    out += static_targets(assets.verdict(r["assets"]))
    return [{"target": t, "pass": bool(ok), "measured": m} for t, ok, m in out]


def _report_targets(r: dict, rate: str) -> list[tuple[str, bool, str]]:
    out = []
    for name, label in (
        ("report", "report page"),
        ("answers_csv", "answers CSV"),
        ("participants_csv", "participants CSV"),
    ):
        h = r["report"]["http"][name]
        if h.get("median_s") is None:
            measured = f"did not finish within {r['report']['timeout_s']} s"
        else:
            measured = (
                f"{h['median_s']:.3f} s (median of {h['runs']}; CPU {h['cpu_s']:.3f} s), "
                f"status {h['status']} ({rate})"
            )
        out.append(
            (
                f"{label} over {r['report']['answers']} answers < 1 s",
                h["status"] == 200 and (h["median_s"] or 1e9) < TARGETS["report_s"],
                measured,
            )
        )
    return out


def static_targets(v: dict) -> list[tuple[str, bool, str]]:
    return [
        (
            "static files: fingerprinted names, Cache-Control immutable",
            v["immutable"],
            f"{v['static_kb']} KB sent for {v['static_raw_kb']} KB of static files",
        ),
        (
            "text compressed (HTML and static text files)",
            v["compressed"],
            f"pages {v['page_kb']} KB as sent",
        ),
        (
            "no render-blocking resource in the head (as bench/assets.py counts them)",
            v["no_render_blocking"],
            f"blocking: {', '.join(v['blocking']) or 'none'}",
        ),
    ]


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
    "room-page": "room screen page",
    "room": "room poll, no change",
    "room-changed": "room poll, changed",
    "vote": "facilitator vote again",
    "reveal": "facilitator reveal",
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
    print(f"machine's hello rate: {hello_rate(r)}; load average (1, 5, 15 min) per phase: ")
    print("  " + "; ".join(f"{k} {_load(v)}" for k, v in r.get("quiet", {}).items()))
    print()
    print(
        f"BURST: {b['participants']} participants ({b['joined']} joined over "
        f"{args.join_seconds:g} s), {b['questions']} led questions, {args.round_seconds:g} s each, "
        f"then {b['timing']['drain_s']} s for outstanding answers; {b['timing']['total_s']} s; "
        f"second votes in rounds {b.get('vote_rounds') or 'none'}"
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
        ("room poll, no change (204)", c["room_poll"]),
        ("answer (POST, htmx)", c["answer"]),
    ):
        print(_row(label, s) + _f(s.get("server_cpu_ms_per_request"), 16, 3))
    print(_row("bare Flask hello, serial", h["serial"]))
    print(_row("poll 204, serial", c["poll_serial"]))
    ip = r["in_process"]
    d = r["derived"]
    fl = r.get("floor")
    if fl:
        for label, s in (("floor answer (group commit)", fl["floor"]), ("its hello", fl["hello"])):
            print(_row(label, s) + _f(s.get("server_cpu_ms_per_request"), 16, 3))
    print()
    print("FIGURES")
    print(
        f"  answer capacity / bare Flask capacity     {d['answer_vs_hello']:.2f}; server CPU "
        f"per answer {d['answer_cpu_vs_hello']} x hello's, per poll {d['poll_cpu_vs_hello']} x, "
        f"per room poll {d['room_poll_cpu_vs_hello']} x"
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
        ("room screen poll 204, in-process", ip.get("room_poll_204")),
        ("live panel changed refresh, in-process", ip.get("live_changed")),
        ("  same, connection alone (idle server)", ip["poll_204_alone"]),
        ("bare Flask hello, in-process", ip["hello"]),
    ):
        if x is None:
            continue
        print(
            f"  {label:<41} mean {x['mean_ms']:.3f} ms, p99 {x['p99_ms']:.3f} ms, "
            f"CPU {x['cpu_ms']:.3f} ms"
            + (f"; {x['statuses']}" if "statuses" in x else "")
            + (f"; {x['bytes'] / 1024:.1f} KB" if "bytes" in x else "")
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
        f"costs {d['answers_per_s_given_up_to_polling']:.0f} of {d['answer_per_s']:.0f} "
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
    v = assets.verdict(r["assets"])
    print(
        f"  what a phone downloads                    pages {v['page_kb']} KB; static "
        f"{v['static_kb']} KB as sent ({v['static_raw_kb']} KB raw); render-blocking: "
        f"{', '.join(v['blocking']) or 'none'}"
    )
    print()
    print("TARGETS")
    for t in r["targets"]:
        print(f"  [{'pass' if t['pass'] else 'MISS'}] {t['target']}: {t['measured']}")


def _load(q: dict) -> str:
    load = q.get("load")
    return " ".join(f"{x:.2f}" for x in load) if load else "?"
