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
from ..web.i18n import CommandOption
from ..web.i18n import command_gettext as _c
from ..web.urls import cli_base_url
from . import teachers

# What is asked for: its prompt, and the refusal when there is no terminal to ask at.
ASKED = {
    "name": (
        _c("Name"),
        _c("No name given and no terminal to ask for it: pass --name or set LATERAL_ADMIN_NAME."),
    ),
    "password": (
        _c("Password"),
        _c(
            "No password given and no terminal to ask for it: pass --password or set "
            "LATERAL_ADMIN_PASSWORD."
        ),
    ),
}


def _ask(value: str | None, what: str, hide: bool = False) -> str:
    """Return the value given, else ask for it at a terminal, else refuse."""
    if value:
        return value
    prompt, missing = ASKED[what]
    if not sys.stdin.isatty():
        raise click.ClickException(str(missing))
    return click.prompt(str(prompt), hide_input=hide, confirmation_prompt=hide)


@click.command(
    "create-admin",
    help=_c("Create an administrator account with EMAIL (the first one, or another)."),
)
@with_appcontext
@click.argument("email")
@click.option(
    "--name", envvar="LATERAL_ADMIN_NAME", cls=CommandOption, help=_c("The administrator's name.")
)
@click.option(
    "--password",
    envvar="LATERAL_ADMIN_PASSWORD",
    cls=CommandOption,
    help=_c("The password (asked for at a terminal, or read from LATERAL_ADMIN_PASSWORD)."),
)
def create_admin_command(email: str, name: str | None, password: str | None) -> None:
    """Create an administrator account with EMAIL (the first one, or another)."""
    name = _ask(name, "name")
    password = _ask(password, "password", hide=True)
    try:
        teachers.create_account(get_db(), email, name, password, "admin")
    except teachers.AccountError as exc:
        raise click.ClickException(exc.message) from None
    signin = f"{cli_base_url(current_app)}/signin"
    click.echo(_c("Administrator %(email)s created. Sign in at %(url)s", email=email, url=signin))


def register(app: Flask) -> None:
    """Add the account command to the app's CLI."""
    app.cli.add_command(create_admin_command)
