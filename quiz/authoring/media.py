"""A draft's images and rubrics, changed on their own editor pages.

An uploaded image is checked (``sets.media.inspect``: type, 1 MB, pixels, SVG
sanitiser) and stored by its sha256 at once; the draft's image table then names it
(``file``, ``sha256``, ``width``, ``height``) with the alt text, caption, credit and
licence the form gave, which the validator requires. Replacing keeps the texts unless
new ones are given; removing drops the table (the stored file stays: other sets or
versions may show it). Plain functions taking the database first; the views are in
``media_views``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlite_utils import Database

from ..sets.images import TEXTS, image
from ..sets.media import SUFFIX, TYPES, ImageRefused, inspect, sniff
from ..sets.validation import Checker
from ..sets.vocabulary import MARKING, RUBRIC_LEVELS
from ..storage import queries
from .drafts import AuthoringError, OwnedSet, find_question, save

SAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_UPLOAD = 1024 * 1024  # sets.media.MAX_BYTES: read one byte more to tell
TEXT_FIELDS = (*TEXTS, "note")


def safe_name(filename: str | None, extension: str) -> str:
    """A file name for ``media/`` from an upload's name: plain characters only, ending
    in the extension its content calls for."""
    stem = PurePosixPath((filename or "").replace("\\", "/")).name
    base = stem.rsplit(".", 1)[0] if "." in stem else stem
    base = SAFE.sub("-", base).strip(".-")[:100] or "image"
    return f"media/{base}.{extension}"


# What the editor says when an image's text is missing or too long (by field).
MESSAGES = {
    "alt": _l("Write the alt text: what the image shows, for someone who cannot see it."),
    "caption": _l("Write a caption: what the image is (a drawing says “schematic, not to scale”)."),
    "credit": _l("Write the credit: who made the image."),
    "licence": _l("Write the licence, for example “CC BY 4.0”."),
    "note": _l("Keep the note for teachers under 2,000 characters."),
    "file": _l("Choose an image file: PNG, JPEG, WebP or SVG, at most 1 MB."),
}


def built(db: Database, old: dict | None, fields, upload: tuple[str, bytes] | None) -> dict:
    """Return an image table from the form's texts and, if given, an uploaded file
    (stored when the whole form is right); refuse, naming the first field to change."""
    table = {k: (fields.get(k) or "").strip() for k in TEXT_FIELDS}
    table = {k: v for k, v in table.items() if v}
    if upload is not None and upload[1]:
        name, content = upload
        kind = sniff(content)
        if kind is None:
            raise AuthoringError(422, MESSAGES["file"], "file")
        file = safe_name(name, SUFFIX[TYPES[kind]])
        try:
            picture = inspect(content, file.rsplit("/", 1)[1])
        except ImageRefused as exc:
            raise AuthoringError(422, exc.message, "file") from None
        table.update(file=file, sha256=picture.sha256, width=picture.width, height=picture.height)
    elif old:
        table.update({k: old[k] for k in ("file", "sha256", "width", "height") if k in old})
    else:
        raise AuthoringError(422, MESSAGES["file"], "file")
    checker = Checker("image")
    image(checker, table, None, "image")
    if checker.problems:
        field = checker.problems[0].field.rpartition(".")[2]
        raise AuthoringError(422, MESSAGES.get(field, MESSAGES["file"]), field)
    if upload is not None and upload[1]:
        # Stored only once every field is right: a refused form leaves no image behind.
        queries.insert_media(db, picture, upload[1])
    return table


def set_question_image(db: Database, found: OwnedSet, qid: str, fields, upload) -> None:
    """Add or replace a question's image (a new file, new texts, or both)."""
    _index, q = find_question(found.raw, qid)
    q["image"] = built(db, q.get("image"), fields, upload)
    save(db, found)


def remove_question_image(db: Database, found: OwnedSet, qid: str) -> None:
    """Take a question's image away."""
    _index, q = find_question(found.raw, qid)
    if q.pop("image", None) is None:
        raise AuthoringError(409, _("This question has no image to remove."))
    save(db, found)


def set_article_image(db: Database, found: OwnedSet, passage: int | None, fields, upload) -> None:
    """Add or replace the image shown with a passage of the article."""
    passages = found.raw.get("article", {}).get("passages", [])
    if passage is None or not 1 <= passage <= len(passages):
        raise AuthoringError(
            422, _("Choose a passage from 1 to %(total)s.", total=len(passages)), "passage"
        )
    images = found.raw.setdefault("article", {}).setdefault("images", [])
    old = next((img for img in images if img.get("passage") == passage), None)
    table = {"passage": passage, **built(db, old, fields, upload)}
    images[:] = sorted(
        [img for img in images if img is not old] + [table], key=lambda i: i["passage"]
    )
    save(db, found)


def remove_article_image(db: Database, found: OwnedSet, passage: int | None) -> None:
    """Take away the image shown with a passage."""
    images = found.raw.get("article", {}).get("images") or []
    kept = [img for img in images if img.get("passage") != passage]
    if len(kept) == len(images):
        raise AuthoringError(409, _("That passage has no image to remove."), "passage")
    if kept:
        found.raw["article"]["images"] = kept
    else:
        found.raw["article"].pop("images", None)
    save(db, found)


def set_rubric(db: Database, found: OwnedSet, qid: str, form) -> None:
    """Store a written question's rubric, who marks it and whether it is lateral reading."""
    _index, q = find_question(found.raw, qid)
    if q.get("type") != "open":
        raise AuthoringError(
            422, _("Only written answers have a rubric: make this question a written answer first.")
        )
    q["rubric"] = {
        level: {
            key: (form.get(f"{level}_{key}") or "").strip() for key in ("descriptor", "example")
        }
        for level in RUBRIC_LEVELS
    }
    marking = form.get("marking") or "teacher"
    if marking not in MARKING:
        raise AuthoringError(
            422, _("Choose who marks it: the facilitator or a classmate."), "marking"
        )
    q.pop("marking", None)
    if marking != "teacher":
        q["marking"] = marking
    q.pop("lateral", None)
    if form.get("lateral"):
        q["lateral"] = True
    save(db, found)
