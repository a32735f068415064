"""The interface's language: Flask-Babel, the catalogues, and who sees which language.

Catalogues live in ``quiz/translations/<lang>/LC_MESSAGES/messages.po``; the list of
interface languages is English (the msgids) plus every folder there with a catalogue,
so a new language needs no code (README, "Adding a language"). The compiled ``.mo``
files are not in git: ``compile_catalogues`` writes each one when it is missing or
older than its ``.po``, when the app starts (into the instance folder when the package
folder cannot be written).

Which language a request gets (``select_locale``; the commands' output follows the
shell's language, ``command_line_language``), first that applies:
1. the language a view chose for the page (``use_language``: a class session's pages
   show the session's language);
2. the signed-in teacher's account setting;
3. the choice made with the home page's switch (kept in the cookie);
4. the browser's ``Accept-Language``;
5. English.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Mapping
from pathlib import Path

import click
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Babel, get_locale, gettext, ngettext, refresh
from flask_babel.speaklater import LazyString

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
DEFAULT = "en"
# The cookie's key for the home page's switch.
COOKIE_KEY = "lang"
DOMAIN = "messages"


def register(app: Flask) -> None:
    """Compile stale catalogues, start Flask-Babel, and give templates the languages."""
    source = Path(app.config.get("TRANSLATIONS_DIR") or TRANSLATIONS)
    compiled = compile_catalogues(source, Path(app.instance_path) / "translations")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config["INTERFACE_LANGUAGES"] = {code: language_name(code) for code in languages(source)}
    Babel(app, locale_selector=select_locale)


def languages(source: Path) -> list[str]:
    """The interface languages: English, then every catalogue present, by code."""
    found = sorted(
        path.parent.parent.name
        for path in source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
        if path.parent.parent.name != DEFAULT
    )
    return [DEFAULT, *found]


def compile_catalogues(source: Path, fallback: Path) -> Path:
    """Write each catalogue's ``.mo`` beside its ``.po`` when missing or older; return
    the folder the ``.mo`` files are in (``fallback`` if ``source`` is read only)."""
    try:
        _compile_into(source, source)
        return source
    except PermissionError:
        _compile_into(source, fallback)
        return fallback


def _compile_into(source: Path, target: Path) -> None:
    for po in source.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as file:
            catalog = read_po(file, locale=po.parent.parent.name)
        # Written aside and renamed: workers starting at once never read half a file.
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as file:
            write_mo(file, catalog)
        partial.replace(mo)


def interface_languages() -> list[str]:
    """The codes of the interface's languages (English first)."""
    return list(current_app.config["INTERFACE_LANGUAGES"])


def interface_language_names() -> list[tuple[str, str]]:
    """Each interface language's code and its name in that language."""
    return list(current_app.config["INTERFACE_LANGUAGES"].items())


def supported(code: object) -> str | None:
    """``code`` when the interface has that language, else None."""
    if isinstance(code, str) and code in current_app.config["INTERFACE_LANGUAGES"]:
        return code
    return None


def use_language(code: str | None) -> None:
    """Show this request's page in ``code`` (a session's language), if the interface
    has it; messages already translated in this request are not redone."""
    language = supported(code)
    if language is not None:
        g.interface_language = language
        refresh()


def select_locale() -> str:
    """The language of this request (the module's docstring gives the order)."""
    if not has_request_context():
        return command_line_language() or current_app.config["BABEL_DEFAULT_LOCALE"]
    teacher = g.get("teacher")
    chosen = (
        g.get("interface_language")
        or supported(getattr(teacher, "language", None))
        or supported(session.get(COOKIE_KEY))
        or request.accept_languages.best_match(interface_languages())
    )
    return chosen or current_app.config["BABEL_DEFAULT_LOCALE"]


def command_line_language() -> str | None:
    """The language of the commands' output and --help (``flask --app quiz session
    open``…): LATERAL_LANGUAGE if set, else the shell's, from LANGUAGE, LC_ALL,
    LC_MESSAGES or LANG ("fi_FI.UTF-8" -> "fi"), if the interface has it (README,
    "The commands' language"). It needs no app: --help is written before one starts."""
    names = ("LATERAL_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    for name in names:
        value = os.environ.get(name)
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].split("-")[0].lower()
            if has_app_context():
                return supported(code)
            return code if code in languages(TRANSLATIONS) else None
    return None


