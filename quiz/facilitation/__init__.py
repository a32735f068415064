"""Running a session: the start form, the join screen, the live view, the room screen,
the controls, the set guide, and retention.

- ``control``: start a session, move the room, lock and reveal, manage participants.
- ``marking``: mark written answers on their rubric (``marking_views``: the screen).
- ``retention``: participant data deleted ``RETENTION_DAYS`` after a session closes.
- ``views`` (blueprint ``facilitation``, under /run), ``guide`` (/sets/<id>/guide),
  ``forms``, ``cli`` (``session open``, ``session close``, ``purge``).
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the facilitator's pages, the session commands and the hourly purge."""
    # guide and marking_views add their routes to views.bp when imported.
    from . import cli, guide, marking_views, retention, views  # noqa: F401

    app.register_blueprint(views.bp)
    cli.register(app)
    retention.schedule(app)
