"""Static files under fingerprinted names, cached for good, compressed ahead; pages
compressed as the browser accepts (issue 19)."""

from __future__ import annotations

import gzip
import re

from quiz.web import assets

PHONE = {"Accept-Encoding": "gzip, deflate, br"}
LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _get(client, url: str, **kw):
    """GET and read the whole body, then close it (a static file is an open file)."""
    response = client.get(url, **kw)
    response.get_data()
    response.close()
    return response


def _linked(client) -> list[str]:
    return LINKED.findall(_get(client, "/").get_data(as_text=True))


def test_pages_link_static_files_by_fingerprinted_names_kept_for_good(client, app):
    urls = _linked(client)
    assert urls and all(assets.FINGERPRINT.search(u) for u in urls)
    for url in urls:
        response = _get(client, url)
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        # The file under its plain name, as served (stylesheets minified).
        plain = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url)
        source = _get(client, plain).data
        assert response.data == assets.served(plain, source)
        if not plain.endswith(".css"):
            assert response.data == source


def test_static_text_comes_compressed_to_a_browser_that_accepts_it(client):
    css = next(u for u in _linked(client) if u.endswith(".css"))
    br = _get(client, css, headers=PHONE)
    assert br.headers["Content-Encoding"] == "br"
    gz = _get(client, css, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.data) == _get(client, css).data
    assert len(gz.data) < len(_get(client, css).data) / 2


def test_fingerprinted_files_carry_the_security_headers(client):
    for url in _linked(client):
        headers = _get(client, url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_plain_static_names_still_work_for_old_links(client):
    response = _get(client, "/static/css/lateral.css")
    assert response.status_code == 200 and b"{" in response.data
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_a_changed_file_gets_a_new_name_and_an_unchanged_one_keeps_it():
    first = assets.fingerprinted("css/lateral.css", b"body { color: black }")
    assert first == assets.fingerprinted("css/lateral.css", b"body { color: black }")
    assert first != assets.fingerprinted("css/lateral.css", b"body { color: navy }")
    assert first.startswith("css/lateral.") and first.endswith(".css")
    assert assets.fingerprinted("vendor/htmx-2.0.11.min.js", b"x").startswith(
        "vendor/htmx-2.0.11.min."
    )


def test_a_build_writes_each_file_and_its_compressed_variants_once(tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "a.css").write_text("p { margin: 0 } " * 200)
    target = tmp_path / "built"
    manifest = assets.build(source, target)
    built = target / manifest["css/a.css"]
    assert built.read_bytes() == b"p{margin:0}" * 200  # minified
    assert gzip.decompress(built.with_name(built.name + ".gz").read_bytes()) == built.read_bytes()
    assert built.with_name(built.name + ".br").exists()
    assert assets.build(source, target) == manifest  # a second worker finds it built


COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _rules(css: str) -> list[str]:
    """The stylesheet's selectors and declarations, whitespace and comments aside."""
    bare = re.sub(r"\s+", "", COMMENT.sub("", css))
    return [part for part in re.split(r"[{};]", bare) if part]


def test_the_stylesheet_is_served_minified_and_kept_readable_in_static(client):
    css = next(u for u in _linked(client) if u.endswith(".css"))
    served = _get(client, css).get_data(as_text=True)
    source = _get(client, "/static/css/lateral.css").get_data(as_text=True)
    assert "/*" in source and "\n" in source  # the source as written, with its comments
    assert "/*" not in served and served.count("\n") <= 1
    assert len(served) < 0.8 * len(source)
    # Nothing but whitespace and comments went: every selector and declaration is there,
    # in the same order (the minifier drops a last ";" before "}", which _rules ignores).
    assert _rules(served) == _rules(source)
    # What is shown still reads as it did: the spaces calc() needs, the print rules.
    assert "calc(100vh - var(--space-8))" in served
    assert "@media print" in served


def test_a_changed_stylesheet_gets_a_new_name_from_what_is_served(tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    sheet = source / "css" / "a.css"
    sheet.write_text("/* a note */\np {\n  margin: 0;\n}\n")
    first = assets.build(source, tmp_path / "one")["css/a.css"]
    assert (tmp_path / "one" / first).read_text() == "p{margin:0}"
    sheet.write_text("/* another note */\np {\n  margin: 0;\n}\n")
    assert assets.build(source, tmp_path / "two")["css/a.css"] == first  # same rules
    sheet.write_text("p { margin: 1px }")
    assert assets.build(source, tmp_path / "three")["css/a.css"] != first


TOKEN = re.compile(rb'"X-CSRFToken": "[^"]+"|name="csrf_token" type="hidden" value="[^"]+"')


def _untokened(body: bytes) -> bytes:
    return TOKEN.sub(b"TOKEN", body)


def test_pages_are_compressed_for_a_browser_that_accepts_it(client):
    plain = _get(client, "/")
    packed = _get(client, "/", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    # The same page but for the CSRF token, which carries the second it was signed in.
    assert _untokened(gzip.decompress(packed.data)) == _untokened(plain.data)
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
