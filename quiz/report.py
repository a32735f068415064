"""Group results of a session: the facilitator's live view and the report.

Pure functions over plain dicts; no database and no Flask. The inputs are:

- ``questions``: the session's questions in playing order, as ``play.load_session``
  gives them (each with ``pk``, ``number``, ``part``, ``type``, ``options``, ``key``, …);
- ``participants``: ``{id, nickname, team_id, created_at}``;
- ``teams``: ``{id, name}`` (may be empty);
- ``answers``: ``{participant_id, question_id, response, confidence, reason, score,
  parts, created_at}``;
- ``misconceptions``: label id -> ``{label, description}``.

Conventions of the dicts returned:

- Participants are numbered 1..n in the order they joined; the random participant id
  stays in the dicts (the live view may need it) but is never meant to be shown.
- Facility, shares, mean scores and correlations are fractions (0..1, or -1..1) rounded
  to 3 places; sums of scores are rounded to 2 places; ``percent`` fields are whole
  numbers (as in the student's own summary); mean confidences are rounded to 2 places.
  ``None`` always means "no data" (nothing answered, or a figure that is undefined).
- An answer is *right* when it earned full credit (``scoring.is_right``); partly right
  answers count as not right, as in certainty-based marking.
- Main-set figures use main-part questions only; the check forms (parts ``before`` and
  ``after``) only feed the learning gain and the participants' check scores.
"""

from __future__ import annotations

import gc
import statistics
from collections import Counter, defaultdict
from contextlib import contextmanager
from functools import cached_property
from operator import itemgetter

from .play.scoring import certainty_mark, is_right
from .sets.vocabulary import CONFIDENCE as CONFIDENCE_LABELS
from .sets.vocabulary import SKILLS

UPPER_LOWER_SHARE = 0.27
MIN_FOR_DISCRIMINATION = 4
CONFIDENT_WRONG_MIN = 2  # "fairly sure" (2) and "very sure" (3)
# Certainty-based marking (+1/+2/+3, 0/-2/-6) pays best at confidence 1 when under 2/3
# of such answers are right, at 2 between 2/3 and 4/5, at 3 above 4/5: the ideal ranges.
CALIBRATION_BANDS = {1: (0.0, 2 / 3), 2: (2 / 3, 0.8), 3: (0.8, 1.0)}
NO_TEAM = "No team"
CHECKS = ("before", "after")


# Small helpers -------------------------------------------------------------


