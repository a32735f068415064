"""The student's side: joining, answering, feedback and the summary, pages and logic.

- ``sessions``: a session loaded with its set versions and questions (``LoadedSession``).
- ``joining``: nicknames, teams, rejoin codes, practice; ``answering``: read, score and
  store an answer once; ``scoring``: the scoring rules; ``progress``: what comes next.
- ``feedback``: what a student is shown after answering; ``summary``: the end.
- ``fragments``: page parts many students see alike, rendered once and kept.
- ``counterbalance``: which check form comes first for whom; ``peer``: classmates
  marking written answers (``peer_views``: its page).
- ``views`` (blueprint ``play``) and ``forms``.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the student's pages."""
    # peer_views adds its routes to views.bp when imported.
    from . import peer_views, views  # noqa: F401

    app.register_blueprint(views.bp)
    # First of all request hooks: a no-change poll needs none of the others.
    app.before_request_funcs.setdefault(None, []).insert(0, views.unchanged_poll)
