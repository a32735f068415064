"""A small session for the report's tests (test_report_*, test_csvexport), as plain data.

Small enough to check every figure by hand: six participants (three in Reds, two in
Blues, one without a team), two check questions before, five main questions (single,
multiple, true/false, order, claim–evidence–reasoning; two marked for discernment)
and two check questions after. The sixth participant stopped before the last main
question.
"""

from __future__ import annotations

import json
from itertools import count

from quiz.play import scoring

MISCONCEPTIONS = {
    "seeing-is-believing": {"label": "Seeing is believing", "description": "Footage as proof."},
    "official-means-true": {"label": "Official means true", "description": "Officials said so."},
    "not-proven-means-false": {"label": "Not proven means false", "description": "Unconfirmed."},
    "repetition-is-confirmation": {"label": "Repetition is confirmation", "description": "Echo."},
    "an-error-means-fake": {"label": "An error means fake", "description": "A slip."},
}


def opt(oid, text, misconception=None, **extra) -> dict:
    return {
        "id": oid,
        "text": text,
        "feedback": f"Feedback on {text}.",
        "misconception": misconception,
        **extra,
    }


def question(pk, number, part, qid, qtype, skills, options, key, **extra) -> dict:
    return {
        "pk": pk,
        "number": number,
        "part": part,
        "id": qid,
        "type": qtype,
        "skills": skills,
        "difficulty": "medium",
        "stem": f"Stem of {qid}?",
        "options": options,
        "key": key,
        "discernment": False,
        "confidence": False,
        "reason": False,
        "explanation": "Because.",
        **extra,
    }


TRUE_FALSE = [opt("true", "True"), opt("false", "False", "not-proven-means-false")]


def make_questions(checks: bool = True) -> list[dict]:
    before = [
        question(
            101,
            1,
            "before",
            "b1",
            "single",
            ["EVI"],
            [opt("a", "Right"), opt("b", "Wrong", "an-error-means-fake")],
            ["a"],
        ),
        question(102, 2, "before", "b2", "true_false", ["ATT"], TRUE_FALSE, ["true"]),
    ]
    main = [
        question(
            1,
            3,
            "main",
            "video",
            "single",
            ["EVI", "GEO"],
            [
                opt("a", "It proves the withdrawal", "seeing-is-believing"),
                opt("b", "It was filmed in Crimea"),
                opt("c", "The ministry says so", "official-means-true"),
            ],
            ["b"],
            confidence=True,
            reason=True,
        ),
        question(
            2,
            4,
            "main",
            "sources",
            "multiple",
            ["SRC"],
            [
                opt("a", "Reuters"),
                opt("b", "Interfax"),
                opt("c", "The ministry", "official-means-true"),
                opt("d", "Many outlets", "repetition-is-confirmation"),
            ],
            ["a", "b"],
            confidence=True,
        ),
        question(
            3,
            5,
            "main",
            "unconfirmed",
            "true_false",
            ["EVI"],
            TRUE_FALSE,
            ["true"],
            discernment=True,
            confidence=True,
        ),
        question(
            4,
            6,
            "main",
            "chain",
            "order",
            ["ATT"],
            [opt("a", "Reuters"), opt("b", "This article"), opt("c", "Kuleba")],
            ["c", "a", "b"],
        ),
        question(
            5,
            7,
            "main",
            "claim",
            "cer",
            ["EVI", "COR"],
            [opt("yes", "Supported"), opt("no", "Not supported", "not-proven-means-false")],
            ["yes"],
            discernment=True,
            confidence=True,
            reason=True,
            evidence_choices=[2, 4, 6],
            evidence_key=[4],
            evidence_feedback="Passage 4.",
        ),
    ]
    after = [
        question(201, 8, "after", "a1", "single", ["EVI"], [opt("a", "R"), opt("b", "W")], ["a"]),
        question(202, 9, "after", "a2", "true_false", ["ATT"], TRUE_FALSE, ["false"]),
    ]
    if not checks:
        main = [{**q, "number": q["number"] - 2} for q in main]
        return main
    return before + main + after