def _mean(values) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def _r3(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _r2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def chosen_ids(answer: dict) -> list[str]:
    """Return the option ids an answer chose (for order: the order given)."""
    return _chosen(answer.get("response"))


def _chosen(response: dict | None) -> list[str]:
    return list((response or {}).get("options") or [])


def option_label(question: dict, option: dict) -> str:
    """Return how an option is named in reports ("Passage 4" for passage options)."""
    if question["type"] == "passage" and option.get("passage"):
        return f"Passage {option['passage']}"
    return option.get("text") or option["id"]


def chosen_labels(question: dict, answer: dict) -> list[str]:
    """Return the labels of the options an answer chose (in the order given)."""
    return _labels(question, answer.get("response"))


def _labels(question: dict, response: dict | None) -> list[str]:
    by_id = {o["id"]: o for o in question["options"]}
    return [option_label(question, by_id[i]) if i in by_id else i for i in _chosen(response)]


def skill_order(tags) -> list[str]:
    """Sort skill tags in the documented order (unknown tags last, alphabetically)."""
    known = list(SKILLS)
    return sorted(set(tags), key=lambda t: (known.index(t) if t in known else len(known), t))


def _tally(answers: list[dict]) -> list[tuple[dict | None, int]]:
    """Return (response, how many answers gave it) for each distinct response object,
    in the order they first come.

    answers_in() shares one decoded object among answers whose stored JSON is equal, so
    counting by object turns 100,000 responses into a few thousand; responses that are
    equal but not shared are simply counted apart.
    """
    responses = [a.get("response") for a in answers]
    ids = list(map(id, responses))
    first = dict(zip(ids, responses, strict=True))
    return [(first[k], n) for k, n in Counter(ids).items()]


class SessionData:
    """The inputs indexed once: numbered participants, answers by question and person.

    Each participant answers a question at most once (the database's UNIQUE constraint).
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
        self._given = [
            a for a in answers if a["question_id"] in by_pk and a["participant_id"] in person
        ]
        self.by_p: dict[str, dict[int, dict]] = defaultdict(dict)
        for a in self._given:
            self.by_p[a["participant_id"]][a["question_id"]] = a
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
        return {q["pk"]: [a["score"] for a in self.by_q[q["pk"]]] for q in self.questions}

    @cached_property
    def responses(self) -> dict[int, list[tuple[dict | None, int]]]:
        """Question pk -> its distinct responses and how many gave each (_tally())."""
        return {q["pk"]: _tally(self.by_q[q["pk"]]) for q in self.questions}

    @cached_property
    def rights(self) -> dict[int, list[bool]]:
        """Question pk -> whether each answer was fully right, in the order of ``by_q``."""
        return {pk: list(map(is_right, scores)) for pk, scores in self.scores.items()}

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
            got = self._labels[key] = (response, tuple(_labels(q, response)))
        return got[1]

    def hits(self, q: dict, response: dict | None) -> tuple[tuple[str, str], ...]:
        """Return (misconception, option label) for each wrong option chosen that names a
        misconception, in option order; none for order questions and check forms."""
        key = (q["pk"], id(response))
        got = self._hits.get(key)
        if got is None:
            found = ()
            if q["part"] == "main" and q["type"] != "order":
                chosen = set(_chosen(response))
                found = tuple(
                    (o["misconception"], option_label(q, o))
                    for o in q["options"]
                    if o["id"] in chosen and o["id"] not in q["key"] and o.get("misconception")
                )
            got = self._hits[key] = (response, found)
        return got[1]


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for the block (a report or an export).

    Reading and summing 100,000 answers makes a few hundred thousand dicts and lists;
    every so many new ones the collector walks all live containers, the answers
    included, which took about a fifth of the report's time. Nothing here makes
    reference cycles, so reference counting frees it all the same, and the collector
    runs again after the block. When it was already off (another request in this
    block), it stays as it was.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# Per question ----------------------------------------------------------------


def question_stats(
    question: dict,
    answers: list[dict],
    participants: list[dict] | None = None,
    team_id: int | None = None,
    *,
    misconceptions: dict | None = None,
) -> dict:
    """Return the answer statistics of one question.

    ``answers`` may hold answers to any question; only this question's are used. With
    ``team_id`` (and ``participants``), only that team's members' answers count.
    ``participants`` also gives the nicknames of the written reasons. ``misconceptions``
    (optional) adds the misconception's readable label to the most chosen wrong option.
    """
    people = {p["id"]: p for p in participants or []}
    mine = [a for a in answers if a["question_id"] == question["pk"]]
    if team_id is not None:
        mine = [a for a in mine if people.get(a["participant_id"], {}).get("team_id") == team_id]
    mine.sort(key=lambda a: a.get("created_at") or "")
    nicknames = {pid: p["nickname"] for pid, p in people.items()}
    return _stats(question, mine, nicknames, misconceptions or {})


def _stats(
    q: dict, answers: list[dict], nicknames: dict, misconceptions: dict, responses=None
) -> dict:
    """The statistics of question_stats(); ``responses``: _tally(answers) if known."""
    n = len(answers)
    key = q["key"]
    scores = [a["score"] for a in answers]
    stats = {
        "pk": q["pk"],
        "number": q["number"],
        "part": q["part"],
        "id": q["id"],
        "type": q["type"],
        "stem": q["stem"],
        "skills": list(q["skills"]),
        "difficulty": q.get("difficulty"),
        "discernment": bool(q.get("discernment")),
        "answered": n,
        "right": sum(map(is_right, scores)),
        "facility": _r3(_mean(scores)),
        "counts": "placed right" if q["type"] == "order" else "chosen",
        "options": [],
        "verdict_facility": None,
        "evidence_facility": None,
        "evidence": None,
        "wrong": None,
        "reasons": [
            {
                "nickname": nicknames.get(a["participant_id"], ""),
                "reason": a["reason"],
                "right": is_right(a["score"]),
            }
            for a in answers
            if a.get("reason")
        ],
    }
    # Options are counted per distinct response: one look at a response chosen 500
    # times counts 500.
    if responses is None:
        responses = _tally(answers)
    if q["type"] == "order":
        # Whole orderings rarely repeat: count, per item, who put it in its right place.
        by_id = {o["id"]: o for o in q["options"]}
        placed = Counter()
        for response, times in responses:
            ids = _chosen(response)
            for position, oid in enumerate(key):
                if len(ids) > position and ids[position] == oid:
                    placed[position] += times
        for position, oid in enumerate(key):
            o = by_id[oid]
            stats["options"].append(
                {
                    "id": oid,
                    "label": option_label(q, o),
                    "text": o.get("text", ""),
                    "keyed": True,
                    "position": position + 1,
                    "count": placed[position],
                    "share": _share(placed[position], n),
                    "feedback": o.get("feedback"),
                    "misconception": o.get("misconception"),
                }
            )
        return stats
    counts = Counter()
    for response, times in responses:
        for oid in set(_chosen(response)):
            counts[oid] += times
    for o in q["options"]:
        stats["options"].append(
            {
                "id": o["id"],
                "label": option_label(q, o),
                "text": o.get("text", ""),
                "keyed": o["id"] in key,
                "position": None,
                "count": counts[o["id"]],
                "share": _share(counts[o["id"]], n),
                "feedback": o.get("feedback"),
                "misconception": o.get("misconception"),
            }
        )
    wrong = [o for o in stats["options"] if not o["keyed"] and o["count"]]
    if wrong:
        top = max(wrong, key=lambda o: o["count"])  # ties: the first in option order
        label = top["misconception"]
        stats["wrong"] = {
            **top,
            "misconception_label": misconceptions.get(label, {}).get("label", label)
            if label
            else None,
        }
    if q["type"] == "cer":
        stats["verdict_facility"] = _r3(
            _mean((a.get("parts") or {}).get("verdict", 0.0) for a in answers)
        )
        stats["evidence_facility"] = _r3(
            _mean((a.get("parts") or {}).get("evidence", 0.0) for a in answers)
        )
        picked = Counter()
        for response, times in responses:
            for e in set((response or {}).get("evidence") or []):
                picked[e] += times
        stats["evidence"] = [
            {
                "number": e,
                "keyed": e in q.get("evidence_key", []),
                "count": picked[e],
                "share": _share(picked[e], n),
            }
            for e in q.get("evidence_choices", [])
        ]
    return stats


# Participants ---------------------------------------------------------------------


def _check(mine: dict, qs: list[dict]) -> dict | None:
    done = [mine[q["pk"]]["score"] for q in qs if q["pk"] in mine]
    if not done:
        return None
    score = sum(done)
    return {
        "answered": len(done),
        "total": len(qs),
        "score": round(score, 2),
        "mean": _r3(score / len(done)),
        "percent": round(100 * score / len(done)),
    }


class _People:
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
        self.rows: list[dict] = []
        self.main_scores: dict[str, dict[int, float]] = {}
        self.skill_answers: dict[str, dict[str, int]] = {}
        for p in d.people:
            mine = d.by_p.get(p["id"], {})
            answers = [a for pk in main_pks if (a := mine.get(pk)) is not None]
            scores = {a["question_id"]: a["score"] for a in answers}
            values = list(scores.values())
            score = sum(values)
            rated = [
                certainty_mark(is_right(a["score"]), c)
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
                    "answered": len(values),
                    "total": total,
                    "score": round(score, 2),
                    "percent": round(100 * score / total) if total else None,
                    "right": sum(map(is_right, values)),
                    "rated": len(rated),
                    "certainty": sum(rated) if rated else None,
                    "certainty_max": 3 * len(rated),
                    "skills": {tag: _r3(_mean(v)) for tag, v in by_tag.items()},
                    "before": _check(mine, checks["before"]),
                    "after": _check(mine, checks["after"]),
                }
            )


def participant_table(questions, participants, teams, answers) -> list[dict]:
    """Return one row per participant, numbered in joining order (see build())."""
    return _People(SessionData(questions, participants, teams, answers)).rows


# Discrimination -------------------------------------------------------------------


def _discrimination(d: SessionData, people: _People) -> list[dict]:
    """Corrected item-total point-biserial and the upper-lower 27% index of each main
    question, in question order.

    The rest score is the participant's mean score on the other main questions they
    answered (the same correlation as the usual sum when everyone answered everything,
    and fair to those who did not finish). Upper and lower groups are ranked by the mean
    score on every main question answered, ties broken by joining order.
    """
    # Each person's main scores with their sum and count, in joining order.
    totals = []
    for p in d.people:
        scores = people.main_scores[p["id"]]
        if scores:
            values = list(scores.values())
            totals.append((scores, sum(values), len(values), p["number"]))
    # The ranking is the same for every question: sort once, then keep those who
    # answered the question, in that order.
    ranked = [t[0] for t in sorted(totals, key=lambda t: (-t[1] / t[2], t[3]))]
    out = []
    for q in d.main:
        pk = q["pk"]
        rows = [(scores[pk], total, count) for scores, total, count, _ in totals if pk in scores]
        row = {"n": len(rows), "point_biserial": None, "upper_lower": None, "group_size": None}
        # The rest score from the person's totals: linear, not a rescan per question.
        pairs = [(item, (total - item) / (count - 1)) for item, total, count in rows if count > 1]
        if len(pairs) >= MIN_FOR_DISCRIMINATION:
            xs = [x for x, _ in pairs]
            ys = [y for _, y in pairs]
            # More than one distinct value (rounding is monotonic: the extremes tell).
            if min(xs) != max(xs) and round(min(ys), 9) != round(max(ys), 9):
                row["point_biserial"] = _r3(statistics.correlation(xs, ys))
        means = [total / count for _, total, count in rows]
        if len(rows) >= MIN_FOR_DISCRIMINATION and round(min(means), 9) != round(max(means), 9):
            items = [scores[pk] for scores in ranked if pk in scores]
            size = max(1, round(UPPER_LOWER_SHARE * len(rows)))
            upper = _mean(items[:size])
            lower = _mean(items[-size:])
            row["upper_lower"] = _r3(upper - lower)
            row["group_size"] = size
        out.append(row)
    return out


# Misconceptions -------------------------------------------------------------------


def _misconception_rows(d: SessionData, found, misconceptions: dict) -> list[dict]:
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
    """The rows of _misconception_rows(), most chosen first, from ``seen``: label ->
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


def _misconceptions(d: SessionData, misconceptions: dict) -> dict:
    # Most answers choose no misconception. What each distinct response chose is worked
    # out once per question (SessionData.hits()); answers are looked up by response.
    hits = {
        q["pk"]: {id(r): h for r, _ in d.responses[q["pk"]] if (h := d.hits(q, r))}
        for q in d.questions
    }
    asked = [(q, hits[q["pk"]]) for q in d.main if hits[q["pk"]]]

    def by_person(pid: str) -> list[tuple]:
        # Through the index, in question order: a scan of every answer per person is
        # quadratic and took minutes on 100,000 answers.
        mine = d.by_p.get(pid, {})
        return [
            (q, pid, h)
            for q, of in asked
            if (a := mine.get(q["pk"])) and (h := of.get(id(a.get("response"))))
        ]

    people = [
        {
            "number": p["number"],
            "nickname": p["nickname"],
            "rows": _misconception_rows(d, by_person(p["id"]), misconceptions),
        }
        for p in d.people
    ]

    # Over the whole set, counted by question and response rather than by answer. The
    # participants come from the rows per person (a person has one row per
    # misconception chosen); the first option chosen is the first in the question's
    # answers, as responses are tallied in the order they first come.
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
    overall = _ranked(d, seen, misconceptions)
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
        overall = _misconception_rows(d, found, misconceptions)
    return {
        "overall": overall,
        "teams": [
            {
                "id": g["id"],
                "name": g["name"],
                "rows": _misconception_rows(
                    d, [f for f in found if f[1] in g["ids"]], misconceptions
                ),
            }
            for g in d.groups()
        ],
        "participants": people,
    }


# Confidence -----------------------------------------------------------------------


def _confidence(d: SessionData, table: list[dict]) -> dict:
    levels = (1, 2, 3)
    sure = tuple(level for level in levels if level >= CONFIDENT_WRONG_MIN)
    # (confidence, fully right) -> answers, counted in C; only the sure but wrong
    # answers are looked at one by one.
    tally: Counter = Counter()
    sure_wrong = []
    for q in d.main:
        answers = d.by_q[q["pk"]]
        confidences = [a.get("confidence") for a in answers]
        rights = d.rights[q["pk"]]
        tally.update(zip(confidences, rights, strict=True))
        sure_wrong += [
            (q, a)
            for a, c, ok in zip(answers, confidences, rights, strict=True)
            if not ok and c in sure
        ]

    def count(level, ok):
        return tally[(level, ok)]

    n_right = sum(count(level, True) for level in levels)
    n_wrong = sum(count(level, False) for level in levels)
    sum_right = sum(level * count(level, True) for level in levels)
    sum_wrong = sum(level * count(level, False) for level in levels)
    calibration = []
    for level in levels:
        right = count(level, True)
        n = right + count(level, False)
        low, high = CALIBRATION_BANDS[level]
        calibration.append(
            {
                "confidence": level,
                "label": CONFIDENCE_LABELS[level],
                "n": n,
                "right": right,
                "share_right": _share(right, n),
                "band": (round(low, 3), round(high, 3)),
            }
        )
    confident_wrong = [
        {
            "number": d.person[a["participant_id"]]["number"],
            "nickname": d.nickname(a["participant_id"]),
            "question": q["number"],
            "stem": q["stem"],
            "confidence": a["confidence"],
            "confidence_label": CONFIDENCE_LABELS[a["confidence"]],
            "chosen": list(d.labels(q, a.get("response"))),
            "score": round(a["score"], 3),
        }
        for q, a in sure_wrong
    ]
    confident_wrong.sort(key=lambda r: (-r["confidence"], r["question"], r["number"]))
    return {
        "rated": n_right + n_wrong,
        "mean_right": _r2(sum_right / n_right) if n_right else None,
        "mean_wrong": _r2(sum_wrong / n_wrong) if n_wrong else None,
        "n_right": n_right,
        "n_wrong": n_wrong,
        "confident_wrong_min": CONFIDENT_WRONG_MIN,
        "confident_wrong": confident_wrong,
        "calibration": calibration,
        "certainty": [
            {
                "number": row["number"],
                "nickname": row["nickname"],
                "rated": row["rated"],
                "mark": row["certainty"],
                "max": row["certainty_max"],
            }
            for row in table
        ],
    }


# Blanket scepticism ---------------------------------------------------------------


def _scepticism(d: SessionData, people: _People) -> dict:
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
        bad = len(mine) - sum(map(is_right, mine))
        per_person.append(
            {
                "number": p["number"],
                "nickname": p["nickname"],
                "answers": len(mine),
                "wrong": bad,
                "index": _share(bad, len(mine)),
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
                "share_wrong": _share(wrong_on(q), len(d.by_q[q["pk"]])),
            }
            for q in keyed
        ],
        "answers": answers,
        "wrong": wrong,
        "index": _share(wrong, answers),
        "baseline": _share(sum(wrong_on(q) for q in others), baseline),
        "participants": per_person,
    }


