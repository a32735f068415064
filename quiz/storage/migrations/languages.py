"""Migrations 0060 on: the interface's language of a session and of a teacher's account
(issue 18); the room screen's step after a reveal (0065).

Landed migrations: never edit one (see the package docstring).
"""

from __future__ import annotations

from sqlite_utils import Database

from .registry import migrations


@migrations(name="0060_interface_languages")
def interface_languages(db: Database) -> None:
    # The interface's language (issue 18): a session's, chosen by the facilitator when
    # starting it, which its students see (NULL: the set's language if the interface
    # has it, else English); an account's, for the teacher's own pages (NULL: the
    # browser's Accept-Language). Codes of the catalogues in quiz/translations.
    db.execute("ALTER TABLE session ADD COLUMN language TEXT")
    db.execute("ALTER TABLE account ADD COLUMN language TEXT")


@migrations(name="0065_room_why_step")
def room_why_step(db: Database) -> None:
    # A led session reveals a question to the room in two steps, each fitting the
    # projector: first the answers (the key and how the room voted), then, when the
    # facilitator moves on, the Why and the evidence. When that second step was shown
    # (NULL: the room screen shows the answers). Questions revealed before this step
    # keep their reveal and show the answers; the next control shows the Why.
    db.execute("ALTER TABLE session_question ADD COLUMN explained_at TEXT")
