"""Stored XSS: hostile text in every field people type, rendered in every view, in Chromium.

One session carries every payload at once (so the whole file stays well under a
minute): a teacher uploads a set whose title, article, passages, stems, options,
feedback, explanations, teacher notes and guide are payloads, edits a question
and the set details through the editor's forms, publishes it and starts a session
whose title and team names are payloads; students join through the join form with
payload nicknames and give payload reasons. Then every view that shows that text
is rendered with JavaScript (htmx) on:

- student: the join form's team step, each question, each feedback, the summary;
- teacher: /teach/, the set editor (every question form opened via htmx, a
  question and the details saved through the forms), the preview of every
  question and of its feedback, the facilitator guide;
- facilitator: /run/, the join screen, the live view (reasons open), the People page
  (and a search echoed), the room view
  of every question (revealed), the report, and both CSV downloads.

A payload that ran would show up on one of these channels, each checked per view
and once more at the end:

- ``window.__xss`` set (or ``parent.__xss`` from a frame), or ``document.title`` = XSS;
- a dialog (``alert``): any dialog at all fails;
- a request to ``/xss-hit…`` (a route answers it with 204 and records it) or to
  ``/signout`` (the test never signs out);
- a navigation away (the URL must be the view's, every navigation is recorded);
- markup that got through even where the CSP stopped it from running: a DOM scan
  for elements and attributes the templates never produce (inline scripts, frames,
  event-handler attributes, javascript:/data: URLs, hx-on, load-triggered hx-get…);
- CSP violations and console errors, which the ``new_page`` fixture fails on.

And each view must show the payloads as *text* (its innerText, or the value of the
form field that holds it), proving they were escaped rather than dropped.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
import tomli_w
from playwright.sync_api import Page, expect

from quiz.play.feedback import evidence_passages
from quiz.results.data import option_label
from quiz.results.items import question_stats
from quiz.sets.validation import validate
from quiz.storage import queries

from ..data.xss import (
    ALL_PAYLOADS,
    EDIT_DESCRIPTION,
    EDIT_NOTE,
    INERT,
    LONG,
    NICKNAMES,
    PASSAGE_PAYLOADS,
    PAYLOADS,
    SESSION_TITLE,
    SET_TITLE,
    TEAMS,
)

pytestmark = pytest.mark.browser

SETTLE_MS = 80  # after a view appears: long enough for load-triggered requests to start

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MISCONCEPTIONS = [
    "seeing-is-believing",
    "an-error-means-fake",
    "source-is-the-outlet",
    "not-proven-means-false",
    "number-without-source",
    "official-means-true",
]


def norm(text: str) -> str:
    return " ".join(str(text).split())


def neutralised(value: str) -> str:
    """What csvexport writes for a text cell."""
    return "'" + value if value.startswith(DANGEROUS) else value


# The set file ----------------------------------------------------------------------

SENTENCES = [
    "A spokesman said some troops are leaving the border.",
    "NATO has so far not seen any signs of a withdrawal.",
    "One video of the withdrawal is geo-located for Crimea.",
    "More than 100,000 troops are in the border region.",
]
PASSAGES = [f"{s} {p}" for s, p in zip(SENTENCES, PASSAGE_PAYLOADS, strict=True)]
# Evidence quotes run into the payloads, so the <mark> highlight splits them.
QUOTES = [f"{s.split()[-1]} {p[:14]}" for s, p in zip(SENTENCES, PASSAGE_PAYLOADS, strict=True)]
# (type, number of options): 58 option texts and 62 option feedbacks in all.
SHAPE = [
    ("single", 8),
    ("multiple", 8),
    ("true_false", 2),
    ("passage", 4),
    ("order", 8),
    ("cer", 4),
    ("single", 8),
    ("multiple", 8),
    ("order", 6),
    ("single", 6),
]


def _pick(start: int, count: int) -> list[str]:
    return [LONG[(start + i) % len(LONG)] for i in range(count)]


def build_set() -> dict:
    """Return the set-file data, with payloads in every text field."""
    n = len(LONG)
    text_at, feedback_at = 0, n // 2
    questions = []
    for index, (qtype, count) in enumerate(SHAPE):
        number = index + 1
        ids = ["true", "false"] if qtype == "true_false" else list("abcdefgh"[:count])
        key = {
            "single": [ids[number % count]],
            "multiple": ids[:2],
            "true_false": ["true"],
            "passage": [ids[1]],
            "order": list(reversed(ids)),  # listed in reverse of the right order
            "cer": [ids[0]],
        }[qtype]
        options = []
        for j, oid in enumerate(ids):
            option = {"id": oid, "feedback": LONG[feedback_at % n]}
            feedback_at += 1
            if qtype == "passage":
                option["passage"] = j + 1
            else:
                option["text"] = LONG[text_at % n]
                text_at += 1
            if oid not in key and qtype != "order":
                option["misconception"] = MISCONCEPTIONS[(index + j) % len(MISCONCEPTIONS)]
            options.append(option)
        q = {
            "id": f"q{number}",
            "type": qtype,
            "skills": [
                ["EVI", "SRC", "ATT", "ACT", "COR", "TIM", "NUM", "GEO", "TXT", "STR"][index]
            ],
            "difficulty": "medium",
            "stem": f"Q{number}. " + " ".join(_pick(3 * index + 7, 3)),
            "evidence": [QUOTES[index % len(QUOTES)]],
            "key": key,
            "explanation": " ".join(_pick(5 * index + 31, 5)),
            "teacher_note": " ".join(_pick(5 * index + 13, 5)),
            "confidence": qtype in ("single", "cer"),
            "discernment": index == 6,
            "options": options,
        }
        if qtype == "cer":
            q.update(
                evidence_choices=[1, 2, 3, 4],
                evidence_key=[2],
                evidence_feedback=" ".join(_pick(71, 3)),
            )
        else:
            q["reason"] = True
        questions.append(q)
    return {
        "format": 1,
        "id": "xss-set",
        "title": SET_TITLE,
        "language": "en",
        "audience": "<svg><script>window.__xss=1</script></svg>",
        "description": '"><iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
        "article": {
            "title": "</title><script>window.__xss=1</script> (headline not known)",
            "outlet": "<img src=x onerror=window.__xss=1> Times",
            "date": "2022-02-15",
            "language": "en",
            "translation_note": '<a href="javascript:window.__xss=1">machine translated</a>',
            "url": 'https://example.org/?q="><script>window.__xss=1</script>',
            "passages": PASSAGES,
        },
        "guide": {
            "goals": ["<svg onload=window.__xss=1> tell place from claim"],
            "duration": "<b onmouseover=alert(1)>45 minutes</b>",
            "sensitivity": '<div hx-get="/xss-hit?guide" hx-trigger="load">care</div>',
            "prompts": [{"question": "q1", "prompt": "<details open ontoggle=alert(1)>Who?"}],
        },
        "questions": questions,
    }


RAW = build_set()
MISC = {k: {"label": k, "description": ""} for k in MISCONCEPTIONS}
DATA = validate(copy.deepcopy(RAW), "xss-set", MISC)  # normalised: what the app stores


def reason_chunks(count: int) -> list[str]:
    """Split every long payload over ``count`` reasons of at most 1000 characters."""
    chunks: list[list[str]] = [[] for _ in range(count)]
    for i, p in enumerate(LONG):
        chunks[i % count].append(p)
    out = [" ".join(c) for c in chunks]
    assert all(len(c) <= 1000 for c in out), [len(c) for c in out]
    return out


MAIN_REASONS = reason_chunks(len(SHAPE))


# What each view should show -------------------------------------------------------


def article_texts(data: dict) -> list[str]:
    art = data["article"]
    return [art["outlet"], art["translation_note"], *art["passages"]]


def question_texts(q: dict, data: dict) -> list[str]:
    """The student's question page (the whole article opened)."""
    return [q["stem"], *(o["text"] for o in q["options"]), *article_texts(data)]


