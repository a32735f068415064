"""What a phone downloads for the student pages: sizes, compression and caching.

Lighthouse is not part of the run (it is an npm package; bench/README.md says how to
run it beside). This measures what its performance audits look at for these pages:
the transfer size of the HTML and of every static file the page links, whether text
is compressed (``Content-Encoding``), whether a static file's name carries its
fingerprint and is served ``Cache-Control: immutable`` (so a returning phone asks for
nothing), and which resources block the first render (a stylesheet in the head
without ``media``, a script without ``defer``/``async``/``type=module``).
"""

from __future__ import annotations

import re
import zlib

from loadgen import Client, Recorder

# What a phone's browser sends. gzip only, so that the generator can decode with the
# standard library; a browser would also offer br, which is smaller still.
ACCEPT = {"Accept-Encoding": "gzip"}
LINKS = re.compile(r"<(link|script)\b([^>]*)>")
ATTR = re.compile(r'(\w[\w-]*)(?:="([^"]*)")?')
FINGERPRINT = re.compile(r"\.[0-9a-f]{8,}\.\w+$")
TEXT_TYPES = ("text/", "application/javascript", "image/svg+xml", "application/json")


def decoded(body: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    return body


def blocking(html: str) -> list[str]:
    """The resources of ``html``'s head that block its first render."""
    head = html.split("</head>", 1)[0]
    out = []
    for tag, attrs in LINKS.findall(head):
        a = {k.lower(): v for k, v in ATTR.findall(attrs)}
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("media") in (None, "all"):
            out.append(a.get("href", "?"))
        if (
            tag == "script"
            and a.get("src")
            and not ("defer" in a or "async" in a or a.get("type") == "module")
        ):
            out.append(a["src"])
    return out


async def page(client: Client, path: str, seen: dict) -> dict:
    """GET one page and its static files with a phone's Accept-Encoding."""
    r = await client.send("asset-page", "GET", path, headers=ACCEPT)
    if r is None:
        return {"path": path, "status": None}
    encoding = r.header("content-encoding")
    html = decoded(r.body, encoding).decode("utf-8", "replace")
    out = {
        "path": path,
        "status": r.status,
        "encoding": encoding,
        "bytes": len(r.body),
        "raw_bytes": len(html.encode()),
        "render_blocking": blocking(html),
        "static": re.findall(r'(?:href|src)="(/static/[^"]+)"', html),
    }
    for url in out["static"]:
        if url in seen:
            continue
        s = await client.send("asset", "GET", url, headers=ACCEPT)
        if s is None:
            seen[url] = {"status": None}
            continue
        ctype = (s.header("content-type") or "").split(";")[0]
        seen[url] = {
            "status": s.status,
            "type": ctype,
            "encoding": s.header("content-encoding"),
            "bytes": len(s.body),
            "raw_bytes": len(decoded(s.body, s.header("content-encoding"))),
            "cache_control": s.header("cache-control") or "",
            "fingerprinted": bool(FINGERPRINT.search(url.split("?")[0])),
            "text": ctype.startswith(TEXT_TYPES),
        }
    return out


async def check(port: int, code: str, cookie: str | None) -> dict:
    """The home page, and the student's page as a joined phone sees it."""
    client = Client(port, Recorder())
    seen: dict = {}
    try:
        pages = [await page(client, "/", seen)]
        client.cookie = cookie
        pages.append(await page(client, f"/play/{code}", seen))
    finally:
        client.close()
    return {"pages": pages, "static": seen}


def verdict(found: dict) -> dict:
    """Pass or miss for each static-file target, with what was measured."""
    static = found["static"].values()
    text = [s for s in static if s.get("text")]
    return {
        "immutable": all(
            s.get("fingerprinted") and "immutable" in s.get("cache_control", "") for s in static
        ),
        "compressed": all(s.get("encoding") for s in text if s.get("raw_bytes", 0) > 1024)
        and all(p.get("encoding") for p in found["pages"]),
        # Lighthouse's score is the target (bench/README.md says how to run it);
        # this is what the bench can tell of render-blocking: only one stylesheet and no
        # script block the first render, and it arrives within the first round trip
        # (TCP's initial window of ten segments, about 14 KB as sent).
        "render_blocking_ok": all(
            len(p.get("render_blocking", [])) <= 1
            and all(b.endswith(".css") for b in p.get("render_blocking", []))
            for p in found["pages"]
        )
        and sum(found["static"].get(b, {}).get("bytes", 0) for b in _blocking(found)) <= 14_600,
        "blocking_kb": round(
            sum(found["static"].get(b, {}).get("bytes", 0) for b in _blocking(found)) / 1024, 1
        ),
        "page_kb": {p["path"]: round(p.get("bytes", 0) / 1024, 1) for p in found["pages"]},
        "static_kb": round(sum(s.get("bytes", 0) for s in static) / 1024, 1),
        "static_raw_kb": round(sum(s.get("raw_bytes", 0) for s in static) / 1024, 1),
        "blocking": _blocking(found),
    }


def _blocking(found: dict) -> list[str]:
    return sorted({b for p in found["pages"] for b in p.get("render_blocking", [])})
