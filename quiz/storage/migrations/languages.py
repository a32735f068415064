"""Migration 0060: the interface's language of a session and of a teacher's account
(issue 18).

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
