"""The one exception for refusing a request with a status and a message for a person."""

from __future__ import annotations


class Refusal(Exception):
    """A 4xx refusal: the HTTP status, a message the person can act on, the form field
    it concerns (None when it concerns the request as a whole) and, for a 429, how many
    seconds to wait (sent as Retry-After).

    Raised by the plain-function modules (no Flask there; their messages go through
    Flask-Babel's gettext, which is English outside a request). A view that shows a form
    puts the message beside ``field``; quiz.web.errors turns any uncaught refusal into
    a page or an htmx fragment.
    """

    def __init__(
        self,
        status: int,
        message: object,
        field: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        # A lazy message (a module's message table) is read in the request's language
        # now, once: the message is plain text from here on (flashed, stored in a form).
        self.message = str(message)
        super().__init__(self.message)
        self.status = status
        self.field = field
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        """The headers a response refusing this way carries (Retry-After, if any)."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}
