"""The lesson plan: which of a set's questions a session runs, in which order, and how
long that takes.

The facilitator picks the questions when starting a session (all of them, in the set's
order, unless they choose otherwise). The plan is stored with the session as the
questions' ids in order; the session then plays only those (``play.sessions``), so its
summaries, report and CSV files count only them. Check forms always run whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from ..numbers import whole
from ..sets.vocabulary import MINUTES_PER_TYPE
from .control import FacilitationError

MESSAGES = {
    "none": _l("Choose at least one question for this lesson."),
    "unknown": _l("The plan lists a question this set does not have. Choose the questions again."),
    "position": _l("Give each chosen question a position of 1 or more."),
}


def estimate(questions: Iterable[dict]) -> int:
    """Return the minutes a lesson of these questions takes (MINUTES_PER_TYPE), rounded up."""
    return math.ceil(sum(MINUTES_PER_TYPE.get(q["type"], 2.0) for q in questions))


def default_rows(questions: list[dict]) -> list[dict]:
    """The plan form's rows for a set: every question chosen, in the set's order."""
    return [{"qid": q["id"], "include": True, "position": n} for n, q in enumerate(questions, 1)]


def parse(rows: list[dict], questions: list[dict]) -> list[str] | None:
    """Read the plan form's rows into question ids in playing order.

    ``rows``: ``{qid, include, position}`` as typed (position text, may be empty).
    Chosen questions are ordered by their position; equal or empty positions keep the
    set's order. None means every question in the set's order (no plan to store).
    """
    order = {q["id"]: n for n, q in enumerate(questions)}
    chosen = []
    for row in rows:
        if row["qid"] not in order:
            raise FacilitationError(422, MESSAGES["unknown"], "plan")
        if not row["include"]:
            continue
        raw = str(row.get("position") or "").strip()
        position = whole(raw, low=1, high=10_000) if raw else len(questions) + 1
        if position is None:
            raise FacilitationError(422, MESSAGES["position"], "plan")
        chosen.append((position, order[row["qid"]], row["qid"]))
    if len({qid for _, _, qid in chosen}) != len(chosen):
        raise FacilitationError(422, MESSAGES["unknown"], "plan")
    if not chosen:
        raise FacilitationError(422, MESSAGES["none"], "plan")
    plan = [qid for _, _, qid in sorted(chosen)]
    return None if plan == [q["id"] for q in questions] else plan


def planned(questions: list[dict], plan: list[str] | None) -> list[dict]:
    """Return the questions a plan runs, in its order."""
    if plan is None:
        return list(questions)
    by_id = {q["id"]: q for q in questions}
    return [by_id[qid] for qid in plan if qid in by_id]
