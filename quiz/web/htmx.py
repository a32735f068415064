"""Answer htmx requests with a fragment and everything else with the page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, make_response, render_template, request


def is_partial() -> bool:
    """Return whether this request wants a fragment rather than a whole page.

    Boosted and history-restore requests swap the whole body, so they get the page.
    """
    # The WSGI environ's own keys: ``request.headers.get`` raises and catches an
    # exception inside werkzeug for each header missing (two on every htmx request).
    environ = request.environ
    return (
        environ.get("HTTP_HX_REQUEST") == "true"
        and environ.get("HTTP_HX_BOOSTED") != "true"
        and environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true"
    )


def page_path() -> str:
    """Return the path of the page the browser shows: for htmx, the page the request
    came from (``HX-Current-URL``), else the page asked for."""
    current = request.headers.get("HX-Current-URL")
    return urlsplit(current).path if current else request.path


def render(
    page: str, partial: str, status: int = 200, push_url: str | None = None, **context
) -> Response:
    """Render the partial for htmx or the full page otherwise, at one URL."""
    template = partial if is_partial() else page
    return respond(render_template(template, **context), status, push_url)


def respond(body: str, status: int = 200, push_url: str | None = None) -> Response:
    """Answer with HTML already rendered by render()'s rules (page or fragment)."""
    response = make_response(body, status)
    response.vary.add("HX-Request")
    if push_url and is_partial():
        response.headers["HX-Push-Url"] = push_url
    return response
