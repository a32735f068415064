"""The ``create-admin`` command: the first administrator is made on the server."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..storage.connection import get_db
from . import teachers


@click.command("create-admin")
@with_appcontext
@click.argument("email")
@click.option("--name", prompt="Name", help="The administrator's name.")
@click.password_option(
    "--password",
    envvar="LATERAL_ADMIN_PASSWORD",
    help="The password (prompted for, or read from LATERAL_ADMIN_PASSWORD).",
)
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create an administrator account with EMAIL (the first one, or another)."""
    try:
        teachers.create_account(get_db(), email, name, password, "admin")
    except teachers.AccountError as exc:
        raise click.ClickException(exc.message) from None
    base = current_app.config["BASE_URL"] or "http://127.0.0.1:5000"
    click.echo(f"Administrator {email} created. Sign in at {base.rstrip('/')}/signin")


def register(app: Flask) -> None:
    """Add the account command to the app's CLI."""
    app.cli.add_command(create_admin_command)
