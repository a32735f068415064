"""Start gunicorn as the README says, stop it for sure, and sample its processes.

Only processes this module started are signalled: each server runs in its own
process group (``start_new_session``) whose id is the master's pid, and stopping
sends to that group id only.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
_RUNNING: list[Server] = []


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_path() -> str:
    here = Path(sys.executable).parent / "gunicorn"
    if here.exists():
        return str(here)
    raise FileNotFoundError(f"gunicorn is not installed beside {sys.executable}")


class Server:
    """``gunicorn --workers W --threads T --bind 127.0.0.1:PORT APP`` in a process group."""

    def __init__(
        self,
        app: str,
        *,
        workers: int,
        threads: int,
        cwd: Path,
        env: dict[str, str],
        log_path: Path,
        health_path: str = "/",
    ):
        self.app = app
        self.port = free_port()
        self.argv = [
            gunicorn_path(),
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--no-control-socket",
            "--bind",
            f"{HOST}:{self.port}",
            app,
        ]
        self.cwd = cwd
        self.env = env
        self.log_path = log_path
        self.health_path = health_path
        self.proc: subprocess.Popen | None = None
        self.workers = workers

    def start(self, timeout: float = 60.0) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        _RUNNING.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.proc.returncode}: see {self.log_path}"
                )
            if self._healthy() and len(self.pids()) >= self.workers + 1:
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not become ready in {timeout:.0f} s: see {self.log_path}")

    def _healthy(self) -> bool:
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
            conn.request("GET", self.health_path)
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def pids(self) -> list[int]:
        """The master and its live workers."""
        if self.proc is None or self.proc.poll() is not None:
            return []
        return [self.proc.pid, *children(self.proc.pid)]

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the server's process group, then SIGKILL what is left."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            _signal_group(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        # Workers that outlived the master (they should not) go with the group.
        _signal_group(self.proc.pid, signal.SIGKILL)
        if self in _RUNNING:
            _RUNNING.remove(self)


# A workshop of up to 5,000 joining through one address within a minute.
WORKSHOP_JOIN_LIMITS = {
    "client_per_minute": 5_000,
    "client_per_hour": 10_000,
    "session_per_minute": 5_000,
}


def lateral(
    root: Path,
    db_path: Path,
    instance: Path,
    questions: Path,
    *,
    workers: int,
    threads: int,
    log_path: Path,
    key: str | None = None,
) -> tuple[Server, dict[str, str]]:
    """Lateral under gunicorn on the bench's database, and the environment it runs with."""
    env = {
        **os.environ,
        "LATERAL_DATABASE": str(db_path),
        "LATERAL_SECRET_KEY": key or secrets.token_hex(32),
        "LATERAL_INSTANCE_PATH": str(instance),
        "LATERAL_QUESTIONS_DIR": str(questions),
        # Every simulated phone comes from 127.0.0.1, as a workshop's phones come through
        # one school address: the join limits are raised as README's JOIN_LIMITS says
        # for a workshop of more than 600 behind one address (600 a minute by default).
        "LATERAL_JOIN_LIMITS": json.dumps(WORKSHOP_JOIN_LIMITS),
    }
    server = Server(
        "quiz:create_app()",
        workers=workers,
        threads=threads,
        cwd=root,
        env=env,
        log_path=log_path,
        health_path="/healthz",
    )
    return server, env


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def stop_all() -> None:
    """Stop every server still running (for finally blocks and signal handlers)."""
    for server in list(_RUNNING):
        try:
            server.stop()
        except Exception as exc:  # noqa: BLE001 - keep stopping the others
            print(f"warning: could not stop {server.app}: {exc}", file=sys.stderr)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def process_times(pid: int) -> tuple[float, float, int]:
    """User seconds, system seconds and context switches (all threads) of a process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) / TICKS, int(fields[12]) / TICKS, context_switches(pid)
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0, 0


def context_switches(pid: int) -> int:
    """Voluntary and involuntary context switches of all of a process's threads so far
    (``/proc/<pid>/status`` alone counts its main thread only)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            status = (task / "status").read_text()
        except OSError:
            continue  # the thread ended meanwhile
        total += sum(
            int(line.split()[1]) for line in status.splitlines() if "ctxt_switches" in line
        )
    return total


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores, from /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    # guest time is already counted in user time.
    return (sum(fields[:8]) - idle) / TICKS


