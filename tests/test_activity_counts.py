"""The facilitator's polls (live panel, room screen) notice every new answer, join and
change of state cheaply: ``queries.activity_unchanged`` against what ``activity`` gave."""

from __future__ import annotations

from quiz.facilitation import control
from quiz.play import sessions
from quiz.storage import queries


def _seen(db, code: str) -> tuple[int, dict]:
    sid = sessions.load_session(db, code).row["id"]
    return sid, {k: str(v) for k, v in queries.activity(db, sid).items()}


def test_a_new_answer_a_join_or_a_removal_is_a_change_and_nothing_else_is(world, db):
    code = world.session(feedback="now")
    other = world.session(feedback="now")
    ada = world.join(code, "Ada")
    outsider = world.join(other, "Di")
    q = ada.questions(code)[0]
    sid, seen = _seen(db, code)
    assert queries.activity_unchanged(db, sid, seen)
    outsider.answer(other, q["id"], ["a"])  # another session's answer changes nothing here
    assert queries.activity_unchanged(db, sid, seen)
    ada.answer(code, q["id"], ["a"])
    assert not queries.activity_unchanged(db, sid, seen)
    sid, seen = _seen(db, code)
    world.join(code, "Bo")
    assert not queries.activity_unchanged(db, sid, seen)
    sid, seen = _seen(db, code)
    control.remove(db, sessions.load_session(db, code), world.participant_id(code, "Ada"))
    assert not queries.activity_unchanged(db, sid, seen)


def test_garbage_in_the_poll_s_values_counts_as_a_change(world, db):
    code = world.session(feedback="now")
    sid, seen = _seen(db, code)
    for broken in ({}, {**seen, "answers": "x"}, {**seen, "joined": ""}, {**seen, "state": None}):
        assert not queries.activity_unchanged(db, sid, broken)