# Learning gain --------------------------------------------------------------------


def _learning(d: SessionData) -> dict | None:
    parts = {part: [q for q in d.questions if q["part"] == part] for part in ("before", "after")}
    if not parts["before"] and not parts["after"]:
        return None

    def mean_of(qs, who=None, tag=None):
        if who is not None:  # through the index: a scan per person is quadratic
            mine = d.by_p.get(who, {})
            return _mean(mine[q["pk"]]["score"] for q in qs if q["pk"] in mine)
        return _mean(s for q in qs if tag is None or tag in q["skills"] for s in d.scores[q["pk"]])

    def gain(before, after):
        return None if before is None or after is None else _r3(after - before)

    out: dict = {}
    for part, qs in parts.items():
        out[part] = {
            "questions": len(qs),
            "answers": sum(len(d.by_q[q["pk"]]) for q in qs),
            "mean": _r3(mean_of(qs)),
        }
    out["gain"] = gain(out["before"]["mean"], out["after"]["mean"])
    tags = skill_order(t for qs in parts.values() for q in qs for t in q["skills"])
    out["skills"] = []
    for tag in tags:
        before = _r3(mean_of(parts["before"], tag=tag))
        after = _r3(mean_of(parts["after"], tag=tag))
        out["skills"].append(
            {
                "tag": tag,
                "name": SKILLS.get(tag, tag),
                "before": before,
                "after": after,
                "gain": gain(before, after),
            }
        )
    people = []
    for p in d.people:
        before = mean_of(parts["before"], who=p["id"])
        after = mean_of(parts["after"], who=p["id"])
        people.append(
            {
                "number": p["number"],
                "nickname": p["nickname"],
                "before": _r3(before),
                "after": _r3(after),
                "gain": gain(_r3(before), _r3(after)),
                "_raw": (before, after),
            }
        )
    paired = [r["_raw"] for r in people if None not in r["_raw"]]
    for r in people:
        del r["_raw"]
    out["participants"] = people
    out["paired"] = {
        "n": len(paired),
        "before": _r3(_mean(b for b, _ in paired)),
        "after": _r3(_mean(a for _, a in paired)),
        "gain": _r3(_mean(a - b for b, a in paired)),
    }
    out["questions"] = [
        {
            "pk": q["pk"],
            "number": q["number"],
            "part": q["part"],
            "stem": q["stem"],
            "skills": list(q["skills"]),
            "answered": len(d.by_q[q["pk"]]),
            "facility": _r3(_mean(d.scores[q["pk"]])),
        }
        for qs in parts.values()
        for q in qs
    ]
    return out


