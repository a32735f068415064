"""A small HTTP/1.1 load generator: asyncio streams, keep-alive, standard library only.

Why asyncio and not a thread pool of ``http.client`` connections: on a 2-core machine
the generator shares the CPU with the server it measures, so it must spend as little
as possible per request. One event loop drives a thousand keep-alive connections
without a thread each and without the GIL hand-offs between threads (see README.md
for the comparison that chose it).

Only 127.0.0.1 is ever contacted; every request has a timeout.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import time
import urllib.parse
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0
MAX_IDLE_CONNECTIONS = 6  # what a browser keeps per host


class Stale(Exception):
    """A kept-alive connection was closed by the server before any answer came.

    Browsers resend the request on a new connection in that case, and so do we.
    """


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[-1] if values else None

    @property
    def text(self) -> str:
        body = self.body
        if self.header("content-encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        return body.decode("utf-8", "replace")


class Connection:
    """One TCP connection to 127.0.0.1:port speaking HTTP/1.1 with keep-alive."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0
        self.open_ = False

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=1 << 20)
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.open_ = True

    def close(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            except Exception:  # noqa: BLE001 - closing a broken socket may fail
                pass
        self.open_ = False

    async def request(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes | None
    ) -> tuple[Response, bool]:
        """Send one request and read its response; return it and whether to keep the
        connection. Raise Stale when a reused connection died before answering."""
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if body:
            data += body
        reused = self.used > 0
        self.used += 1
        try:
            self.writer.write(data)
            await self.writer.drain()
            status_line = await self.reader.readline()
        except (ConnectionError, OSError) as exc:
            if reused:
                raise Stale() from exc
            raise
        if not status_line:
            if reused:
                raise Stale()
            raise ConnectionResetError("connection closed before the status line")
        parts = status_line.split(None, 2)
        status = int(parts[1])
        hdrs: dict[str, list[str]] = defaultdict(list)
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise ConnectionResetError("connection closed inside the headers")
            name, _, value = line.decode("latin-1").partition(":")
            hdrs[name.strip().lower()].append(value.strip())
        keep = "close" not in ",".join(hdrs.get("connection", [])).lower()
        if status in (204, 304) or 100 <= status < 200 or method == "HEAD":
            payload = b""
        elif "content-length" in hdrs:
            payload = await self.reader.readexactly(int(hdrs["content-length"][-1]))
        elif "chunked" in ",".join(hdrs.get("transfer-encoding", [])).lower():
            chunks = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0].strip(), 16)
                if size == 0:
                    while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            payload = b"".join(chunks)
        else:
            payload = await self.reader.read()
            keep = False
        return Response(status, dict(hdrs), payload), keep


def is_error(status: int) -> bool:
    """Errors are anything but 2xx (204 included) and 3xx."""
    return not 200 <= status < 400


