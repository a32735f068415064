"""A small load driver: a production server as a subprocess, and participants over HTTP.

Standard library only, so a benchmark script can reuse it as is::

    from tests.load import Participant, Plan, Recorder, Server, answer_round, join_all

``Server`` runs gunicorn on 127.0.0.1 in its own process group and can kill -9 it.
``Participant`` is one browser: its own cookie, its own connection per request, the
CSRF token read from the page like htmx reads it. ``Recorder`` keeps every response
(status, or the connection error when none came) with its timing.
"""

from __future__ import annotations

import collections
import contextlib
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
APP = "quiz:create_app()"
# The token as htmx sends it (<body hx-headers=...>), else a form's hidden field.
TOKENS = (
    re.compile(r'"X-CSRFToken": "([^"]+)"'),
    re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"'),
)
# What a dead or dying server does to a request: no status at all.
NO_RESPONSE = (OSError, http.client.HTTPException)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_path() -> Path:
    """Return the gunicorn beside this Python (the project's virtualenv)."""
    for candidate in (Path(sys.executable).parent / "gunicorn", ROOT / ".venv/bin/gunicorn"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("gunicorn is not installed in this environment")


# The server ---------------------------------------------------------------------------


def _stat(pid: int) -> tuple[str, int] | None:
    """Return (state, parent pid) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name may hold spaces and parentheses: split after the last ')'.
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting to be reaped does not count)."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    """Return the live child processes of a process, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == pid and stat[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


@dataclass
class Server:
    """gunicorn serving Lateral on 127.0.0.1, logging to a file.

    ``env`` is added to this process's environment (LATERAL_* variables); any
    LATERAL_* variable of the outer environment is dropped so it cannot leak in.
    """

    env: dict[str, str]
    log_path: Path
    port: int = 0
    workers: int = 4
    threads: int = 4
    app: str = APP
    process: subprocess.Popen | None = field(default=None, repr=False)
    chosen_port: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if not self.port:
            self.port, self.chosen_port = free_port(), True

    @property
    def command(self) -> list[str]:
        return [
            str(gunicorn_path()),
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--bind",
            f"{HOST}:{self.port}",
            self.app,
        ]

    def start(self, timeout: float = 30.0) -> Server:
        """Start the server and wait until it listens and /healthz answers 200.

        A port chosen here that something else took meanwhile is chosen again.
        """
        for _ in range(3):
            self._spawn()
            try:
                self.wait_healthy(timeout)
                return self
            except RuntimeError:
                if not (self.chosen_port and "Connection in use" in self.log()):
                    raise
                self.stop()
                self.port = free_port()
        raise RuntimeError(f"no free port found:\n{self.log()}")

    def _spawn(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LATERAL_")}
        env.update(self.env)
        env["PYTHONUNBUFFERED"] = "1"
        # gunicorn >= 25.1 opens a control socket at $XDG_RUNTIME_DIR/gunicorn.ctl, else
        # ~/.gunicorn/gunicorn.ctl, and unlinks whatever is there: one private directory
        # per server, so servers running at once (or a killed one's leftover) never clash.
        runtime = self.log_path.with_name(f"{self.log_path.stem}-run")
        runtime.mkdir(mode=0o700, exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(runtime)
        with open(self.log_path, "ab") as log:
            # A session of its own: the whole server is one process group to kill.
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_healthy(self, timeout: float = 30.0) -> None:
        """Wait until this server (not another on the port) answers /healthz with 200."""
        assert self.process is not None, "start the server first"
        listening = f"Listening at: http://{HOST}:{self.port} ({self.process.pid})"
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {self.process.returncode}:\n{self.log()}"
                )
            if listening not in self.log():
                time.sleep(0.1)
                continue
            try:
                status, _, _ = request(self.port, "GET", "/healthz", timeout=2)
                if status == 200:
                    return
                last = status
            except NO_RESPONSE as exc:
                last = exc
            time.sleep(0.1)
        raise TimeoutError(f"no healthy server after {timeout} s (last: {last!r}):\n{self.log()}")

    def pids(self) -> list[int]:
        """Return the master's pid and its workers' (live ones only)."""
        if self.process is None or not alive(self.process.pid):
            return []
        return [self.process.pid, *children(self.process.pid)]

    def kill9(self, timeout: float = 10.0) -> list[int]:
        """kill -9 the master and every worker at once; return the pids killed."""
        pids = self.pids()
        if self.process is not None:
            # The group signal reaches every process in the same instant; the
            # per-pid signals below are for any process that left the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._reap(timeout)
        deadline = time.monotonic() + timeout
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.02)
        left = [pid for pid in pids if alive(pid)]
        if left:
            raise RuntimeError(f"processes survived kill -9: {left}")
        return pids

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server gracefully, then by force; never leave a process behind."""
        if self.process is None:
            return
        pids = self.pids()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        for pid in pids:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self._reap(timeout)

    def _reap(self, timeout: float) -> None:
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# One request, one browser ----------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Send one request on a fresh connection; return (status, headers, body).

    Raises OSError or http.client.HTTPException when no whole response came.
    """
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        return response.status, response.headers, data
    finally:
        conn.close()


class Participant:
    """One student's browser: a cookie jar of its own and the page's CSRF token."""

    def __init__(self, port: int, nickname: str, *, htmx: bool = True, timeout: float = 30.0):
        self.port = port
        self.nickname = nickname
        self.htmx = htmx
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.token: str | None = None
        self._lock = threading.Lock()

    def send(
        self,
        method: str,
        path: str,
        form: Sequence[tuple[str, str]] | None = None,
        htmx: bool | None = None,
    ) -> tuple[int, bytes]:
        """Send a request with this browser's cookie and token; keep the cookie it sets."""
        headers = {}
        with self._lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(list(form)).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token:
            headers["X-CSRFToken"] = self.token
        if (self.htmx if htmx is None else htmx) and method == "POST":
            headers["HX-Request"] = "true"
        status, response_headers, data = request(
            self.port, method, path, body=body, headers=headers, timeout=self.timeout
        )
        for raw in response_headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            with self._lock:
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
        return status, data

    def join(self, code: str) -> int:
        """Open the home page (cookie and token), then join; return the join's status."""
        status, page = self.send("GET", "/")
        text = page.decode("utf-8", "replace")
        found = next((m for m in (t.search(text) for t in TOKENS) if m), None)
        if status != 200 or not found:
            return status
        self.token = found.group(1)
        # Joining is a full page post (the home form has no hx-post): no HX-Request.
        form = [("code", code), ("nickname", self.nickname)]
        status, _ = self.send("POST", "/join", form, htmx=False)
        return status

    def answer(self, code: str, question_pk: int, options: Iterable[str], confidence=None) -> int:
        form = [("question", str(question_pk)), *(("option", o) for o in options)]
        if confidence is not None:
            form.append(("confidence", str(confidence)))
        status, _ = self.send("POST", f"/play/{code}/answer", form)
        return status


# Recording ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One request: what it was for, its status (None: no response) and its timing."""

    kind: str  # "join", "answer", "double" (the simultaneous twin), "retry"...
    nickname: str
    question: int | None
    option: str | None
    status: int | None
    error: str | None
    started: float
    ended: float

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


class Recorder:
    """Thread-safe record of every request made."""

    def __init__(self) -> None:
        self.results: list[Result] = []
        self._lock = threading.Lock()

    def call(
        self,
        kind: str,
        participant: Participant,
        fn: Callable[[], int],
        question: int | None = None,
        option: str | None = None,
    ) -> Result:
        started = time.monotonic()
        status, error = None, None
        try:
            status = fn()
        except NO_RESPONSE as exc:
            error = f"{type(exc).__name__}: {exc}"
        result = Result(
            kind, participant.nickname, question, option, status, error, started, time.monotonic()
        )
        with self._lock:
            self.results.append(result)
        return result

    def snapshot(self) -> list[Result]:
        with self._lock:
            return list(self.results)

    def acknowledged(self, kinds: Iterable[str] | None = None) -> dict[tuple[str, int], str]:
        """Return {(nickname, question pk): option} of answers that got a 2xx/3xx."""
        kinds = set(kinds) if kinds is not None else None
        return {
            (r.nickname, r.question): r.option
            for r in self.snapshot()
            if r.question is not None and r.ok and (kinds is None or r.kind in kinds)
        }

    def statuses(self) -> collections.Counter:
        return collections.Counter(
            r.status if r.status is not None else "no response" for r in self.snapshot()
        )

    def errors(self) -> collections.Counter:
        return collections.Counter(r.error.split(":")[0] for r in self.snapshot() if r.error)


# Driving a room ------------------------------------------------------------------------


def join_all(
    pool: ThreadPoolExecutor,
    participants: Sequence[Participant],
    code: str,
    rec: Recorder,
    timeout: float = 120.0,
) -> list[Result]:
    """Join every participant (home page, then the join form) at once."""
    futures = [pool.submit(rec.call, "join", p, lambda p=p: p.join(code)) for p in participants]
    deadline = time.monotonic() + timeout
    return [f.result(max(0.0, deadline - time.monotonic())) for f in futures]


@dataclass
class Plan:
    """What each participant answers: the option, and whether it is resent later.

    A retry goes out ``retry_delay`` seconds after the double tap, on a timer of its
    own, so it overlaps whatever comes next; ``drain`` waits for the retries.
    """

    choose: Callable[[Participant, dict], str]
    confidence: Callable[[Participant, dict], int | None] = lambda p, q: None
    double: bool = True
    retry: Callable[[Participant, dict], bool] = lambda p, q: False
    retry_delay: float = 1.0
    stop: threading.Event = field(default_factory=threading.Event)
    timers: list[threading.Timer] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def later(self, fn: Callable[[], object]) -> None:
        def run() -> None:
            if not self.stop.is_set():
                fn()

        timer = threading.Timer(self.retry_delay, run)
        timer.daemon = True
        with self._lock:
            self.timers.append(timer)
        timer.start()

    def drain(self, timeout: float = 120.0) -> None:
        """Wait for every scheduled retry to finish."""
        deadline = time.monotonic() + timeout
        with self._lock:
            timers = list(self.timers)
        for timer in timers:
            timer.join(max(0.0, deadline - time.monotonic()))
        if any(t.is_alive() for t in timers):
            self.stop.set()
            raise TimeoutError("retries still running")


def answer_once(
    p: Participant, code: str, q: dict, plan: Plan, rec: Recorder, kind: str = "answer"
) -> Result:
    option = plan.choose(p, q)
    confidence = plan.confidence(p, q)
    return rec.call(kind, p, lambda: p.answer(code, q["pk"], [option], confidence), q["pk"], option)


def answer_pair(p: Participant, code: str, q: dict, plan: Plan, rec: Recorder) -> None:
    """Send one answer twice at the same instant on two connections (a double tap).

    Both carry the same option; a planned retry follows ``plan.retry_delay`` later.
    """
    if plan.stop.is_set():
        return
    if plan.double:
        gate = threading.Barrier(2, timeout=30)

        def twin() -> None:
            with contextlib.suppress(threading.BrokenBarrierError):
                gate.wait()
            answer_once(p, code, q, plan, rec, "double")

        other = threading.Thread(target=twin, daemon=True)
        other.start()
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()
        answer_once(p, code, q, plan, rec)
        other.join(60)
    else:
        answer_once(p, code, q, plan, rec)
    if plan.retry(p, q) and not plan.stop.is_set():
        plan.later(lambda: answer_once(p, code, q, plan, rec, "retry"))


def answer_round(
    pool: ThreadPoolExecutor,
    participants: Sequence[Participant],
    code: str,
    q: dict,
    plan: Plan,
    rec: Recorder,
    timeout: float = 120.0,
) -> None:
    """Release every participant's answer to one question at once; wait for all."""
    order = list(participants)
    random.Random(q["pk"]).shuffle(order)
    futures = [pool.submit(answer_pair, p, code, q, plan, rec) for p in order]
    done, pending = wait(futures, timeout)
    if pending:
        plan.stop.set()
        raise TimeoutError(f"{len(pending)} answers to question {q['pk']} still running")
    for f in done:
        f.result()


def percentiles(results: Iterable[Result], points=(50, 95, 99)) -> dict[int, float]:
    """Return response times in milliseconds at the given percentiles."""
    times = sorted(r.ended - r.started for r in results if r.status is not None)
    if not times:
        return {}
    return {p: round(times[min(len(times) - 1, len(times) * p // 100)] * 1000) for p in points}


def summary(rec: Recorder, elapsed: float, label: str = "load") -> str:
    """One line: requests, rate, statuses, connection errors and answer latency."""
    results = rec.snapshot()
    by_kind = collections.Counter(r.kind for r in results)
    answers = [r for r in results if r.question is not None]
    latency = ", ".join(f"p{p} {ms} ms" for p, ms in percentiles(answers).items()) or "n/a"
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(rec.statuses().items(), key=str))
    errors = ", ".join(f"{k}: {v}" for k, v in rec.errors().items()) or "none"
    rate = len(results) / elapsed if elapsed else 0.0
    return (
        f"[{label}] {len(results)} requests in {elapsed:.1f} s ({rate:.0f}/s); "
        f"by kind {dict(by_kind)}; statuses {{{statuses}}}; connection errors {errors}; "
        f"answer latency {latency}"
    )
