"""URL converters shared by every area."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map


class IdConverter(IntegerConverter):
    """A database id in a URL (``<id:pk>``): a positive int SQLite can hold, else 404."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=2**63 - 1)
