"""The app's one cache (quiz/web/cache.py): bounded, keyed by what its values are made
from, and what it hands out cannot be changed by the caller."""

from __future__ import annotations

import copy
import json

import pytest

from quiz.play import sessions
from quiz.web.cache import EXTENSION, Cache

from .world import HX


def test_what_the_cache_hands_out_cannot_be_changed():
    cache = Cache()
    value = cache.get(("k",), lambda: {"options": [{"id": "a"}], "key": ["a"], "n": 1})
    with pytest.raises(TypeError, match="read-only"):
        value["n"] = 2
    with pytest.raises(TypeError):
        value["options"].append({"id": "b"})
    with pytest.raises(TypeError):
        value["options"][0]["id"] = "z"
    with pytest.raises(TypeError):
        del value["key"]
    with pytest.raises(TypeError):
        value.update(n=3)
    with pytest.raises(TypeError):
        value["key"].sort()
    # It reads, compares and serialises as the plain data it was made from.
    assert value == {"options": [{"id": "a"}], "key": ["a"], "n": 1}
    assert json.loads(json.dumps(value)) == value
    assert {**value, "n": 2}["n"] == 2
    # A deep copy is the caller's own, and changeable.
    mine = copy.deepcopy(value)
    mine["options"].append({"id": "b"})
    assert len(value["options"]) == 1
    assert cache.get(("k",), lambda: {"made": "again"}) is value


def test_the_cache_keeps_its_bound_letting_the_least_recently_used_go():
    cache = Cache(most=3)
    made = []

    def make(n):
        made.append(n)
        return n

    for n in (1, 2, 3):
        cache.get(n, lambda n=n: make(n))
    cache.get(1, lambda: make(-1))  # used again: 2 is now the least recently used
    cache.get(4, lambda: make(4))
    assert len(cache) == 3
    assert cache.get(1, lambda: make(-1)) == 1
    assert cache.get(2, lambda: make(20)) == 20
    assert made == [1, 2, 3, 4, 20]


def test_a_played_session_comes_out_of_the_app_cache_frozen(app, db, session_code, student):
    assert student.join(session_code).status_code == 303
    assert student.client.get(f"/play/{session_code}", headers=HX).status_code == 200
    cache = app.extensions[EXTENSION]
    sess = sessions.load_session(db, session_code, cache)
    again = sessions.load_session(db, session_code, cache)
    assert again.questions is sess.questions  # read once, shared
    q = sess.questions[0]
    with pytest.raises(TypeError):
        q["stem"] = "Changed by one request for every other"
    with pytest.raises(TypeError):
        q["options"].append({"id": "x"})
    with pytest.raises(TypeError):
        sess.version["body"]["article"]["passages"][0] = "rewritten"
    # Without the app's cache the data is read again, and frozen all the same.
    apart = sessions.load_session(db, session_code)
    assert apart.questions == sess.questions and apart.questions is not sess.questions
    with pytest.raises(TypeError):
        apart.questions[0]["stem"] = "x"
