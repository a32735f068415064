"""What a student is shown after answering: feedback, evidence, the summary."""

from __future__ import annotations

from ..sets.vocabulary import CONFIDENCE, RUBRIC_LEVELS, VERDICTS
from . import scoring

VOTE_PASSAGE = "Passage {number}"


def highlight(passage: str, quotes: list[str]) -> list[tuple[str, bool]]:
    """Split a passage into (text, is_quoted) runs so quotes can be marked."""
    spans = []
    for quote in quotes:
        start = passage.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote)))
    spans.sort()
    runs, cursor = [], 0
    for start, end in spans:
        start = max(start, cursor)
        if start >= end:
            continue
        if start > cursor:
            runs.append((passage[cursor:start], False))
        runs.append((passage[start:end], True))
        cursor = end
    if cursor < len(passage):
        runs.append((passage[cursor:], False))
    return runs


def evidence_passages(question: dict, passages: list[str]) -> list[dict]:
    """Return the passages a question rests on, numbered, with quote runs.

    Each quote is shown in the first passage that holds it (the lede repeats in the
    body, and showing it twice would only say the same again); a passage shown marks
    every quote it holds.
    """
    quotes = question["evidence"]
    shown = set()
    for quote in quotes:
        first = next((n for n, text in enumerate(passages, start=1) if quote in text), None)
        if first is not None:
            shown.add(first)
    return [
        {
            "number": n,
            "runs": highlight(passages[n - 1], [q for q in quotes if q in passages[n - 1]]),
        }
        for n in sorted(shown)
    ]


def context_passages(question: dict, passages: list[str]) -> list[dict]:
    """Return the passages shown beside a question before it is answered.

    Where picking the passage is the task, showing it would give the answer away.
    """
    if question["type"] in ("passage", "cer"):
        return []
    return evidence_passages(question, passages)


def verdict(answer: dict) -> dict:
    """Say how an answer did: right, partly right (with its percent) or not; a written
    answer: waiting for its mark, or the level it was marked at."""
    if (answer.get("parts") or {}).get("open"):
        return written_verdict(answer)
    right = scoring.is_right(answer["score"])
    partial = not right and answer["score"] > 0
    percent = round(answer["score"] * 100)
    kind = "right" if right else ("partial" if partial else "wrong")
    return {
        "right": right,
        "partial": partial,
        "percent": percent,
        "verdict": VERDICTS[kind].format(percent=percent),
        "tone": "is-right" if right else ("is-partial" if partial else "is-wrong"),
    }


def written_verdict(answer: dict) -> dict:
    """The verdict on a written answer: pending, or its level (Mastery is right,
    Emerging partly right, Beginning not yet)."""
    level = scoring.level_of(answer)
    if scoring.pending(answer):
        return {
            "right": False,
            "partial": False,
            "percent": None,
            "verdict": VERDICTS["pending"],
            "tone": "is-pending",
            "pending": True,
            "level": None,
        }
    right, partial = level == "mastery", level == "emerging"
    return {
        "right": right,
        "partial": partial,
        "percent": round(answer["score"] * 100),
        "verdict": VERDICTS["marked"].format(level=RUBRIC_LEVELS[level]),
        "tone": "is-right" if right else ("is-partial" if partial else "is-wrong"),
        "pending": False,
        "level": level,
    }


def vote_line(question: dict, answer: dict) -> dict:
    """Say what one vote chose and how it did, to show it beside the other vote."""
    by_id = {o["id"]: o for o in question["options"]}
    chosen = [by_id[i] for i in answer["response"].get("options", []) if i in by_id]
    return {
        **verdict(answer),
        "vote": answer.get("vote", 1),
        "chosen": [
            VOTE_PASSAGE.format(number=o["passage"])
            if question["type"] == "passage" and o.get("passage")
            else o["text"]
            for o in chosen
        ],
    }


def review(question: dict, answer: dict, passages: list[str]) -> dict:
    """Build what the feedback shows for one answered question."""
    chosen = answer["response"].get("options", [])
    judged = verdict(answer)
    right = judged["right"]
    options = []
    for option in question["options"]:
        options.append(
            {
                **option,
                "chosen": option["id"] in chosen,
                "keyed": option["id"] in question["key"],
            }
        )
    if question["type"] == "order":
        by_id = {o["id"]: o for o in options}
        options = [by_id[i] for i in question["key"]]
        given = [by_id[i] for i in chosen]
    else:
        given = [o for o in options if o["chosen"]]
    evidence = None
    if question["type"] == "cer":
        picked = set(answer["response"].get("evidence", []))
        evidence = [
            {
                "number": n,
                "text": passages[n - 1],
                "chosen": n in picked,
                "keyed": n in question["evidence_key"],
            }
            for n in question["evidence_choices"]
            # Passages neither chosen nor keyed have nothing to say.
            if n in picked or n in question["evidence_key"]
        ]
    missed = [o for o in options if o["keyed"] and not o["chosen"]]
    return {
        **judged,
        "question": question,
        "answer": answer,
        "options": options,
        "given": given,
        # The answer's options, the right ones it missed, and the rest (folded).
        "mine": [o for o in options if o["chosen"]],
        "missed": missed,
        # What the missed ones are called: the right answer(s), or the rest of them.
        "missed_title": (
            "also"
            if any(o["keyed"] for o in options if o["chosen"])
            else ("several" if len(missed) > 1 else "one")
        ),
        "others": [o for o in options if not o["keyed"] and not o["chosen"]],
        "evidence_options": evidence,
        "passages": evidence_passages(question, passages),
        "confidence_label": CONFIDENCE.get(answer["confidence"]),
        "mark": scoring.certainty_mark(right, answer["confidence"]),
    }