def wait_quiet(max_wait: float, cores_busy: float = 0.2, quiet_for: int = 5) -> dict:
    """Wait (at most ``max_wait`` s) until the machine is nearly idle for ``quiet_for`` s
    in a row: other sessions' builds and tests on a shared machine skew every figure."""
    start = time.monotonic()
    streak = 0
    samples = []
    while time.monotonic() - start < max_wait:
        before = busy_seconds()
        time.sleep(1.0)
        busy = busy_seconds() - before
        samples.append(round(busy, 2))
        streak = streak + 1 if busy < cores_busy else 0
        if streak >= quiet_for:
            break
    return {
        "waited_s": round(time.monotonic() - start, 1),
        "quiet": streak >= quiet_for,
        "last_busy_cores": samples[-quiet_for:],
    }


class CpuMeter:
    """CPU seconds used between start() and stop(): by the server's processes, by this
    process (the load generator), and by everything else on the machine."""

    def __init__(self, server: Server):
        self.server = server
        self.before: dict[int, tuple[float, float, int]] = {}

    def start(self) -> None:
        self.before = {pid: process_times(pid) for pid in self.server.pids()}
        self.self_before = time.process_time()
        self.busy_before = busy_seconds()
        self.wall_before = time.monotonic()

    def stop(self) -> dict:
        zero = (0.0, 0.0, 0)
        deltas = [
            [
                now - then
                for now, then in zip(process_times(pid), self.before.get(pid, zero), strict=True)
            ]
            for pid in self.server.pids()
        ]
        user = sum(d[0] for d in deltas)
        system = sum(d[1] for d in deltas)
        used = user + system
        own = time.process_time() - self.self_before
        wall = time.monotonic() - self.wall_before
        other = max(0.0, busy_seconds() - self.busy_before - used - own)
        return {
            "wall_s": round(wall, 3),
            "server_cpu_s": round(used, 3),
            "server_user_s": round(user, 3),
            "server_system_s": round(system, 3),
            "server_context_switches": sum(d[2] for d in deltas),
            # Busiest first: how the load spread over the master and the workers.
            "server_cpu_s_by_process": sorted(
                (round(d[0] + d[1], 3) for d in deltas), reverse=True
            ),
            "generator_cpu_s": round(own, 3),
            "other_cpu_s": round(other, 3),
            "other_cores_avg": round(other / wall, 2) if wall else None,
        }


class MemorySampler(threading.Thread):
    """Sum the RSS of a server's processes every ``interval`` seconds; keep the peak."""

    def __init__(self, server: Server, interval: float = 0.1, max_seconds: float = 3600):
        super().__init__(daemon=True)
        self.server = server
        self.interval = interval
        self.max_seconds = max_seconds
        self.halt = threading.Event()
        self.peak_total = 0
        self.peak_per_process: dict[int, int] = {}
        self.samples = 0
        self.processes_seen: set[int] = set()

    def run(self) -> None:
        end = time.monotonic() + self.max_seconds
        while not self.halt.is_set() and time.monotonic() < end:
            total = 0
            for pid in self.server.pids():
                rss = rss_bytes(pid)
                total += rss
                self.processes_seen.add(pid)
                self.peak_per_process[pid] = max(self.peak_per_process.get(pid, 0), rss)
            self.peak_total = max(self.peak_total, total)
            self.samples += 1
            self.halt.wait(self.interval)

    def stop(self) -> dict:
        self.halt.set()
        self.join(5)
        pss = sum(pss_bytes(pid) for pid in self.server.pids())
        mb = 1024 * 1024
        return {
            "peak_rss_total_mb": round(self.peak_total / mb, 1),
            "peak_rss_largest_process_mb": round(
                max(self.peak_per_process.values(), default=0) / mb, 1
            ),
            "processes": len(self.processes_seen),
            "samples": self.samples,
            "interval_s": self.interval,
            "pss_total_at_end_mb": round(pss / mb, 1),
        }


def worker_cpu(server: Server):
    """Return a function giving the CPU seconds of the server's one worker so far (for a
    server started with one worker: the process that is not the master)."""
    (worker,) = [pid for pid in server.pids() if pid != server.proc.pid]

    def cpu() -> float:
        user, system, _ = process_times(worker)
        return user + system

    return cpu