# Skills and teams -----------------------------------------------------------------


def _skills(d: SessionData, people: _People) -> list[dict]:
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
                "mean": _r3(_mean(scores)),
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


def _teams(d: SessionData, table: list[dict]) -> list[dict]:
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
        mean_percent = _mean(m["percent"] for m in started if m["percent"] is not None)
        out.append(
            {
                "id": g["id"],
                "name": g["name"],
                "members": len(members),
                "nicknames": [m["nickname"] for m in members],
                "answered": len(answers),
                "percent": None if mean_percent is None else round(mean_percent),
                "skills": {tag: _r3(_mean(by_tag[tag])) for tag in d.skill_tags},
            }
        )
    return out


# Live view and report -------------------------------------------------------------


def live(questions, participants, teams, answers, misconceptions) -> dict:
    """Return what the facilitator's live view shows.

    ``participants``: progress of each (answered over the whole session, the number of
    the question they are on, main-set score so far). ``questions``: the statistics of
    every question, check forms included (see question_stats()). ``teams``: per team
    (plus "No team" when some participants have none) the same statistics, side by side.
    """
    d = SessionData(questions, participants, teams, answers)
    people = []
    for p in d.people:
        mine = d.by_p[p["id"]]
        current = next((q["number"] for q in d.questions if q["pk"] not in mine), None)
        main = [mine[q["pk"]]["score"] for q in d.main if q["pk"] in mine]
        people.append(
            {
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
                "last_answer_at": max(
                    (a.get("created_at") or "" for a in mine.values()), default=None
                )
                or None,
            }
        )
    nicknames = {p["id"]: p["nickname"] for p in d.people}
    return {
        "joined": len(d.people),
        "answers": len(d.answers),
        "questions_total": len(d.questions),
        "finished": sum(p["done"] for p in people),
        "participants": people,
        "questions": [
            _stats(q, d.by_q[q["pk"]], nicknames, misconceptions, d.responses[q["pk"]])
            for q in d.questions
        ],
        "teams": [
            {
                "id": g["id"],
                "name": g["name"],
                "members": len(g["ids"]),
                "questions": [
                    _stats(
                        q,
                        [a for a in d.by_q[q["pk"]] if a["participant_id"] in g["ids"]],
                        nicknames,
                        misconceptions,
                    )
                    for q in d.questions
                ],
            }
            for g in d.groups()
        ],
    }


