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

import statistics
from collections import Counter, defaultdict

from .questions import SKILLS
from .scoring import CONFIDENCE_LABELS, certainty_mark, is_right

UPPER_LOWER_SHARE = 0.27
MIN_FOR_DISCRIMINATION = 4
CONFIDENT_WRONG_MIN = 2  # "fairly sure" (2) and "very sure" (3)
# Certainty-based marking (+1/+2/+3, 0/-2/-6) pays best at confidence 1 when under 2/3
# of such answers are right, at 2 between 2/3 and 4/5, at 3 above 4/5: the ideal ranges.
CALIBRATION_BANDS = {1: (0.0, 2 / 3), 2: (2 / 3, 0.8), 3: (0.8, 1.0)}
NO_TEAM = "No team"


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
    return list((answer.get("response") or {}).get("options") or [])


def option_label(question: dict, option: dict) -> str:
    """Return how an option is named in reports ("Passage 4" for passage options)."""
    if question["type"] == "passage" and option.get("passage"):
        return f"Passage {option['passage']}"
    return option.get("text") or option["id"]


def chosen_labels(question: dict, answer: dict) -> list[str]:
    """Return the labels of the options an answer chose (in the order given)."""
    by_id = {o["id"]: o for o in question["options"]}
    return [option_label(question, by_id[i]) if i in by_id else i for i in chosen_ids(answer)]


def skill_order(tags) -> list[str]:
    """Sort skill tags in the documented order (unknown tags last, alphabetically)."""
    known = list(SKILLS)
    return sorted(set(tags), key=lambda t: (known.index(t) if t in known else len(known), t))


class SessionData:
    """The inputs indexed once: numbered participants, answers by question and person."""

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
        self.answers = sorted(
            (
                a
                for a in answers
                if a["question_id"] in self.by_pk and a["participant_id"] in self.person
            ),
            key=lambda a: (a.get("created_at") or "", self.person[a["participant_id"]]["number"]),
        )
        self.by_q: dict[int, list[dict]] = defaultdict(list)
        self.by_p: dict[str, dict[int, dict]] = defaultdict(dict)
        for a in self.answers:
            self.by_q[a["question_id"]].append(a)
            self.by_p[a["participant_id"]][a["question_id"]] = a
        self.skill_tags = skill_order(t for q in self.main for t in q["skills"])

    def main_totals(self) -> dict[str, tuple[float, int]]:
        """Return each person's (sum of scores, answers) over the main set, once."""
        if not hasattr(self, "_main_totals"):
            self._main_totals = {}
            for p in self.people:
                scores = [a["score"] for q in self.main if (a := self.by_p[p["id"]].get(q["pk"]))]
                self._main_totals[p["id"]] = (sum(scores), len(scores))
        return self._main_totals

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


def _stats(q: dict, answers: list[dict], nicknames: dict, misconceptions: dict) -> dict:
    n = len(answers)
    key = q["key"]
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
        "right": sum(is_right(a["score"]) for a in answers),
        "facility": _r3(_mean(a["score"] for a in answers)),
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
    if q["type"] == "order":
        # Whole orderings rarely repeat: count, per item, who put it in its right place.
        by_id = {o["id"]: o for o in q["options"]}
        for position, oid in enumerate(key):
            placed = sum(
                1
                for a in answers
                if len(chosen_ids(a)) > position and chosen_ids(a)[position] == oid
            )
            o = by_id[oid]
            stats["options"].append(
                {
                    "id": oid,
                    "label": option_label(q, o),
                    "text": o.get("text", ""),
                    "keyed": True,
                    "position": position + 1,
                    "count": placed,
                    "share": _share(placed, n),
                    "feedback": o.get("feedback"),
                    "misconception": o.get("misconception"),
                }
            )
        return stats
    counts = Counter(oid for a in answers for oid in set(chosen_ids(a)))
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
        picked = Counter(
            e for a in answers for e in set((a.get("response") or {}).get("evidence") or [])
        )
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


def _check(d: SessionData, mine: dict, part: str) -> dict | None:
    qs = [q for q in d.questions if q["part"] == part]
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


def _person_row(d: SessionData, p: dict) -> dict:
    mine = d.by_p[p["id"]]
    main = [(q, mine[q["pk"]]) for q in d.main if q["pk"] in mine]
    score = sum(a["score"] for _, a in main)
    marks = [certainty_mark(is_right(a["score"]), a.get("confidence")) for _, a in main]
    rated = [m for m in marks if m is not None]
    skills = {}
    for tag in d.skill_tags:
        skills[tag] = _r3(_mean(a["score"] for q, a in main if tag in q["skills"]))
    return {
        "number": p["number"],
        "id": p["id"],
        "nickname": p["nickname"],
        "team_id": p.get("team_id"),
        "team": d.team_name(p.get("team_id")),
        "answered": len(main),
        "total": len(d.main),
        "score": round(score, 2),
        "percent": round(100 * score / len(d.main)) if d.main else None,
        "right": sum(is_right(a["score"]) for _, a in main),
        "rated": len(rated),
        "certainty": sum(rated) if rated else None,
        "certainty_max": 3 * len(rated),
        "skills": skills,
        "before": _check(d, mine, "before"),
        "after": _check(d, mine, "after"),
    }


