"""A set file with its images as one ``.zip``: the ``.toml`` at the top and the images
in ``media/`` beside it, as in ``questions/``. Download writes one when a set has
images; upload reads one (or a plain ``.toml``, for a set without images).

Reading is bounded before anything is unpacked: at most ``MAX_MEMBERS`` files, each
image at most 1 MB and the set file at most 512 KB as the archive declares them, and
never more than declared is read. Names with ``..``, absolute paths or a drive are
refused, and only the one ``.toml`` and the ``media/`` files it names are read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

from flask_babel import gettext as _
from sqlite_utils import Database

from ..sets.images import every_image
from ..sets.media import MAX_BYTES
from ..sets.validation import InvalidSet, Problem
from ..storage import queries

MAX_MEMBERS = 200
MAX_TOML = 512 * 1024
ZIP_MAGIC = b"PK\x03\x04"

Reader = Callable[[str], bytes]


def is_zip(content: bytes) -> bool:
    """Whether uploaded bytes are a zip archive (rather than a set file)."""
    return content.startswith(ZIP_MAGIC)


def no_files(name: str) -> bytes:
    """The reader of a plain set file upload: it brings no images."""
    raise KeyError(name)


def _refuse(name: str, message: str) -> InvalidSet:
    return InvalidSet([Problem(name, None, "(file)", message)])


def opened(content: bytes, name: str) -> tuple[str, bytes, Reader]:
    """Open an uploaded archive: return the set file's name and bytes and a reader of
    its images; raise InvalidSet when it cannot be used."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise _refuse(name, _("is not a zip archive that can be read")) from None
    if len(members) > MAX_MEMBERS:
        raise _refuse(name, _("holds more than %(most)s files", most=MAX_MEMBERS))
    sets = [m for m in members if _safe(m.filename) and m.filename.endswith(".toml")]
    sets = [m for m in sets if PurePosixPath(m.filename).name != "misconceptions.toml"]
    if len(sets) != 1:
        raise _refuse(name, _("must hold exactly one .toml set file, with its images in media/"))
    found = sets[0]
    if found.file_size > MAX_TOML:
        raise _refuse(name, _("holds a set file larger than 512 KB"))
    folder = PurePosixPath(found.filename).parent
    by_name = {m.filename: m for m in members if _safe(m.filename)}

    def read(file: str) -> bytes:
        member = by_name[str(folder / file) if str(folder) != "." else file]
        if member.file_size > MAX_BYTES:
            return b"\0" * (MAX_BYTES + 1)  # inspect() refuses it by its size
        return _read(archive, member, MAX_BYTES)

    return PurePosixPath(found.filename).name, _read(archive, found, MAX_TOML), read


def _safe(filename: str) -> bool:
    path = PurePosixPath(filename)
    return not path.is_absolute() and ".." not in path.parts and ":" not in filename


def _read(archive: zipfile.ZipFile, member: zipfile.ZipInfo, most: int) -> bytes:
    try:
        with archive.open(member) as fh:
            return fh.read(most + 1)[: most + 1]
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        raise KeyError(member.filename) from None


def packed(db: Database, text: str, data: dict, slug: str) -> bytes:
    """Write a set file and its stored images as a zip: ``<slug>.toml`` and ``media/``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{slug}.toml", text)
        written = set()
        for _q, _where, img in every_image(data):
            if img["file"] in written or not img.get("sha256"):
                continue
            stored = queries.media_file(db, img["sha256"])
            if stored is not None:
                archive.writestr(img["file"], stored["content"])
                written.add(img["file"])
    return out.getvalue()


def has_images(data: dict) -> bool:
    """Whether a set has images (its set file then downloads as a zip)."""
    return any(True for _image in every_image(data))
