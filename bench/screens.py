"""CPU per changed screen of a led round against bare Flask's hello, in-process.

    .venv/bin/python bench/screens.py [--requests 2000] [--rounds 3] [--participants 200]
    valgrind --tool=callgrind --dump-before=getppid ... bench/screens.py --callgrind

The three screens every phone asks for within a second of the facilitator's move, as
``bench/scenario.py`` plays a round of a session whose feedback waits for the reveal:

- ``question``: the poll of the wait screen after the advance (``at=wait``, the state
  before it): the new question, with ``HX-Retarget``;
- ``feedback``: the poll of "Answer received" after the reveal (``at=pending:<pk>``):
  the feedback on this phone's answer;
- ``next``: "Next question" after the feedback (``GET /play/<code>``, htmx): the wait.

Each figure is the process's CPU time (``time.process_time``) over many requests, one
at a time, through Flask's test client, each request as the next of ``--participants``
phones (their own cookies, answers and CSRF tokens), with ``Accept-Encoding: gzip`` as
the bench's phones send; hello is measured the same way in the same run. Every reply
must be the screen named (status 200, and the screen's mark in the body), else the run
fails. With ``--http`` the same requests go over HTTP instead, one keep-alive
connection, one request at a time, to gunicorn as the README serves it but with one
worker and one thread (hello served the same way), and the figure is the worker's CPU
time (``/proc``) per request: what the burst's server spends. ``--shuffle`` and
``--timer`` open the session with options in each phone's own order, and with a timer.

Instructions, which the machine's load does not change (in-process):

    valgrind --tool=callgrind --dump-before=getppid --callgrind-out-file=/tmp/cg.%p \\
        .venv/bin/python bench/screens.py --callgrind --requests 100 --participants 20

dumps one file per figure, in order (hello, question, feedback, next): the 2nd, 4th, 6th
and 8th hold each figure's ``--requests`` requests; their ``totals:`` line divided by
``--requests`` is the figure's instructions per request.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from werkzeug.datastructures import MultiDict

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dataset  # noqa: E402
import hello  # noqa: E402
import servers  # noqa: E402

HX = {"HX-Request": "true", "Accept-Encoding": "gzip"}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
MARKS = {
    "hello": "hello",
    "question": 'name="question" value=',
    "feedback": 'class="play-feedback"',
    "next": 'class="play-wait"',
}


def _session(db_path: Path, shuffle: bool, timer: int | None) -> dict:
    """The bench's database, with the led session opened as asked (reveal feedback)."""
    from quiz.play import sessions
    from quiz.storage.connection import connect

    facts = dataset.make_database(db_path, feedback="reveal")
    if shuffle or timer:
        db = connect(db_path)
        try:
            row = sessions.open_session(
                db,
                dataset.SLUG,
                pace="led",
                feedback="reveal",
                owner_id=facts["teacher_id"],
                shuffle=shuffle,
                timer=timer,
            )
            facts["code"] = row["code"]
        finally:
            db.close()
    return facts


def _join(app, code: str, count: int) -> list[tuple]:
    """Join ``count`` phones through the pages; return (client, csrf token) for each."""
    people = []
    for i in range(count):
        client = app.test_client()
        token = TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
        r = client.post("/join", data={"csrf_token": token, "code": code, "nickname": f"p{i}"})
        if r.status_code != 303:
            raise SystemExit(f"join failed with {r.status_code}")
        people.append((client, token))
    return people


class Room:
    """The session's state, moved as the facilitator moves it (``facilitation.control``)."""

    def __init__(self, db_path: Path, code: str):
        from quiz.storage.connection import connect

        self.db = connect(db_path)
        self.code = code

    def loaded(self):
        from quiz.play import sessions

        return sessions.load_session(self.db, self.code)

    def state(self) -> int:
        from quiz.storage import queries

        return queries.session_by_code(self.db, self.code)["state_version"]

    def goto(self, number: int) -> int:
        """Open question ``number``; return the state before it."""
        from quiz.facilitation import control

        before = self.state()
        control.go_to(self.db, self.loaded(), number)
        return before

    def reveal(self, pk: int) -> int:
        from quiz.facilitation import control

        before = self.state()
        control.mark(self.db, self.loaded(), pk, "reveal")
        return before


def _calls(name: str, people: list[tuple], url: str, hello_client=None):
    """A function making one request of screen ``name``, each as the next phone."""
    turn = [0]

    def call():
        if hello_client is not None:
            r = hello_client.get("/", headers=HX)
        else:
            client, _token = people[turn[0] % len(people)]
            turn[0] += 1
            r = client.get(url, headers=HX)
        body = r.get_data()
        if r.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        body = body.decode()
        r.close()
        if r.status_code != 200 or MARKS[name] not in body:
            raise SystemExit(f"{name}: status {r.status_code}, {body[:300]!r}")
        return r.status_code

    return call


def _http_calls(name: str, port: int, people: list[tuple], url: str):
    """``_calls`` over HTTP: one keep-alive connection, each request with the next
    phone's cookie."""
    conn = http.client.HTTPConnection(servers.HOST, port, timeout=10)
    cookies = [f"lateral={client.get_cookie('lateral').value}" for client, _ in people]
    turn = [0]

    def call():
        headers = dict(HX)
        if cookies:
            headers["Cookie"] = cookies[turn[0] % len(cookies)]
            turn[0] += 1
        conn.request("GET", url, headers=headers)
        r = conn.getresponse()
        body = r.read()
        if r.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        if r.status != 200 or MARKS[name] not in body.decode():
            raise SystemExit(f"http {name}: status {r.status}, {body[:300]!r}")
        return r.status

    return call


