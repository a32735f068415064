"""The summary a student sees at the end: score, skills, calibration, every review."""

from __future__ import annotations

from ..sets.vocabulary import CHECK_PARTS
from ..storage.queries import Answers
from .feedback import review, vote_line
from .sessions import LoadedSession


def summarise(session: LoadedSession, answers: Answers) -> dict:
    """Compute the end-of-quiz summary for one participant.

    The score, skills and calibration cover the main set and count the first vote of a
    question voted on twice; ``votes`` says, for each of those, what the student changed.
    Check forms, when the session has them, are scored on their own so before and after
    can be compared. Written answers still waiting for their mark (``waiting``) are left
    out of all of them until they are marked.
    """
    reviews = [
        review(q, answers[q["pk"]], session.passages(q))
        for q in session.questions
        if q["pk"] in answers
    ]
    # Written answers waiting for their mark count in no score until marked.
    waiting = [r for r in reviews if r.get("pending")]
    main = [r for r in reviews if r["question"]["part"] == "main" and not r.get("pending")]
    total_main = sum(1 for q in session.questions if q["part"] == "main") - sum(
        r["question"]["part"] == "main" for r in waiting
    )
    total = sum(r["answer"]["score"] for r in main)
    rated = [r for r in main if r["mark"] is not None]
    checks = []
    for part in ("before", "after"):
        done = [r for r in reviews if r["question"]["part"] == part and not r.get("pending")]
        if done:
            score = sum(r["answer"]["score"] for r in done)
            checks.append(
                {
                    "part": part,
                    "label": CHECK_PARTS[part],
                    "title": session.versions[done[0]["question"]["version_id"]]["title"],
                    "score": round(score, 2),
                    "total": len(done),
                    "percent": round(100 * score / len(done)),
                }
            )
    return {
        "answered": len(main),
        "total": total_main,
        "score": round(total, 2),
        "percent": round(100 * total / total_main) if total_main else 0,
        "right": sum(r["right"] for r in main),
        "skills": skill_results(main),
        "rated": len(rated),
        "certainty": sum(r["mark"] for r in rated),
        "certainty_max": 3 * len(rated),
        "overconfident": [r for r in rated if not r["right"] and r["answer"]["confidence"] >= 2],
        "underconfident": [r for r in rated if r["right"] and r["answer"]["confidence"] == 1],
        "checks": checks,
        "waiting": waiting,
        "reviews": reviews,
        "look_again": worth_another_look(main),
        "votes": changed_votes(session, answers),
    }


LOOK_AGAIN = 3


def worth_another_look(reviews: list[dict]) -> list[dict]:
    """Pick the questions most worth another look, at most LOOK_AGAIN of them.

    The rule (the summary states it): answers not fully right come first, those given
    with the most confidence first (very sure, fairly sure, guessing, not rated), then
    the lowest score; after them, right answers given while guessing. Ties keep the
    order of the questions.
    """
    wrong = [r for r in reviews if not r["right"]]
    wrong.sort(key=lambda r: (-(r["answer"]["confidence"] or 0), r["answer"]["score"]))
    guessed = [r for r in reviews if r["right"] and r["answer"]["confidence"] == 1]
    return (wrong + guessed)[:LOOK_AGAIN]


def changed_votes(session: LoadedSession, answers: Answers) -> list[dict]:
    """For each question voted on twice: both votes and whether the answer changed."""
    out = []
    for q in session.questions:
        second = answers.second.get(q["pk"])
        if second is None:
            continue
        first = answers[q["pk"]]
        out.append(
            {
                "question": q,
                "first": vote_line(q, first),
                "second": vote_line(q, second),
                "changed": first["response"] != second["response"],
            }
        )
    return out


def skill_results(reviews: list[dict]) -> list[dict]:
    """Return the score per skill tag over some reviewed answers, by tag."""
    skills: dict[str, dict] = {}
    for r in reviews:
        for tag in r["question"]["skills"]:
            s = skills.setdefault(tag, {"tag": tag, "questions": 0, "score": 0.0})
            s["questions"] += 1
            s["score"] += r["answer"]["score"]
    for s in skills.values():
        s["percent"] = round(100 * s["score"] / s["questions"])
        s["bar"] = s["percent"] // 10 * 10  # the width class of its bar (w0…w100)
        s["score"] = round(s["score"], 2)
    return sorted(skills.values(), key=lambda s: s["tag"])