def feedback_texts(q: dict, data: dict, reason: str | None) -> list[str]:
    out = [q["stem"], *(o["text"] for o in q["options"]), *(o["feedback"] for o in q["options"])]
    # The evidence passages, marked (the whole article is not on the feedback screen).
    shown = evidence_passages(q, data["article"]["passages"])
    out += [q["explanation"], *("".join(text for text, _ in p["runs"]) for p in shown)]
    if q["type"] == "cer":
        out.append(q["evidence_feedback"])
    if reason:
        out.append(reason)
    return out


def label(q: dict, o: dict) -> str:
    return option_label(q, o)


def editor_values(data: dict) -> list[str]:
    """What the set editor's fields hold once every question form is open."""
    art = data["article"]
    out = [data["title"], data["description"], data["audience"]]
    out += [art["title"], art["outlet"], art["url"], art["translation_note"], *art["passages"]]
    for q in data["questions"]:
        out += [q["stem"], q["explanation"], q["teacher_note"]]
        out += [o["feedback"] for o in q["options"]]
        out += [o["text"] for o in q["options"] if q["type"] not in ("passage", "true_false")]
        if q["type"] == "cer":
            out.append(q["evidence_feedback"])
    return out


# Watching for anything that ran ---------------------------------------------------


# A URL a payload would ask for: a host holding xss-hit, or a path segment starting with
# it (never the set's slug, made from its title). A regex, not a Python callable, so
# the Playwright driver matches it without asking Python about every request.
HIT = re.compile(r"^[a-z]+://(?:[^/?#]*xss-hit|[^/?#]*(?:/[^/?#]*)*/xss-hit)")


def is_hit(url: str) -> bool:
    return HIT.match(url) is not None


