"""The classroom: N participants and one facilitator over HTTP, as the pages behave.

A participant is one browser: GET / (the page, its CSRF token and cookie, and the
stylesheet, scripts and icon), POST /join (303), GET /play/<code> (the full page,
static files revalidated with 304). From then on it does what htmx does on the page:

- while the screen has a poller (``<div id="poll" hx-get=…>``: the wait screen and a
  led question), it GETs that URL every 2 s with ``HX-Request: true``; 204 changes
  nothing; 200 with ``HX-Retarget`` is a new screen; 200 without is a new poller;
- on a question screen it answers (POST /play/<code>/answer with the CSRF token,
  ``HX-Request: true``, confidence sometimes) at a time drawn uniformly from 0–3 s
  after the facilitator's advance, but never before it has seen the question
  (0.2 s after its poll showed it);
- on the feedback it reads for 1–3 s, then follows "Next question"
  (GET /play/<code> with ``HX-Request: true``), which shows the wait screen.

The facilitator signs in, keeps the dashboard open (its live panel polls every 3 s)
and the room screen on the projector (``<div id="room" hx-get=…>``, polled every 2 s),
and moves the room with POST /run/<code>/goto number=N (303, then the dashboard). In
the vote rounds (peer instruction) it opens the question to a second vote once the
first answers are in (POST /run/<code>/questions/<pk>/vote) and everyone answers again;
every round ends with the reveal (POST …/reveal), which shows each phone its feedback.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
from dataclasses import dataclass, field
from html import unescape

from dataset import TEACHER_EMAIL, TEACHER_PASSWORD, answer_fields
from loadgen import Client, Recorder, Response, closed_loop

POLL_SECONDS = 2.0
LIVE_SECONDS = 3.0
MIN_READ = 0.2
INF = math.inf

POLL = re.compile(r'<div id="poll" hx-get="([^"]+)"')
LIVE = re.compile(r'<div id="live" hx-get="([^"]+)"')
ROOM = re.compile(r'<div id="room" [^>]*hx-get="([^"]+)"')
QUESTION = re.compile(r'name="question" value="(\d+)"')
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HX_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')
HX = {"HX-Request": "true"}


def now() -> float:
    return time.perf_counter()


def ok(response: Response | None, *statuses: int) -> bool:
    if response is None:
        return False
    if statuses:
        return response.status in statuses
    return 200 <= response.status < 400


def poll_kind(response: Response) -> str:
    return "poll" if response.status == 204 else "poll-changed"


def live_kind(response: Response) -> str:
    return "live" if response.status == 204 else "live-changed"


def room_kind(response: Response) -> str:
    return "room" if response.status == 204 else "room-changed"


@dataclass
class Scene:
    """What the participants and the facilitator share."""

    port: int
    code: str
    questions: list[dict]
    recorder: Recorder
    seed: int
    answer_window: float = 3.0
    advance_at: dict[int, float] = field(default_factory=dict)
    answer_log: list[tuple[int, float, float, int]] = field(default_factory=list)
    # Answers that got their reply, by (question pk, vote): what the facilitator watches.
    done: dict[tuple[int, int], int] = field(default_factory=dict)
    joined: int = 0
    stop: bool = False
    deadline: float = INF

    def __post_init__(self) -> None:
        self.by_pk = {q["pk"]: q for q in self.questions}


class Participant:
    def __init__(self, scene: Scene, index: int, join_at: float):
        self.scene = scene
        self.index = index
        self.nickname = f"student {index + 1:04d}"
        self.rng = random.Random(scene.seed * 100_003 + index)
        self.client = Client(scene.port, scene.recorder)
        self.join_at = join_at
        self.token: str | None = None
        self.joined = False
        self.poll_url: str | None = None
        self.next_poll = INF
        self.question_pk: int | None = None
        self.answer_at = INF
        self.click_at = INF
        self.tries: dict[int, int] = {}
        self.answered: set[int] = set()
        self.revoted: set[int] = set()
        self.static: dict[str, dict[str, str]] = {}

    # Screens -----------------------------------------------------------------------

    def _token(self, html: str) -> None:
        m = HX_TOKEN.search(html) or TOKEN.search(html)
        if m:
            self.token = m.group(1)

    def show(self, response: Response, at: float) -> None:
        """A new screen arrived: set the poller, the answer or the click it leads to."""
        html = response.text
        self._token(html)
        m = POLL.search(html)
        self.poll_url = unescape(m.group(1)) if m else None
        self.next_poll = at + POLL_SECONDS if self.poll_url else INF
        self.click_at = INF
        m = QUESTION.search(html)
        if m and response.status == 200:
            pk = int(m.group(1))
            if pk != self.question_pk:
                self.question_pk = pk
                advance = self.scene.advance_at.get(pk, at)
                self.answer_at = max(
                    at + MIN_READ, advance + self.rng.uniform(0, self.scene.answer_window)
                )
            return
        self.question_pk = None
        self.answer_at = INF
        if 'class="play-feedback"' in html:
            self.click_at = at + self.rng.uniform(1.0, 3.0)

    # Steps ---------------------------------------------------------------------------

    async def _static(self, html: str | None) -> None:
        """Fetch the page's static files once, then revalidate them (304)."""
        paths = STATIC.findall(html) if html is not None else list(self.static)
        for path in paths:
            seen = self.static.get(path)
            headers = {}
            if seen:
                if seen.get("etag"):
                    headers["If-None-Match"] = seen["etag"]
                if seen.get("modified"):
                    headers["If-Modified-Since"] = seen["modified"]
            r = await self.client.send("static", "GET", path, headers=headers)
            if r is not None and r.status == 200:
                self.static[path] = {
                    "etag": r.header("etag") or "",
                    "modified": r.header("last-modified") or "",
                }

    async def join(self) -> bool:
        r = await self.client.send("home", "GET", "/")
        if not ok(r, 200):
            return False
        self._token(r.text)
        await self._static(r.text)
        form = [("csrf_token", self.token or ""), ("code", self.scene.code)]
        form.append(("nickname", self.nickname))
        r = await self.client.send("join", "POST", "/join", form=form)
        if not ok(r, 303):
            return False
        r = await self.client.send(
            "page", "GET", r.header("location") or f"/play/{self.scene.code}"
        )
        if not ok(r, 200):
            return False
        await self._static(None)
        self.joined = True
        self.show(r, now())
        return True

    async def poll(self) -> None:
        sent = now()
        r = await self.client.send("poll", "GET", self.poll_url, headers=HX, kind_of=poll_kind)
        self.next_poll = sent + POLL_SECONDS
        if r is None or r.status != 200:
            return
        if r.header("hx-retarget"):
            self.show(r, now())
            return
        m = POLL.search(r.text)
        if m:
            self.poll_url = unescape(m.group(1))
            self.next_poll = now() + POLL_SECONDS

    async def answer(self) -> None:
        pk = self.question_pk
        q = self.scene.by_pk[pk]
        self.tries[pk] = self.tries.get(pk, 0) + 1
        fields = [("csrf_token", self.token or ""), ("question", str(pk))]
        fields += answer_fields(q, self.rng)
        headers = {**HX, "X-CSRFToken": self.token or ""}
        start = now()
        r = await self.client.send(
            "answer", "POST", f"/play/{self.scene.code}/answer", form=fields, headers=headers
        )
        end = now()
        advance = self.scene.advance_at.get(pk, start)
        self.scene.answer_log.append((pk, start - advance, end - advance, r.status if r else 0))
        if ok(r, 200):
            vote = 2 if pk in self.answered else 1
            (self.revoted if vote == 2 else self.answered).add(pk)
            self.scene.done[pk, vote] = self.scene.done.get((pk, vote), 0) + 1
            self.show(r, end)
        elif self.tries[pk] < 2:
            self.answer_at = end + 1.0
        else:
            self.answer_at = INF

    async def next_screen(self) -> None:
        self.click_at = INF
        r = await self.client.send("page", "GET", f"/play/{self.scene.code}", headers=HX)
        if ok(r, 200):
            self.show(r, now())
        else:
            self.click_at = now() + 1.0

    async def run(self) -> None:
        delay = self.join_at - now()
        if delay > 0:
            await asyncio.sleep(delay)
        if self.scene.stop or not await self.join():
            return
        steps = 0
        while not self.scene.stop and now() < self.scene.deadline and steps < 10_000:
            steps += 1
            due = min(self.next_poll, self.answer_at, self.click_at)
            if due == INF:
                return
            delay = due - now()
            if delay > 0:
                await asyncio.sleep(min(delay, self.scene.deadline - now()))
            if self.scene.stop:
                return
            if due == self.answer_at and self.question_pk is not None:
                await self.answer()
            elif due == self.click_at:
                await self.next_screen()
            elif self.poll_url:
                await self.poll()
            else:
                self.next_poll = INF


