"""The one exception for refusing a request with a status and a message for a person."""

from __future__ import annotations


class Refusal(Exception):
    """A 4xx refusal: the HTTP status and a message the person can act on.

    Raised by the plain-function modules (no Flask there); quiz.errors turns any
    uncaught one into a page or an htmx fragment.
    """

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message