# Run in the page: open every <details>, then report the markers, the text and the
# field values, and any markup the templates never produce.
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
STATE_JS = r"""() => {
  const bad = [];
  const show = (el, why) => bad.push(why + ': ' + el.outerHTML.slice(0, 140));
  const TAGS = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base',
    'marquee', 'video', 'audio', 'source', 'animate', 'animatemotion', 'animatetransform',
    'set', 'math', 'foreignobject', 'image', 'style', 'xmp', 'portal', 'template']);
  const URL_ATTRS = new Set(['href', 'src', 'action', 'data', 'formaction', 'to', 'from',
    'values', 'poster', 'background', 'xlink:href']);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    const attr = name => el.getAttribute(name) || '';
    if (TAGS.has(tag)) show(el, 'element');
    else if (tag === 'script' && !attr('src').startsWith('/static/')) show(el, 'script');
    else if (tag === 'meta' && el.hasAttribute('http-equiv')) show(el, 'meta refresh');
    else if (tag === 'link' && !attr('href').startsWith('/static/')) show(el, 'link');
    else if (tag === 'img' && !/^\/(static|run)\//.test(attr('src'))) show(el, 'img');
    else if (tag === 'form' && !attr('action').startsWith('/')) show(el, 'form');
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (name.startsWith('on') || ['srcdoc', 'formaction', 'style', 'autofocus'].includes(name)) {
        show(el, 'attribute ' + name);
      } else if (URL_ATTRS.has(name) && /^(javascript|vbscript|data):/.test(value)) {
        show(el, 'URL in ' + name);
      } else if (name.startsWith('data-hx-') || /^hx-(on|vals|vars|include|ext|boost)/.test(name)) {
        show(el, 'htmx attribute ' + name);
      } else if (/^hx-(get|post|put|patch|delete|push-url|replace-url)$/.test(name)
                 && /xss-hit|signout|^javascript:|^js:/.test(value)) {
        show(el, 'htmx request ' + name);
      } else if (name === 'hx-trigger' && /load|revealed|intersect/.test(value)) {
        show(el, 'htmx trigger');
      }
    }
  }
  const values = [...document.querySelectorAll('input, textarea')].map(e => e.value)
    .concat([...document.querySelectorAll('option')].map(o => o.text));
  return {
    xss: window.__xss === undefined ? null : String(window.__xss),
    title: document.title,
    url: location.href,
    text: document.body ? document.body.innerText : '',
    values,
    bad,
  };
}"""


@dataclass
class Watch:
    """Every channel a payload could show up on, for every page in the test."""

    base: str
    hits: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pages: list[tuple[str, Page]] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)
    _seen_hits: int = 0
    _seen_dialogs: int = 0

    def attach(self, page: Page, who: str) -> Page:
        def record(request):
            try:
                origin = request.frame.url
            except Exception:  # a request without a frame (a worker, say)
                origin = "?"
            self.hits.append(f"{who}: {request.method} {request.url} (from {origin})")

        def on_route(route):
            record(route.request)
            route.fulfill(status=204, body="")

        def on_request(request):
            if urlparse(request.url).path.rstrip("/") == "/signout":
                record(request)

        def on_dialog(dialog):
            self.dialogs.append(f"{who}: {dialog.type} {dialog.message!r} on {page.url}")
            dialog.dismiss()

        def on_navigated(frame):
            if frame != page.main_frame:
                return
            self.navigations.append(f"{who}: {frame.url}")
            if not frame.url.startswith(self.base) or is_hit(frame.url):
                self.problems.append(f"{who}: navigated away to {frame.url}")

        page.context.route(HIT, on_route)
        page.on("request", on_request)
        page.on("dialog", on_dialog)
        page.on("framenavigated", on_navigated)
        self.pages.append((who, page))
        return page

    def check(
        self,
        page: Page,
        view: str,
        expected: list[str],
        *,
        url: str | None = None,
        title: str | None = None,
        settle_ms: int = SETTLE_MS,
    ) -> None:
        """Check one view: nothing ran, nothing injected, every payload shown as text."""
        page.evaluate(OPEN_DETAILS)
        if settle_ms:
            page.wait_for_timeout(settle_ms)
        state = page.evaluate(STATE_JS)
        where = f"{view} [{state['url'].removeprefix(self.base)}]"
        if state["xss"] is not None:
            self.problems.append(f"{where}: window.__xss = {state['xss']}")
        if state["title"] == "XSS":
            self.problems.append(f"{where}: document.title was set to XSS")
        if url is not None and not re.search(url, state["url"].split("#")[0]):
            self.problems.append(f"{where}: expected to be at {url}")
        if title is not None and norm(title) not in norm(state["title"]):
            self.problems.append(f"{where}: document.title {state['title']!r} lacks {title!r}")
        self.problems += [f"{where}: injected {b}" for b in state["bad"]]
        self.problems += [f"{where}: request {h}" for h in self.hits[self._seen_hits :]]
        self.problems += [f"{where}: dialog {d}" for d in self.dialogs[self._seen_dialogs :]]
        self._seen_hits, self._seen_dialogs = len(self.hits), len(self.dialogs)
        haystack = "\n".join([norm(state["text"]), *(norm(v) for v in state["values"])])
        for p in dict.fromkeys(expected):
            if norm(p) not in haystack:
                self.problems.append(f"{where}: not shown as text: {p!r}")
            else:
                self.shown.add(p)
        self.views.append(view)

    def finish(self) -> None:
        """Last look at every page (late requests, timers), then fail on any problem."""
        for who, page in self.pages:
            if page.is_closed():
                continue
            page.wait_for_timeout(50)
            if page.evaluate("() => window.__xss") is not None:
                self.problems.append(f"{who}: window.__xss set on {page.url}")
        self.problems += [f"request {h}" for h in self.hits[self._seen_hits :]]
        self.problems += [f"dialog {d}" for d in self.dialogs[self._seen_dialogs :]]
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(
            self.problems[:80]
        )
        assert not self.hits and not self.dialogs


