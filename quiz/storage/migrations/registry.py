"""The one list of Lateral's migrations; each module of this package adds its own to it."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("lateral")
