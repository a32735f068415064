"""Images of question sets, served from the database at a fingerprinted address.

``/media/<sha256>.<extension>`` never changes what it serves (the name is the content's
hash), so it is cached for a year and marked immutable. Every image is sent with
``nosniff``; an SVG also with a Content-Security-Policy that sandboxes it (no script,
no request anywhere) should anyone open it on its own. ``media_url`` (a template
global) gives an image's address from its set-file table.
"""

from __future__ import annotations

import re

from flask import Blueprint, Flask, Response, abort, request, url_for
from flask.typing import ResponseReturnValue

from ..sets.media import SUFFIX
from ..storage import queries
from ..storage.connection import get_db

bp = Blueprint("media", __name__)
NAME = re.compile(r"^([0-9a-f]{64})\.(png|jpg|webp|svg)$")
ONE_YEAR = 365 * 24 * 3600
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
EXTENSION = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp", "svg": "svg"}


def media_url(image: dict) -> str:
    """Return the address of a stored image (a set file's image table with its sha256)."""
    extension = EXTENSION[image["file"].rsplit(".", 1)[-1].lower()]
    return url_for("media.file", name=f"{image['sha256']}.{extension}")


@bp.get("/media/<name>")
def file(name: str) -> ResponseReturnValue:
    found = NAME.match(name)
    stored = queries.media_file(get_db(), found.group(1)) if found else None
    if stored is None or SUFFIX[stored["type"]] != found.group(2):
        abort(404)
    response = Response(stored["content"], mimetype=stored["type"])
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if stored["type"] == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    response.set_etag(stored["sha256"])
    return response.make_conditional(request)


def register(app: Flask) -> None:
    """Serve the images and give templates ``media_url``."""
    app.register_blueprint(bp)
    app.jinja_env.globals["media_url"] = media_url
