"""CPU per answer in-process, with the early path (``play.early_answer``) on and off,
against bare Flask's hello, in the same run.

    .venv/bin/python bench/answer_cost.py [--participants 300] [--questions 1-6]

A quick check that needs no server: a led session on the article set (as
``bench/run.py`` plays it; ``--feedback now`` for feedback after each answer) with
``--participants`` participants, made in a temp database, copied once per app. Two apps
serve the two copies, one with ``EARLY_ANSWERS`` on and one with it off (Flask's own
path, as before the early path). For each question the room is moved to it in both
databases, then every participant answers it in each app (``dataset.answer_fields``,
the same answers in both, right about 60% of the time, a confidence rating sometimes
and a written reason now and then), one at a time, called as a WSGI server calls the
app (an environ built per request, with the participant's signed cookie and CSRF
token, ``HX-Request`` and ``Accept-Encoding: gzip``); bare Flask's hello
(``bench/hello.py``) is called the same way, as many times. Each figure is the
process's CPU time (``time.process_time``) per request; the first answer alike of a
room, whose reply is not kept yet, is counted too.

``--only hello|on|off|none`` runs one part (after the same setup) for counting
instructions with callgrind: the instructions of ``--only X`` less those of
``--only none``, over the requests, are X's instructions per request. Build the
database once with ``--db DIR`` (kept and reused: each run copies it), e.g.

    .venv/bin/python bench/answer_cost.py --db /tmp/answer-cost --only none
    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.on .venv/bin/python \\
        bench/answer_cost.py --db /tmp/answer-cost --only on --participants 100 --questions 1-2

Every answer must be 200; any other status fails the run (exit code 1).
"""

from __future__ import annotations

import argparse
import io
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import dataset  # noqa: E402
import hello  # noqa: E402
from answers import numbers  # noqa: E402

SECRET = "bench-answer-cost"


def _environ(method: str, path: str, body: bytes = b"", cookie: str = "") -> dict:
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT_ENCODING": "gzip",
    }
    if method == "POST":
        environ.update(
            CONTENT_TYPE="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(len(body)),
            HTTP_HX_REQUEST="true",
            HTTP_COOKIE=cookie,
        )
    return environ


def _call(app, environ: dict) -> int:
    seen = []
    body = app(environ, lambda status, headers, exc_info=None: seen.append(status))
    for _chunk in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return int(seen[0].split()[0])


def build(root: Path, participants: int, feedback: str) -> dict:
    """The database (migrations, questions/, a led session) and its participants
    (inserted as joining stores them: an id each), in ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    facts = dataset.make_database(root / "lateral.db", feedback=feedback)
    from quiz.storage.connection import connect

    db = connect(root / "lateral.db")
    try:
        session_id = db.execute(
            "SELECT id FROM session WHERE code = ?", [facts["code"]]
        ).fetchone()[0]
        people = [secrets.token_urlsafe(18) for _ in range(participants)]
        with db.conn:
            db.conn.executemany(
                "INSERT INTO participant (id, session_id, nickname, created_at) "
                "VALUES (?, ?, ?, '2026-12-02T09:00:00+00:00')",
                [(pid, session_id, f"student {n + 1}") for n, pid in enumerate(people)],
            )
    finally:
        db.close()
    (root / "people.txt").write_text("\n".join(people))
    (root / "code.txt").write_text(facts["code"])
    return {"code": facts["code"], "people": people}


def _app(db_path: Path, early: bool, instance: Path):
    import os

    os.environ["LATERAL_INSTANCE_PATH"] = str(instance)
    from quiz import create_app

    return create_app(
        {
            "DATABASE": str(db_path),
            "SECRET_KEY": SECRET,
            "QUESTIONS_DIR": str(dataset.QUESTIONS),
            "EARLY_ANSWERS": early,
        }
    )


def _cookies(app, code: str, people: list[str]) -> list[tuple[str, str]]:
    """Each participant's cookie header and CSRF token, signed as the app signs them."""
    from itsdangerous import URLSafeTimedSerializer

    serializer = app.session_interface.get_signing_serializer(app)
    csrf = URLSafeTimedSerializer(SECRET, salt="wtf-csrf-token")
    out = []
    for pid in people:
        raw = secrets.token_hex(20)
        value = serializer.dumps({"_permanent": True, "csrf_token": raw, "p": {code: pid}})
        out.append((f"lateral={value}", csrf.dumps(raw)))
    return out


def measure(args) -> dict[str, float]:
    from quiz.play import sessions
    from quiz.storage import queries
    from quiz.storage.connection import connect

    tmp = Path(tempfile.mkdtemp(prefix="lateral-answer-cost-"))
    try:
        root = args.db or tmp / "built"
        if not (root / "lateral.db").exists():
            build(root, args.participants, args.feedback)
        code = (root / "code.txt").read_text()
        people = (root / "people.txt").read_text().split("\n")[: args.participants]
        sides = {}
        for name in ("on", "off"):
            shutil.copy(root / "lateral.db", tmp / f"{name}.db")
            sides[name] = _app(tmp / f"{name}.db", name == "on", tmp / "instance")
        cookies = _cookies(sides["on"], code, people)
        db = connect(tmp / "on.db")
        questions = {q["number"]: q for q in sessions.load_session(db, code).questions}
        session_id = queries.session_by_code(db, code)["id"]
        db.close()
        hello_environ = _environ("GET", "/")
        for _ in range(50):
            _call(hello.app, dict(hello_environ))
        cpu = {"hello": 0.0, "on": 0.0, "off": 0.0}
        count = 0
        for number in args.questions:
            q = questions[number]
            forms = []
            for n, (cookie, token) in enumerate(cookies):
                rng = random.Random(number * 100_003 + n)
                fields = [("csrf_token", token), ("question", str(q["pk"]))]
                forms.append((cookie, urlencode(fields + dataset.answer_fields(q, rng)).encode()))
            for name in ("off", "on"):
                db = connect(tmp / f"{name}.db")
                queries.set_current(db, session_id, number)
                db.close()
            for part in ("off", "on", "hello"):
                if args.only not in (None, part):
                    continue
                start = time.process_time()
                for cookie, body in forms:
                    if part == "hello":
                        status = _call(hello.app, dict(hello_environ))
                    else:
                        path = f"/play/{code}/answer"
                        status = _call(sides[part], _environ("POST", path, body, cookie))
                    if status != 200:
                        raise SystemExit(f"{part}: an answer got {status}")
                cpu[part] += time.process_time() - start
            count += len(forms)
        return {name: 1000 * seconds / count for name, seconds in cpu.items()} | {"count": count}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawTextHelpFormatter
    )
    p.add_argument("--participants", type=int, default=300)
    p.add_argument("--questions", type=numbers, default=numbers("1-6"), help="numbers (1-6)")
    p.add_argument("--feedback", choices=["now", "reveal"], default="reveal")
    p.add_argument("--db", type=Path, help="a folder to build the database in once, and reuse")
    p.add_argument("--only", choices=["hello", "on", "off", "none"], help="one part (callgrind)")
    args = p.parse_args()
    figures = measure(args)
    h = figures["hello"]
    print(f"{figures['count']} answers (questions {args.questions}, feedback {args.feedback})")
    print(
        "CPU ms per request: " + ", ".join(f"{k} {figures[k]:.4f}" for k in ("hello", "off", "on"))
    )
    if h:
        print(
            f"answer, early path off: {figures['off'] / h:.2f}x hello; on: {figures['on'] / h:.2f}x"
        )


if __name__ == "__main__":
    main()
