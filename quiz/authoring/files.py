"""Set files in and out of a teacher's sets: upload a file (or a .zip of it with its
images) as a draft, download one (a .zip when the set has images)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlite_utils import Database

from ..sets import images
from ..sets.files import to_raw
from ..sets.validation import InvalidSet, Problem, validate
from ..storage import queries
from . import archive, exports, publishing
from .drafts import AuthoringError, OwnedSet, new_set

MAX_UPLOAD = 512 * 1024


def upload(db: Database, owner_id: int, filename: str, content: bytes, misc: dict) -> str:
    """Store an uploaded set file (or a .zip of one with its media/) as a new draft of the
    teacher's; nothing if invalid."""
    name = Path(filename or "upload.toml").name
    read = archive.no_files
    if archive.is_zip(content):
        name, content, read = archive.opened(content, name)
    if len(content) > MAX_UPLOAD:
        raise InvalidSet([Problem(name, None, "(file)", "is larger than 512 KB")])
    try:
        raw = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidSet([Problem(name, None, "(file)", "is not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSet([Problem(name, None, "(file)", f"is not valid TOML: {exc}")]) from None
    data = validate(raw, name, misc)
    if data["kind"] != "main":
        raise InvalidSet([Problem(name, None, "kind", "upload a main set, not a check form")])
    for picture, image_bytes in images.attach(data, read, name).values():
        queries.insert_media(db, picture, image_bytes)
    clean = to_raw(data)
    clean.pop("check_forms", None)
    return new_set(db, owner_id, clean)


# What each download writes: the function, the MIME type, the file name's ending.
WRITERS = {
    "toml": (exports.to_toml, "application/toml", "toml"),
    "gift": (exports.to_gift, "text/plain", "gift.txt"),
    "xml": (exports.to_moodle_xml, "application/xml", "moodle.xml"),
}


def download(
    found: OwnedSet, kind: str, misc: dict, db: Database | None = None
) -> tuple[str | bytes, str, str]:
    """Write a set as a set file (``toml``), GIFT or Moodle XML; return the text, its
    MIME type and a file name. A set file with images comes as a zip of it and its
    ``media/`` (bytes; ``db`` holds the images). A set with errors is refused."""
    result = publishing.check(found.raw, misc)
    if result.data is None:
        raise AuthoringError(422, "Fix the errors in this set before downloading it.")
    write, mimetype, extension = WRITERS[kind]
    text = write(result.data)
    if kind == "toml" and db is not None and archive.has_images(result.data):
        return (
            archive.packed(db, text, result.data, found.slug),
            "application/zip",
            f"{found.slug}.zip",
        )
    return text, mimetype, f"{found.slug}.{extension}"
