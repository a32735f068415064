"""What a student is shown after answering: feedback, evidence, the summary."""

from __future__ import annotations

from ..sets.vocabulary import CONFIDENCE, VERDICTS
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
    """Return the passages a question rests on, numbered, with quote runs."""
    out = []
    for number, text in enumerate(passages, start=1):
        quotes = [q for q in question["evidence"] if q in text]
        if quotes:
            out.append({"number": number, "runs": highlight(text, quotes)})
    return out


def context_passages(question: dict, passages: list[str]) -> list[dict]:
    """Return the passages shown beside a question before it is answered.

    Where picking the passage is the task, showing it would give the answer away.
    """
    if question["type"] in ("passage", "cer"):
        return []
    return evidence_passages(question, passages)


def verdict(answer: dict) -> dict:
    """Say how an answer did: right, partly right (with its percent) or not."""
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
        ]
    return {
        **judged,
        "question": question,
        "answer": answer,
        "options": options,
        "given": given,
        "evidence_options": evidence,
        "passages": evidence_passages(question, passages),
        "confidence_label": CONFIDENCE.get(answer["confidence"]),
        "mark": scoring.certainty_mark(right, answer["confidence"]),
    }
