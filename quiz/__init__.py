"""Lateral: teach media literacy with real news."""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask

from . import accounts, authoring, config, facilitation, play, results, sets, storage, web

# Young collections every 100,000 new containers; see _settle_garbage_collector.
GC_THRESHOLDS = (100_000, 20, 10)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: its settings, then each area registers what it adds."""
    app = Flask(
        __name__,
        instance_path=config.instance_path(),
        instance_relative_config=True,
        template_folder=str(config.ROOT / "templates"),
        static_folder=str(config.ROOT / "static"),
    )
    config.load(app, test_config)
    storage.register(app)  # migrates the database before anything uses it
    web.register(app)
    sets.register(app)
    play.register(app)
    accounts.register(app)
    authoring.register(app)
    facilitation.register(app)
    results.register(app)
    config.trust_proxy(app)  # the outermost middleware
    _settle_garbage_collector()
    return app


def _settle_garbage_collector() -> None:
    """Set Python's cyclic garbage collector for a server, once per process, at start.

    - ``gc.freeze()``: everything made while starting (modules, the app, templates)
      lives as long as the process, so it is moved out of the collector's view and a
      collection walks only what requests made since. Found by profiling a server after
      a class of 1,000 (``bench/``): collections took a fifth of each worker's time.
    - ``gc.set_threshold(*GC_THRESHOLDS)``: a young collection every 100,000 new
      containers rather than every 700. A report or a CSV over 100,000 answers makes a
      few hundred thousand dicts and lists, and each collection walks the young ones:
      at Python's defaults the collector took about a tenth of the report's time, now
      a twentieth. Requests make few reference cycles, and reference counting frees
      everything else at once, so the young generation rarely holds much garbage.

    Only the first app of a process does it (a server makes one; the tests make many).
    """
    if not gc.get_freeze_count():
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
