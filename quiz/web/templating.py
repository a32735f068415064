"""What every template can use: gettext, the number and time filters, the domain's labels.

``install`` puts them on a Jinja environment: the app's (``web.register``), or any
other that renders the same templates (the report's tests render it without an app).
"""

from __future__ import annotations

from jinja2 import Environment

from ..sets import vocabulary
from . import formatting


def install(env: Environment) -> None:
    """Add the filters of ``formatting`` and the ``labels`` global (``sets.vocabulary``);
    on an environment without gettext (not the app's: Flask-Babel installs it there),
    ``_``, ``ngettext`` and ``{% trans %}`` in English. ``{% trans %}`` blocks are
    trimmed."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
        env.install_null_translations(newstyle=True)
    # A {% trans %} block's whitespace is folded, in its msgid too (babel.cfg).
    env.policies["ext.i18n.trimmed"] = True
    env.filters.update(formatting.FILTERS)
    env.globals["labels"] = vocabulary
