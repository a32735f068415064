"""Per-participant and per-team figures: the participant table, skills, teams."""

from __future__ import annotations

from ..play.scoring import CBM, RIGHT
from ..sets.vocabulary import SKILLS
from .data import CHECKS, SessionData, mean, right_of, round3


def check_result(mine: dict, qs: list[dict]) -> dict | None:
    done = [mine[q["pk"]]["score"] for q in qs if q["pk"] in mine]
    if not done:
        return None
    score = sum(done)
    return {
        "answered": len(done),
        "total": len(qs),
        "score": round(score, 2),
        "mean": round3(score / len(done)),
        "percent": round(100 * score / len(done)),
    }


class People:
    """What is counted per participant, in one pass over each one's answers.

    ``rows``: the participant table (see build()), in joining order; ``main_scores``:
    pid -> {question pk: score} on the main set, in question order; ``skill_answers``:
    pid -> tag -> how many questions with that skill they answered.
    """

    def __init__(self, d: SessionData):
        tags = d.skill_tags
        main_pks = [q["pk"] for q in d.main]
        # Per skill, the main questions that train it (in question order).
        tag_pks = {tag: [q["pk"] for q in d.main if tag in q["skills"]] for tag in tags}
        checks = {part: [q for q in d.questions if q["part"] == part] for part in CHECKS}
        total = len(d.main)
        main_set = set(main_pks)
        self.rows: list[dict] = []
        self.main_scores: dict[str, dict[int, float]] = {}
        self.skill_answers: dict[str, dict[str, int]] = {}
        for p in d.people:
            mine = d.by_p.get(p["id"], {})
            answers = [a for pk in main_pks if (a := mine.get(pk)) is not None]
            # Written answers waiting for a mark: answered, but out of the score.
            waiting = sum(1 for pk in d.waiting.get(p["id"], {}) if pk in main_set)
            first, second = forms_of(p)
            scores = {a["question_id"]: a["score"] for a in answers}
            values = list(scores.values())
            score = sum(values)
            # certainty_mark(is_right(score), c), without two calls per rated answer.
            rated = [
                CBM[a["score"] >= RIGHT][c]
                for a in answers
                if (c := a.get("confidence")) is not None
            ]
            by_tag = {
                tag: [scores[pk] for pk in pks if pk in scores] for tag, pks in tag_pks.items()
            }
            self.main_scores[p["id"]] = scores
            self.skill_answers[p["id"]] = {tag: len(v) for tag, v in by_tag.items()}
            self.rows.append(
                {
                    "number": p["number"],
                    "id": p["id"],
                    "nickname": p["nickname"],
                    "team_id": p.get("team_id"),
                    "team": d.team_name(p.get("team_id")),
                    "answered": len(values) + waiting,
                    "waiting": waiting,
                    "total": total,
                    "score": round(score, 2),
                    "percent": round(100 * score / (total - waiting)) if total > waiting else None,
                    "right": sum(map(right_of, values)),
                    "rated": len(rated),
                    "certainty": sum(rated) if rated else None,
                    "certainty_max": 3 * len(rated),
                    # round3(mean(v)), without two calls per skill and person.
                    "skills": {
                        tag: round(sum(v) / len(v), 3) if v else None for tag, v in by_tag.items()
                    },
                    "before": check_result(mine, checks[first]),
                    "after": check_result(mine, checks[second]),
                }
            )


def forms_of(p: dict) -> tuple[str, str]:
    """Return which check form a participant took before and which after, as the
    session's parts name them: ("before", "after"), or swapped for order 'BA'."""
    return ("after", "before") if p.get("check_order") == "BA" else ("before", "after")


def participant_table(questions, participants, teams, answers) -> list[dict]:
    """Return one row per participant, numbered in joining order (see build())."""
    return People(SessionData(questions, participants, teams, answers)).rows


def skill_figures(d: SessionData, people: People) -> list[dict]:
    out = []
    for tag in d.skill_tags:
        qs = [q for q in d.main if tag in q["skills"]]
        scores = [s for q in qs for s in d.scores[q["pk"]]]
        out.append(
            {
                "tag": tag,
                "name": SKILLS.get(tag, tag),
                "questions": len(qs),
                "answers": len(scores),
                "mean": round3(mean(scores)),
                "participants": [
                    {
                        "number": row["number"],
                        "nickname": row["nickname"],
                        "answered": people.skill_answers[row["id"]][tag],
                        "mean": row["skills"][tag],
                    }
                    for row in people.rows
                ],
            }
        )
    return out


def team_figures(d: SessionData, table: list[dict]) -> list[dict]:
    rows = {row["id"]: row for row in table}
    tags_of = {q["pk"]: [t for t in d.skill_tags if t in q["skills"]] for q in d.main}
    out = []
    for g in d.groups():
        members = [rows[p["id"]] for p in d.people if p["id"] in g["ids"]]
        started = [m for m in members if m["answered"]]
        answers = [
            (q, d.by_p[pid][q["pk"]]) for pid in g["ids"] for q in d.main if q["pk"] in d.by_p[pid]
        ]
        by_tag: dict[str, list[float]] = {tag: [] for tag in d.skill_tags}
        for q, a in answers:
            for tag in tags_of[q["pk"]]:
                by_tag[tag].append(a["score"])
        mean_percent = mean(m["percent"] for m in started if m["percent"] is not None)
        out.append(
            {
                "id": g["id"],
                "name": g["name"],
                "members": len(members),
                "nicknames": [m["nickname"] for m in members],
                "answered": len(answers),
                "percent": None if mean_percent is None else round(mean_percent),
                "skills": {tag: round3(mean(by_tag[tag])) for tag in d.skill_tags},
            }
        )
    return out
