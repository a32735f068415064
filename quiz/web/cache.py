"""The app's one cache: what many requests would otherwise make again, kept once.

One ``Cache`` per app, in ``app.extensions["lateral.cache"]`` (``current()`` in a
request). It holds what a published set version plays as (``play.sessions``), the page
parts many students see alike (``play.fragments``), the misconception list the editor
reads (``authoring.publishing``), the cookie's signing serializer (``web.cookies``) and
each database file's group-commit writer (``storage.commits``).

The rule, the only one: **a key names everything its value is made from** — a set
version by its id *and* its content hash, a file by its path, size and modification
time, the cookie serializer by the secret keys, a writer by its database file and
process. When what a value was made from changes, the key changes with it, so nothing
stale can ever be served and nothing is ever cleared. The cache is bounded: past
``most`` entries, the least recently used goes.

Values come out frozen (``freeze``): dicts and lists, however deep, become read-only
(``FrozenDict``, ``FrozenList``), so one request cannot change what the next one is
handed. Strings, numbers and ``Markup`` are immutable already. Objects that are not data
(the serializer, a writer) are kept as they are: they hold nothing a caller reads or
changes but through their own methods.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, NoReturn

from flask import Flask, current_app

EXTENSION = "lateral.cache"
MOST = 8192


def _refuse(self: object, *args: object, **kwargs: object) -> NoReturn:
    raise TypeError(f"a cached {type(self).__name__} is read-only; copy it to change it")


class _Frozen:
    """What the frozen types share: a copy is plain, changeable data again."""

    __slots__ = ()
    _plain: type  # dict or list

    def __copy__(self) -> dict | list:
        return self._plain(self)

    def __deepcopy__(self, memo: dict) -> dict | list:
        return thaw(self)

    def __reduce__(self) -> tuple:
        return (self._plain, (self._plain(self),))


class FrozenDict(_Frozen, dict):
    """A dict that refuses every change (equal to, and readable as, a plain dict)."""

    __slots__ = ()
    _plain = dict
    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse


class FrozenList(_Frozen, list):
    """A list that refuses every change (equal to, and readable as, a plain list)."""

    __slots__ = ()
    _plain = list
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse


def freeze(value: Any) -> Any:
    """Return ``value`` with every dict and list in it, however deep, made read-only."""
    if isinstance(value, FrozenDict | FrozenList):
        return value
    if isinstance(value, dict):
        return FrozenDict((k, freeze(v)) for k, v in value.items())
    if isinstance(value, list):
        return FrozenList(freeze(v) for v in value)
    if type(value) is tuple:
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Return a plain, changeable deep copy of frozen data."""
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [thaw(v) for v in value]
    if type(value) is tuple:
        return tuple(thaw(v) for v in value)
    return value


class Cache:
    """A bounded, least-recently-used map from keys to frozen values (see the module)."""

    def __init__(self, most: int = MOST) -> None:
        self.most = most
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """Return the value kept under ``key``, or make it (outside the lock), freeze it
        and keep it. When two threads make the same value at once, both get the first
        one kept."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = freeze(make())
        with self._lock:
            value = self._entries.setdefault(key, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.most:
                self._entries.popitem(last=False)
        return value

    def find(self, key: Hashable, missing: Any = None) -> Any:
        """Return the value kept under ``key`` (as ``get`` would), or ``missing`` when
        none is kept; nothing is made."""
        with self._lock:
            if key not in self._entries:
                return missing
            self._entries.move_to_end(key)
            return self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)


def install(app: Flask) -> Cache:
    """Give the app its cache (once); return it."""
    return app.extensions.setdefault(EXTENSION, Cache())


def current() -> Cache:
    """Return the cache of the app handling this request."""
    return current_app.extensions[EXTENSION]
