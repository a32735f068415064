"""Pages compressed as the browser accepts (Flask-Compress), and the compressed bytes of
a response that many requests share, kept.

A response whose body is the same for everyone who gets it (the feedback fragment after
an answer, ``play.fragments``) is marked with ``share(response, key)``, ``key`` naming
everything the body is made from. Its compressed bytes are then kept in the app's cache
under that key and the request's ``Accept-Encoding`` (which decides the encoding), so a
room answering alike compresses each fragment once rather than once per student
(issue 19: gzip was a tenth of an answer's cost).
"""

from __future__ import annotations

from collections.abc import Hashable

from flask import Response, request
from flask_compress import Compress

from .cache import current

SHARED = "lateral_shared_key"


def share(response: Response, key: Hashable) -> Response:
    """Mark a response whose body is the same for every request with this key."""
    setattr(response, SHARED, key)
    return response


def compressed_key(key: Hashable, accepts: str) -> tuple:
    """The key a shared body's compressed bytes are kept under for an ``Accept-Encoding``
    (their value: the bytes, the encoding and the Vary header; None when that
    ``Accept-Encoding`` gets the body as it is)."""
    return ("compressed", key, accepts)


def compress(compressor: Compress, response: Response) -> Response:
    """Compress a 200 with a body as Flask-Compress does; a shared one only once."""
    if response.status_code != 200:
        # Flask-Compress would otherwise encode the empty body of a no-change poll's 204
        # (a quarter of that poll's cost).
        return response
    key = getattr(response, SHARED, None)
    if key is None:
        return compressor.after_request(response)
    made = []

    def make() -> tuple[bytes, str, str | None] | None:
        made.append(compressor.after_request(response))
        encoding = response.headers.get("Content-Encoding")
        if encoding is None:  # not compressed for this Accept-Encoding
            return None
        return (response.get_data(), encoding, response.headers.get("Vary"))

    accepts = request.headers.get("Accept-Encoding", "")
    kept = current().get(compressed_key(key, accepts), make)
    if made:
        return made[0]
    if kept is None:
        return compressor.after_request(response)
    data, encoding, vary = kept
    response.set_data(data)  # and its Content-Length
    response.headers["Content-Encoding"] = encoding
    if vary is not None:
        response.headers["Vary"] = vary
    return response
