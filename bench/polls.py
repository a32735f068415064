"""CPU per request of the no-change polls against bare Flask's hello, in-process.

    .venv/bin/python bench/polls.py [--requests 5000] [--rounds 3]

A quick check that needs no server and does not depend on the machine's load: each
figure is the process's CPU time (``time.process_time``) over many requests, one at a
time, measured in the same run as hello's (``bench/hello.py``), two ways:

- ``test_client``: through Flask's test client, as ``bench/run.py``'s in-process phase
  (the client builds each request's environ and reads each response: that cost is in
  every figure, hello's too);
- ``wsgi``: the app called as a WSGI server calls it, with one environ built once
  (closer to what a gunicorn worker spends in the app);
- ``http`` (with ``--http``): over HTTP, one keep-alive connection, one request at a
  time, to gunicorn as the README serves it but with one worker (one thread), hello
  served the same way; the figure is the worker's CPU time (``/proc``) per request.

The session has ``--participants`` (1,000) participants, each with one answer to the
first question, as in a class. The student's poll is ``/play/<code>/poll?v=<state>&at=wait``; the
room screen's is the URL the room screen's page holds, asked with the facilitator's
cookie. Both must
answer 204; a status that is not is printed and fails the run (exit code 1). The
best of ``--rounds`` rounds is printed for each.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import re
import secrets
import sys
import tempfile
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dataset  # noqa: E402
import hello  # noqa: E402
import servers  # noqa: E402

HX = {"HX-Request": "true"}


def _per_request(call, n: int) -> tuple[float, set]:
    """Return the CPU milliseconds per call over n calls, and the statuses seen."""
    statuses = set()
    for _ in range(min(200, n)):  # warm up
        statuses.add(call())
    cpu = time.process_time()
    for _ in range(n):
        statuses.add(call())
    return (time.process_time() - cpu) * 1000 / n, statuses


def _client_call(client, url: str, headers: dict | None = None):
    def call():
        r = client.get(url, headers=headers or {})
        r.close()
        return r.status_code

    return call


def _wsgi_call(app, url: str, headers: dict | None = None, cookie: str = ""):
    """Call the WSGI app as a server would, with the environ built once."""
    parts = urlsplit(url)
    base = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "HTTP_HOST": "127.0.0.1:8000",
    }
    for name, value in (headers or {}).items():
        base["HTTP_" + name.upper().replace("-", "_")] = value
    if cookie:
        base["HTTP_COOKIE"] = cookie
    seen = []

    def start_response(status, headers, exc_info=None):
        seen.append(status)

    def call():
        seen.clear()
        body = app(dict(base), start_response)
        for _chunk in body:
            pass
        if hasattr(body, "close"):
            body.close()
        return int(seen[0].split()[0])

    return call


def _facilitator(app, facts: dict):
    """Sign the bench's teacher in; return the client, its cookie header and the room
    screen's poll URL."""
    client = app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {
        "csrf_token": token,
        "email": dataset.TEACHER_EMAIL,
        "password": dataset.TEACHER_PASSWORD,
    }
    if client.post("/signin", data=form).status_code != 303:
        raise SystemExit("the bench's teacher could not sign in")
    html = client.get(f"/run/{facts['code']}/room").get_data(as_text=True)
    room = re.search(r'<div id="room" [^>]*hx-get="([^"]+)"', html)
    if room is None:
        raise SystemExit("the room screen has no poller")
    cookie = client.get_cookie("lateral")
    return client, f"lateral={cookie.value}", unescape(room.group(1))


def _fill(db_path: Path, facts: dict, participants: int) -> None:
    """Add participants to the session, each with one answer to the first question."""
    from quiz.storage.connection import connect

    rng = random.Random(7)
    q = facts["questions"][0]
    db = connect(db_path)
    try:
        session_id = db.execute(
            "SELECT id FROM session WHERE code = ?", [facts["code"]]
        ).fetchone()[0]
        people = [(secrets.token_urlsafe(18), f"student {n + 1}") for n in range(participants)]
        with db.conn:
            db.conn.executemany(
                "INSERT INTO participant (id, session_id, nickname, created_at) "
                "VALUES (?, ?, ?, '2026-03-02T09:00:00+00:00')",
                [(pid, session_id, name) for pid, name in people],
            )
            for pid, _name in people:
                a = dataset.stored_answer(q, dataset.answer_fields(q, rng))
                db.conn.execute(
                    "INSERT INTO answer (participant_id, question_id, response, confidence, "
                    "reason, score, parts, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, '2026-03-02T09:01:00+00:00')",
                    [
                        pid,
                        q["pk"],
                        json.dumps(a["response"]),
                        a["confidence"],
                        a["reason"],
                        a["score"],
                        json.dumps(a["parts"]),
                    ],
                )
    finally:
        db.close()


