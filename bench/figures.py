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
            "render-blocking: one stylesheet at most, within the first round trip (14 KB)",
            v["render_blocking_ok"],
            f"blocking: {', '.join(v['blocking']) or 'none'} ({v['blocking_kb']} KB as sent)",
        ),
    ]
