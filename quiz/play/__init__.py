"""The student's side: joining, answering, feedback and the summary, pages and logic.

- ``sessions``: a session loaded with its set versions and questions (``LoadedSession``).
- ``joining``: nicknames, teams, rejoin codes, practice; ``nicknames``: cleaning,
  look-alikes and the word filter; ``limits``: joins and practice starts counted per
  client and per session; ``answering``: read, score and store an answer once;
  ``scoring``: the scoring rules; ``progress``: what comes next.
- ``feedback``: what a student is shown after answering; ``summary``: the end.
- ``polls``: whether a screen has anything new (the poll's check, before Flask too).
- ``fragments``: page parts many students see alike, rendered once and kept.
- ``counterbalance``: which check form comes first for whom; ``peer``: classmates
  marking written answers (``peer_views``: its page).
- ``views`` (blueprint ``play``) and ``forms``.
"""

from __future__ import annotations

from flask import Flask

ARRIVAL = "lateral.arrival"


def register(app: Flask) -> None:
    """Add the student's pages; read the joining rules (refusing bad ones at start)."""
    from pathlib import Path

    from ..web import early

    # peer_views adds its routes to views.bp when imported.
    from . import early_answer, early_screens, joining, limits, peer_views, polls, views  # noqa: F401

    app.extensions[ARRIVAL] = joining.Arrival(
        limits=limits.limits_from(app.config["JOIN_LIMITS"]),
        words_file=Path(app.config["NICKNAME_WORDS_FILE"]),
    )
    app.register_blueprint(views.bp)
    # A no-change poll is answered before Flask (web.early); one that gets to Flask
    # (web.early turned off or unsure), by the first of all request hooks.
    early.answer(app, "play", "poll", polls.early_check)
    app.before_request_funcs.setdefault(None, []).insert(0, views.unchanged_poll)
    # The common answer too, with Flask's exact response (play.early_answer).
    answers = early_answer.install(app)
    # And the changed poll whose new screen is kept (play.early_screens).
    early_screens.install(app, answers)
