"""Parts of the student pages that are the same for everyone, rendered once per process.

A published version never changes, so the HTML of its article is rendered from the
``whole_article`` macro the first time a page needs it and then reused; the key holds
the version's content hash as well as its id, as the played-version cache does.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

_ARTICLES: dict[tuple[int, str], Markup] = {}
_ARTICLES_MAX = 256


def whole_article(version: dict) -> Markup:
    """Return the "Read the whole article" block of a published version."""
    key = (version["id"], version["content_hash"])
    html = _ARTICLES.get(key)
    if html is None:
        macros = current_app.jinja_env.get_template("_macros/play.html").module
        html = Markup(macros.whole_article(version["body"]["article"]))
        if len(_ARTICLES) >= _ARTICLES_MAX:
            _ARTICLES.clear()
        _ARTICLES[key] = html
    return html