class Facilitator:
    def __init__(self, scene: Scene):
        self.scene = scene
        self.client = Client(scene.port, scene.recorder)
        self.token: str | None = None
        self.live_url: str | None = None
        self.live_task: asyncio.Task | None = None
        self.room = Client(scene.port, scene.recorder)  # the projector: its own browser
        self.room_url: str | None = None
        self.room_task: asyncio.Task | None = None

    def _read(self, html: str) -> None:
        m = HX_TOKEN.search(html) or TOKEN.search(html)
        if m:
            self.token = m.group(1)
        m = LIVE.search(html)
        if m:
            self.live_url = unescape(m.group(1))

    async def sign_in(self) -> None:
        r = await self.client.send("signin", "GET", "/signin")
        if not ok(r, 200):
            raise RuntimeError("the sign-in page did not load")
        self._read(r.text)
        form = {"csrf_token": self.token, "email": TEACHER_EMAIL, "password": TEACHER_PASSWORD}
        r = await self.client.send("signin", "POST", "/signin", form=form)
        if not ok(r, 303):
            raise RuntimeError(f"the teacher could not sign in: {r and r.status}")
        await self.dashboard()

    async def dashboard(self) -> None:
        r = await self.client.send("dashboard", "GET", f"/run/{self.scene.code}")
        if ok(r, 200):
            self._read(r.text)

    async def goto(self, number: int) -> bool:
        pk = next(q["pk"] for q in self.scene.questions if q["number"] == number)
        self.scene.advance_at[pk] = now()
        form = {"csrf_token": self.token, "number": str(number)}
        r = await self.client.send("goto", "POST", f"/run/{self.scene.code}/goto", form=form)
        if not ok(r, 303):
            return False
        await self.dashboard()
        return True

    async def control(self, pk: int, action: str) -> bool:
        """A control on the room's question (vote, reveal): 303, then the dashboard."""
        form = {"csrf_token": self.token}
        path = f"/run/{self.scene.code}/questions/{pk}/{action}"
        r = await self.client.send(action, "POST", path, form=form)
        if not ok(r, 303):
            return False
        await self.dashboard()
        return True

    async def _room(self) -> None:
        """The projector's room screen: loaded once, then polled as htmx does."""
        self.room.cookie = self.client.cookie
        r = await self.room.send("room-page", "GET", f"/run/{self.scene.code}/room")
        m = ROOM.search(r.text) if ok(r, 200) else None
        self.room_url = unescape(m.group(1)) if m else None
        while self.room_url and not self.scene.stop and now() < self.scene.deadline:
            await asyncio.sleep(POLL_SECONDS)
            r = await self.room.send("room", "GET", self.room_url, headers=HX, kind_of=room_kind)
            m = ROOM.search(r.text) if ok(r, 200) and r.status == 200 else None
            if m:
                self.room_url = unescape(m.group(1))

    async def _live(self) -> None:
        while not self.scene.stop and now() < self.scene.deadline:
            await asyncio.sleep(LIVE_SECONDS)
            if self.live_url is None or self.scene.stop:
                continue
            r = await self.client.send("live", "GET", self.live_url, headers=HX, kind_of=live_kind)
            if ok(r, 200):
                self._read(r.text)

    def start_live(self) -> None:
        self.live_task = asyncio.ensure_future(self._live())
        self.room_task = asyncio.ensure_future(self._room())

    async def stop_live(self) -> None:
        for task in (self.live_task, self.room_task):
            if task is not None:
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
        self.room.close()