def participant_table(questions, participants, teams, answers) -> list[dict]:
    """Return one row per participant, numbered in joining order (see build())."""
    d = SessionData(questions, participants, teams, answers)
    return [_person_row(d, p) for p in d.people]


# Discrimination -------------------------------------------------------------------


def _discrimination(d: SessionData, q: dict) -> dict:
    """Corrected item-total point-biserial and the upper-lower 27% index of a main question.

    The rest score is the participant's mean score on the other main questions they
    answered (the same correlation as the usual sum when everyone answered everything,
    and fair to those who did not finish). Upper and lower groups are ranked by the mean
    score on every main question answered, ties broken by joining order.
    """
    rows = []
    totals = d.main_totals()
    for p in d.people:
        mine = d.by_p[p["id"]]
        if q["pk"] not in mine:
            continue
        item = mine[q["pk"]]["score"]
        total, count = totals[p["id"]]
        # The rest score from the person's totals: linear, not a rescan per question.
        rest = (total - item) / (count - 1) if count > 1 else None
        rows.append((item, rest, total / count, p["number"]))
    out = {"n": len(rows), "point_biserial": None, "upper_lower": None, "group_size": None}
    pairs = [(item, rest) for item, rest, _, _ in rows if rest is not None]
    if len(pairs) >= MIN_FOR_DISCRIMINATION:
        xs = [x for x, _ in pairs]
        ys = [y for _, y in pairs]
        if len(set(xs)) > 1 and len({round(y, 9) for y in ys}) > 1:
            out["point_biserial"] = _r3(statistics.correlation(xs, ys))
    totals = {round(total, 9) for _, _, total, _ in rows}
    if len(rows) >= MIN_FOR_DISCRIMINATION and len(totals) > 1:
        ranked = sorted(rows, key=lambda r: (-r[2], r[3]))
        size = max(1, round(UPPER_LOWER_SHARE * len(rows)))
        upper = _mean(r[0] for r in ranked[:size])
        lower = _mean(r[0] for r in ranked[-size:])
        out["upper_lower"] = _r3(upper - lower)
        out["group_size"] = size
    return out


# Misconceptions -------------------------------------------------------------------


def _misconception_rows(d: SessionData, answers, misconceptions: dict) -> list[dict]:
    counts: Counter = Counter()
    people: dict[str, set] = defaultdict(set)
    where: dict[str, Counter] = defaultdict(Counter)
    options: dict[tuple, str] = {}
    for a in answers:
        q = d.by_pk[a["question_id"]]
        if q["part"] != "main" or q["type"] == "order":
            continue
        chosen = set(chosen_ids(a))
        for o in q["options"]:
            label = o.get("misconception")
            if o["id"] in chosen and o["id"] not in q["key"] and label:
                counts[label] += 1
                people[label].add(a["participant_id"])
                where[label][q["pk"]] += 1
                options.setdefault((label, q["pk"]), option_label(q, o))
    rows = []
    for label, count in counts.items():
        pk = max(where[label], key=lambda k: (where[label][k], -d.by_pk[k]["number"]))
        q = d.by_pk[pk]
        info = misconceptions.get(label, {})
        rows.append(
            {
                "id": label,
                "label": info.get("label", label),
                "description": info.get("description", ""),
                "count": count,
                "participants": len(people[label]),
                "question": {
                    "pk": pk,
                    "number": q["number"],
                    "stem": q["stem"],
                    "count": where[label][pk],
                    "option": options[(label, pk)],
                },
            }
        )
    rows.sort(key=lambda r: (-r["count"], -r["participants"], r["label"].casefold()))
    return rows


def _misconceptions(d: SessionData, misconceptions: dict) -> dict:
    main_answers = [a for a in d.answers if d.by_pk[a["question_id"]]["part"] == "main"]
    return {
        "overall": _misconception_rows(d, main_answers, misconceptions),
        "teams": [
            {
                "id": g["id"],
                "name": g["name"],
                "rows": _misconception_rows(
                    d, [a for a in main_answers if a["participant_id"] in g["ids"]], misconceptions
                ),
            }
            for g in d.groups()
        ],
        "participants": [
            {
                "number": p["number"],
                "nickname": p["nickname"],
                "rows": _misconception_rows(
                    d,
                    # By person through the index: a scan of every answer per person
                    # is quadratic and took minutes on 100,000 answers.
                    [a for q in d.main if (a := d.by_p[p["id"]].get(q["pk"])) is not None],
                    misconceptions,
                ),
            }
            for p in d.people
        ],
    }


# Confidence -----------------------------------------------------------------------


