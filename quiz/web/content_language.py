"""The language of the set content a page shows, for its ``lang`` attributes (WCAG 3.1.2).

A set keeps its own language (the app never translates it): its ``language`` for the
questions, options, feedback and explanations, and its article's own ``language`` for
the passages. A view that shows a session's or a set version's content calls ``tell``
with that version before anything is rendered (the student pages' cached fragments
too), so that ``set_lang`` and ``article_lang`` name them (``web.i18n``).
"""

from __future__ import annotations

from . import i18n


def languages(version: dict) -> tuple[str | None, str | None]:
    """A set version's language and its article's (None when the body does not say)."""
    body = version.get("body") or {}
    return body.get("language"), (body.get("article") or {}).get("language")


def tell(version: dict | None) -> None:
    """Mark this request's set content as written in ``version``'s languages."""
    if version:
        i18n.use_content_language(*languages(version))