def command_gettext(message: str, **values: object) -> LazyString:
    """A command's text (its --help, its output) in the command line's language,
    read when shown: with the app's catalogues when there is an app, else straight
    from the catalogue files (click writes --help before the app starts)."""
    return LazyString(_command_text, message, None, None, values)


def command_ngettext(singular: str, plural: str, num: int, **values: object) -> LazyString:
    """``command_gettext`` with plural forms; ``%(num)s`` is the number."""
    return LazyString(_command_text, singular, plural, num, values)


def _command_text(message: str, plural: str | None, num: int | None, values: dict) -> str:
    if has_app_context():
        if plural is None:
            return gettext(message, **values)
        return ngettext(message, plural, num, **values)  # it gives %(num)s itself
    if plural is not None:
        values = {"num": num, **values}
    language = command_line_language()
    found = _catalogue(language) if language and language != DEFAULT else NullTranslations()
    text = found.gettext(message) if plural is None else found.ngettext(message, plural, num)
    return text % values if values else text


class CommandOption(click.Option):
    """A command's option whose --help is read when shown (click makes an option's help
    a plain string when the option is made, before the command line's language counts):
    ``@click.option(..., cls=CommandOption, help=command_gettext("…"))``."""

    def __init__(self, *args: object, help: object = None, **kwargs: object) -> None:
        super().__init__(*args, help=help, **kwargs)
        self.lazy_help = help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.lazy_help is not None:
            self.help = str(self.lazy_help)
        return super().get_help_record(ctx)


@functools.cache
def _catalogue(language: str) -> NullTranslations:
    """A language's catalogue read from its .po (no app, no .mo needed)."""
    path = TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def language_name(code: str) -> str:
    """A language's name in that language, capitalised: "fi" -> "Suomi"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def current_language() -> str:
    """The code of the language this request is shown in.

    A student's page has set it (``use_language``), and ``select_locale`` takes that
    first: a plain code ("fi") is then returned as it is, without Flask-Babel parsing
    a Locale for it (issue 19: a fifth of the kept feedback fragment's cost).
    """
    chosen = g.get("interface_language") if has_request_context() else None
    if chosen is not None and chosen.isalpha():
        return chosen
    locale = get_locale()
    return str(locale.language) if locale is not None else DEFAULT


def use_content_language(set_language: str | None, article_language: str | None = None) -> None:
    """Say which language this page's set content is in (a set keeps its own language:
    the app never translates it), for its ``lang`` attributes (WCAG 3.1.2)."""
    if set_language:
        g.set_language = set_language
    if article_language or set_language:
        g.article_language = article_language or set_language


def page_language() -> str:
    """The interface's language of the page being rendered (English outside a request)."""
    return current_language() if has_request_context() else DEFAULT


def set_language() -> str:
    """The language of the page's set content (stems, options, feedback): the
    interface's unless the view said otherwise (``use_content_language``)."""
    return (g.get("set_language") if has_request_context() else None) or page_language()


def article_language() -> str:
    """The language of the page's article (its passages, outlet, translation note)."""
    return (g.get("article_language") if has_request_context() else None) or set_language()


def for_set(body: dict | None) -> None:
    """A page showing a set's content: mark it with the set's and the article's language."""
    body = body or {}
    use_content_language(body.get("language"), (body.get("article") or {}).get("language"))


def session_language(row: dict, body: dict | None, config: Mapping | None = None) -> str:
    """The interface's language a session's students see: the facilitator's choice,
    else the set's language if the interface has it, else English.

    ``config``: the app's settings (None: the current app's; ``play.early_answer``
    has no app context)."""
    config = current_app.config if config is None else config
    languages = config["INTERFACE_LANGUAGES"]
    for code in (row.get("language"), (body or {}).get("language")):
        if isinstance(code, str) and code in languages:
            return code
    return config["BABEL_DEFAULT_LOCALE"]


def for_session(row: dict, body: dict | None) -> None:
    """A page a session's students see (their screens, the room screen): the session's
    language for the interface, the set's for its content."""
    use_language(session_language(row, body))
    for_set(body)
