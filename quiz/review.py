"""What a student is shown after answering: feedback, evidence, the summary."""

from __future__ import annotations

from . import scoring
from .play import PART_LABELS, Session


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
    return {
        "right": right,
        "partial": partial,
        "percent": percent,
        "verdict": "Right" if right else (f"Partly right ({percent}%)" if partial else "Not quite"),
        "tone": "is-right" if right else ("is-partial" if partial else "is-wrong"),
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
        "confidence_label": scoring.CONFIDENCE_LABELS.get(answer["confidence"]),
        "mark": scoring.certainty_mark(right, answer["confidence"]),
    }


def summarise(session: Session, answers: dict[int, dict]) -> dict:
    """Compute the end-of-quiz summary for one participant.

    The score, skills and calibration cover the main set; check forms, when the
    session has them, are scored on their own so before and after can be compared.
    """
    reviews = [
        review(q, answers[q["pk"]], session.passages(q))
        for q in session.questions
        if q["pk"] in answers
    ]
    main = [r for r in reviews if r["question"]["part"] == "main"]
    total_main = sum(1 for q in session.questions if q["part"] == "main")
    total = sum(r["answer"]["score"] for r in main)
    rated = [r for r in main if r["mark"] is not None]
    checks = []
    for part in ("before", "after"):
        done = [r for r in reviews if r["question"]["part"] == part]
        if done:
            score = sum(r["answer"]["score"] for r in done)
            checks.append(
                {
                    "part": part,
                    "label": PART_LABELS[part],
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
        "reviews": reviews,
    }


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
        s["score"] = round(s["score"], 2)
    return sorted(skills.values(), key=lambda s: s["tag"])
