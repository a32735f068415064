#!/usr/bin/env python3
"""Digests of the report page, both CSVs and the live panel, to check a change keeps
them byte-identical.

    .venv/bin/python bench/digests.py --db /tmp/r.db --live-db /tmp/l.db > before.json
    ... change the code ...
    .venv/bin/python bench/digests.py --db /tmp/r.db --live-db /tmp/l.db --against before.json

``--db``: bench/report.py's dataset (built there with ``--db`` when it is missing);
``--live-db``: bench/live_panel.py's session, kept at that path (built when missing; its
participant ids are random, so compare only digests of one database). Each page is read
in English and in Finnish; the CSRF token and the stylesheet's fingerprint are blanked
out. With ``--against`` it prints the names whose digest differs and exits 1 if any.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from html import unescape
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import report  # noqa: E402

VOLATILE = re.compile(
    rb'"X-CSRFToken": "[^"]+"|name="csrf_token" value="[^"]+"|lateral\.[0-9a-f]{12}\.css'
)
LANGUAGES = ("en", "fi")


def _digest(body: bytes) -> str:
    return hashlib.sha256(VOLATILE.sub(b"T", body)).hexdigest()


def _get(client, url: str, language: str, headers: dict | None = None) -> bytes:
    r = client.get(url, headers={"Accept-Language": language, **(headers or {})})
    if r.status_code != 200:
        raise RuntimeError(f"{url}: {r.status_code}")
    return r.get_data()


def report_digests(db_path: Path, answers: int) -> dict:
    path, code = report.database(db_path, answers)
    client = report.signed_in_client(path)
    return {
        f"{name}.{language}": _digest(_get(client, url.format(code=code), language))
        for name, url in report.PAGES.items()
        for language in LANGUAGES
    }


def live_digests(db_path: Path) -> dict:
    import live_panel

    facts_path = db_path.with_suffix(".json")
    if not db_path.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
        facts_path.write_text(json.dumps(live_panel.build(db_path, 1000, 10)))
    code = json.loads(facts_path.read_text())["code"]
    client = report.signed_in_client(db_path)
    page = client.get(f"/run/{code}").get_data(as_text=True)
    poll = re.search(r'<div id="live" hx-get="([^"]+)"', page)
    changed = re.sub(r"state=\d+", "state=0", unescape(poll.group(1)))
    urls = {
        "dashboard": f"/run/{code}",
        "live": changed,
        "live_key": changed.replace("key=0", "key=1"),
        "people": f"/run/{code}/people",
    }
    return {
        f"{name}.{language}": _digest(_get(client, url, language, live_panel.HX))
        if name.startswith("live")
        else _digest(_get(client, url, language))
        for name, url in urls.items()
        for language in LANGUAGES
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--answers", type=int, default=100_000)
    p.add_argument("--live-db", type=Path)
    p.add_argument("--against", type=Path, help="digests printed before: compare")
    args = p.parse_args(argv)
    found = report_digests(args.db, args.answers)
    if args.live_db:
        found.update(live_digests(args.live_db))
    if args.against is None:
        print(json.dumps(found, indent=1))
        return 0
    before = json.loads(args.against.read_text())
    differ = [name for name in sorted(found) if before.get(name) != found[name]]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(found) - len(differ)} of {len(found)} identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
