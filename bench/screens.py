"""CPU per changed screen of a led round against bare Flask's hello, in-process.

    .venv/bin/python bench/screens.py [--requests 2000] [--rounds 3] [--participants 200]
    valgrind --tool=callgrind ... bench/screens.py --only question --requests N

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
fails. ``--shuffle`` and ``--timer`` open the session with options in each phone's
own order, and with a timer. With ``--only NAME`` one figure is measured, once, without
warm-up or rounds (for callgrind: run it at two ``--requests`` and take the difference
of the instructions over the difference of the requests).
"""

from __future__ import annotations

import argparse
import gzip
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


def _cpu_ms(call, n: int, warm: int) -> float:
    for _ in range(warm):
        call()
    cpu = time.process_time()
    for _ in range(n):
        call()
    return (time.process_time() - cpu) * 1000 / n


def setup(args):
    tmp = Path(tempfile.mkdtemp(prefix="lateral-screens-"))
    db_path = tmp / "lateral.db"
    facts = _session(db_path, args.shuffle, args.timer)
    os.environ.update(
        LATERAL_DATABASE=str(db_path),
        LATERAL_SECRET_KEY="bench-screens",
        LATERAL_INSTANCE_PATH=str(tmp / "instance"),
        LATERAL_QUESTIONS_DIR=str(dataset.QUESTIONS),
    )
    from quiz import create_app

    app = create_app()
    people = _join(app, facts["code"], args.participants)
    return app, Room(db_path, facts["code"]), people


def measure(args) -> dict[str, float]:
    app, room, people = setup(args)
    code = room.code
    number = args.question
    q = next(q for q in room.loaded().questions if q["number"] == number)
    poll = f"/play/{code}/poll?v={{v}}&at={{at}}"
    hello_call = _calls("hello", [], "/", hello_client=hello.app.test_client())
    plans: list[tuple[str, object]] = [("hello", lambda: hello_call)]

    def question():
        before = room.goto(number)
        return _calls("question", people, poll.format(v=before, at="wait"))

    def feedback():
        _answer_all(people, code, q)
        before = room.reveal(q["pk"])
        url = poll.format(v=before, at=f"pending:{q['pk']}") + f"&last={q['pk']}"
        return _calls("feedback", people, url)

    def next_screen():
        return _calls("next", people, f"/play/{code}")

    plans += [("question", question), ("feedback", feedback), ("next", next_screen)]
    if args.only:
        # The screens come in a round's order: each needs the ones before it.
        for name, make in plans:
            call = make()
            if name == args.only:
                for _ in range(args.requests):
                    call()
                return {}
    best: dict[str, float] = {}
    # Each screen's rounds before the next screen's: the round moves on between them.
    for name, make in [*plans, plans[0]]:
        call = make()
        for _ in range(args.rounds):
            ms = _cpu_ms(call, args.requests, warm=min(200, args.requests))
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
    p.add_argument("--only", choices=sorted(MARKS), help="one figure, for callgrind")
    args = p.parse_args()
    best = measure(args)
    if args.only:
        return
    h = best["hello"]
    print(f"CPU ms per request (best of {args.rounds} rounds of {args.requests}):")
    for name, ms in best.items():
        print(f"  {name:10} {ms:8.4f} ms  {ms / h:5.2f}x hello")


if __name__ == "__main__":
    main()
