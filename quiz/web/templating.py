"""What every template can use: gettext, the number and time filters, the domain's labels.

``install`` puts them on a Jinja environment: the app's (``web.register``), or any
other that renders the same templates (the report's tests render it without an app).
"""

from __future__ import annotations

from flask_babel.speaklater import LazyString
from jinja2 import Environment

from ..sets import vocabulary
from . import formatting, i18n

# The languages a page's ``lang`` attributes name, read when rendered (globals, so that
# imported macros see them too): ``interface_language`` (``<html lang>``), ``set_lang``
# (set content: stems, options, feedback) and ``article_lang`` (the article).
LANGUAGES = {
    "interface_language": LazyString(i18n.page_language),
    "set_lang": LazyString(i18n.set_language),
    "article_lang": LazyString(i18n.article_language),
}


def install(env: Environment) -> None:
    """Add the filters of ``formatting``, the ``labels`` global (``sets.vocabulary``) and
    the page's languages (``LANGUAGES``);
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
    env.globals.update(LANGUAGES)
