"""Set files: read and parse them, load them into the database, and write them back.

The format is described in questions/README.md; ``validation`` checks it.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

from flask_babel import gettext as _
from sqlite_utils import Database

from ..storage import queries
from ..storage.connection import immediate
from . import budget, images
from .media import Picture
from .validation import InvalidSet, Problem, validate


def load_misconceptions(path: Path) -> dict[str, dict]:
    """Read the shared misconception list; an absent file means none."""
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {k: v for k, v in data.items() if isinstance(v, dict)}


class SetData(dict):
    """A validated set (the dict ``validate`` returns) with its images as checked and
    their bytes, by sha256, in ``media``: what ``sync`` stores beside the version."""

    media: dict[str, tuple[Picture, bytes]]

    def __init__(self, data: dict, media: dict[str, tuple[Picture, bytes]] | None = None) -> None:
        super().__init__(data)
        self.media = media or {}


def read_toml(content: bytes, name: str) -> dict:
    """Parse a set file's bytes within the parse budget; raise InvalidSet if they can't be.

    Every set file, uploaded or loaded from a folder, is parsed here: the budget
    refuses a file that would cost the parser too much before tomllib sees it.
    """
    try:
        return budget.parse_toml(content)
    except UnicodeDecodeError:
        raise InvalidSet([Problem.of(name, "(file)", "not_utf8")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSet([Problem.of(name, "(file)", "not_toml", error=exc)]) from None
    except budget.BudgetExceeded as exc:
        raise InvalidSet([Problem.of(name, "(file)", "over_budget", error=exc)]) from None


def parse_file(path: Path, misconceptions: dict[str, dict] | None = None) -> SetData:
    """Parse and validate one set file and read its images (``media/`` beside it);
    raise InvalidSet listing every error."""
    name = str(path)
    data = validate(read_toml(path.read_bytes(), name), name, misconceptions)
    return SetData(data, images.attach(data, lambda file: (path.parent / file).read_bytes(), name))


def content_hash(data: dict) -> str:
    """Hash the normalised set so an unchanged file is recognised."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def sync(
    db: Database, data: dict, source: str | None = None, misconceptions: dict | None = None
) -> tuple[int, bool]:
    """Store a validated set; return (version id, whether a new version was made).

    A new version keeps the labels of the misconceptions its options name, as
    ``misconceptions`` (the shared list) has them now: its sessions' reports show those
    labels whatever becomes of the list.
    """
    digest = content_hash(data)
    with immediate(db):
        store_media(db, data)
        latest = queries.latest_version(db, data["id"])
        if latest and latest["content_hash"] == digest:
            return latest["id"], False
        labels = named_misconceptions(data, misconceptions or {})
        version_id = queries.insert_version(db, data, digest, source, labels)
    return version_id, True


def store_media(db: Database, data: dict) -> None:
    """Store the images a parsed set brought (``SetData.media``) and check that every
    image it names is stored; raise InvalidSet for one that is not."""
    for picture, content in getattr(data, "media", {}).values():
        queries.insert_media(db, picture, content)
    named = {img["sha256"] for _q, _f, img in images.every_image(data) if img.get("sha256")}
    stored = queries.stored_media(db, named)
    missing = images.missing_files(data) + [
        Problem(
            data["id"], q, f"{where}.file", _("%(file)s has not been uploaded", file=img["file"])
        )
        for q, where, img in images.every_image(data)
        if img.get("sha256") and img["sha256"] not in stored
    ]
    if missing:
        raise InvalidSet(missing)


def named_misconceptions(data: dict, misconceptions: dict[str, dict]) -> dict[str, dict]:
    """Return the label and description of each misconception the set's options name."""
    named = {o["misconception"] for q in data["questions"] for o in q["options"]}
    return {
        key: {
            "label": misconceptions[key].get("label", key),
            "description": misconceptions[key].get("description", ""),
        }
        for key in sorted(k for k in named if k in misconceptions)
    }


def set_files(folder: Path) -> list[Path]:
    """List the set files in a folder (every .toml but the misconception list)."""
    return sorted(p for p in folder.glob("*.toml") if is_set_file(p))


def is_set_file(path: Path) -> bool:
    """Whether a file is a question set (the shared misconception list is not)."""
    return path.name != "misconceptions.toml"


def to_raw(data: dict) -> dict:
    """Turn a normalised set back into set-file data (what a file would hold).

    ``validate(to_raw(data))`` gives ``data`` back.
    """

    def prune(d: dict) -> dict:
        return {k: v for k, v in d.items() if v is not None and v is not False and v != []}

    raw = prune({k: v for k, v in data.items() if k not in ("article", "guide", "questions")})
    raw["published"] = data["published"]
    raw["article"] = prune(dict(data["article"]))
    if data.get("guide"):
        raw["guide"] = prune(dict(data["guide"]))
    raw["questions"] = []
    for q in data["questions"]:
        rq = prune({k: v for k, v in q.items() if k != "options"})
        if q["type"] == "cer":
            rq.pop("reason", None)  # always on for cer
        rq["options"] = []
        for o in q["options"]:
            ro = prune(dict(o))
            if q["type"] == "passage":
                ro.pop("text", None)
            rq["options"].append(ro)
        raw["questions"].append(rq)
    return raw
