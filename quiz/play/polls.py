"""Whether a student's screen has anything new to show: the check behind its poll, run
by Flask's path (``views.unchanged``) and before Flask (``web.early``) alike."""

from __future__ import annotations

from collections.abc import Mapping

from sqlite_utils import Database

from .. import clock
from ..storage import queries
from .sessions import normalise_code


def still_showing(state: int, args: Mapping[str, str]) -> bool:
    """Whether a screen still shows what is current: it says which state it shows
    (``v``) and, with a timer, when that runs out (``until``); either changing means
    something new to show."""
    # ``in`` first: a missing key's .get() costs an exception inside werkzeug.
    if "v" in args and args["v"] == str(state):
        return "until" not in args or not clock.passed(args["until"])
    return False


def early_check(db: Database, code: str, args: Mapping[str, str]) -> bool:
    """Whether ``web.early`` may answer this poll 204: the session exists (an unknown
    code is Flask's 404) and the screen still shows what is current. One indexed read."""
    state = queries.state_of(db, normalise_code(code))
    return state is not None and still_showing(state, args)