@dataclass
class Recorder:
    """Every request's kind, start, latency and status (or connection error)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    first: dict[str, float] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    connects: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)

    def _span(self, kind: str, start: float, end: float) -> None:
        if kind not in self.first or start < self.first[kind]:
            self.first[kind] = start
        if kind not in self.last or end > self.last[kind]:
            self.last[kind] = end

    def record(self, kind: str, start: float, end: float, status: int) -> None:
        self._span(kind, start, end)
        self.latencies[kind].append(end - start)
        self.statuses[kind][status] += 1

    def fail(self, kind: str, start: float, end: float, reason: str) -> None:
        self._span(kind, start, end)
        self.failures[kind][reason] += 1

    def kinds(self) -> list[str]:
        return list(dict.fromkeys([*self.latencies, *self.failures]))

    def summary(self, kind: str, duration: float | None = None) -> dict:
        """count, throughput, latency percentiles (ms) and errors for one kind.

        Throughput is the count over ``duration`` when given, else over the span from
        the first request's start to the last one's end.
        """
        lat = sorted(self.latencies.get(kind, []))
        statuses = self.statuses.get(kind, Counter())
        failures = self.failures.get(kind, Counter())
        count = len(lat) + sum(failures.values())
        span = duration
        if span is None and kind in self.first:
            span = self.last[kind] - self.first[kind]
        bad_status = {str(s): n for s, n in sorted(statuses.items()) if is_error(s)}
        errors = sum(bad_status.values()) + sum(failures.values())
        return {
            "count": count,
            "seconds": round(span, 3) if span else None,
            "throughput": round(count / span, 1) if span else None,
            "mean_ms": _ms(statistics.fmean(lat)) if lat else None,
            "p50_ms": _ms(_pct(lat, 50)),
            "p95_ms": _ms(_pct(lat, 95)),
            "p99_ms": _ms(_pct(lat, 99)),
            "max_ms": _ms(lat[-1]) if lat else None,
            "errors": errors,
            "error_detail": {**bad_status, **dict(failures)},
            "statuses": {str(s): n for s, n in sorted(statuses.items())},
            "new_connections": self.connects.get(kind, 0),
            "stale_retries": self.retries.get(kind, 0),
        }


def _pct(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    # Nearest-rank percentile.
    rank = max(1, int(round(p / 100 * len(sorted_values) + 0.4999)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


class Client:
    """One browser: a cookie jar of one cookie, and up to six kept-alive connections."""

    def __init__(self, port: int, recorder: Recorder, cookie_name: str = "lateral"):
        self.port = port
        self.recorder = recorder
        self.cookie_name = cookie_name
        self.cookie: str | None = None
        self.idle: list[Connection] = []

    async def send(
        self,
        kind: str,
        method: str,
        target: str,
        form: dict | list | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = REQUEST_TIMEOUT,
        kind_of=None,
    ) -> Response | None:
        """Send a request, record it under ``kind`` (or under ``kind_of(response)``
        when given); return the response, or None after a connection error."""
        # As a phone's browser asks, but gzip only: the standard library decodes it.
        hdrs = [
            ("User-Agent", "lateral-bench/1"),
            ("Accept", "text/html,*/*"),
            ("Accept-Encoding", "gzip"),
        ]
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            hdrs.append(("Content-Type", "application/x-www-form-urlencoded"))
        if headers:
            hdrs += list(headers.items())
        if self.cookie:
            hdrs.append(("Cookie", f"{self.cookie_name}={self.cookie}"))
        start = time.perf_counter()
        deadline = start + timeout
        for attempt in range(2):
            # The retry after a stale connection always opens a new one.
            conn = self.idle.pop() if self.idle and attempt == 0 else None
            try:
                if conn is None:
                    conn = Connection(self.port)
                    self.recorder.connects[kind] += 1
                    await asyncio.wait_for(conn.open(), max(0.001, deadline - time.perf_counter()))
                response, keep = await asyncio.wait_for(
                    conn.request(method, target, hdrs, body),
                    max(0.001, deadline - time.perf_counter()),
                )
            except Stale:
                conn.close()
                # Its idle siblings were closed by the server too, most likely.
                self.close()
                self.recorder.retries[kind] += 1
                continue
            except TimeoutError:
                if conn is not None:
                    conn.close()
                self.recorder.fail(kind, start, time.perf_counter(), "timeout")
                return None
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                if conn is not None:
                    conn.close()
                self.recorder.fail(kind, start, time.perf_counter(), type(exc).__name__)
                return None
            end = time.perf_counter()
            if kind_of is not None:
                kind = kind_of(response)
            self.recorder.record(kind, start, end, response.status)
            if keep and len(self.idle) < MAX_IDLE_CONNECTIONS:
                self.idle.append(conn)
            else:
                conn.close()
            self._take_cookie(response)
            return response
        self.recorder.fail(kind, start, time.perf_counter(), "stale twice")
        return None

    def _take_cookie(self, response: Response) -> None:
        for value in response.headers.get("set-cookie", []):
            name, _, rest = value.partition("=")
            if name.strip() != self.cookie_name:
                continue
            cookie = rest.split(";", 1)[0]
            self.cookie = cookie or None

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()


async def closed_loop(
    make_request,
    concurrency: int,
    seconds: float,
    max_requests: int,
) -> float:
    """Run ``concurrency`` workers, each sending one request after another, until
    ``seconds`` pass or ``max_requests`` have been started; return the elapsed time.

    ``make_request(worker_index, n)`` is a coroutine function doing one request.
    """
    started = 0
    stop_at = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        nonlocal started
        n = 0
        while started < max_requests and time.perf_counter() < stop_at:
            started += 1
            await make_request(index, n)
            n += 1

    begin = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return time.perf_counter() - begin


class LoopLag:
    """Measure how late the event loop wakes up (the generator's own saturation)."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.lags: list[float] = []
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.interval)
            self.lags.append(max(0.0, time.perf_counter() - before - self.interval))

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> dict:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        lags = sorted(self.lags)
        return {
            "samples": len(lags),
            "p50_ms": _ms(_pct(lags, 50)),
            "p99_ms": _ms(_pct(lags, 99)),
            "max_ms": _ms(lags[-1]) if lags else None,
        }
