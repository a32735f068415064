"""CPU per request of the join stampede's pages against bare Flask's hello, in-process.

    .venv/bin/python bench/join.py [--requests 2000] [--rounds 3] [--profile home]

What a phone asks while a class joins (``bench/scenario.py``): the home page, the join
POST (303) and the first page of the session. Each figure is the process's CPU time
(``time.process_time``) over many requests, one at a time, through Flask's test client,
measured in the same run as hello's (``bench/hello.py``), so it does not depend on the
machine's load. Every request says ``Accept-Encoding: gzip``, as the bench's phones do,
and carries its cookie explicitly (the test client keeps none), so that every join is a
new phone: the cookie of one visit to the home page (its CSRF token) and a nickname of
its own. CSRF is checked, as in production. The figures:

- ``home``: ``GET /`` in English (no cookie); ``home fi``: with ``Accept-Language: fi``;
  ``home code``: ``GET /?code=<code>`` (the join link's redirect);
- ``join``: ``POST /join`` with the token, the code and a new nickname (303); every
  round joins a new led session of the article set;
- ``join error``: ``POST /join`` without a nickname (422: the form again, with its error);
- ``first page``: ``GET /play/<code>`` with a joined phone's cookie (the wait screen).

The best of ``--rounds`` rounds is printed for each, with its ratio to hello's, and the
wall time per request beside it (one at a time: for the join, mostly its commits'
fsyncs, so it depends on the disk).
``--profile NAME`` runs that figure's requests under pyinstrument instead (it must be
installed in the venv) and prints the profile.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dataset  # noqa: E402
import hello  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
GZIP = {"Accept-Encoding": "gzip"}
# Enough for every round's joins from one address into one session.
LIMITS = {
    "client_per_minute": 1_000_000,
    "client_per_hour": 1_000_000,
    "session_per_minute": 1_000_000,
    "session_size": 1_000_000,
}


def _get(client, url: str, headers: dict, expected: int) -> Callable[[], int]:
    def call() -> int:
        r = client.get(url, headers=headers)
        r.close()
        if r.status_code != expected:
            raise SystemExit(f"GET {url}: {r.status_code}, not {expected}")
        return r.status_code

    return call


class Joins:
    """POST /join, each time a new phone (the home page's cookie) with a new nickname,
    into a new session every round."""

    def __init__(self, app, db_path: Path, client, cookie: str, token: str) -> None:
        self.app, self.db_path, self.client = app, db_path, client
        self.headers = {**GZIP, "Cookie": cookie}
        self.token = token
        self.n = 0
        self.code = ""
        self.joined_cookie = ""

    def new_session(self) -> None:
        from quiz.play import sessions
        from quiz.storage.connection import connect

        db = connect(self.db_path)
        try:
            self.code = sessions.open_session(db, dataset.SLUG, pace="led", feedback="reveal")[
                "code"
            ]
        finally:
            db.close()

    def __call__(self) -> int:
        self.n += 1
        form = {"csrf_token": self.token, "code": self.code, "nickname": f"phone {self.n}"}
        r = self.client.post("/join", data=form, headers=self.headers)
        r.close()
        if r.status_code != 303:
            raise SystemExit(f"POST /join: {r.status_code}")
        if not self.joined_cookie:
            self.joined_cookie = r.headers["Set-Cookie"].split(";")[0]
        return r.status_code


def _error_join(client, cookie: str, token: str, code: str) -> Callable[[], int]:
    headers = {**GZIP, "Cookie": cookie}
    form = {"csrf_token": token, "code": code, "nickname": ""}

    def call() -> int:
        r = client.post("/join", data=form, headers=headers)
        r.close()
        if r.status_code != 422:
            raise SystemExit(f"POST /join without a nickname: {r.status_code}")
        return r.status_code

    return call


def _per_request(call: Callable[[], int], n: int) -> tuple[float, float]:
    """Return the CPU and the wall milliseconds per call over n calls (after a warm-up)."""
    for _ in range(min(100, n)):
        call()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        call()
    return (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


def _setup(tmp: Path):
    db_path = tmp / "lateral.db"
    dataset.make_database(db_path, feedback="reveal")
    app = dataset.app_on(db_path, "bench-join", LATERAL_JOIN_LIMITS=json.dumps(LIMITS))
    client = app.test_client(use_cookies=False)
    r = client.get("/", headers=GZIP)  # a phone's first visit: its cookie and token
    cookie = r.headers["Set-Cookie"].split(";")[0]
    token = TOKEN.search(client.get("/", headers={"Cookie": cookie}).get_data(as_text=True))
    return app, db_path, client, cookie, token.group(1)


def calls(tmp: Path) -> tuple[dict[str, Callable[[], int]], Joins]:
    app, db_path, client, cookie, token = _setup(tmp)
    joins = Joins(app, db_path, client, cookie, token)
    joins.new_session()
    joins()  # a joined phone's cookie, for the first page
    first = joins.code
    named = {
        "hello": _get(hello.app.test_client(use_cookies=False), "/", GZIP, 200),
        "home": _get(client, "/", GZIP, 200),
        "home fi": _get(client, "/", {**GZIP, "Accept-Language": "fi"}, 200),
        "home code": _get(client, f"/?code={first}", GZIP, 200),
        "join": joins,
        "join error": _error_join(client, cookie, token, first),
        "first page": _get(client, f"/play/{first}", {**GZIP, "Cookie": joins.joined_cookie}, 200),
    }
    return named, joins


def measure(args) -> dict[str, tuple[float, float]]:
    """Return each figure's best CPU and wall milliseconds per request over the rounds."""
    named, joins = calls(Path(tempfile.mkdtemp(prefix="lateral-join-")))
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.rounds):
        joins.new_session()
        for name, call in named.items():
            cpu, wall = _per_request(call, args.requests)
            was = best.get(name, (cpu, wall))
            best[name] = (min(was[0], cpu), min(was[1], wall))
    return best


def profile(args) -> None:
    from pyinstrument import Profiler

    named, joins = calls(Path(tempfile.mkdtemp(prefix="lateral-join-")))
    call = named[args.profile]
    for _ in range(100):
        call()
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(args.requests):
        call()
    profiler.stop()
    print(profiler.output_text(unicode=True, show_all=args.all))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=2000, help="requests per figure")
    p.add_argument("--rounds", type=int, default=3, help="rounds (the best is kept)")
    p.add_argument("--profile", help="profile this figure's requests (pyinstrument)")
    p.add_argument("--all", action="store_true", help="with --profile: every frame")
    args = p.parse_args()
    if args.profile:
        profile(args)
        return
    best = measure(args)
    h = best["hello"][0]
    print(f"{'':12} {'CPU ms':>8} {'÷ hello':>8} {'wall ms':>8}   (in-process, best of rounds)")
    for name, (cpu, wall) in best.items():
        print(f"{name:12} {cpu:8.4f} {cpu / h:8.2f} {wall:8.4f}")


if __name__ == "__main__":
    main()
