"""Question sets as files: the format's vocabulary, validation, content checks, and
loading files into the database (``flask questions …``, ``flask setup``).

- ``vocabulary``: every domain label (skills, question types, paces…), in one place.
- ``validation``: ``validate`` checks set data field by field (the set, its article and
  guide; ``question_checks`` each question); ``problems``: what it finds and collects.
- ``strict``: the content checks a program can make (``--strict``, editor suggestions).
- ``files``: parse a file, load it as a new version (``sync``), write it back (``to_raw``).
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the set-file commands (``questions validate``, ``questions load``, ``setup``)."""
    from . import cli

    cli.register(app)
