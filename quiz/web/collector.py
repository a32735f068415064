"""Python's cyclic garbage collector held off while one request builds a large result.

A report or a CSV over 100,000 answers makes a few hundred thousand dicts and lists
that live until the response is written: each young collection (every 100,000 new
containers, ``quiz.GC_THRESHOLDS``) walks all of them and frees none, about a tenth
of the report's time (``bench/report.py``). Reference counting still frees whatever
is dropped meanwhile; only reference cycles wait, for the collection that comes once
the collector runs again. The collector is process-wide: another thread's requests
go without it for as long (under a second), and make few cycles.

For the values to be freed when dropped, nothing may hold them in a reference cycle:
a macro defined in a template rendered with them would (its context and it refer to
each other; templates/results/_cells.html).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held_off() -> Iterator[None]:
    """Hold the collector off inside the block; turn it back on after, if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
