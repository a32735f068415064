"""The blanket-scepticism index: wrong answers on questions where doubting everything
fails (``discernment`` questions), against the other questions."""

from __future__ import annotations

from .data import SessionData, enough, right_of, share
from .people import People


def figures(d: SessionData, people: People) -> dict:
    keyed = [q for q in d.main if q.get("discernment")]
    others = [q for q in d.main if not q.get("discernment")]

    def wrong_on(q):
        return len(d.rights[q["pk"]]) - sum(d.rights[q["pk"]])

    answers = sum(len(d.by_q[q["pk"]]) for q in keyed)
    wrong = sum(wrong_on(q) for q in keyed)
    baseline = sum(len(d.by_q[q["pk"]]) for q in others)
    keyed_pks = [q["pk"] for q in keyed]
    per_person = []
    for p in d.people:
        scores = people.main_scores[p["id"]]
        mine = [scores[pk] for pk in keyed_pks if pk in scores]
        bad = len(mine) - sum(map(right_of, mine))
        per_person.append(
            {
                "number": p["number"],
                "nickname": p["nickname"],
                "answers": len(mine),
                "wrong": bad,
                "index": share(bad, len(mine)),
                "enough": enough(len(mine), "scepticism_participant"),
            }
        )
    return {
        "questions": [
            {
                "pk": q["pk"],
                "number": q["number"],
                "stem": q["stem"],
                "answered": len(d.by_q[q["pk"]]),
                "wrong": wrong_on(q),
                "share_wrong": share(wrong_on(q), len(d.by_q[q["pk"]])),
            }
            for q in keyed
        ],
        "answers": answers,
        "wrong": wrong,
        "index": share(wrong, answers),
        "enough": enough(answers, "scepticism"),
        "baseline": share(sum(wrong_on(q) for q in others), baseline),
        "participants": per_person,
    }
