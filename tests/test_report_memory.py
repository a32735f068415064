"""The report and the CSVs leave no garbage for the collector: their figures are freed
with the request by reference counting, and the collector is held off while they are
built (quiz.web.collector), then on again."""

from __future__ import annotations

import gc

import pytest

from quiz.web.collector import held_off

from .conftest import text_of
from .test_votes import _run_two_votes


@pytest.fixture
def facilitator(as_teacher):
    return as_teacher("teacher_a")


def cyclic_garbage(get) -> list:
    """What the collector would find unreachable after ``get()``: objects in cycles."""
    gc.collect()
    flags = gc.get_debug()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        get()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()


@pytest.mark.parametrize("page", ["report", "answers.csv", "participants.csv"])
def test_a_reports_figures_are_freed_with_the_request_not_left_in_cycles(
    app, facilitator, db, page
):
    code, _ = _run_two_votes(app, facilitator, db)
    facilitator.get(f"/run/{code}/{page}")  # templates compiled, caches filled

    def get():
        response = facilitator.get(f"/run/{code}/{page}")
        assert response.status_code == 200
        response.close()

    left = cyclic_garbage(get)
    figures = [o for o in left if isinstance(o, dict) and ("nickname" in o or "answered" in o)]
    assert figures == []
    assert gc.isenabled()


def test_the_reports_cells_are_written_by_the_imported_macros(app, facilitator, db):
    code, _ = _run_two_votes(app, facilitator, db)
    html = facilitator.get(f"/run/{code}/report").get_data(as_text=True)
    assert '<td data-label="Voted twice">3</td>' in html  # moved_cells
    assert '<span class="too-few">' in html  # too_few: four students are too few to say
    assert "Peer instruction: first and second votes" in text_of(html)


def test_the_collector_is_held_off_inside_and_left_as_it_was_after():
    assert gc.isenabled()
    with held_off():
        assert not gc.isenabled()
        with held_off():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it off and leaves it off
    assert gc.isenabled()
    with pytest.raises(RuntimeError), held_off():
        raise RuntimeError("a failed build")
    assert gc.isenabled()
