"""Group results of a session: the report, by concern, the live tallies, charts and CSV.

- ``data``: the session's inputs indexed once (``SessionData``); ``report.build`` puts
  every figure together; ``items`` (facility, option counts, discrimination),
  ``people`` (participants, skills, teams), ``misconceptions``, ``confidence``,
  ``scepticism``, ``learning`` (the check forms' gain); ``live`` (the live view).
- ``charts`` (SVG), ``page`` (the report's long tables as HTML rows), ``csv_files``.
- ``views``: the report page and the CSV downloads (blueprint ``results``).

All but ``views`` are pure functions over plain dicts: no database and no Flask. The
inputs are:

- ``questions``: the session's questions in playing order, as
  ``play.sessions.load_session`` gives them (each with ``pk``, ``number``, ``part``,
  ``type``, ``options``, ``key``, …);
- ``participants``: ``{id, nickname, team_id, created_at}``;
- ``teams``: ``{id, name}`` (may be empty);
- ``answers``: ``{participant_id, question_id, response, confidence, reason, score,
  parts, created_at}``;
- ``misconceptions``: label id -> ``{label, description}``.

Conventions of the dicts returned:

- Participants are numbered 1..n in the order they joined; the random participant id
  stays in the dicts (the live view may need it) but is never meant to be shown.
- Facility, shares, mean scores and correlations are fractions (0..1, or -1..1) rounded
  to 3 places; sums of scores are rounded to 2 places; ``percent`` fields are whole
  numbers (as in the student's own summary); mean confidences are rounded to 2 places.
  ``None`` always means "no data" (nothing answered, or a figure that is undefined).
- An answer is *right* when it earned full credit (``play.scoring.is_right``); partly right
  answers count as not right, as in certainty-based marking.
- Main-set figures use main-part questions only; the check forms (parts ``before`` and
  ``after``) only feed the learning gain and the participants' check scores.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the report and CSV pages."""
    from . import views

    app.register_blueprint(views.bp)
