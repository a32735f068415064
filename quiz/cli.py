"""Command-line tools: migrate, validate and load sets, open and close sessions."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from . import accounts, facilitation, play
from .questions import (
    InvalidSet,
    load_misconceptions,
    parse_file,
    set_files,
    strict_problems,
    sync,
)
from .storage import cli as storage_cli
from .storage import migrations
from .storage.connection import get_db

questions_cli = AppGroup("questions", help="Validate and load question-set files.")
session_cli = AppGroup("session", help="Open and close class sessions.")


def _paths(paths: tuple[str, ...]) -> list[Path]:
    """Expand the given files and folders (default: the questions folder)."""
    if not paths:
        paths = (current_app.config["QUESTIONS_DIR"],)
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        out.extend(set_files(path) if path.is_dir() else [path])
    return out


def _misconceptions(files: list[Path]) -> dict:
    folder = files[0].parent if files else Path(current_app.config["QUESTIONS_DIR"])
    return load_misconceptions(folder / "misconceptions.toml")


def load_all(paths: tuple[str, ...] = ()) -> tuple[int, int, list[str]]:
    """Load every set file; return (loaded, new versions, error lines)."""
    files = _paths(paths)
    misc = _misconceptions(files)
    loaded = new = 0
    errors: list[str] = []
    for path in files:
        try:
            data = parse_file(path, misc)
        except InvalidSet as exc:
            errors.extend(str(p) for p in exc.problems)
            continue
        except OSError as exc:
            errors.append(f"{path}: cannot be read: {exc.strerror}")
            continue
        version_id, created = sync(get_db(), data, str(path))
        loaded += 1
        new += created
        state = "new version" if created else "unchanged"
        click.echo(f"{path}: {data['id']} ({len(data['questions'])} questions): {state}")
    return loaded, new, errors


@questions_cli.command("validate")
@click.option("--strict", is_flag=True, help="Also run the content checks of CONTENT.md.")
@click.argument("paths", nargs=-1, type=click.Path())
def validate_command(strict: bool, paths: tuple[str, ...]) -> None:
    """Check set files (default: every file in questions/) without loading them."""
    files = _paths(paths)
    misc = _misconceptions(files)
    failed = False
    for path in files:
        try:
            data = parse_file(path, misc)
        except InvalidSet as exc:
            failed = True
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            continue
        except OSError as exc:
            failed = True
            click.echo(f"error: {path}: cannot be read: {exc.strerror}", err=True)
            continue
        problems = strict_problems(data, str(path), misc) if strict else []
        for problem in problems:
            click.echo(f"strict: {problem}", err=True)
        failed = failed or bool(problems)
        click.echo(
            f"{path}: {len(data['questions'])} questions, {'ok' if not problems else 'problems'}"
        )
    if failed:
        raise SystemExit(1)


@questions_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path())
def load_command(paths: tuple[str, ...]) -> None:
    """Load set files into the database (default: every file in questions/).

    A file with errors loads nothing; an unchanged file changes nothing.
    """
    _loaded, _new, errors = load_all(paths)
    for line in errors:
        click.echo(f"error: {line}", err=True)
    if errors:
        raise SystemExit(1)


@session_cli.command("open")
@click.argument("set_id")
@click.option(
    "--feedback",
    type=click.Choice(["now", "end"]),
    default="now",
    show_default=True,
    help="Show feedback after each answer, or only in the summary.",
)
@click.option(
    "--checks",
    is_flag=True,
    help="Run the set's check form A before the main set and form B after it.",
)
def open_command(set_id: str, feedback: str, checks: bool) -> None:
    """Open a class session on the newest published version of SET_ID."""
    try:
        row = play.open_session(get_db(), set_id, feedback=feedback, checks=checks)
    except play.PlayError as exc:
        raise click.ClickException(exc.message) from None
    base = (current_app.config["BASE_URL"] or "http://127.0.0.1:5000").rstrip("/")
    click.echo(f"Session open. Code: {row['code']}")
    click.echo(f"Join at: {base}/join/{row['code']}")


@session_cli.command("close")
@click.argument("code")
def close_command(code: str) -> None:
    """Close the session with join code CODE; it takes no more answers."""
    try:
        row = play.close_session(get_db(), code)
    except play.PlayError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Session {row['code']} is {row['status']}.")


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
        accounts.create_account(get_db(), email, name, password, "admin")
    except accounts.AccountError as exc:
        raise click.ClickException(exc.message) from None
    base = current_app.config["BASE_URL"] or "http://127.0.0.1:5000"
    click.echo(f"Administrator {email} created. Sign in at {base.rstrip('/')}/signin")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(questions_cli)
    app.cli.add_command(session_cli)
    app.cli.add_command(create_admin_command)
    storage_cli.register(app)

    @app.cli.command("purge")
    def purge_command() -> None:
        """Delete participant data of sessions closed longer ago than RETENTION_DAYS."""
        days = current_app.config["RETENTION_DAYS"]
        count = facilitation.purge(get_db(), days)
        click.echo(f"Purged participant data of {count} sessions (retention {days} days).")

    @app.cli.command("setup")
    def setup_command() -> None:
        """Migrate the database and load every set in questions/ (the quick start)."""
        migrations.apply(get_db())
        _loaded, _new, errors = load_all()
        for line in errors:
            click.echo(f"error: {line}", err=True)
        if errors:
            raise SystemExit(1)
        click.echo(f"Database ready at {current_app.config['DATABASE']}.")