def _answer_all(people: list[tuple], code: str, q: dict, seed: int = 7) -> None:
    rng = random.Random(seed)
    for client, token in people:
        fields = [("csrf_token", token), ("question", str(q["pk"]))]
        fields += dataset.answer_fields(q, rng)
        r = client.post(
            f"/play/{code}/answer",
            data=MultiDict(fields),
            headers={**HX, "X-CSRFToken": token},
        )
        if r.status_code != 200:
            raise SystemExit(f"answer: status {r.status_code}")


def _cpu_ms(call, n: int, warm: int, cpu=time.process_time) -> float:
    """CPU milliseconds per call over ``n`` calls, after ``warm`` more, by ``cpu()``."""
    for _ in range(warm):
        call()
    start = cpu()
    for _ in range(n):
        call()
    return (cpu() - start) * 1000 / n


def setup(args):
    tmp = Path(tempfile.mkdtemp(prefix="lateral-screens-"))
    db_path = tmp / "lateral.db"
    facts = _session(db_path, args.shuffle, args.timer)
    app = dataset.app_on(db_path, "bench-screens")
    people = _join(app, facts["code"], args.participants)
    return app, Room(db_path, facts["code"]), people, tmp


def _plans(args, room: Room, people: list[tuple], way) -> list[tuple[str, object]]:
    """The figures in a round's order, each a function that moves the round on to its
    screen and returns the call to measure (``way(name, url)`` makes it)."""
    code, number = room.code, args.question
    q = next(q for q in room.loaded().questions if q["number"] == number)
    poll = f"/play/{code}/poll?v={{v}}&at={{at}}"

    def question():
        before = room.goto(number)
        return way("question", poll.format(v=before, at="wait"))

    def feedback():
        _answer_all(people, code, q)
        before = room.reveal(q["pk"])
        return way("feedback", poll.format(v=before, at=f"pending:{q['pk']}") + f"&last={q['pk']}")

    return [
        ("hello", lambda: way("hello", "/")),
        ("question", question),
        ("feedback", feedback),
        ("next", lambda: way("next", f"/play/{code}")),
    ]


def _in_process(people: list[tuple]):
    """The calls and their cost through Flask's test client: this process's CPU."""
    hello_client = hello.app.test_client()

    def way(name: str, url: str):
        if name == "hello":
            return _calls(name, [], url, hello_client=hello_client)
        return _calls(name, people, url)

    return way, lambda name: time.process_time


def _over_http(people: list[tuple], tmp: Path, stack):
    """The calls and their cost over HTTP: the one gunicorn worker's CPU (hello's own
    server for hello). ``stack`` stops the servers at the end."""
    root = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": str(root.parent)}
    hello_server = servers.Server(
        "hello:app", workers=1, threads=1, cwd=root, env=env, log_path=tmp / "hello.log"
    )
    lateral = servers.Server(
        "quiz:create_app()",
        workers=1,
        threads=1,
        cwd=root.parent,
        env=env,
        log_path=tmp / "lateral.log",
        health_path="/healthz",
    )
    for server in (hello_server, lateral):
        server.start()
        stack.callback(server.stop)
    cpu = {"hello": servers.worker_cpu(hello_server), "lateral": servers.worker_cpu(lateral)}

    def way(name: str, url: str):
        if name == "hello":
            return _http_calls(name, hello_server.port, [], url)
        return _http_calls(name, lateral.port, people, url)

    return way, lambda name: cpu["hello" if name == "hello" else "lateral"]


def _marked(plans: list[tuple[str, object]], n: int) -> dict:
    """Make ``n`` requests of each figure (after as many to warm up) between two calls of
    ``getppid``, which nothing else here calls: under ``valgrind --tool=callgrind
    --dump-before=getppid`` each figure's instructions land in a dump of their own."""
    for _name, make in plans:
        call = make()
        for _ in range(n):
            call()
        os.getppid()
        for _ in range(n):
            call()
        os.getppid()
    return {}


def measure(args) -> dict[str, float]:
    app, room, people, tmp = setup(args)
    with contextlib.ExitStack() as stack:
        way, clock_of = _over_http(people, tmp, stack) if args.http else _in_process(people)
        plans = _plans(args, room, people, way)
        if args.callgrind:
            return _marked(plans, args.requests)
        best: dict[str, float] = {}
        # Each screen's rounds before the next screen's: the round moves on between them;
        # hello again at the end.
        for name, make in [*plans, plans[0]]:
            call = make()
            for _ in range(args.rounds):
                ms = _cpu_ms(call, args.requests, min(200, args.requests), clock_of(name))
                best[name] = min(best.get(name, ms), ms)
    return best


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=2000, help="requests per figure")
    p.add_argument("--rounds", type=int, default=3, help="rounds (the best is kept)")
    p.add_argument("--participants", type=int, default=200, help="phones in the session")
    p.add_argument("--question", type=int, default=1, help="the question number played")
    p.add_argument("--shuffle", action="store_true", help="options in each phone's order")
    p.add_argument("--timer", type=int, default=None, help="seconds per question")
    p.add_argument(
        "--callgrind", action="store_true", help="each figure between marks, for callgrind"
    )
    p.add_argument("--http", action="store_true", help="over HTTP (gunicorn, 1 worker)")
    args = p.parse_args()
    best = measure(args)
    if args.callgrind:
        return
    h = best["hello"]
    how = "over HTTP, the worker's" if args.http else "in-process, the process's"
    print(f"CPU ms per request, {how} (best of {args.rounds} rounds of {args.requests}):")
    for name, ms in best.items():
        print(f"  {name:10} {ms:8.4f} ms  {ms / h:5.2f}x hello")


if __name__ == "__main__":
    main()
