"""Helpers for the tests of teachers bringing their own: imports, recipes, the editor's
marks, practice links and homework."""

from __future__ import annotations

import io

from quiz.storage import queries

from .forms import as_data, form_fields


def duplicate_mini(client) -> str:
    """Duplicate the shared mini set as the signed-in teacher; return the copy's slug."""
    response = client.post("/teach/sets/mini-set/duplicate")
    assert response.status_code == 303
    return response.location.rstrip("/").split("/")[-1]


def draft(db, slug: str) -> dict:
    """Return a set's draft as stored."""
    return queries.draft_of(db, queries.set_by_slug(db, slug)["id"])


def upload(client, filename: str, content: bytes, title: str = ""):
    """Upload a file on the upload page's form."""
    return client.post(
        "/teach/upload", data={"file": (io.BytesIO(content), filename), "title": title}
    )


def editor_form(client, slug: str, qid: str, query: str = "", **headers) -> tuple[str, dict]:
    """Return a question editor's page and its fields as the browser would send them."""
    url = f"/teach/sets/{slug}/questions/{qid}/edit"
    html = client.get(url + query, headers=headers).get_data(as_text=True)
    _action, fields = form_fields(html, action=url)
    return html, as_data(fields)


def marks(html: str) -> list[str]:
    """Return what a page marks as an error: the form's and the fields' messages."""
    import re

    from .conftest import text_of

    found = re.findall(r'<p class="(?:field-error|form-error)"[^>]*>(.*?)</p>', html, re.S)
    return [text_of(m) for m in found]
