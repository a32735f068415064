"""Commands for the database: ``migrate`` and ``backup``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from . import backup, migrations
from .connection import get_db


def register(app: Flask) -> None:
    """Add the database commands to the app's CLI."""

    @app.cli.command("migrate")
    def migrate_command() -> None:
        """Apply pending database migrations."""
        applied = migrations.apply(get_db())
        click.echo(f"Applied: {', '.join(applied)}" if applied else "Nothing to apply.")

    @app.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False))
    def backup_command(target: str) -> None:
        """Write a consistent copy of the database to TARGET while the app runs.

        Uses VACUUM INTO, which reads one snapshot and finishes even while answers
        are being written (a paged backup restarts on every write and may never end).
        """
        path = Path(target)
        if path.exists():
            raise click.ClickException(f"{path} exists already; choose a new file name.")
        path.parent.mkdir(parents=True, exist_ok=True)
        backup.vacuum_into(get_db(), path)
        verdict = backup.integrity(path)
        if verdict != "ok":
            raise click.ClickException(f"The backup failed its integrity check: {verdict}")
        click.echo(f"Backed up {current_app.config['DATABASE']} to {path} (integrity ok).")
