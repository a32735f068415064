"""Commands for set files: ``questions validate``, ``questions load`` and ``setup``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..storage import migrations
from ..storage.connection import get_db
from ..web.i18n import CommandOption
from ..web.i18n import command_gettext as _c
from ..web.i18n import command_ngettext as _n
from .files import is_set_file, load_misconceptions, parse_file, set_files, sync
from .strict import strict_problems
from .validation import InvalidSet

questions_cli = AppGroup("questions", help=_c("Validate and load question-set files."))


def _paths(paths: tuple[str, ...]) -> list[Path]:
    """Expand the given files and folders (default: the questions folder)."""
    if not paths:
        paths = (current_app.config["QUESTIONS_DIR"],)
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        # The shared misconception list is not a set, also when named (questions/*.toml).
        out.extend(set_files(path) if path.is_dir() else [path] if is_set_file(path) else [])
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
            errors.append(
                str(_c("%(path)s: cannot be read: %(reason)s", path=path, reason=exc.strerror))
            )
            continue
        version_id, created = sync(get_db(), data, str(path), misc)
        loaded += 1
        new += created
        count = len(data["questions"])
        said = (
            _n(
                "%(path)s: %(id)s (%(num)s question): new version",
                "%(path)s: %(id)s (%(num)s questions): new version",
                count,
                path=path,
                id=data["id"],
            )
            if created
            else _n(
                "%(path)s: %(id)s (%(num)s question): unchanged",
                "%(path)s: %(id)s (%(num)s questions): unchanged",
                count,
                path=path,
                id=data["id"],
            )
        )
        click.echo(said)
    return loaded, new, errors


@questions_cli.command(
    "validate",
    help=_c("Check set files (default: every file in questions/) without loading them."),
)
@click.option(
    "--strict",
    is_flag=True,
    cls=CommandOption,
    help=_c("Also run the content checks of CONTENT.md."),
)
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
            said = _c("%(path)s: cannot be read: %(reason)s", path=path, reason=exc.strerror)
            click.echo(f"error: {said}", err=True)
            continue
        problems = strict_problems(data, str(path), misc) if strict else []
        for problem in problems:
            click.echo(f"strict: {problem}", err=True)
        failed = failed or bool(problems)
        count = len(data["questions"])
        click.echo(
            _n(
                "%(path)s: %(num)s question, problems",
                "%(path)s: %(num)s questions, problems",
                count,
                path=path,
            )
            if problems
            else _n(
                "%(path)s: %(num)s question, ok",
                "%(path)s: %(num)s questions, ok",
                count,
                path=path,
            )
        )
    if failed:
        raise SystemExit(1)


@questions_cli.command(
    "load",
    help=_c(
        "Load set files into the database (default: every file in questions/). "
        "A file with errors loads nothing; an unchanged file changes nothing."
    ),
)
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


def register(app: Flask) -> None:
    """Add the set-file commands to the app's CLI."""
    app.cli.add_command(questions_cli)

    @app.cli.command(
        "setup",
        help=_c("Migrate the database and load every set in questions/ (the quick start)."),
    )
    def setup_command() -> None:
        """Migrate the database and load every set in questions/ (the quick start)."""
        migrations.apply(get_db())
        _loaded, _new, errors = load_all()
        for line in errors:
            click.echo(f"error: {line}", err=True)
        if errors:
            raise SystemExit(1)
        click.echo(_c("Database ready at %(path)s.", path=current_app.config["DATABASE"]))
