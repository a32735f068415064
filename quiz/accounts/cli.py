"""The ``create-admin`` command: the first administrator is made on the server.

It runs without a terminal (a deploy script, a container's first start) when the name
comes from ``--name`` or ``LATERAL_ADMIN_NAME`` and the password from
``LATERAL_ADMIN_PASSWORD``; it asks only for what is missing, and only at a terminal.
"""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..storage.connection import get_db
from ..web.urls import cli_base_url
from . import teachers

MISSING = "No {what} given and no terminal to ask for it: pass --{option} or set {env}."


def _ask(value: str | None, what: str, option: str, env: str, hide: bool = False) -> str:
    """Return the value given, else ask for it at a terminal, else refuse."""
    if value:
        return value
    if not sys.stdin.isatty():
        raise click.ClickException(MISSING.format(what=what, option=option, env=env))
    return click.prompt(what.capitalize(), hide_input=hide, confirmation_prompt=hide)


@click.command("create-admin")
@with_appcontext
@click.argument("email")
@click.option("--name", envvar="LATERAL_ADMIN_NAME", help="The administrator's name.")
@click.option(
    "--password",
    envvar="LATERAL_ADMIN_PASSWORD",
    help="The password (asked for at a terminal, or read from LATERAL_ADMIN_PASSWORD).",
)
def create_admin_command(email: str, name: str | None, password: str | None) -> None:
    """Create an administrator account with EMAIL (the first one, or another)."""
    name = _ask(name, "name", "name", "LATERAL_ADMIN_NAME")
    password = _ask(password, "password", "password", "LATERAL_ADMIN_PASSWORD", hide=True)
    try:
        teachers.create_account(get_db(), email, name, password, "admin")
    except teachers.AccountError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Administrator {email} created. Sign in at {cli_base_url(current_app)}/signin")


def register(app: Flask) -> None:
    """Add the account command to the app's CLI."""
    app.cli.add_command(create_admin_command)
