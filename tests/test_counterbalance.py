"""Check forms counterbalanced (issue 16): half the room takes form A before the set
and B after, the other half B then A, assigned at join and balanced per table; the
report pairs each student's before and after and gives the learning gain with a
bootstrap interval, or says there are too few students to tell."""

from __future__ import annotations

from quiz.play import counterbalance
from quiz.results.learning import MIN_PAIRED, RESAMPLES, bootstrap_interval
from quiz.storage import queries

from .world import text_of


def orders(world, db, code: str) -> dict[str, str]:
    session_id = world.loaded(code).row["id"]
    rows = db.execute(
        "SELECT nickname, check_order FROM participant WHERE session_id = ? ORDER BY rowid",
        [session_id],
    ).fetchall()
    return dict(rows)


def seat_room(world, db) -> dict[str, str]:
    """Four students join Red and two Blue, interleaved; return their orders."""
    code = world.session(checks=True, teams=["Red", "Blue"])
    red, blue = world.team_ids(code)
    for name, team in [("A1", red), ("A2", red), ("B1", blue), ("A3", red), ("A4", red)]:
        world.join(code, name, team=team)
    world.join(code, "B2", team=blue)
    return orders(world, db, code)


def test_orders_are_assigned_at_join_and_balanced_at_each_table(world, db):
    got = seat_room(world, db)
    # Each table is balanced (a tie at a table goes to the order the room has fewer of).
    assert [got[n] for n in ("A1", "A2", "A3", "A4")] == ["AB", "BA", "BA", "AB"]
    assert [got[n] for n in ("B1", "B2")] == ["AB", "BA"]
    # The same joins give the same orders.
    assert seat_room(world, db) == got


def test_a_led_session_gives_everyone_form_a_first_so_the_room_moves_as_one(world, db):
    code = world.session(checks=True, pace="led", teams=["Red", "Blue"])
    red, blue = world.team_ids(code)
    for name, team in [("A1", red), ("A2", red), ("B1", blue), ("B2", blue)]:
        world.join(code, name, team=team)
    assert set(orders(world, db, code).values()) == {"AB"}


def test_a_session_without_check_forms_assigns_no_order(world, db):
    code = world.session()
    world.join(code, "Ada")
    assert orders(world, db, code) == {"Ada": None}


def test_a_student_on_b_first_plays_form_b_before_the_set_and_form_a_after(world, db):
    code = world.session(checks=True, feedback="now")
    world.join(code, "Ada")
    ben = world.join(code, "Ben")
    assert orders(world, db, code) == {"Ada": "AB", "Ben": "BA"}
    sess = world.loaded(code)
    form_a = [q for q in sess.questions if q["part"] == "before"]
    form_b = [q for q in sess.questions if q["part"] == "after"]
    played = counterbalance.arrange(list(sess.questions), "BA")
    assert [q["pk"] for q in played[: len(form_b)]] == [q["pk"] for q in form_b]
    assert [q["pk"] for q in played[-len(form_a) :]] == [q["pk"] for q in form_a]
    assert [q["number"] for q in played] == list(range(1, len(played) + 1))
    page = text_of(ben.client.get(f"/play/{code}").get_data(as_text=True))
    assert form_b[0]["stem"] in page


def test_the_bootstrap_interval_is_reproducible_and_holds_the_mean():
    gains = [0.1, 0.3, -0.2, 0.5, 0.0, 0.25, 0.4, 0.15]
    low, high = bootstrap_interval(gains)
    assert (low, high) == bootstrap_interval(list(gains))
    assert low < sum(gains) / len(gains) < high
    assert bootstrap_interval([0.5] * 8) == (0.5, 0.5)


def answer_forms(world, code: str, name: str, *, before_right: bool, after_right: bool) -> None:
    """A student joins and answers both check forms as they play them: right or wrong
    before the set, right or wrong after it."""
    student = world.join(code, name)
    sess = world.loaded(code)
    order = queries.check_order_of(world.db, world.participant_id(code, name))
    played = counterbalance.arranged(sess, order)
    for q in played.questions:
        if q["part"] == "main":
            continue
        right = before_right if q["part"] == "before" else after_right
        if right:
            student.answer_right(code, q)
        else:
            wrong = next(o["id"] for o in q["options"] if o["id"] not in q["key"])
            student.client.post(
                f"/play/{code}/answer", data={"question": str(q["pk"]), "option": [wrong]}
            )


def test_the_report_says_too_few_students_to_tell_below_the_minimum(world):
    code = world.session(owner="teacher_a", checks=True)
    for n in range(MIN_PAIRED - 1):
        answer_forms(world, code, f"S{n}", before_right=False, after_right=True)
    report = text_of(world.signed_in("teacher_a").get(f"/run/{code}/report").data.decode())
    assert (
        f"Too few students to tell: {MIN_PAIRED - 1} took both forms, and a learning gain "
        f"needs at least {MIN_PAIRED} to say anything." in report
    )


def test_the_report_gives_the_paired_gain_with_its_bootstrap_interval(world):
    code = world.session(owner="teacher_a", checks=True)
    for n in range(MIN_PAIRED):
        answer_forms(world, code, f"S{n}", before_right=n % 4 == 0, after_right=True)
    report = text_of(world.signed_in("teacher_a").get(f"/run/{code}/report").data.decode())
    assert f"Learning gain for the {MIN_PAIRED} students who took both forms" in report
    assert f"{RESAMPLES:,} bootstrap resamples of the students, fixed seed" in report
    assert "The whole interval is above zero: the group did better after the set." in report
    assert "Counterbalanced: about half the room took form A before the set" in report
