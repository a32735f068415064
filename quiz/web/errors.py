"""Turn every refusal into a clear page (or fragment) with a 4xx status."""

from __future__ import annotations

from flask import Flask, Response, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from ..accounts import audit
from ..refusal import Refusal
from .htmx import render

MESSAGES = {
    400: lazy_gettext("The request could not be read. Go back, reload the page and try again."),
    403: lazy_gettext("You don't have access to this page."),
    404: lazy_gettext("There is nothing at this address. Check the link or the code."),
    405: lazy_gettext("This page can't be used that way."),
    409: lazy_gettext("That can't be done right now."),
    413: lazy_gettext("What you sent is too large."),
    415: lazy_gettext("Send this as a form."),
    422: lazy_gettext("What you sent could not be used."),
    429: lazy_gettext("Too many tries. Wait a minute and try again."),
}
CSRF_MESSAGE = lazy_gettext(
    "This form has expired or came from another site, so it was not sent. "
    "Reload the page and try again."
)
SERVER_MESSAGE = lazy_gettext("Something went wrong on our side. Your answers so far are saved.")


def page(status: int, message: str, *, rejoin: str | None = None):
    return render(
        "errors/error.html",
        "errors/_error.html",
        status=status,
        status_code=status,
        message=message,
        home=url_for("play.home", code=rejoin) if rejoin else url_for("play.home"),
    )


def register(app: Flask) -> None:
    """Register the error handlers on the app."""

    @app.errorhandler(Refusal)
    def refusal(exc: Refusal) -> ResponseReturnValue:
        rejoin = None
        audit.denial(exc.status, "refused")
        if exc.status == 403:
            from flask import request

            rejoin = (request.view_args or {}).get("code")
        response = page(exc.status, exc.message, rejoin=rejoin)
        response.headers.update(exc.headers)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> ResponseReturnValue:
        audit.log("csrf", "rejected", reason=exc.description)
        return page(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        audit.denial(status, "refused")
        if isinstance(exc, SecurityError):
            # A Host that TRUSTED_HOSTS does not name: Flask made no URL adapter, so no
            # page (every page builds links) can be rendered; the message in plain text.
            return Response(str(MESSAGES[400]), 400, mimetype="text/plain")
        if status >= 500:
            return page(500, SERVER_MESSAGE)
        known = MESSAGES.get(status)
        return page(status, known or exc.description or gettext("That didn't work."))

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError) -> ResponseReturnValue:
        return page(500, SERVER_MESSAGE)
