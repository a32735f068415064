"""Larger request bodies for the few routes that take files bigger than a form.

``MAX_CONTENT_LENGTH`` (256 KB) bounds every request. An image upload may bring an
image of up to 1 MB, and a set file may come as a ``.zip`` with its images: those
routes get their own bound, set before anything reads the body (CSRF protection reads
the form first, so this runs before it).
"""

from __future__ import annotations

from flask import Flask, request

# Endpoint -> the largest body it takes, in bytes.
LARGER = {
    "authoring.question_image": 1024 * 1024 + 64 * 1024,
    "authoring.article_image": 1024 * 1024 + 64 * 1024,
    "authoring.upload": 8 * 1024 * 1024,
}


def allow_larger() -> None:
    """Raise this request's body limit when its route takes files."""
    if request.endpoint in LARGER:
        request.max_content_length = LARGER[request.endpoint]


def install(app: Flask) -> None:
    """Run ``allow_larger`` before every other request hook (CSRF's among them)."""
    app.before_request_funcs.setdefault(None, []).insert(0, allow_larger)
