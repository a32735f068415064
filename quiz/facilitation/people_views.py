"""The People page of a running session (/run/<code>/people): everyone who joined, a
page at a time, found by nickname, with the forms that move one to another team, give
a rejoin code or remove one (``people``; the forms post to ``control_views``). Plain
links and a GET form: it works without JavaScript. The routes are on ``views.bp``."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from ..accounts.access import teacher_required
from ..numbers import whole
from ..storage.connection import get_db
from ..web.forms import EmptyForm
from . import people
from .views import _session, bp, participant_urls

SEARCH_LENGTH = 60


def search_text() -> str:
    """The nickname searched for: the ``q`` argument, trimmed and cut to a length."""
    return request.values.get("q", "").strip()[:SEARCH_LENGTH]


def page_number() -> int:
    """The page asked for (``page``, from 1); anything else is the first."""
    return whole(request.values.get("page", ""), low=1) or 1


@bp.get("/run/<code>/people")
@teacher_required
def people_page(code: str) -> ResponseReturnValue:
    sess = _session(code)
    search = search_text()
    found = people.page(get_db(), sess, search, page_number())
    participant_urls(sess.code, found["rows"])
    return render_template(
        "facilitation/people.html",
        sess=sess,
        search=search,
        found=found,
        form=EmptyForm(),
        back={"back": "people", "q": search, "page": found["page"]},
        search_length=SEARCH_LENGTH,
    )