def make_participants(nicknames=("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay")) -> list[dict]:
    teams = [1, 1, 1, 2, 2, None]
    people = [
        {
            "id": f"secret-{n}",
            "nickname": nick,
            "team_id": team,
            "created_at": f"2024-03-01T09:00:0{n}",
        }
        for n, (nick, team) in enumerate(zip(nicknames, teams, strict=True), start=1)
    ]
    return people[::-1]  # given in any order: numbered by joining time


TEAMS = [{"id": 1, "name": "Reds"}, {"id": 2, "name": "Blues"}]

# participant number -> question id -> (options, evidence, confidence, reason)
PLAN = {
    1: {
        "b1": (["a"],),
        "b2": (["true"],),
        "video": (["b"], None, 3, "Filmed in Crimea"),
        "sources": (["a", "b"], None, 3),
        "unconfirmed": (["true"], None, 3),
        "chain": (["c", "a", "b"],),
        "claim": (["yes"], [4], 3, "Passage 4 says so"),
        "a1": (["a"],),
        "a2": (["false"],),
    },
    2: {
        "b1": (["b"],),
        "b2": (["true"],),
        "video": (["b"], None, 2),
        "sources": (["a", "b"],),
        "unconfirmed": (["true"], None, 2),
        "chain": (["c", "a", "b"],),
        "claim": (["yes"], [2, 4], 3),
        "a1": (["a"],),
        "a2": (["false"],),
    },
    3: {
        "b1": (["b"],),
        "b2": (["false"],),
        "video": (["a"], None, 3, "It is a video!"),
        "sources": (["a", "c"], None, 3),
        "unconfirmed": (["false"], None, 3),
        "chain": (["a", "c", "b"],),
        "claim": (["no"], [2], 2, "Not confirmed = false"),
        "a1": (["b"],),
        "a2": (["false"],),
    },
    4: {
        "b1": (["a"],),
        "b2": (["false"],),
        "video": (["a"], None, 1),
        "sources": (["a"],),
        "unconfirmed": (["false"], None, 2),
        "chain": (["c", "b", "a"],),
        "claim": (["yes"], [4], 2),
        "a1": (["a"],),
        "a2": (["true"],),
    },
    5: {
        "b1": (["b"],),
        "b2": (["true"],),
        "video": (["c"], None, 2),
        "sources": (["a", "b", "d"], None, 2),
        "unconfirmed": (["true"], None, 1),
        "chain": (["b", "c", "a"],),
        "claim": (["no"], [4], 3),
        "a1": (["a"],),
        "a2": (["false"],),
    },
    6: {
        "b1": (["a"],),
        "b2": (["true"],),
        "video": (["b"], None, 1),
        "sources": (["b", "c"],),
        "unconfirmed": (["false"], None, 1),
        "chain": (["c", "a", "b"],),
    },
}


def make_answers(questions, participants) -> list[dict]:
    by_id = {q["id"]: q for q in questions}
    by_number = {int(p["id"].split("-")[1]): p for p in participants}
    clock = count()
    answers = []
    for number, plan in PLAN.items():
        for qid, given in plan.items():
            if qid not in by_id:
                continue
            q = by_id[qid]
            options, evidence, confidence, reason = (*given, None, None, None)[:4]
            response = {"options": options}
            if evidence is not None:
                response["evidence"] = evidence
            value, parts = scoring.score(q, response)
            tick = next(clock)
            answers.append(
                {
                    "participant_id": by_number[number]["id"],
                    "question_id": q["pk"],
                    "response": response,
                    "confidence": confidence,
                    "reason": reason,
                    "score": value,
                    "parts": parts,
                    "created_at": f"2024-03-01T10:{tick // 60:02d}:{tick % 60:02d}",
                }
            )
    return answers


def session_data(checks: bool = True, teams: bool = True, nicknames=None):
    questions = make_questions(checks)
    participants = make_participants(nicknames) if nicknames else make_participants()
    if not teams:
        participants = [{**p, "team_id": None} for p in participants]
    answers = make_answers(questions, participants)
    return questions, participants, TEAMS if teams else [], answers


def shared(answers: list[dict]) -> list[dict]:
    """The answers as answers_in() gives them: one response object per distinct JSON."""
    seen: dict[str, dict] = {}
    return [
        {**a, "response": seen.setdefault(json.dumps(a["response"]), a["response"])}
        for a in answers
    ]
