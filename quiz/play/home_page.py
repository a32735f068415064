"""The home page, kept: rendered once per language and set list, not once per phone.

While a class joins, every phone opens the home page, and every phone in one language
gets the same HTML but for two things: its CSRF token and the code that the join link
(or the QR code) put in the URL. Rendering it (the join form through WTForms' widgets,
every label and hint translated again) cost 18 hellos (issue 19). So the page is
rendered the first time with marks in the place of those two, kept in the app's cache
(``web.cache``), and each request puts its own token and code in (the code escaped as
WTForms escapes an attribute's value). The key names everything else the page is made
from: the interface's language, the links' root, and the shared sets it lists (each
version by its id and content hash, and its set's slug).

Only the common page is kept (``keepable``): a GET without a teacher signed in (their
page has the teacher's menu) and without a flashed message waiting. The join form's
pages after a POST (with errors, or asking for the table or team) are rendered each
time by the view.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import g, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from ..storage import queries
from ..storage.connection import get_db
from ..web.cache import current
from ..web.i18n import current_language
from .forms import JoinForm

# Random per process, so no set's title or description can hold them.
_MARK = secrets.token_hex(12)
TOKEN_MARK = f"csrf-{_MARK}"
CODE_MARK = f"code-{_MARK}"

Render = Callable[[JoinForm, list[dict]], str]


def keepable() -> bool:
    """Tell whether this request gets the common home page (see the module)."""
    return request.method == "GET" and g.get("teacher") is None and "_flashes" not in session


def page(code: str, render: Render) -> str:
    """Return the home page for this request: the kept one with its token and ``code``.

    ``render(form, sets)`` renders the page as the view does, for the first request.
    The shared sets are named by one light read (``queries.shared_set_versions``); should
    they change between that read and the rendering's, the page is rendered for this
    request alone and not kept.
    """
    db = get_db()
    listed = queries.shared_set_versions(db)
    key = ("home page", current_language(), request.script_root, listed)
    token = generate_csrf()

    def make() -> str:
        form, sets = JoinForm(formdata=None, code=CODE_MARK), queries.shared_sets(db)
        if _listed(sets) != listed:
            raise _Changed(render(form, sets))
        return render(form, sets).replace(token, TOKEN_MARK)

    try:
        kept = current().get(key, make)
    except _Changed as changed:
        kept = changed.html.replace(token, TOKEN_MARK)
    return kept.replace(TOKEN_MARK, token).replace(CODE_MARK, escape(code))


class _Changed(Exception):
    """The shared sets changed while the page was made: it is not kept."""

    def __init__(self, html: str) -> None:
        super().__init__("the shared sets changed")
        self.html = html


def _listed(sets: list[dict]) -> tuple[tuple[int, str, str], ...]:
    return tuple((s["id"], s["content_hash"], s["slug"]) for s in sets)
