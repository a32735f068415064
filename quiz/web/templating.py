"""What every template can use: the number and time filters, and the domain's labels.

``install`` puts them on a Jinja environment: the app's (``web.register``), or any
other that renders the same templates (the report's tests render it without an app).
"""

from __future__ import annotations

from jinja2 import Environment

from ..sets import vocabulary
from . import formatting


def install(env: Environment) -> None:
    """Add the filters of ``formatting`` and the ``labels`` global (``sets.vocabulary``)."""
    env.filters.update(formatting.FILTERS)
    env.globals["labels"] = vocabulary