def _http_call(port: int, url: str, headers: dict | None = None, cookie: str = ""):
    """GET over one keep-alive connection, as a phone's browser does."""
    conn = http.client.HTTPConnection(servers.HOST, port, timeout=10)
    sent = {**(headers or {}), **({"Cookie": cookie} if cookie else {})}

    def call():
        conn.request("GET", url, headers=sent)
        response = conn.getresponse()
        response.read()
        return response.status

    return call


def _over_http(args, tmp: Path, polls: dict[str, tuple], env: dict) -> dict[str, float]:
    """Worker CPU milliseconds per request over HTTP: hello, then the polls."""
    root = Path(__file__).resolve().parent
    figures: dict[str, float] = {}
    plans = [
        (
            "hello",
            servers.Server(
                "hello:app", workers=1, threads=1, cwd=root, env=env, log_path=tmp / "hello.log"
            ),
            {"hello": ("/", None, "")},
        ),
        (
            "lateral",
            servers.Server(
                "quiz:create_app()",
                workers=1,
                threads=1,
                cwd=root.parent,
                env=env,
                log_path=tmp / "lateral.log",
                health_path="/healthz",
            ),
            polls,
        ),
    ]
    for _name, server, calls in plans:
        server.start()
        try:
            cpu = servers.worker_cpu(server)
            for name, (url, headers, cookie) in calls.items():
                call = _http_call(server.port, url, headers, cookie)
                for _ in range(200):
                    call()
                best = None
                for _ in range(args.rounds):
                    before = cpu()
                    statuses = {call() for _ in range(args.requests)}
                    ms = (cpu() - before) * 1000 / args.requests
                    expected = {200} if name == "hello" else {204}
                    if statuses != expected:
                        raise SystemExit(f"http {name}: statuses {sorted(statuses)}")
                    best = ms if best is None else min(best, ms)
                figures[name] = best
        finally:
            server.stop()
    return figures


def measure(args) -> dict[str, dict[str, float]]:
    tmp = Path(tempfile.mkdtemp(prefix="lateral-polls-"))
    db_path = tmp / "lateral.db"
    facts = dataset.make_database(db_path)
    _fill(db_path, facts, args.participants)
    app = dataset.app_on(db_path, "bench-polls")
    from quiz.storage import queries
    from quiz.storage.connection import connect

    db = connect(db_path)
    state = queries.session_by_code(db, facts["code"])["state_version"]
    db.close()
    poll = f"/play/{facts['code']}/poll?v={state}&at=wait"
    facilitator, cookie, room = _facilitator(app, facts)
    student = app.test_client()
    hello_client = hello.app.test_client()
    calls = {
        "test_client": {
            "hello": _client_call(hello_client, "/"),
            "poll": _client_call(student, poll, HX),
            "room_poll": _client_call(facilitator, room, HX),
        },
        "wsgi": {
            "hello": _wsgi_call(hello.app, "/"),
            "poll": _wsgi_call(app, poll, HX),
            "room_poll": _wsgi_call(app, room, HX, cookie),
        },
    }
    best: dict[str, dict[str, float]] = {}
    if args.http:
        best["http"] = _over_http(
            args,
            tmp,
            {"poll": (poll, HX, ""), "room_poll": (room, HX, cookie)},
            {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
    for _ in range(args.rounds):
        for way, named in calls.items():
            for name, call in named.items():
                ms, statuses = _per_request(call, args.requests)
                expected = {200} if name == "hello" else {204}
                if statuses != expected:
                    raise SystemExit(f"{way} {name}: statuses {sorted(statuses)}")
                kept = best.setdefault(way, {})
                kept[name] = min(kept.get(name, ms), ms)
    return best


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=5000, help="requests per figure")
    p.add_argument("--rounds", type=int, default=3, help="rounds (the best is kept)")
    p.add_argument("--participants", type=int, default=1000, help="in the session")
    p.add_argument("--http", action="store_true", help="also over HTTP (gunicorn, 1 worker)")
    args = p.parse_args()
    best = measure(args)
    print(f"{'':12} {'hello':>10} {'poll':>10} {'room poll':>10}   (CPU ms per request)")
    for way, figures in best.items():
        h = figures["hello"]
        print(
            f"{way:12} {h:10.4f} {figures['poll']:10.4f} {figures['room_poll']:10.4f}   "
            f"poll {figures['poll'] / h:.2f}x hello, room poll {figures['room_poll'] / h:.2f}x"
        )


if __name__ == "__main__":
    main()
