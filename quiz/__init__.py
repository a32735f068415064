"""Lateral: teach media literacy with real news."""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask

from . import config, web
from .storage import connection, migrations


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: config, the migrated database, then each area registers itself."""
    app = Flask(
        __name__,
        instance_path=config.instance_path(),
        instance_relative_config=True,
        template_folder=str(config.ROOT / "templates"),
        static_folder=str(config.ROOT / "static"),
    )
    config.load(app, test_config)
    database = connection.connect(app.config["DATABASE"])
    try:
        migrations.apply(database)
    finally:
        database.close()
    app.teardown_appcontext(connection.close_db)

    from . import accounts, authoring, cli, facilitator, guide, play

    web.register(app)
    play.register(app)
    app.register_blueprint(guide.bp)
    accounts.register(app)
    authoring.register(app)
    app.register_blueprint(facilitator.bp)
    _schedule_purge(app)
    cli.register(app)
    _settle_garbage_collector()
    return app


def _settle_garbage_collector() -> None:
    """Keep Python's cyclic garbage collector from walking the app's own objects.

    Everything made while starting (modules, the app, templates) lives as long as the
    process; ``gc.freeze()`` moves it out of the collector's view, so a collection
    walks only what requests made since. Found by profiling a server after a class of
    1,000 (``bench/``): collections took a fifth of each worker's time. Only the first
    app of a process does it (a server makes one; the tests make many).
    """
    if not gc.get_freeze_count():
        gc.freeze()


def _schedule_purge(app: Flask) -> None:
    """Purge participant data past retention at most once an hour per process."""
    import time

    from . import facilitation
    from .storage.connection import get_db

    last = {"at": 0.0}

    @app.before_request
    def purge_now_and_then() -> None:
        if time.monotonic() - last["at"] < 3600:
            return
        last["at"] = time.monotonic()
        purged = facilitation.purge(get_db(), app.config["RETENTION_DAYS"])
        if purged:
            app.logger.info("retention: purged participant data of %d sessions", purged)
