"""The facilitator's report of a session: every figure, put together by ``build``."""

from __future__ import annotations

import statistics

from . import confidence, items, learning, misconceptions, overview, scepticism, written
from .data import Rows, SessionData, mean, round3
from .people import People, skill_figures, team_figures


def build(questions: Rows, participants: Rows, teams: Rows, answers: Rows, labels: dict) -> dict:
    """Return the facilitator's report of a session.

    Keys: ``overview``, ``questions`` (main set but its written questions, each
    question_stats() plus ``discrimination``), ``skill_tags``, ``skills``,
    ``misconceptions`` (``overall``, ``teams``, ``participants``), ``confidence``,
    ``scepticism``, ``learning`` (None without check forms), ``written`` (the written
    answers' marks, see ``written.figures``), ``participants`` (participant_table()
    rows) and ``teams`` (empty without teams); ``next``: what the overview says to do
    next (overview.next_steps()).
    """
    d = SessionData(questions, participants, teams, answers)
    nicknames = {p["id"]: p["nickname"] for p in d.people}
    people = People(d)
    table = people.rows
    stats = []
    for q, discrimination in zip(d.main, items.discrimination(d, people), strict=True):
        if q["type"] == "open":
            continue  # written answers have their own section (``written``)
        pk = q["pk"]
        row = items.stats(q, d.by_q[pk], nicknames, labels, d.responses[pk], d.scores[pk])
        row["discrimination"] = discrimination
        stats.append(row)
    started = [row for row in table if row["answered"]]
    percents = [row["percent"] for row in started if row["percent"] is not None]
    facilities = [s["facility"] for s in stats if s["facility"] is not None]
    gain = learning.figures(d)
    writing = written.figures(d)
    written_main = [w for w in writing["questions"] if w["part"] == "main"]
    r = {
        "overview": {
            "participants": len(d.people),
            "started": len(started),
            "finished": sum(1 for row in table if d.main and row["answered"] == len(d.main)),
            "questions": len(d.main),
            "answers": sum(s["answered"] for s in stats) + sum(w["answers"] for w in written_main),
            "mean_percent": None if not percents else round(mean(percents)),
            "median_percent": None if not percents else round(statistics.median(percents)),
            "facility": round3(mean(facilities)),
            "has_checks": gain is not None,
            "has_teams": bool(d.teams),
        },
        "questions": stats,
        "skill_tags": d.skill_tags,
        "skills": skill_figures(d, people),
        "misconceptions": misconceptions.figures(d, labels),
        "confidence": confidence.figures(d, table),
        "scepticism": scepticism.figures(d, people),
        "learning": gain,
        "written": writing,
        "participants": table,
        "teams": team_figures(d, table),
    }
    r["next"] = overview.next_steps(r)
    return r
