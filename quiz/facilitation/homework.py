"""Homework: a self-paced session that stops taking answers at a time the teacher sets.

The teacher gives a date and a time of day in the school's time zone (the
``TIMEZONE`` setting); the session keeps that moment in UTC, compared with
``quiz.clock``, and as it reads in the school's zone for the messages students see.
Plain functions, no Flask.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from .. import clock
from ..web.i18n import DEFAULT, page_language

MESSAGES = {
    "date": _l("Give the date as a calendar date, for example 2026-03-14."),
    "time": _l("Give the time of day as hours and minutes, for example 23:59."),
    "past": _l("Choose a date and time still to come."),
    "led": _l(
        "Only a self-paced session can close by itself: choose “Self-paced”, or leave "
        "the date empty."
    ),
    "time_alone": _l("Give the date too, or leave the time as it is."),
    # How the end reads for students: "14 March 2026 at 23:59 (Europe/Helsinki)".
    "label": _l("{date} at {time} ({zone})"),
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def zone(name: str) -> ZoneInfo:
    """Return the school's time zone (UTC when the setting names none known)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def read_end(
    day: str | None, time: str | None, pace: str | None, zone_name: str
) -> tuple[str, str] | None:
    """Read the end a teacher typed; return (UTC stamp, label) or None for no end.

    Raises WTForms' ValidationError with a message for the date field.
    """
    day, time = (day or "").strip(), (time or "").strip() or "23:59"
    if not day:
        return None
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise ValidationError(MESSAGES["date"]) from None
    match = _TIME.match(time)
    if match is None:
        raise ValidationError(MESSAGES["time"])
    if pace != "self":
        raise ValidationError(MESSAGES["led"])
    school = zone(zone_name)
    local = dt.datetime.combine(date, dt.time(int(match[1]), int(match[2])), school)
    moment = local.astimezone(dt.UTC)
    if moment <= clock.utcnow():
        raise ValidationError(MESSAGES["past"])
    # Written once, in the language of the teacher who set it (Babel's long date).
    language = page_language()
    label = MESSAGES["label"].format(
        date=format_date(date, "d MMMM y" if language == DEFAULT else "long", locale=language),
        time=f"{local:%H:%M}",
        zone=school.key,
    )
    return clock.stamp(moment), label
