"""A session's results data, read once: the inputs indexed for every figure.

Every module of the report (``items``, ``people``, ``misconceptions``, ``confidence``,
``scepticism``, ``learning``, ``live``) and the CSV files work from ``SessionData``.
The inputs and conventions are described in ``results/__init__.py``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cached_property, partial
from operator import itemgetter, le, methodcaller

from ..play.scoring import RIGHT, pending
from ..sets.vocabulary import MINIMUM_ANSWERS, NO_TEAM, SKILLS

# Rows as the results take them: questions, participants, teams or answers (see __init__).
Rows = list[dict]

# play.scoring.is_right, run in C over many scores: RIGHT <= score is score >= RIGHT.
right_of = partial(le, RIGHT)
_score = itemgetter("score")
_response = methodcaller("get", "response")


def mean(values) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def round3(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def enough(n: int, kind: str) -> bool:
    """Whether ``n`` answers are enough to give a figure of this kind (the minimums are
    vocabulary.MINIMUM_ANSWERS; below one the report says "too few answers to say")."""
    return n >= MINIMUM_ANSWERS[kind]


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def chosen_ids(answer: dict) -> list[str]:
    """Return the option ids an answer chose (for order: the order given)."""
    return chosen(answer.get("response"))


def chosen(response: dict | None) -> list[str]:
    return list((response or {}).get("options") or [])


def option_label(question: dict, option: dict) -> str:
    """Return how an option is named in reports ("Passage 4" for passage options)."""
    if question["type"] == "passage" and option.get("passage"):
        return f"Passage {option['passage']}"
    return option.get("text") or option["id"]


def chosen_labels(question: dict, answer: dict) -> list[str]:
    """Return the labels of the options an answer chose (in the order given)."""
    return labels_of(question, answer.get("response"))


def labels_of(question: dict, response: dict | None) -> list[str]:
    by_id = {o["id"]: o for o in question["options"]}
    return [option_label(question, by_id[i]) if i in by_id else i for i in chosen(response)]


def skill_order(tags) -> list[str]:
    """Sort skill tags in the documented order (unknown tags last, alphabetically)."""
    known = list(SKILLS)
    return sorted(set(tags), key=lambda t: (known.index(t) if t in known else len(known), t))


def tally(answers: list[dict]) -> list[tuple[dict | None, int]]:
    """Return (response, how many answers gave it) for each distinct response object,
    in the order they first come.

    answers_in() shares one decoded object among answers whose stored JSON is equal, so
    counting by object turns 100,000 responses into a few thousand; responses that are
    equal but not shared are simply counted apart.
    """
    responses = list(map(_response, answers))
    ids = list(map(id, responses))
    first = dict(zip(ids, responses, strict=True))
    return [(first[k], n) for k, n in Counter(ids).items()]


class SessionData:
    """The inputs indexed once: numbered participants, answers by question and person.

    Each participant answers a question at most once (the database's UNIQUE constraint).
    A written answer still waiting for its mark is in ``waiting`` (person -> question ->
    answer) and nowhere else: it counts in no score until it is marked.
    ``answers`` (by time, then participant number), ``by_q``, ``scores`` and ``rights``
    are made on first use: the CSVs only need ``by_p``.

    Answers to a question with the same response get the same labels and misconceptions:
    labels() and hits() work them out once per question and response object, a few
    thousand times for 100,000 answers from answers_in(). The cached values keep their
    response alive, so its id() is not reused while the cache lives.
    """

    def __init__(self, questions, participants, teams, answers):
        self.questions = list(questions)
        self.main = [q for q in self.questions if q["part"] == "main"]
        self.by_pk = {q["pk"]: q for q in self.questions}
        order = sorted(
            range(len(participants)),
            key=lambda i: (participants[i].get("created_at") or "", i),
        )
        self.people = [{**participants[i], "number": n} for n, i in enumerate(order, start=1)]
        self.person = {p["id"]: p for p in self.people}
        self.team_names = {t["id"]: t["name"] for t in teams}
        self.teams = list(teams)
        by_pk, person = self.by_pk, self.person
        # Written answers waiting for their mark count in no figure of a score: they are
        # kept apart (``waiting``), for counts of who answered what.
        self._given: list[dict] = []
        self.waiting: dict[str, dict[int, dict]] = defaultdict(dict)
        self.by_p: dict[str, dict[int, dict]] = defaultdict(dict)
        # Whether an answer waits depends on its parts alone: worked out once per parts
        # object (answers_in() shares one among equal parts), as for labels() below.
        waits: dict[int, tuple] = {}
        for a in answers:
            pk, pid = a["question_id"], a["participant_id"]
            if pk not in by_pk or pid not in person:
                continue
            parts = a.get("parts")
            got = waits.get(id(parts))
            if got is None:
                got = waits[id(parts)] = (parts, pending(a))
            if got[1]:
                self.waiting[pid][pk] = a
            else:
                self._given.append(a)
                self.by_p[pid][pk] = a
        self.skill_tags = skill_order(t for q in self.main for t in q["skills"])
        self._hits: dict[tuple, tuple] = {}
        self._labels: dict[tuple, tuple] = {}

    @cached_property
    def answers(self) -> list[dict]:
        """The answers by time, then by participant number (then as given)."""
        # By person in number order (each person's answers as given), then a stable
        # sort on the time alone: the same order as sorting on (time, number), with
        # a key the sort reads in C. Answers without a time, or a person answering a
        # question twice, take the plain way.
        by_number = [a for p in self.people for a in self.by_p.get(p["id"], {}).values()]
        if len(by_number) == len(self._given):
            try:
                return sorted(by_number, key=itemgetter("created_at"))
            except (KeyError, TypeError):
                pass
        number = {pid: p["number"] for pid, p in self.person.items()}
        return sorted(
            self._given,
            key=lambda a: (a.get("created_at") or "", number[a["participant_id"]]),
        )

    @cached_property
    def by_q(self) -> dict[int, list[dict]]:
        """Question pk -> its answers, in the order of ``answers``."""
        by_q: dict[int, list[dict]] = defaultdict(list)
        for a in self.answers:
            by_q[a["question_id"]].append(a)
        return by_q

    @cached_property
    def scores(self) -> dict[int, list[float]]:
        """Question pk -> the scores of its answers, in the order of ``by_q``."""
        return {q["pk"]: list(map(_score, self.by_q[q["pk"]])) for q in self.questions}

    @cached_property
    def responses(self) -> dict[int, list[tuple[dict | None, int]]]:
        """Question pk -> its distinct responses and how many gave each (tally())."""
        return {q["pk"]: tally(self.by_q[q["pk"]]) for q in self.questions}

    @cached_property
    def rights(self) -> dict[int, list[bool]]:
        """Question pk -> whether each answer was fully right, in the order of ``by_q``."""
        return {pk: list(map(right_of, scores)) for pk, scores in self.scores.items()}

    def nickname(self, participant_id: str) -> str:
        return self.person[participant_id]["nickname"]

    def team_name(self, team_id) -> str | None:
        return self.team_names.get(team_id) if team_id is not None else None

    def groups(self) -> list[dict]:
        """Return the teams with their member ids, plus "No team" for the unassigned.

        Empty when the session has no teams.
        """
        if not self.teams:
            return []
        out = []
        for t in self.teams:
            ids = {p["id"] for p in self.people if p.get("team_id") == t["id"]}
            out.append({"id": t["id"], "name": t["name"], "ids": ids})
        loose = {p["id"] for p in self.people if p.get("team_id") not in self.team_names}
        if loose:
            out.append({"id": None, "name": NO_TEAM, "ids": loose})
        return out

    def labels(self, q: dict, response: dict | None) -> tuple[str, ...]:
        """The labels of the options chosen (chosen_labels()), once per response."""
        key = (q["pk"], id(response))
        got = self._labels.get(key)
        if got is None:
            got = self._labels[key] = (response, tuple(labels_of(q, response)))
        return got[1]

    def hits(self, q: dict, response: dict | None) -> tuple[tuple[str, str], ...]:
        """Return (misconception, option label) for each wrong option chosen that names a
        misconception, in option order; none for order questions and check forms."""
        key = (q["pk"], id(response))
        got = self._hits.get(key)
        if got is None:
            found = ()
            if q["part"] == "main" and q["type"] != "order":
                picked = set(chosen(response))
                found = tuple(
                    (o["misconception"], option_label(q, o))
                    for o in q["options"]
                    if o["id"] in picked and o["id"] not in q["key"] and o.get("misconception")
                )
            got = self._hits[key] = (response, found)
        return got[1]


CHECKS = ("before", "after")
