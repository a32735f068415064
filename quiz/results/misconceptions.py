"""Misconceptions: how often a wrong option naming each one was chosen, across the set,
per team and per participant, and the question to discuss it on."""

from __future__ import annotations

from .data import SessionData


def ranked_rows(d: SessionData, found: list[tuple], misconceptions: dict) -> list[dict]:
    """Rank misconceptions. ``found``: (question, participant id, hits) for the answers
    that chose any, in answer order (hits as SessionData.hits() gives them)."""
    # label -> [times chosen, participant ids, {pk: times}, {pk: first option chosen}]
    seen: dict[str, list] = {}
    for q, pid, hits in found:
        pk = q["pk"]
        for label, option in hits:
            entry = seen.get(label)
            if entry is None:
                seen[label] = [1, {pid}, {pk: 1}, {pk: option}]
                continue
            entry[0] += 1
            entry[1].add(pid)
            where = entry[2]
            if pk in where:
                where[pk] += 1
            else:
                where[pk] = 1
                entry[3][pk] = option
    return _ranked(
        d, {label: (n, len(ids), w, o) for label, (n, ids, w, o) in seen.items()}, misconceptions
    )


def _ranked(d: SessionData, seen: dict, misconceptions: dict) -> list[dict]:
    """The rows of ranked_rows(), most chosen first, from ``seen``: label ->
    (times chosen, participants, {pk: times}, {pk: first option chosen}), labels in the
    order first chosen (which settles rows that tie on everything the sort looks at)."""
    rows = []
    for label, (count, people, where, options) in seen.items():
        if len(where) == 1:
            pk = next(iter(where))
        else:
            pk = max(where, key=lambda k: (where[k], -d.by_pk[k]["number"]))  # noqa: B023
        q = d.by_pk[pk]
        info = misconceptions.get(label, {})
        rows.append(
            {
                "id": label,
                "label": info.get("label", label),
                "description": info.get("description", ""),
                "count": count,
                "participants": people,
                "question": {
                    "pk": pk,
                    "number": q["number"],
                    "stem": q["stem"],
                    "count": where[pk],
                    "option": options[pk],
                },
            }
        )
    rows.sort(key=_rank)
    return rows


def _rank(row: dict) -> tuple:
    return (-row["count"], -row["participants"], row["label"].casefold())


def figures(d: SessionData, labels: dict) -> dict:
    """Return the misconceptions section: ``overall``, ``teams`` and ``participants``."""
    # Most answers choose no misconception. What each distinct response chose is worked
    # out once per question (SessionData.hits()); answers are looked up by response.
    hits = {
        q["pk"]: {id(r): h for r, _ in d.responses[q["pk"]] if (h := d.hits(q, r))}
        for q in d.questions
    }
    asked = [(q, hits[q["pk"]]) for q in d.main if hits[q["pk"]]]
    people = [
        {
            "number": p["number"],
            "nickname": p["nickname"],
            "rows": ranked_rows(d, _by_person(d, asked, p["id"]), labels),
        }
        for p in d.people
    ]
    overall = _overall(d, asked, people, labels)
    found = None
    ranks = [_rank(row) for row in overall]
    if len(set(ranks)) < len(ranks) or d.teams:
        # Rows that tie on count, participants and label keep the order their
        # misconceptions were first chosen in, over every answer by time; teams are
        # counted from the answers too.
        found = [
            (d.by_pk[a["question_id"]], a["participant_id"], h)
            for a in d.answers
            if (h := hits[a["question_id"]].get(id(a.get("response"))))
        ]
        overall = ranked_rows(d, found, labels)
    return {
        "overall": overall,
        "teams": [
            {
                "id": g["id"],
                "name": g["name"],
                "rows": ranked_rows(d, [f for f in found if f[1] in g["ids"]], labels),
            }
            for g in d.groups()
        ],
        "participants": people,
    }


def _by_person(d: SessionData, asked: list[tuple], pid: str) -> list[tuple]:
    """One person's (question, pid, hits), through the index in question order: a scan
    of every answer per person is quadratic and took minutes on 100,000 answers."""
    mine = d.by_p.get(pid, {})
    return [
        (q, pid, h)
        for q, of in asked
        if (a := mine.get(q["pk"])) and (h := of.get(id(a.get("response"))))
    ]


def _overall(d: SessionData, asked: list[tuple], people: list[dict], labels: dict) -> list:
    """Over the whole set, counted by question and response rather than by answer.

    The participants come from the rows per person (a person has one row per
    misconception chosen); the first option chosen is the first in the question's
    answers, as responses are tallied in the order they first come.
    """
    seen: dict[str, list] = {}
    for q, of in asked:
        pk = q["pk"]
        for response, times in d.responses[pk]:
            for label, option in of.get(id(response), ()):
                entry = seen.setdefault(label, [0, 0, {}, {}])
                entry[0] += times
                entry[2][pk] = entry[2].get(pk, 0) + times
                entry[3].setdefault(pk, option)
    for p in people:
        for row in p["rows"]:
            seen[row["id"]][1] += 1
    return _ranked(d, seen, labels)
