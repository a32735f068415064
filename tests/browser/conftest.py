"""Browser fixtures: a live server on a free port and Debian's Chromium via Playwright.

The app runs with CSRF protection on (Flask-WTF's default), so every form and
htmx request in these tests goes through the real token check.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from quiz.accounts import teachers
from quiz.play import sessions
from quiz.storage.connection import connect

from ..world import PASSWORD, ROOT, load_set, make_app

# One default for every browser test, set once here: a module-level setting in each file
# was global anyway (the module imported last won for all), and a busy CI machine needs room.
# Waits stay event-driven: this only bounds how long an expectation may take to come true.
EXPECT_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
TIMEOUT_MS = 10_000


# The shipped sets in questions/ (loaded only by tests that ask: LiveServer.load_shipped).
SHIPPED_DIR = ROOT / "questions"
SHIPPED_MAIN = "russia-troops-feb-2022"
SHIPPED_FILES = ("russia-troops-check-a.toml", "russia-troops-check-b.toml", f"{SHIPPED_MAIN}.toml")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep the call-phase report on the item, so fixtures can see if the test failed."""
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


# The live server --------------------------------------------------------------


@dataclass
class LiveServer:
    """A running app: its base URL and helpers to set up and read its database."""

    url: str
    db_path: Path
    app: Flask | None = None

    @contextlib.contextmanager
    def db(self):
        database = connect(self.db_path)
        try:
            yield database
        finally:
            database.close()

    def open_session(self, *, feedback: str = "now", slug: str = "mini-set", **settings) -> str:
        """Open a class session on the mini set (or another set) and return its code.

        ``settings`` go to ``sessions.open_session`` as they are (``checks=True``, say).
        """
        with self.db() as database:
            return sessions.open_session(database, slug, feedback=feedback, **settings)["code"]

    def load_shipped(self) -> None:
        """Load the shipped sets from questions/ (main set and both check forms).

        The app's QUESTIONS_DIR moves to questions/ too, so the editor knows the
        shipped misconceptions (a superset of the test data's).
        """
        for name in SHIPPED_FILES:
            load_set(self.db_path, SHIPPED_DIR / name)
        if self.app is not None:
            self.app.config["QUESTIONS_DIR"] = str(SHIPPED_DIR)

    def create_account(
        self, email: str, name: str, *, role: str = "teacher", password: str = PASSWORD
    ) -> Account:
        """Create a teacher (or admin) account directly in the database."""
        with self.db() as database:
            account_id = teachers.create_account(database, email, name, password, role)
        return Account(account_id, email, name, password, role)

    def draft(self, slug: str) -> dict:
        """Return a teacher's working copy of a set (set-file data)."""
        rows = self.query(
            "SELECT d.body FROM set_draft d JOIN question_set s ON s.id = d.set_id "
            "WHERE s.slug = ?",
            [slug],
        )
        assert len(rows) == 1, f"expected one draft of {slug}: {rows}"
        return json.loads(rows[0]["body"])

    def questions(self, code: str) -> list[dict]:
        with self.db() as database:
            return sessions.load_session(database, code).questions

    def query(self, sql: str, params=()) -> list[dict]:
        with self.db() as database:
            return [dict(r) for r in database.query(sql, params)]

    def participant(self, code: str, nickname: str) -> dict:
        rows = self.query(
            "SELECT p.* FROM participant p JOIN session s ON s.id = p.session_id "
            "WHERE s.code = ? AND p.nickname = ?",
            [code, nickname],
        )
        assert len(rows) == 1, f"expected one participant {nickname!r} in {code}: {rows}"
        return rows[0]

    def answers(self, code: str, nickname: str) -> list[dict]:
        """Return a participant's answer rows, with the question's qid, in question order."""
        pid = self.participant(code, nickname)["id"]
        return self.query(
            "SELECT a.*, q.qid, q.position FROM answer a "
            "JOIN question q ON q.id = a.question_id "
            "WHERE a.participant_id = ? ORDER BY q.position, a.id",
            [pid],
        )


@dataclass(frozen=True)
class Account:
    """A teacher or admin account made for a test, with its password."""

    id: int
    email: str
    name: str
    password: str
    role: str


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """Serve a fresh app (mini set loaded, CSRF on) on 127.0.0.1 and a free port."""
    db_path = tmp_path / "lateral.db"
    app = make_app(db_path, sets=("mini.toml",), SECRET_KEY="browser-test-secret")
    assert app.config.get("WTF_CSRF_ENABLED", True), "the browser tests need CSRF on"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", db_path, app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# The browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once for the whole run.

    Without it the browser tests skip locally but fail in CI (CI=true): a CI
    run must never pass by skipping them.
    """
    in_ci = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")

    def missing(reason: str):
        if in_ci:
            pytest.fail(f"{reason} (CI=true, so the browser tests must run)", pytrace=False)
        pytest.skip(reason)

    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed: pip install -e '.[test]'")

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


# Console errors and CSP violations ---------------------------------------------


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions seen in a context's pages.

    Chromium reports a Content-Security-Policy violation as a console error
    ("... violates the following Content Security Policy directive ..."), so an
    empty log also means no CSP violations. Those can never be allowed.
    """

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Let console errors matching a pattern pass (an expected 4xx, say)."""
        self.allowed.append(re.compile(pattern))

    def on_console(self, message) -> None:
        if message.type == "error":
            loc = message.location or {}
            self.errors.append(f"console error: {message.text} ({loc.get('url', '?')})")

    def on_page_error(self, error) -> None:
        self.errors.append(f"uncaught exception: {error}")

    def unexpected(self) -> list[str]:
        return [
            e
            for e in self.errors
            if e.startswith("uncaught")
            or "Content Security Policy" in e
            or not any(p.search(e) for p in self.allowed)
        ]


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def new_page(request, browser, live_server, console):
    """Return a factory for pages in fresh contexts: new_page(js=True, viewport="phone").

    Every page's console errors and CSP violations are recorded, and the test
    fails at teardown if any occurred that the test did not expect.
    """
    contexts = []

    def make(*, js: bool = True, viewport: str = "desktop", locale: str = "en-GB"):
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=js,
            viewport=VIEWPORTS[viewport],
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            locale=locale,
            reduced_motion="reduce",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", console.on_console)
        page.on("pageerror", console.on_page_error)
        return page

    yield make
    for context in contexts:
        context.close()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.passed:
        unexpected = console.unexpected()
        assert not unexpected, "errors in the browser console:\n" + "\n".join(unexpected)
    elif console.errors:
        # The test already failed: show what the browser logged, to help find why.
        print("browser console:", *console.errors, sep="\n  ")


# Teachers (opt-in) --------------------------------------------------------------


@pytest.fixture
def teacher_account(live_server) -> Account:
    """A teacher account on the live server (sign in with ``sign_in``)."""
    return live_server.create_account("tess@school.org", "Tess Teacher")


@pytest.fixture
def admin_account(live_server) -> Account:
    """An administrator account on the live server."""
    return live_server.create_account("adam@school.org", "Adam Admin", role="admin")


@pytest.fixture
def sign_in():
    """Return a function that signs a page in through the /signin form: sign_in(page, account).

    It ends on "Your sets" (/teach/), where sign-in leads by default.
    """
    from playwright.sync_api import expect

    def do(page, account: Account) -> None:
        page.goto("/signin")
        page.get_by_label("E-mail").fill(account.email)
        page.get_by_label("Password").fill(account.password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page).to_have_url(re.compile(r"/teach/$"))
        expect(page.get_by_role("heading", level=1, name="Your question sets")).to_be_visible()

    return do