async def burst(
    scene: Scene,
    participants: int,
    questions: int,
    join_seconds: float,
    round_seconds: float,
    live: bool,
    drain_seconds: float = 60.0,
    votes: frozenset[int] = frozenset(),
) -> tuple[Facilitator, list[Participant], dict]:
    """Join everyone, then run ``questions`` led rounds (a second vote in the rounds
    numbered in ``votes``, each round ending with the reveal), then wait (at most
    ``drain_seconds``) for everyone to have answered every question; return who took
    part and timings."""
    facilitator = Facilitator(scene)
    await facilitator.sign_in()
    if live:
        facilitator.start_live()
    begin = now()
    people = [
        Participant(scene, i, begin + random.Random(scene.seed + i).uniform(0, join_seconds))
        for i in range(participants)
    ]
    tasks = [asyncio.ensure_future(p.run()) for p in people]
    # Everyone has joined (or failed to) before the first question, within bounds.
    join_deadline = begin + join_seconds + 60
    while now() < join_deadline and any(not p.joined for p in people):
        if now() > begin + join_seconds + 2 and all(
            p.joined or t.done() for p, t in zip(people, tasks, strict=True)
        ):
            break
        await asyncio.sleep(0.2)
    joined_at = now()
    scene.joined = sum(p.joined for p in people)
    await asyncio.sleep(2.0)
    rounds = []
    for number in range(1, questions + 1):
        rounds.append(await _round(scene, facilitator, number, number in votes, round_seconds))
        rounds[-1]["at"] -= begin
    # A slow server leaves answers outstanding: let them finish rather than cut them.
    drain_start = now()
    voted = {r["pk"] for r in rounds if r.get("vote_ok")}
    while now() < drain_start + drain_seconds and any(
        p.joined and not t.done() and (len(p.answered) < questions or p.revoted < voted)
        for p, t in zip(people, tasks, strict=True)
    ):
        await asyncio.sleep(0.2)
    drained = now() - drain_start
    scene.stop = True
    await facilitator.stop_live()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    timing = {
        "join_phase_s": round(joined_at - begin, 2),
        "rounds_phase_s": round(now() - joined_at, 2),
        "drain_s": round(drained, 2),
        "total_s": round(now() - begin, 2),
        "rounds": rounds,
    }
    return facilitator, people, timing


