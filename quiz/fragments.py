"""Parts of the student pages that many students see alike, rendered once per process.

A published version never changes, so its article, and the review of a given answer
to one of its questions, are the same HTML for everyone who sees them. They are
rendered from the page macros the first time and then reused. Keys hold the version's
content hash as well as its id (an id could come back after a set is deleted), and
everything an answer's review shows: the response, its score, the confidence rating
and the written reason. Each cache is cleared when it grows past its bound.
"""

from __future__ import annotations

import json

from flask import current_app
from markupsafe import Markup

MAX_ENTRIES = 2048
_ARTICLES: dict[tuple, Markup] = {}
_REVIEWS: dict[tuple, Markup] = {}


def _macros():
    return current_app.jinja_env.get_template("_macros/play.html").module


def _keep(cache: dict, key: tuple, html: Markup) -> Markup:
    if len(cache) >= MAX_ENTRIES:
        cache.clear()
    cache[key] = html
    return html


def whole_article(version: dict) -> Markup:
    """Return the "Read the whole article" block of a published version."""
    key = (version["id"], version["content_hash"])
    html = _ARTICLES.get(key)
    if html is None:
        html = _keep(_ARTICLES, key, Markup(_macros().whole_article(version["body"]["article"])))
    return html


def review(version: dict, r: dict, level: int = 2, badge: bool = False) -> Markup:
    """Return the review of one answer (``review.review``'s result) as HTML."""
    answer = r["answer"]
    key = (
        version["id"],
        version["content_hash"],
        r["question"]["pk"],
        json.dumps(answer["response"], sort_keys=True),
        answer["score"],
        answer["confidence"],
        answer["reason"],
        level,
        badge,
    )
    html = _REVIEWS.get(key)
    if html is None:
        html = _keep(_REVIEWS, key, Markup(_macros().review(r, level, badge=badge)))
    return html
