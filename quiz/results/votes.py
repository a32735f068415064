"""Peer instruction: how a question's answers moved between the first vote and the
second, after the room talked at its tables.

``votes`` are both votes of every answer to the questions that had a second vote
(``storage.queries.votes_in``): rows as in ``results/__init__.py`` with their ``vote``
(1 or 2). Everything else in the results counts the first vote only.
"""

from __future__ import annotations

from collections import defaultdict

from ..play.scoring import is_right
from .data import Rows, SessionData, share
from .items import stats


def shift(questions: Rows, participants: Rows, teams: Rows, votes: Rows, labels: dict) -> list:
    """Return, per question voted on twice (in playing order), how its votes moved.

    Each: ``pk``, ``number``, ``stem``, and the figures of ``moved`` for everyone
    (``all``) and per team (``teams``: name and figures; empty without teams).
    """
    d = SessionData(questions, participants, teams, [])
    by_q: dict[int, list[dict]] = defaultdict(list)
    for a in votes:
        if a["participant_id"] in d.person:
            by_q[a["question_id"]].append(a)
    out = []
    for q in d.questions:
        rows = by_q.get(q["pk"])
        if not rows or not any(a["vote"] == 2 for a in rows):
            continue
        out.append(
            {
                "pk": q["pk"],
                "number": q["number"],
                "stem": q["stem"],
                "all": moved(q, rows, labels),
                "teams": [
                    {
                        "name": g["name"],
                        **moved(q, [a for a in rows if a["participant_id"] in g["ids"]], labels),
                    }
                    for g in d.groups()
                ],
            }
        )
    return out


def moved(q: dict, rows: Rows, labels: dict) -> dict:
    """The two votes on one question: each vote's statistics (``items.stats``), and among
    those who voted twice how many moved from wrong to right and from right to wrong.

    Shares of ``right_first`` and ``right_second`` are over each vote's answers; the
    moves are over ``twice`` (those who gave both votes).
    """
    first = [a for a in rows if a["vote"] == 1]
    second = [a for a in rows if a["vote"] == 2]
    then = {a["participant_id"]: is_right(a["score"]) for a in first}
    pairs = [
        (then[a["participant_id"]], is_right(a["score"]))
        for a in second
        if a["participant_id"] in then
    ]
    to_right = sum(1 for before, after in pairs if not before and after)
    to_wrong = sum(1 for before, after in pairs if before and not after)
    return {
        "first": stats(q, first, {}, labels),
        "second": stats(q, second, {}, labels),
        "twice": len(pairs),
        "right_first": share(sum(is_right(a["score"]) for a in first), len(first)),
        "right_second": share(sum(is_right(a["score"]) for a in second), len(second)),
        "to_right": to_right,
        "to_wrong": to_wrong,
        "to_right_share": share(to_right, len(pairs)),
        "to_wrong_share": share(to_wrong, len(pairs)),
    }


def counted(rows: Rows) -> dict[int, dict]:
    """Question pk -> what the live panel shows of ``moved``'s figures for everyone
    (``all``), from ``queries.vote_moves`` (counted in SQL, not from every vote)."""
    return {
        r["pk"]: {
            "pk": r["pk"],
            "all": {
                "second": {"answered": r["second"]},
                "twice": r["twice"],
                "right_first": share(r["first_right"], r["first"]),
                "right_second": share(r["second_right"], r["second"]),
                "to_right": r["to_right"],
                "to_wrong": r["to_wrong"],
                "to_right_share": share(r["to_right"], r["twice"]),
                "to_wrong_share": share(r["to_wrong"], r["twice"]),
            },
        }
        for r in rows
    }
