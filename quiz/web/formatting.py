"""How numbers and times are shown: one set of functions for Python and Jinja alike.

Each is a Jinja filter of the same name (``{{ x|percent }}``, see ``templating``), and
the report's rows and the charts call the same functions in Python.
"""

from __future__ import annotations

from markupsafe import Markup

NONE = "—"


def nickname(name: str) -> Markup:
    """A nickname isolated from the text around it: ``<bdi>name</bdi>``, escaped.

    Every nickname on every page goes through this (templates as ``|nickname``, the
    report's rows in Python), so a right-to-left name cannot reorder the line it sits
    in, on the projector or anywhere else.
    """
    return Markup("<bdi>{}</bdi>").format(name)


def percent(share: float | None, none: str = NONE) -> str:
    """A share as a whole percent: 0.567 -> "57%"; None -> "—" (or ``none``)."""
    return none if share is None else f"{round(share * 100)}%"


def signed(number: int | None) -> str:
    """A whole number with its sign: 3 -> "+3"; None -> "—"."""
    return NONE if number is None else f"{number:+d}"


def change(share: float | None) -> str:
    """A change of a share in percentage points: 0.125 -> "+12 points"; None -> "—"."""
    return NONE if share is None else f"{round(share * 100):+d} points"


def points(value: float) -> str:
    """A score without a needless decimal: 6, 4.5, 2.67."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def decimal(value: float | None) -> str:
    """A figure to two decimals: 0.4 -> "0.40"; None -> "—"."""
    return NONE if value is None else f"{value:.2f}"


def tenths(share: float | None) -> int:
    """A share rounded to a multiple of ten percent, for a bar's width class (w0…w100)."""
    return round((share or 0) * 10) * 10


def minute(stamp: str | None) -> str:
    """A stored UTC time (ISO 8601) to the minute: "2024-03-01 10:05"."""
    return (stamp or "")[:16].replace("T", " ")


def mmss(seconds: int | None) -> str:
    """Seconds as a countdown shows them: 65 -> "1:05"; None -> "—"."""
    if seconds is None:
        return NONE
    return f"{seconds // 60}:{seconds % 60:02d}"


FILTERS = {
    f.__name__: f
    for f in (nickname, percent, signed, change, points, decimal, tenths, minute, mmss)
}