def build(questions, participants, teams, answers, misconceptions) -> dict:
    """Return the facilitator's report of a session.

    Keys: ``overview``, ``questions`` (main set, each question_stats() plus
    ``discrimination``), ``skill_tags``, ``skills``, ``misconceptions`` (``overall``,
    ``teams``, ``participants``), ``confidence``, ``scepticism``, ``learning`` (None
    without check forms), ``participants`` (participant_table() rows) and ``teams``
    (empty without teams).
    """
    d = SessionData(questions, participants, teams, answers)
    nicknames = {p["id"]: p["nickname"] for p in d.people}
    people = _People(d)
    table = people.rows
    stats = []
    for q, discrimination in zip(d.main, _discrimination(d, people), strict=True):
        row = _stats(q, d.by_q[q["pk"]], nicknames, misconceptions, d.responses[q["pk"]])
        row["discrimination"] = discrimination
        stats.append(row)
    started = [row for row in table if row["answered"]]
    percents = [row["percent"] for row in started if row["percent"] is not None]
    facilities = [s["facility"] for s in stats if s["facility"] is not None]
    learning = _learning(d)
    return {
        "overview": {
            "participants": len(d.people),
            "started": len(started),
            "finished": sum(1 for row in table if d.main and row["answered"] == len(d.main)),
            "questions": len(d.main),
            "answers": sum(s["answered"] for s in stats),
            "mean_percent": None if not percents else round(_mean(percents)),
            "median_percent": None if not percents else round(statistics.median(percents)),
            "facility": _r3(_mean(facilities)),
            "has_checks": learning is not None,
            "has_teams": bool(d.teams),
        },
        "questions": stats,
        "skill_tags": d.skill_tags,
        "skills": _skills(d, people),
        "misconceptions": _misconceptions(d, misconceptions),
        "confidence": _confidence(d, table),
        "scepticism": _scepticism(d, people),
        "learning": learning,
        "participants": table,
        "teams": _teams(d, table),
    }
