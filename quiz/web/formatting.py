"""How numbers and times are shown: one set of functions for Python and Jinja alike.

Each is a Jinja filter of the same name (``{{ x|percent }}``, see ``templating``), and
the report's rows and the charts call the same functions in Python. They write for the
language of the page (``web.i18n``): the percent sign, the decimal mark and the minus
sign come from Babel's locale data (57% in English, 57 % and 0,40 in Finnish), the
date and time from Babel's formats. English keeps the forms it has always had (dates
as 2024-03-01 10:05).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_datetime
from flask_babel import ngettext
from markupsafe import Markup, escape

from .i18n import DEFAULT, page_language

NONE = "—"


@dataclass(frozen=True)
class _Symbols:
    """What a language writes around its numbers."""

    percent: str  # the percent pattern with {} for the number: "{}%", "{} %"
    decimal: str
    minus: str


@functools.cache
def _symbols(language: str) -> _Symbols:
    locale = Locale.parse(language)
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    pattern = locale.percent_formats[None].pattern
    number = pattern.strip("%\u00a0 ")
    return _Symbols(pattern.replace(number, "{}", 1), symbols["decimal"], symbols["minusSign"])


def _here() -> _Symbols:
    return _symbols(page_language())


def _number(text: str, symbols: _Symbols) -> str:
    """A number written with "." and "-" in the page's decimal mark and minus sign."""
    return text.replace("-", symbols.minus).replace(".", symbols.decimal)


def nickname(name: str) -> Markup:
    """A nickname isolated from the text around it: ``<bdi>name</bdi>``, escaped.

    Every nickname on every page goes through this (templates as ``|nickname``, the
    report's rows in Python), so a right-to-left name cannot reorder the line it sits
    in, on the projector or anywhere else.
    """
    return Markup(f"<bdi>{escape(name)}</bdi>")


def percent(share: float | None, none: str = NONE) -> str:
    """A share as a whole percent: 0.567 -> "57%" ("57 %" in Finnish); None -> "—"."""
    if share is None:
        return none
    symbols = _here()
    return symbols.percent.format(_number(str(round(share * 100)), symbols))


def signed(number: int | None) -> str:
    """A whole number with its sign: 3 -> "+3"; None -> "—"."""
    return NONE if number is None else _number(f"{number:+d}", _here())


def change(share: float | None) -> str:
    """A change of a share in percentage points: 0.125 -> "+12 points"; None -> "—"."""
    if share is None:
        return NONE
    points_ = round(share * 100)
    return ngettext("%(change)s point", "%(change)s points", abs(points_), change=signed(points_))


def points(value: float) -> str:
    """A score without a needless decimal: 6, 4.5, 2.67."""
    return _number(f"{value:.2f}".rstrip("0").rstrip("."), _here())


def decimal(value: float | None) -> str:
    """A figure to two decimals: 0.4 -> "0.40"; None -> "—"."""
    return NONE if value is None else _number(f"{value:.2f}", _here())


def tenths(share: float | None) -> int:
    """A share rounded to a multiple of ten percent, for a bar's width class (w0…w100)."""
    return round((share or 0) * 10) * 10


def minute(stamp: str | None) -> str:
    """A stored UTC time (ISO 8601) to the minute: "2024-03-01 10:05" (in Finnish
    "1.3.2024 10.05", Babel's short date and time)."""
    text = (stamp or "")[:16].replace("T", " ")
    language = page_language()
    if not text or language == DEFAULT:
        return text
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return format_datetime(moment, "short", locale=language)


def mmss(seconds: int | None) -> str:
    """Seconds as a countdown shows them: 65 -> "1:05"; None -> "—"."""
    if seconds is None:
        return NONE
    return f"{seconds // 60}:{seconds % 60:02d}"


FILTERS = {
    f.__name__: f
    for f in (nickname, percent, signed, change, points, decimal, tenths, minute, mmss)
}
