#!/usr/bin/env python3
"""Time the report page and both CSVs over 100,000 answers, in-process, against hello.

    .venv/bin/python bench/report.py [--answers 100000] [--runs 3] [--db PATH] [--profile NAME]

Builds the report dataset once (bench/dataset.py; with ``--db`` it is kept at PATH and
reused on the next run), signs in as its owner through ``app.test_client()`` and GETs
the report page and both CSVs ``--runs`` times each, reading the CPU time of this
process (``time.process_time``) and the wall time around each request. In the same run
it measures bare Flask's hello (bench/hello.py) through its own test client, so every
figure is also given in "hello requests": the page's CPU seconds over hello's CPU per
request, a ratio that holds from machine to machine. ``--profile report`` (or
``answers_csv``, ``participants_csv``) writes a pyinstrument profile of one request
to bench/results/ (pyinstrument must be installed in the virtualenv; it is not a
dependency of the project). Nothing is served over the network.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import dataset  # noqa: E402
import hello  # noqa: E402

PAGES = {
    "report": "/run/{code}/report",
    "answers_csv": "/run/{code}/answers.csv",
    "participants_csv": "/run/{code}/participants.csv",
}


def hello_cpu(requests: int = 5000) -> float:
    """CPU seconds per request of bare Flask's hello through test_client."""
    client = hello.app.test_client()
    for _ in range(200):
        client.get("/")
    c = time.process_time()
    for _ in range(requests):
        client.get("/").close()
    return (time.process_time() - c) / requests


def database(path: Path | None, answers: int) -> tuple[Path, str]:
    """The dataset's path and session code, building it when it is not there yet."""
    if path is not None and path.exists() and path.with_suffix(".json").exists():
        facts = json.loads(path.with_suffix(".json").read_text())
        if facts["asked"] == answers:
            return path, facts["code"]
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="lateral-report-")) / "lateral.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in (path, path.with_suffix(".json")):
        old.unlink(missing_ok=True)
    facts = dataset.make_report_database(path, answers)
    path.with_suffix(".json").write_text(
        json.dumps({"asked": answers, "code": facts["code"], "answers": facts["answers"]})
    )
    return path, facts["code"]


def signed_in_client(db_path: Path):
    from quiz import create_app

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
        raise RuntimeError(f"sign-in failed with {r.status_code}")
    return client


def time_page(client, url: str, runs: int) -> dict:
    walls, cpus, status, size = [], [], None, 0
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        r = client.get(url)
        body = r.get_data()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - t)
        status, size = r.status_code, len(body)
        r.close()
    return {
        "cpu_s": round(statistics.median(cpus), 3),
        "min_cpu_s": round(min(cpus), 3),
        "wall_s": round(statistics.median(walls), 3),
        "status": status,
        "bytes": size,
    }


def profile(client, url: str, name: str) -> Path:
    from pyinstrument import Profiler

    client.get(url).close()  # templates compiled, caches warm: profile the usual request
    profiler = Profiler(interval=0.0005)
    profiler.start()
    client.get(url).close()
    profiler.stop()
    out = BENCH / "results" / f"profile-{name}.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--answers", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--db", type=Path, help="keep the dataset here and reuse it")
    p.add_argument("--profile", choices=sorted(PAGES), help="profile one request of it")
    args = p.parse_args(argv)
    db_path, code = database(args.db, args.answers)
    client = signed_in_client(db_path)
    if args.profile:
        print(profile(client, PAGES[args.profile].format(code=code), args.profile))
        return 0
    hello_before = hello_cpu()
    pages = {
        name: time_page(client, url.format(code=code), args.runs) for name, url in PAGES.items()
    }
    per_hello = statistics.mean([hello_before, hello_cpu()])
    print(f"hello: {per_hello * 1000:.3f} ms CPU per request in-process")
    for name, f in pages.items():
        f["hellos"] = round(f["cpu_s"] / per_hello)
        print(
            f"{name:17} {f['cpu_s']:6.3f} s CPU (min {f['min_cpu_s']:.3f}), "
            f"{f['wall_s']:6.3f} s wall, {f['hellos']:6d} hellos, "
            f"{f['bytes'] / 1e6:5.2f} MB, status {f['status']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