async def room_poll_path(facilitator: Facilitator) -> str:
    """The room screen's poll URL as the projector holds it now (nothing changed)."""
    r = await facilitator.client.send("room-page", "GET", f"/run/{facilitator.scene.code}/room")
    m = ROOM.search(r.text) if ok(r, 200) else None
    if m is None:
        raise RuntimeError("the room screen has no poller")
    return unescape(m.group(1))


async def _everyone(scene: Scene, pk: int, vote: int, at_least: float, at_most: float) -> float:
    """Wait as a facilitator watching the count: at least ``at_least`` s from now, then
    until everyone who joined has answered (vote ``vote`` of ``pk``), at most
    ``at_most`` s; return how long it took."""
    start = now()
    await asyncio.sleep(at_least)
    while now() - start < at_most and scene.done.get((pk, vote), 0) < scene.joined:
        await asyncio.sleep(0.2)
    return now() - start


async def _round(
    scene: Scene, facilitator: Facilitator, number: int, vote: bool, seconds: float
) -> dict:
    """One led question: open it; in a vote round, once everyone's first answer is in,
    open the second vote; once every answer is in, reveal it. A slow server makes the
    facilitator wait (at most 20 s a step), as a teacher watching the count would,
    rather than close the question on answers still on their way."""
    started = now()
    q = next(q for q in scene.questions if q["number"] == number)
    vote = vote and q["type"] != "open"  # a written answer is marked, not voted on
    out = {"number": number, "pk": q["pk"], "at": started}
    out["goto_ok"] = await facilitator.goto(number)
    if vote:
        await _everyone(scene, q["pk"], 1, scene.answer_window + 1.5, 20)
        scene.advance_at[q["pk"]] = now()  # the second answers count from here
        out["vote_ok"] = await facilitator.control(q["pk"], "vote")
    await _everyone(scene, q["pk"], 2 if vote else 1, 0, 20)
    out["reveal_ok"] = await facilitator.control(q["pk"], "reveal")
    # The next question no sooner than ``seconds`` after this one opened, and a second
    # after the reveal.
    await asyncio.sleep(max(1.0, seconds - (now() - started)))
    return out