# Students -------------------------------------------------------------------------


def choose(q: dict, s: int) -> tuple[list[str], list[int]]:
    """Student s's answer to q: option ids (an order for order questions), evidence."""
    ids = [o["id"] for o in q["options"]]
    if q["type"] == "order":
        r = s % len(ids)
        return q["key"][r:] + q["key"][:r], []
    if q["type"] == "multiple":
        return [ids[s % len(ids)], ids[(s + 1) % len(ids)]], []
    picked = [ids[(s + q["number"]) % len(ids)]]
    if q["type"] == "cer":
        return picked, [q["evidence_choices"][s % len(q["evidence_choices"])], 2]
    return picked, []


def other_reason(s: int, number: int) -> str:
    return LONG[(11 * s + number) % len(LONG)]


def join(watch: Watch, page: Page, code: str, nickname: str, team: int) -> None:
    """Join through the home page's form: code and nickname, then the team step."""
    page.goto("/")
    page.get_by_label("Session code").fill(code.lower())
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("button", name="Join my team")).to_be_visible()
    # The nickname comes back as the input's value, beside the team names.
    watch.check(page, f"join form, team step ({nickname})", [*TEAMS, nickname], url=r"/join$")
    assert page.get_by_label("Nickname").input_value() == nickname
    page.locator("input[name=team]").nth(team).check()
    page.get_by_role("button", name="Join my team").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Question 1 of"))).to_be_visible()


