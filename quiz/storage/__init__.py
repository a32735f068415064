"""The database: connections, schema migrations, group commit, backups and all SQL.

- ``connection``: open the SQLite file with Lateral's pragmas; one connection per
  server thread (``get_db``); ``immediate`` for read-then-write transactions.
- ``migrations``: the schema, as named append-only steps (a package: one module per
  range of steps, imported in the order they apply).
- ``commits``: answers that arrive together committed in one transaction.
- ``queries``: every SQL statement, one module per area, plain functions taking the
  database first.
- ``backup`` and ``cli``: the online backup and the ``migrate`` and ``backup`` commands.

Only ``connection.get_db`` and ``cli`` know about Flask.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Migrate the app's database now; end each request's use of its connection; add
    the database commands."""
    from . import cli, connection, migrations

    database = connection.connect(app.config["DATABASE"])
    try:
        migrations.apply(database)
    finally:
        database.close()
    app.teardown_appcontext(connection.close_db)
    cli.register(app)