def round_summary(scene: Scene, window: float = 3.0) -> list[dict]:
    """Per question: answers, the share completed within ``window`` s of the advance."""
    out = []
    for q in scene.questions:
        log = [e for e in scene.answer_log if e[0] == q["pk"]]
        if not log:
            continue
        done = [end for _pk, _start, end, status in log if status == 200]
        lat = sorted(end - start for _pk, start, end, _s in log)
        out.append(
            {
                "number": q["number"],
                "type": q["type"],
                "answers": len(log),
                "ok": len(done),
                "within_window": sum(1 for d in done if d <= window),
                "last_answer_s": round(max(done), 2) if done else None,
                "p95_ms": round(lat[int(0.95 * (len(lat) - 1))] * 1000, 1),
            }
        )
    return out


# Closed-loop capacity -------------------------------------------------------------------


async def capacity(
    port: int,
    recorder: Recorder,
    kind: str,
    concurrency: int,
    seconds: float,
    max_requests: int,
    target,
    cookie: str | None = None,
    headers: dict | None = None,
) -> float:
    """GET ``target`` (a path, or a function of (worker, n)) as fast as ``concurrency``
    keep-alive connections allow; return the elapsed seconds."""
    clients = [Client(port, recorder) for _ in range(concurrency)]
    for c in clients:
        c.cookie = cookie

    async def one(worker: int, n: int) -> None:
        path = target(worker, n) if callable(target) else target
        await clients[worker].send(kind, "GET", path, headers=headers)

    try:
        return await closed_loop(one, concurrency, seconds, max_requests)
    finally:
        for c in clients:
            c.close()


async def answer_capacity(
    scene: Scene,
    facilitator: Facilitator,
    people: list[Participant],
    numbers: list[int],
    concurrency: int,
    recorder: Recorder,
    max_seconds: float,
) -> dict:
    """Open each question and have every participant answer it at once, through
    ``concurrency`` keep-alive connections; return answers and the time they took."""
    clients = [Client(scene.port, recorder) for _ in range(concurrency)]
    joined = [p for p in people if p.joined]
    elapsed = 0.0
    sent = 0
    try:
        for number in numbers:
            if not await facilitator.goto(number):
                raise RuntimeError(f"goto {number} failed")
            q = next(q for q in scene.questions if q["number"] == number)
            queue = list(reversed(joined))

            async def one(worker: int, n: int, q=q, queue=queue) -> None:
                if not queue:
                    return
                p = queue.pop()
                client = clients[worker]
                client.cookie = p.client.cookie
                fields = [("csrf_token", p.token or ""), ("question", str(q["pk"]))]
                fields += answer_fields(q, p.rng)
                headers = {**HX, "X-CSRFToken": p.token or ""}
                await client.send(
                    "answer-capacity",
                    "POST",
                    f"/play/{scene.code}/answer",
                    form=fields,
                    headers=headers,
                )
                p.client.cookie = client.cookie

            elapsed += await closed_loop(one, concurrency, max_seconds, len(joined))
            sent += len(joined)
    finally:
        for c in clients:
            c.close()
    return {"answers": sent, "seconds": round(elapsed, 3)}
