"""Set files in and out of a teacher's sets: upload a file (or a .zip of it with its
images) as a draft, download one (a .zip when the set has images)."""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from sqlite_utils import Database

from ..sets import images
from ..sets.budget import DEFAULT
from ..sets.files import read_toml, to_raw
from ..sets.validation import InvalidSet, Problem, validate
from ..storage import queries
from . import archive, exports, publishing
from .drafts import AuthoringError, OwnedSet, new_set
from .interchange import QtiError, to_qti

MAX_UPLOAD = DEFAULT.max_bytes  # the parse budget's: larger files are refused by it


def upload(db: Database, owner_id: int, filename: str, content: bytes, misc: dict) -> str:
    """Store an uploaded set file (or a .zip of one with its media/) as a new draft of the
    teacher's; nothing if invalid."""
    name = Path(filename or "upload.toml").name
    read = archive.no_files
    if archive.is_zip(content):
        name, content, read = archive.opened(content, name)
    raw = read_toml(content, name)  # the parse budget first: size, depth, keys, counts
    try:
        data = validate(raw, name, misc)
    except InvalidSet as exc:
        raise InvalidSet(exc.problems, raw) from None
    if data["kind"] != "main":
        raise InvalidSet([Problem.of(name, "kind", "check_form")], raw)
    for picture, image_bytes in images.attach(data, read, name).values():
        queries.insert_media(db, picture, image_bytes)
    clean = to_raw(data)
    clean.pop("check_forms", None)
    return new_set(db, owner_id, clean)


def _qti(data: dict) -> bytes:
    try:
        return to_qti(to_raw(data))
    except QtiError as exc:
        raise AuthoringError(422, str(exc)) from None


# What each download writes: the function, the MIME type, the file name's ending.
WRITERS = {
    "toml": (exports.to_toml, "application/toml; charset=utf-8", "toml"),
    "gift": (exports.to_gift, "text/plain; charset=utf-8", "gift.txt"),
    "xml": (exports.to_moodle_xml, "application/xml; charset=utf-8", "moodle.xml"),
    "qti": (_qti, "application/zip", "qti.zip"),
}


def download(
    found: OwnedSet, kind: str, misc: dict, db: Database | None = None
) -> tuple[str | bytes, str, str]:
    """Write a set as a set file (``toml``), GIFT, Moodle XML or a QTI package; return
    the file, its MIME type and a file name. A set file with images comes as a zip of it
    and its ``media/`` (bytes; ``db`` holds the images). A set with errors is refused."""
    result = publishing.check(found.raw, misc)
    if result.data is None:
        raise AuthoringError(
            422,
            _(
                "Finish this set before downloading it: “Ready to publish?” says what it still "
                "needs."
            ),
        )
    write, mimetype, extension = WRITERS[kind]
    text = write(result.data)
    if kind == "toml" and db is not None and archive.has_images(result.data):
        return (
            archive.packed(db, text, result.data, found.slug),
            "application/zip",
            f"{found.slug}.zip",
        )
    return text, mimetype, f"{found.slug}.{extension}"
