"""Running a session: the start form, the join screen, the live view, the room screen,
the controls, the set guide, and retention.

- ``control``: start a session, move the room, lock and reveal, time a question, ask for
  a second vote (peer instruction), manage participants.
- ``lesson``: the lesson plan (which questions, in which order, how long).
- ``room``: what the room screen shows as the lesson moves; ``signed_poll``: its poll URL,
  signed so that the no-change case is answered before Flask (and why that is safe).
- ``marking``: mark written answers on their rubric (``marking_views``: the screen).
- ``retention``: participant data deleted ``RETENTION_DAYS`` after a session closes.
- ``views`` (blueprint ``facilitation``, under /run: the live view), ``start_views``
  (the start form and lesson plan), ``control_views`` (the controls), ``room_views``
  (the projector: join screen, room screen, QR code), ``guide``
  (/sets/<id>/guide), ``forms``, ``cli`` (``session open``, ``session close``, ``purge``).
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the facilitator's pages, the session commands and the hourly purge."""
    # The other *_views and guide add their routes to views.bp when imported.
    from ..web import early
    from . import (  # noqa: F401
        cli,
        control_views,
        guide,
        marking_views,
        retention,
        room_views,
        signed_poll,
        start_views,
        views,
    )

    app.register_blueprint(views.bp)
    # The room screen's no-change poll, answered before Flask when its URL is signed.
    early.answer(app, "run", "room/poll", signed_poll.early_check(app.config), private=True)
    cli.register(app)
    retention.schedule(app)
