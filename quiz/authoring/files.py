"""Set files in and out of a teacher's sets: upload a file as a draft, download one."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from ..sets.budget import DEFAULT
from ..sets.files import read_toml, to_raw
from ..sets.validation import InvalidSet, Problem, validate
from . import exports, publishing
from .drafts import AuthoringError, OwnedSet, new_set

MAX_UPLOAD = DEFAULT.max_bytes  # the parse budget's: larger files are refused by it


def upload(db: Database, owner_id: int, filename: str, content: bytes, misc: dict) -> str:
    """Store an uploaded set file as a new draft of the teacher's; nothing if invalid."""
    name = Path(filename or "upload.toml").name
    data = validate(read_toml(content, name), name, misc)
    if data["kind"] != "main":
        raise InvalidSet([Problem(name, None, "kind", "upload a main set, not a check form")])
    clean = to_raw(data)
    clean.pop("check_forms", None)
    return new_set(db, owner_id, clean)


# What each download writes: the function, the MIME type, the file name's ending.
WRITERS = {
    "toml": (exports.to_toml, "application/toml", "toml"),
    "gift": (exports.to_gift, "text/plain", "gift.txt"),
    "xml": (exports.to_moodle_xml, "application/xml", "moodle.xml"),
}


def download(found: OwnedSet, kind: str, misc: dict) -> tuple[str, str, str]:
    """Write a set as a set file (``toml``), GIFT or Moodle XML; return the text, its
    MIME type and a file name. A set with errors is refused."""
    result = publishing.check(found.raw, misc)
    if result.data is None:
        raise AuthoringError(422, "Fix the errors in this set before downloading it.")
    write, mimetype, extension = WRITERS[kind]
    return write(result.data), mimetype, f"{found.slug}.{extension}"
