"""Images in set files: a question's ``[questions.image]`` and the article's
``[[article.images]]``, their fields checked, and their files read and checked.

An image names its ``file`` (``media/<name>``, beside the set file or in an upload's
``media/`` folder) and must say what it shows and where it comes from: ``alt``,
``caption``, ``credit`` and ``licence`` are required (CONTENT.md rule 11); ``note`` is
for teachers only (what the image can and cannot show). An article image also names
the ``passage`` it belongs to.

``attach`` reads each image's file, checks it (``media.inspect``) and records its
``sha256``, ``width`` and ``height`` in the image: what a stored version is served by.
A teacher's draft keeps those three once its image is uploaded, so a draft needs no
files; set files never need to write them (Lateral writes them when it exports).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from flask_babel import gettext as _

from .media import ImageRefused, Picture, inspect
from .problems import Checker, InvalidSet, Problem

FILE = re.compile(r"^media/[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.(png|jpe?g|webp|svg)$", re.I)
SHA256 = re.compile(r"^[0-9a-f]{64}$")
TEXTS = {"alt": 1000, "caption": 500, "credit": 300, "licence": 200}
# Fields of an image, in the order they are written.
FIELDS = (
    "passage",
    "file",
    "alt",
    "caption",
    "credit",
    "licence",
    "note",
    "sha256",
    "width",
    "height",
)

# Reads an image's bytes by its file name (raises OSError or KeyError when it is missing).
Reader = Callable[[str], bytes]


def image(c: Checker, value: Any, q: str | None, where: str) -> dict | None:
    """Check one image table; return it normalised (None when it is unusable)."""
    if not isinstance(value, dict):
        c.add(q, where, _("must be a table with file, alt, caption, credit and licence"))
        return None
    if unknown := sorted(set(value) - set(FIELDS)):
        c.add(
            q, where, _("has fields an image does not take: %(fields)s", fields=", ".join(unknown))
        )
    out: dict[str, Any] = {}
    name = value.get("file")
    if not isinstance(name, str) or not FILE.match(name):
        c.add(
            q,
            f"{where}.file",
            _('must name a PNG, JPEG, WebP or SVG file in media/, e.g. "media/map.svg"'),
        )
    out["file"] = name
    for key, limit in TEXTS.items():
        text = c.text(value, key, q, limit=limit)
        if text is None:
            c.problems[-1] = Problem(c.file, q, f"{where}.{key}", c.problems[-1].message)
        out[key] = text
    note = c.text(value, "note", q, required=False)
    if note:
        out["note"] = note
    _stored(c, value, out, q, where)
    return out


def _stored(c: Checker, value: dict, out: dict, q: str | None, where: str) -> None:
    """Keep the sha256, width and height a draft or an export carries, if well formed."""
    digest = value.get("sha256")
    if digest is None:
        return
    width, height = value.get("width"), value.get("height")
    sizes_ok = all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height)
    )
    if not isinstance(digest, str) or not SHA256.match(digest) or not sizes_ok:
        c.add(q, f"{where}.sha256", _("must go with width and height, as Lateral writes them"))
        return
    out.update(sha256=digest, width=width, height=height)


def article_images(c: Checker, value: Any, passages: int) -> list[dict]:
    """Check the article's ``[[article.images]]``: each an image with its passage."""
    if value is None:
        return []
    if not isinstance(value, list):
        c.add(None, "article.images", _("must be [[article.images]] tables"))
        return []
    out = []
    for n, raw in enumerate(value, start=1):
        where = f"article.images[{n}]"
        found = image(c, raw, None, where)
        if found is None:
            continue
        number = raw.get("passage")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= passages:
            c.add(
                None, f"{where}.passage", _("must be a passage number 1–%(count)s", count=passages)
            )
        out.append({"passage": number, **found})
    return out


def every_image(data: dict) -> Iterator[tuple[str | None, str, dict]]:
    """Yield (question id or None, field, image) for each image of a normalised set."""
    for n, img in enumerate(data.get("article", {}).get("images") or [], start=1):
        yield None, f"article.images[{n}]", img
    for q in data.get("questions", []):
        if q.get("image"):
            yield q["id"], "image", q["image"]


def attach(data: dict, read: Reader, name: str) -> dict[str, tuple[Picture, bytes]]:
    """Read and check every image of a normalised set; record sha256, width and height.

    Returns each file as checked and its bytes, by sha256, to store; raises InvalidSet
    naming each image that is missing or refused (and its rule).
    """
    problems, found = [], {}
    for q, where, img in every_image(data):
        try:
            content = read(img["file"])
        except (OSError, KeyError):
            problems.append(
                Problem(name, q, f"{where}.file", _("%(file)s was not found", file=img["file"]))
            )
            continue
        try:
            picture = inspect(content, img["file"].rsplit("/", 1)[-1])
        except ImageRefused as exc:
            problems.append(Problem(name, q, f"{where}.file", exc.message))
            continue
        img.update(sha256=picture.sha256, width=picture.width, height=picture.height)
        found[picture.sha256] = (picture, content)
    if problems:
        raise InvalidSet(problems)
    return found


def missing_files(data: dict) -> list[Problem]:
    """Name each image of a set that has no stored file yet (no sha256)."""
    return [
        Problem(data.get("id") or "draft", q, f"{where}.file", _("has not been uploaded"))
        for q, where, img in every_image(data)
        if not img.get("sha256")
    ]
