"""Static files under fingerprinted names, compressed ahead of time, served by WhiteNoise.

``url_for('static', filename='css/lateral.css')`` gives ``/static/css/lateral.<hash>.css``:
the name changes whenever the content does, so it is served ``Cache-Control: public,
immutable`` for a year and a returning phone asks for nothing. At start the app copies
static/ under those names into ``<instance>/static-assets/`` with gzip and Brotli
variants beside each text file (WhiteNoise's own compressor), and WhiteNoise serves
them before Flask is reached, choosing the variant the browser accepts. The plain
names stay served by Flask's static route, so old links keep working.

Stylesheets are served minified (``rcssmin``, made with the fingerprinted copy, so the
name is the hash of what is served); static/ keeps the source as written, and its
plain name serves that source.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import rcssmin
from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from . import security

FOLDER = "static-assets"
FINGERPRINT = re.compile(r"\.[0-9a-f]{12}\.\w+$")
ONE_YEAR = 365 * 24 * 3600


def fingerprinted(relative: str, content: bytes) -> str:
    """``css/lateral.css`` with its content's hash: ``css/lateral.<12 hex>.css``."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    stem, dot, suffix = relative.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{relative}.{digest}"


def served(relative: str, content: bytes) -> bytes:
    """What is served under the fingerprinted name: stylesheets minified (comments and
    needless whitespace gone: Lighthouse's "Minify CSS"), every other file as it is."""
    if relative.endswith(".css"):
        return rcssmin.cssmin(content.decode("utf-8")).encode("utf-8")
    return content


def _write_once(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (several workers start at once)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _variants(compressor: Compressor, name: str, content: bytes) -> list[tuple[str, bytes]]:
    """The Brotli and gzip copies of a file worth compressing (WhiteNoise's own
    compressors and rule: kept only when at least 5% smaller)."""
    if not compressor.should_compress(name):
        return []
    out = []
    for suffix, label, use, pack in (
        (".br", "Brotli", compressor.use_brotli, compressor.compress_brotli),
        (".gz", "Gzip", compressor.use_gzip, compressor.compress_gzip),
    ):
        if use:
            data = pack(content)
            if compressor.is_compressed_effectively(label, name, len(content), data):
                out.append((suffix, data))
    return out


# Compressed copies made in this process, by fingerprinted name: Brotli at its best
# level takes a second or two for htmx on a small machine, and the tests start many
# apps, each with an instance folder of its own.
_made: dict[str, list[tuple[str, bytes]]] = {}


def _compressed(compressor: Compressor, name: str, content: bytes) -> list[tuple[str, bytes]]:
    if name not in _made:
        _made[name] = _variants(compressor, name, content)
    return _made[name]


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy ``source`` into ``target`` under fingerprinted names, with compressed
    variants; return the manifest (plain relative name -> fingerprinted one).

    The variants are written before the file itself: a worker that finds the file
    there (another one built it) finds its variants too.
    """
    manifest = {}
    compressor = Compressor(quiet=True)
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        content = served(relative, path.read_bytes())
        name = fingerprinted(relative, content)
        out = target / name
        if not out.exists():
            for suffix, data in _compressed(compressor, name, content):
                _write_once(out.with_name(out.name + suffix), data)
            _write_once(out, content)
        manifest[relative] = name
    return manifest


def _static_headers(headers, _path: str, _url: str) -> None:
    """The security headers Flask's responses carry, from the same list
    (``security.standard_headers``; WhiteNoise answers before Flask, so without HSTS,
    which needs the request's scheme, and public: static files are the same for all)."""
    for name, value in security.standard_headers(private=False, secure=False, hsts_max_age=0):
        headers[name] = value


def install(app: Flask) -> None:
    """Build the fingerprinted files, serve them through WhiteNoise, and make
    ``url_for('static', …)`` name them."""
    source = Path(app.static_folder or "")
    target = Path(app.instance_path) / FOLDER
    manifest = build(source, target)
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(target),
        prefix=app.static_url_path,
        max_age=ONE_YEAR,
        allow_all_origins=False,
        add_headers_function=_static_headers,
        immutable_file_test=lambda _path, url: bool(FINGERPRINT.search(url)),
    )
    app.extensions["lateral.assets"] = manifest

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]
