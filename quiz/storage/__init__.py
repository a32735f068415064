"""The database: connections, schema migrations, group commit, backups and all SQL.

- ``connection``: open the SQLite file with Lateral's pragmas; one connection per
  server thread (``get_db``); ``immediate`` for read-then-write transactions.
- ``migrations``: the schema, as named append-only steps.
- ``commits``: answers that arrive together committed in one transaction.
- ``queries``: every SQL statement, one module per area, plain functions taking the
  database first.
- ``backup`` and ``cli``: the online backup and the ``migrate`` and ``backup`` commands.

Only ``connection.get_db`` and ``cli`` know about Flask.
"""