def _confidence(d: SessionData, table: list[dict]) -> dict:
    rated = []
    for q in d.main:
        for a in d.by_q[q["pk"]]:
            if a.get("confidence") in (1, 2, 3):
                rated.append((q, a))
    right = [a["confidence"] for q, a in rated if is_right(a["score"])]
    wrong = [a["confidence"] for q, a in rated if not is_right(a["score"])]
    calibration = []
    for level in (1, 2, 3):
        at = [a for _, a in rated if a["confidence"] == level]
        n_right = sum(is_right(a["score"]) for a in at)
        low, high = CALIBRATION_BANDS[level]
        calibration.append(
            {
                "confidence": level,
                "label": CONFIDENCE_LABELS[level],
                "n": len(at),
                "right": n_right,
                "share_right": _share(n_right, len(at)),
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
            "chosen": chosen_labels(q, a),
            "score": round(a["score"], 3),
        }
        for q, a in rated
        if not is_right(a["score"]) and a["confidence"] >= CONFIDENT_WRONG_MIN
    ]
    confident_wrong.sort(key=lambda r: (-r["confidence"], r["question"], r["number"]))
    return {
        "rated": len(rated),
        "mean_right": _r2(_mean(right)),
        "mean_wrong": _r2(_mean(wrong)),
        "n_right": len(right),
        "n_wrong": len(wrong),
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


def _scepticism(d: SessionData) -> dict:
    keyed = [q for q in d.main if q.get("discernment")]
    others = [q for q in d.main if not q.get("discernment")]
    answers = [a for q in keyed for a in d.by_q[q["pk"]]]
    baseline = [a for q in others for a in d.by_q[q["pk"]]]
    wrong = sum(not is_right(a["score"]) for a in answers)
    per_person = []
    for p in d.people:
        mine = [a for q in keyed if (a := d.by_p[p["id"]].get(q["pk"])) is not None]
        bad = sum(not is_right(a["score"]) for a in mine)
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
                "wrong": sum(not is_right(a["score"]) for a in d.by_q[q["pk"]]),
                "share_wrong": _share(
                    sum(not is_right(a["score"]) for a in d.by_q[q["pk"]]), len(d.by_q[q["pk"]])
                ),
            }
            for q in keyed
        ],
        "answers": len(answers),
        "wrong": wrong,
        "index": _share(wrong, len(answers)),
        "baseline": _share(sum(not is_right(a["score"]) for a in baseline), len(baseline)),
        "participants": per_person,
    }


# Learning gain --------------------------------------------------------------------


def _learning(d: SessionData) -> dict | None:
    parts = {part: [q for q in d.questions if q["part"] == part] for part in ("before", "after")}
    if not parts["before"] and not parts["after"]:
        return None

    def mean_of(qs, who=None, tag=None):
        return _mean(
            a["score"]
            for q in qs
            if tag is None or tag in q["skills"]
            for a in d.by_q[q["pk"]]
            if who is None or a["participant_id"] == who
        )

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
            "facility": _r3(_mean(a["score"] for a in d.by_q[q["pk"]])),
        }
        for qs in parts.values()
        for q in qs
    ]
    return out


# Skills and teams -----------------------------------------------------------------


def _skills(d: SessionData, table: list[dict]) -> list[dict]:
    out = []
    for tag in d.skill_tags:
        qs = [q for q in d.main if tag in q["skills"]]
        scores = [a["score"] for q in qs for a in d.by_q[q["pk"]]]
        people = []
        for p, row in zip(d.people, table, strict=True):
            mine = [d.by_p[p["id"]][q["pk"]]["score"] for q in qs if q["pk"] in d.by_p[p["id"]]]
            people.append(
                {
                    "number": row["number"],
                    "nickname": row["nickname"],
                    "answered": len(mine),
                    "mean": row["skills"][tag],
                }
            )
        out.append(
            {
                "tag": tag,
                "name": SKILLS.get(tag, tag),
                "questions": len(qs),
                "answers": len(scores),
                "mean": _r3(_mean(scores)),
                "participants": people,
            }
        )
    return out


def _teams(d: SessionData, table: list[dict]) -> list[dict]:
    rows = {row["id"]: row for row in table}
    out = []
    for g in d.groups():
        members = [rows[p["id"]] for p in d.people if p["id"] in g["ids"]]
        started = [m for m in members if m["answered"]]
        answers = [
            (q, d.by_p[pid][q["pk"]]) for pid in g["ids"] for q in d.main if q["pk"] in d.by_p[pid]
        ]
        mean_percent = _mean(m["percent"] for m in started if m["percent"] is not None)
        out.append(
            {
                "id": g["id"],
                "name": g["name"],
                "members": len(members),
                "nicknames": [m["nickname"] for m in members],
                "answered": len(answers),
                "percent": None if mean_percent is None else round(mean_percent),
                "skills": {
                    tag: _r3(_mean(a["score"] for q, a in answers if tag in q["skills"]))
                    for tag in d.skill_tags
                },
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
        "questions": [_stats(q, d.by_q[q["pk"]], nicknames, misconceptions) for q in d.questions],
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
    table = [_person_row(d, p) for p in d.people]
    stats = []
    for q in d.main:
        row = _stats(q, d.by_q[q["pk"]], nicknames, misconceptions)
        row["discrimination"] = _discrimination(d, q)
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
        "skills": _skills(d, table),
        "misconceptions": _misconceptions(d, misconceptions),
        "confidence": _confidence(d, table),
        "scepticism": _scepticism(d),
        "learning": learning,
        "participants": table,
        "teams": _teams(d, table),
    }