def answer_over_http(page: Page, base: str, code: str, q: dict, s: int) -> None:
    """Answer as this browser's student with one form POST (CSRF token from the page)."""
    options, evidence = choose(q, s)
    token = page.locator("input[name=csrf_token]").first.input_value()
    fields = [("csrf_token", token), ("question", str(q["pk"]))]
    if q["type"] == "order":
        fields += [(f"pos-{oid}", str(place)) for place, oid in enumerate(options, start=1)]
    else:
        fields += [("option", oid) for oid in options]
    fields += [("evidence", str(n)) for n in dict.fromkeys(evidence)]
    if q["confidence"]:
        fields.append(("confidence", str(1 + s % 3)))
    fields.append(("reason", other_reason(s, q["number"])))
    response = page.request.post(
        f"{base}/play/{code}/answer",
        data=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert response.status == 303, (response.status, response.text()[:500])


def answer_in_page(page: Page, q: dict, reason: str) -> None:
    """Fill a question's controls as student 0 and submit (htmx swaps the feedback in)."""
    options, evidence = choose(q, 0)
    if q["type"] == "order":
        for place, oid in enumerate(options, start=1):
            page.locator(f"select[name='pos-{oid}']").select_option(str(place))
    else:
        for oid in options:
            page.locator(f"input[name=option][value='{oid}']").check()
    for n in dict.fromkeys(evidence):
        page.locator(f"input[name=evidence][value='{n}']").check()
    if q["confidence"]:
        page.locator("input[name=confidence][value='3']").check()
    page.locator("textarea[name=reason]").fill(reason)
    page.locator("form.answer-form button[type=submit]").click()
    expect(page.locator("h1.feedback-heading")).to_be_visible()


def read_csv(download) -> list[dict]:
    text = download.path().read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def check_csv(watch: Watch, name: str, rows: list[dict], exact: dict[str, list[str]]) -> None:
    """No cell starts a formula; every payload comes out verbatim (or with a leading ')."""
    for n, row in enumerate(rows, start=2):
        for column, value in row.items():
            if value and value.startswith(DANGEROUS) and not NUMBER.match(value):
                watch.problems.append(
                    f"{name} line {n}, {column}: formula not neutralised {value!r}"
                )
    for column, values in exact.items():
        cells = {r[column] for r in rows}
        for value in values:
            if neutralised(value) not in cells:
                watch.problems.append(f"{name}, {column}: no cell {neutralised(value)!r}")
            else:
                watch.shown.add(value)


# The detectors themselves ------------------------------------------------------------

# The app's own htmx, in its default configuration, so hx-* payloads get the chance to fire.
HTMX = next((Path(__file__).resolve().parents[2] / "static" / "vendor").glob("htmx-*.min.js"))
HTMX_PAYLOADS = PAYLOADS["htmx attributes"] + [t for t in TEAMS if "hx-" in t]


def raw_page(payload: str, n: int) -> str:
    """The payload pasted unescaped into the contexts the templates use, and JS strings."""
    return (
        f"<!doctype html><html><head><title>{payload}</title>"
        f'<script src="/static/canary-{n}.js"></script>'
        f'<script src="/static/{HTMX.name}" defer></script></head><body>'
        f"<p>{payload}</p><input value=\"{payload}\"><input value='{payload}'>"
        f'<a href="{payload}">link</a><textarea>{payload}</textarea>'
        f"<select><option>{payload}</option></select><p>end</p></body></html>"
    )


def raw_script(payload: str) -> str:
    return f"var a = \"{payload}\"; var b = '{payload}'; var c = `{payload}`;"


@pytest.fixture
def raw_server():
    """A bare HTTP server (no escaping, no CSP): /p/<n> is payload n pasted raw."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            if self.path == "/all":
                frames = "".join(
                    f'<iframe src="/p/{n}"></iframe>' for n in range(len(ALL_PAYLOADS))
                )
                body, kind = f"<!doctype html><title>raw</title><body>{frames}</body>", "text/html"
            elif m := re.fullmatch(r"/p/(\d+)", self.path):
                body, kind = raw_page(ALL_PAYLOADS[int(m[1])], int(m[1])), "text/html"
            elif self.path == f"/static/{HTMX.name}":
                body, kind = HTMX.read_text(encoding="utf-8"), "text/javascript"
            elif m := re.fullmatch(r"/static/canary-(\d+)\.js", self.path):
                body, kind = raw_script(ALL_PAYLOADS[int(m[1])]), "text/javascript"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# Counts each window's dialogs (then opens the real one), so a dialog can be traced to
# the frame that opened it.
COUNT_DIALOGS = """for (const name of ['alert', 'confirm', 'prompt']) {
  const real = window[name];
  window[name] = function (...args) {
    window.__dialogs = (window.__dialogs || 0) + 1;
    return real.apply(this, args);
  };
}"""


def test_every_live_payload_is_caught_when_rendered_unescaped(browser, raw_server):
    """Guard against a vacuous pass: pasted raw (no escaping, no CSP), every payload not
    listed as inert trips a detector. All payloads load at once, one iframe each."""
    assert INERT <= set(ALL_PAYLOADS)
    context = browser.new_context(base_url=raw_server)
    context.set_default_timeout(10_000)
    try:
        context.add_init_script(COUNT_DIALOGS)
        page = context.new_page()
        watch = Watch(raw_server)
        watch.attach(page, "raw")
        # One page of 125 frames, each loading htmx: about 10 s on an idle 2-core
        # machine and 40 s on a busy one, so its load gets a generous wait of its own.
        page.goto("/all", timeout=180_000)
        page.wait_for_timeout(4 * SETTLE_MS)
        caught: dict[str, set[str]] = {p: set() for p in ALL_PAYLOADS}
        for frame in page.frames:
            m = re.fullmatch(re.escape(raw_server) + r"/p/(\d+)", frame.url)
            if not m:
                continue
            payload = ALL_PAYLOADS[int(m[1])]
            state = frame.evaluate(STATE_JS)
            if state["xss"] is not None:
                caught[payload].add("window.__xss")
            if state["title"] == "XSS":
                caught[payload].add("title")
            if state["bad"]:
                caught[payload].add("injected")
            if frame.evaluate("() => window.__dialogs || 0"):
                caught[payload].add("dialog")
        for hit in watch.hits:
            if m := re.search(r"\(from " + re.escape(raw_server) + r"/p/(\d+)\)$", hit):
                caught[ALL_PAYLOADS[int(m[1])]].add("request")
    finally:
        context.close()
    missed = [p for p in ALL_PAYLOADS if p not in INERT and not caught[p]]
    assert not missed, f"payloads no detector catches even unescaped: {missed}"
    # With htmx on the page, the hx-* payloads do not just sit there: they fire.
    idle = [p for p in HTMX_PAYLOADS if not caught[p] & {"request", "window.__xss"}]
    assert not idle, f"htmx payloads that fire nothing even unescaped: {idle}"
    seen = set().union(*caught.values())
    assert {"window.__xss", "dialog", "request", "injected"} <= seen, seen
    assert watch.dialogs and watch.hits, "the dialog and request channels caught nothing"


# The test -------------------------------------------------------------------------


def test_payload_list():
    assert len(ALL_PAYLOADS) >= 50, len(ALL_PAYLOADS)
    assert all(p == p.strip() and "\n" not in p for p in ALL_PAYLOADS)
    assert all(len(n) <= 30 for n in NICKNAMES), [n for n in NICKNAMES if len(n) > 30]
    assert all(len(t) <= 40 for t in TEAMS) and len(TEAMS) <= 12
    assert len({n.lower() for n in NICKNAMES}) == len(NICKNAMES)
    assert len({t.lower() for t in TEAMS}) == len(TEAMS)
    # Every long payload sits in an option text or feedback, and in a reason.
    in_options = {o.get("text") for q in RAW["questions"] for o in q["options"]}
    in_options |= {o["feedback"] for q in RAW["questions"] for o in q["options"]}
    assert set(LONG) <= in_options
    assert all(p in " ".join(MAIN_REASONS) for p in LONG)


@pytest.fixture
def watch(live_server):
    """The live server's Watch; if the test stops early, it still shows what it found."""
    found = Watch(live_server.url)
    yield found
    if found.problems:
        print(f"{len(found.problems)} problems found:", *found.problems[:80], sep="\n  ")


def test_no_payload_executes_in_any_view(live_server, new_page, teacher_account, sign_in, watch):
    base = live_server.url
    questions_raw = DATA["questions"]
    total = len(questions_raw)

    # The teacher: upload the set, open the editor ---------------------------------------
    teacher = watch.attach(new_page(js=True), "teacher")
    sign_in(teacher, teacher_account)
    teacher.goto("/teach/upload")
    teacher.get_by_label(re.compile(r"^File")).set_input_files(
        files=[
            {
                "name": "xss.toml",
                "mimeType": "application/toml",
                "buffer": tomli_w.dumps(RAW).encode("utf-8"),
            }
        ]
    )
    teacher.get_by_role("button", name="Upload").click()
    expect(teacher).to_have_url(re.compile(r"/teach/sets/[a-z0-9-]+$"))
    slug = teacher.url.rsplit("/", 1)[1]
    editor_url = rf"/teach/sets/{slug}$"
    watch.check(
        teacher,
        "set editor",
        [DATA["title"], *(q["stem"] for q in questions_raw), *DATA["article"]["passages"]],
        url=editor_url,
        title=DATA["title"],
    )
    # Every question's form, opened in place by htmx.
    for number in range(1, total + 1):  # all requests at once; htmx swaps each in place
        teacher.get_by_role("link", name=f"Edit question {number}", exact=True).click()
    for q in questions_raw:
        expect(teacher.locator(f"#q-{q['id']} form.question-editor")).to_be_visible()
    watch.check(
        teacher, "set editor, every question form open", editor_values(DATA), url=editor_url
    )

    # Save a question through its form (a new teacher note), and the set details.
    q1 = questions_raw[0]
    teacher.locator(f"#q-{q1['id']}-teacher_note").fill(EDIT_NOTE)
    teacher.locator(f"#q-{q1['id']}").get_by_role("button", name="Save question").click()
    expect(teacher.locator(f"#q-{q1['id']} .question-stem")).to_be_visible()
    watch.check(teacher, "set editor, question saved", [q1["stem"]], url=editor_url)
    teacher.get_by_role("link", name="Edit question 1", exact=True).click()
    expect(teacher.locator(f"#q-{q1['id']}-teacher_note")).to_have_value(EDIT_NOTE)
    teacher.locator("#set-description").fill(EDIT_DESCRIPTION)
    teacher.get_by_role("button", name="Save details").click()
    expect(teacher.locator(".flashes")).to_contain_text("Set details saved.")
    watch.check(
        teacher,
        "set editor after saving details",
        [EDIT_DESCRIPTION, DATA["title"]],
        url=editor_url,
    )
    # The form round trip kept every text exactly.
    draft = live_server.draft(slug)
    saved = draft["questions"][0]
    assert saved["teacher_note"] == EDIT_NOTE
    assert draft["description"] == EDIT_DESCRIPTION
    assert saved["stem"] == q1["stem"] and saved["explanation"] == q1["explanation"]
    assert [(o["text"], o["feedback"]) for o in saved["options"]] == [
        (o["text"], o["feedback"]) for o in q1["options"]
    ]
    data = copy.deepcopy(DATA)
    data["description"] = EDIT_DESCRIPTION
    data["questions"][0]["teacher_note"] = EDIT_NOTE

    teacher.get_by_role("link", name="Publish…", exact=True).click()
    teacher.get_by_role("button", name="Publish", exact=True).click()
    expect(teacher.locator(".flashes")).to_contain_text("Published as version 1")
    watch.check(teacher, "set editor after publishing", [data["title"]], url=editor_url)

    # The preview of every question, and of its feedback -----------------------------------
    for number, q in enumerate(data["questions"], start=1):
        q = {**q, "number": number, "pk": 0}
        teacher.goto(f"/teach/sets/{slug}/preview/{q['id']}")
        expect(
            teacher.get_by_role("heading", level=1, name=f"Question {number} of {total}")
        ).to_be_visible()
        preview = rf"/teach/sets/{slug}/preview/{q['id']}$"
        watch.check(teacher, f"preview of question {number}", question_texts(q, data), url=preview)
        reason = MAIN_REASONS[number - 1]
        answer_in_page(teacher, q, reason)
        watch.check(
            teacher,
            f"preview feedback on question {number}",
            feedback_texts(q, data, reason),
            url=preview,
        )

    teacher.goto("/teach/")
    watch.check(teacher, "teacher home", [data["title"]], url=r"/teach/$")
    teacher.goto(f"/sets/{slug}/guide")
    guide = data["guide"]
    watch.check(
        teacher,
        "facilitator guide",
        [
            data["title"],
            data["description"],
            data["audience"],
            guide["sensitivity"],
            guide["duration"],
            *guide["goals"],
            guide["prompts"][0]["prompt"],
            data["questions"][0]["stem"],
            EDIT_NOTE,
            data["article"]["title"],
            data["article"]["outlet"],
        ],
        url=rf"/sets/{slug}/guide$",
        title=data["title"],
    )

    # Start a session with payload teams and title ------------------------------------------
    teacher.goto("/run/")
    watch.check(teacher, "sessions page, start form", [data["title"]], url=r"/run/$")
    teacher.get_by_label("Question set").select_option(slug)
    teacher.get_by_label("Name for this session (optional)").fill(SESSION_TITLE)
    teacher.get_by_label("Tables or teams (optional)").fill("\n".join(TEAMS))
    teacher.get_by_role("button", name="Start and show the join screen").click()
    expect(teacher).to_have_url(re.compile(r"/run/[A-Z0-9]+/screen$"))
    code = teacher.url.rsplit("/", 2)[1]
    questions = live_server.questions(code)
    assert [q["stem"] for q in questions] == [q["stem"] for q in data["questions"]]

    # Students join through the form; all but the first answer over HTTP ----------------
    reasons: dict[tuple[str, str], str] = {}
    chosen: dict[tuple[str, str], list[str]] = {}
    # One browser for them all, its cookies cleared before each join (a device that
    # joined comes back as the same participant), and each student has answered
    # everything before the next one joins.
    page = watch.attach(new_page(js=True), "students 1-15")
    for s, nickname in enumerate(NICKNAMES[1:], start=1):
        page.context.clear_cookies()
        join(watch, page, code, nickname, s % len(TEAMS))
        for q in questions:
            answer_over_http(page, base, code, q, s)
            reasons[(nickname, q["id"])] = other_reason(s, q["number"])
            chosen[(nickname, q["id"])] = choose(q, s)[0]

    # The first student goes through every screen ------------------------------------------
    nickname = NICKNAMES[0]
    student = watch.attach(new_page(js=True), "student 0")
    join(watch, student, code, nickname, 0)
    for q in questions:
        number = q["number"]
        expect(
            student.get_by_role("heading", level=1, name=f"Question {number} of {total}")
        ).to_be_visible()
        watch.check(
            student,
            f"student question {number}",
            question_texts(q, data),
            url=rf"/play/{code}(/question/\d+)?$",
        )
        reason = MAIN_REASONS[number - 1]
        answer_in_page(student, q, reason)
        reasons[(nickname, q["id"])] = reason
        chosen[(nickname, q["id"])] = choose(q, 0)[0]
        watch.check(
            student,
            f"student feedback on question {number}",
            feedback_texts(q, data, reason),
            url=rf"/play/{code}/feedback/{q['pk']}$",
        )
        last = number == total
        student.get_by_role(
            "link", name="See your summary" if last else "Next question"
        ).last.click()
    expect(student.get_by_role("heading", level=1, name="Your summary")).to_be_visible()
    summary = [data["title"]]
    whole_article = {data["article"]["outlet"], data["article"]["translation_note"]}
    for q in questions:
        texts = feedback_texts(q, data, reasons[(nickname, q["id"])])
        summary += [t for t in texts if t not in whole_article]  # no whole article here
    watch.check(student, "student summary", summary, url=rf"/play/{code}/summary$")

    # The facilitator's views ------------------------------------------------------------
    with live_server.db() as db:
        session_id = queries.session_by_code(db, code)["id"]
        answers = queries.answers_in(db, session_id)
    assert len(answers) == len(NICKNAMES) * total
    wrong = {}
    for q in questions:
        stats = question_stats(q, answers)
        wrong[q["pk"]] = (
            [stats["wrong"]["label"], stats["wrong"]["feedback"]] if stats["wrong"] else []
        )
    labels = [label(q, o) for q in questions for o in q["options"]]
    stems = [q["stem"] for q in questions]
    all_reasons = list(reasons.values())
    all_wrong = [t for q in questions for t in wrong[q["pk"]]]

    teacher.goto(f"/run/{code}/screen")
    watch.check(teacher, "join screen", TEAMS, url=rf"/run/{code}/screen$")

    # The facilitator's own view shows the key and the most chosen wrong answers only
    # when asked to ("Show the key to me").
    live_url = rf"/run/{code}\?key=1$"
    teacher.goto(f"/run/{code}?key=1")
    watch.check(
        teacher,
        "live view (reasons open)",
        [
            SESSION_TITLE,
            data["title"],
            *NICKNAMES,
            *TEAMS,
            *stems,
            *labels,
            *all_reasons,
            *all_wrong,
        ],
        url=live_url,
        title=SESSION_TITLE,
    )
    # Everyone, with their forms, on the People page; and a search that echoes itself.
    teacher.goto(f"/run/{code}/people")
    watch.check(
        teacher,
        "People page",
        [SESSION_TITLE, *NICKNAMES, *TEAMS],
        url=rf"/run/{code}/people$",
        title=SESSION_TITLE,
    )
    teacher.get_by_label("Nickname contains").fill(NICKNAMES[0][:40])
    teacher.get_by_role("button", name="Search", exact=True).click()
    watch.check(
        teacher, "People page, searched", [NICKNAMES[0][:40]], url=rf"/run/{code}/people\?q="
    )
    for q in questions:
        room = rf"/run/{code}/room/{q['pk']}$"
        teacher.goto(f"/run/{code}/room/{q['pk']}")
        watch.check(
            teacher,
            f"room view of question {q['number']} (not revealed)",
            [q["stem"], *(label(q, o) for o in q["options"])],
            url=room,
        )
        teacher.get_by_role("button", name="Reveal the answer and the explanation").click()
        expect(teacher.get_by_role("heading", level=2, name="Why", exact=True)).to_be_visible()
        watch.check(
            teacher,
            f"room view of question {q['number']} (revealed)",
            [q["stem"], q["explanation"], *(label(q, o) for o in q["options"]), *wrong[q["pk"]]],
            url=room,
        )

    teacher.goto(f"/run/{code}/report")
    watch.check(
        teacher,
        "report",
        [
            SESSION_TITLE,
            data["title"],
            *NICKNAMES,
            *TEAMS,
            *stems,
            *labels,
            *all_reasons,
            *all_wrong,
        ],
        url=rf"/run/{code}/report$",
        title=SESSION_TITLE,
    )

    # Both CSV files -------------------------------------------------------------------
    with teacher.expect_download() as info:
        teacher.get_by_role("link", name="Download answers (CSV)").click()
    answer_rows = read_csv(info.value)
    assert len(answer_rows) == len(answers)
    check_csv(
        watch,
        "answers CSV",
        answer_rows,
        {"Nickname": NICKNAMES, "Team": TEAMS, "Reason": all_reasons},
    )
    by_qid = {q["id"]: q for q in questions}
    nick_of_cell = {neutralised(n): n for n in NICKNAMES}
    for row in answer_rows:
        key = (nick_of_cell.get(row["Nickname"]), row["Question id"])
        if key not in reasons:
            watch.problems.append(
                f"answers CSV: unexpected row {row['Nickname']!r} {row['Question id']}"
            )
            continue
        if row["Reason"] != neutralised(reasons[key]):
            watch.problems.append(f"answers CSV: reason of {key} is {row['Reason']!r}")
        q = by_qid[row["Question id"]]
        names = {o["id"]: label(q, o) for o in q["options"]}
        separator = " > " if q["type"] == "order" else "; "
        want = separator.join(names[i] for i in chosen[key])
        if row["Chosen options"] != neutralised(want):
            watch.problems.append(
                f"answers CSV: chosen options of {key} are {row['Chosen options']!r}"
            )
    with teacher.expect_download() as info:
        teacher.get_by_role("link", name="Download participants (CSV)").click()
    people_rows = read_csv(info.value)
    assert len(people_rows) == len(NICKNAMES)
    check_csv(watch, "participants CSV", people_rows, {"Nickname": NICKNAMES, "Team": TEAMS})

    teacher.goto("/run/")
    watch.check(
        teacher, "sessions page with the session", [SESSION_TITLE, data["title"]], url=r"/run/$"
    )

    watch.finish()
    unshown = [p for p in ALL_PAYLOADS if p not in watch.shown]
    assert not unshown, f"payloads never checked in any view: {unshown}"
    print(
        f"{len(ALL_PAYLOADS)} distinct payloads, {len(watch.views)} views checked, "
        f"{len(watch.navigations)} navigations, no request to /xss-hit, no dialog"
    )
