"""Commands for sessions: ``session open``, ``session close`` and ``purge``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from ..play import sessions
from ..sets.vocabulary import CONFIDENCE_MODES
from ..storage.connection import get_db
from ..web.i18n import CommandOption
from ..web.i18n import command_gettext as _c
from ..web.urls import cli_base_url
from . import retention

session_cli = AppGroup("session", help=_c("Open and close class sessions."))


@session_cli.command(
    "open", help=_c("Open a class session on the newest published version of SET_ID.")
)
@click.argument("set_id")
@click.option(
    "--feedback",
    type=click.Choice(["now", "end"]),
    default="now",
    show_default=True,
    cls=CommandOption,
    help=_c("Show feedback after each answer, or only in the summary."),
)
@click.option(
    "--checks",
    is_flag=True,
    cls=CommandOption,
    help=_c("Run the set's check form A before the main set and form B after it."),
)
@click.option(
    "--confidence",
    type=click.Choice(list(CONFIDENCE_MODES)),
    default="set",
    show_default=True,
    cls=CommandOption,
    help=_c("Ask how sure students are on the questions the set marks, on every one, or never."),
)
def open_command(set_id: str, feedback: str, checks: bool, confidence: str) -> None:
    """Open a class session on the newest published version of SET_ID."""
    try:
        row = sessions.open_session(
            get_db(), set_id, feedback=feedback, checks=checks, confidence=confidence
        )
    except sessions.PlayError as exc:
        raise click.ClickException(exc.message) from None
    base = cli_base_url(current_app)
    click.echo(_("Session open. Code: %(code)s", code=row["code"]))
    click.echo(_("Join at: %(base)s/join/%(code)s", base=base, code=row["code"]))


@session_cli.command(
    "close", help=_c("Close the session with join code CODE; it takes no more answers.")
)
@click.argument("code")
def close_command(code: str) -> None:
    """Close the session with join code CODE; it takes no more answers."""
    try:
        row = sessions.close_session(get_db(), code)
    except sessions.PlayError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(
        _("Session %(code)s is closed.", code=row["code"])
        if row["status"] == "closed"
        else _("Session %(code)s is open.", code=row["code"])
    )


def register(app: Flask) -> None:
    """Add the session commands to the app's CLI."""
    app.cli.add_command(session_cli)

    @app.cli.command(
        "purge",
        help=_c("Delete participant data of sessions closed longer ago than RETENTION_DAYS."),
    )
    def purge_command() -> None:
        """Delete participant data of sessions closed longer ago than RETENTION_DAYS."""
        days = current_app.config["RETENTION_DAYS"]
        count = retention.purge(get_db(), days)
        click.echo(
            _(
                "Purged participant data of %(count)s sessions (retention %(days)s days).",
                count=count,
                days=days,
            )
        )
