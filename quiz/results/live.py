"""What the facilitator's live view shows: each participant's progress and each
question's answers, overall and per team, from every answer.

The live panel counts the questions' figures in SQL instead (``tallies.panel``, the same
numbers: tests/test_live_tallies.py compares the two) and works out the progress of
the few participants it lists (``progress``, ``facilitation.people``)."""

from __future__ import annotations

from ..play.counterbalance import arrange
from .data import Rows, SessionData
from .items import stats


def view(questions: Rows, participants: Rows, teams: Rows, answers: Rows, labels: dict) -> dict:
    """Return what the facilitator's live view shows.

    ``participants``: progress of each (answered over the whole session, the number of
    the question they are on, main-set score so far). ``questions``: the statistics of
    every question, check forms included (see question_stats()). ``teams``: per team
    (plus "No team" when some participants have none) the same statistics, side by side.
    """
    d = SessionData(questions, participants, teams, answers)
    # Each check-form order plays the questions in its own order (play.counterbalance).
    orders = {order: arrange(d.questions, order) for order in (None, "BA")}
    swapped = {q["pk"]: q["number"] for q in orders["BA"]}
    people = [
        progress(d, p, orders["BA" if p.get("check_order") == "BA" else None]) for p in d.people
    ]
    nicknames = {p["id"]: p["nickname"] for p in d.people}
    return {
        "joined": len(d.people),
        "answers": len(d.answers),
        "questions_total": len(d.questions),
        "finished": sum(p["done"] for p in people),
        "participants": people,
        "questions": [
            {
                **_written(
                    d, q, stats(q, d.by_q[q["pk"]], nicknames, labels, d.responses[q["pk"]])
                ),
                # The room's question number from which someone can answer it: with
                # counterbalanced check forms, form B's first question is number 1 too.
                "opens_at": min(q["number"], swapped[q["pk"]]),
            }
            for q in d.questions
        ],
        "teams": [
            {
                "id": g["id"],
                "name": g["name"],
                "members": len(g["ids"]),
                "questions": [
                    stats(
                        q,
                        [a for a in d.by_q[q["pk"]] if a["participant_id"] in g["ids"]],
                        nicknames,
                        labels,
                    )
                    for q in d.questions
                ],
            }
            for g in d.groups()
        ],
    }


def _written(d: SessionData, q: dict, figures: dict) -> dict:
    """Add to a written question's figures how many answers it has and how many wait."""
    if q["type"] == "open":
        waiting = sum(1 for mine in d.waiting.values() if q["pk"] in mine)
        figures = {**figures, "waiting": waiting, "written": figures["answered"] + waiting}
    return figures


def progress(d: SessionData, p: dict, played: list[dict]) -> dict:
    """One participant's progress as the live view shows it (``played``: the questions
    in the order they play them)."""
    # Answered includes written answers waiting for their mark; the score does not.
    mine = {**d.by_p[p["id"]], **d.waiting.get(p["id"], {})}
    current = next((q["number"] for q in played if q["pk"] not in mine), None)
    main = [d.by_p[p["id"]][q["pk"]]["score"] for q in d.main if q["pk"] in d.by_p[p["id"]]]
    last = max((a.get("created_at") or "" for a in mine.values()), default=None)
    return {
        "number": p["number"],
        "id": p["id"],
        "nickname": p["nickname"],
        "team_id": p.get("team_id"),
        "team": d.team_name(p.get("team_id")),
        "answered": len(mine),
        "total": len(d.questions),
        "current": current,
        "done": current is None,
        "main_answered": len(main),
        "score": round(sum(main), 2),
        "last_answer_at": last or None,
    }
