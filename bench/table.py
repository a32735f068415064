"""The table bench/run.py prints: the burst, the capacity runs, the figures and the
targets (``figures.targets``), with the machine's hello rate and load average."""

from __future__ import annotations

import assets
from figures import hello_rate


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
