"""The question editor's form fields, read into a draft question and written back.

``question_from_form`` reads the editor's fields (the validator judges the result);
``editor_rows`` and ``evidence_fields`` give the form what to show.
"""

from __future__ import annotations

from ..numbers import whole
from ..sets.validation import OPTION_ID
from ..sets.vocabulary import DIFFICULTIES, SKILLS, TYPES

OPTION_IDS = "abcdefgh"


def _ints(values: list[str], limit: int) -> list[int]:
    out = []
    for v in values:
        n = whole(v, low=1, high=limit)
        if n is not None and n not in out:
            out.append(n)
    return sorted(out)


def question_from_form(form, passages: list[str], old: dict) -> dict:
    """Build a draft question from the editor's fields (the validator judges it).

    Field names: stem, type, difficulty, skills, explanation, teacher_note,
    confidence, reason, discernment, evidence_passage (passage numbers quoted
    whole), evidence_quotes (one exact quote per line), and per option row n:
    opt-n-text, opt-n-passage, opt-n-feedback, opt-n-misconception, opt-n-correct,
    opt-n-position; for cer: evidence_choice, evidence_right, evidence_feedback.
    """
    qtype = form.get("type") if form.get("type") in TYPES else old.get("type", "single")
    skills = [s for s in form.getlist("skills") if s in SKILLS][:2]
    if set(skills) == set(old.get("skills") or []):
        skills = list(old["skills"])  # checkboxes lose the order; keep the author's
    q: dict = {
        "id": old["id"],
        "type": qtype,
        "skills": skills,
        "difficulty": form.get("difficulty") if form.get("difficulty") in DIFFICULTIES else "",
        "stem": (form.get("stem") or "").strip(),
        "explanation": (form.get("explanation") or "").strip(),
    }
    note = (form.get("teacher_note") or "").strip()
    if note:
        q["teacher_note"] = note
    for flag in ("confidence", "reason", "discernment"):
        if form.get(flag):
            q[flag] = True
    evidence = [passages[n - 1] for n in _ints(form.getlist("evidence_passage"), len(passages))]
    for line in (form.get("evidence_quotes") or "").splitlines():
        line = line.strip()
        if line and line not in evidence:
            evidence.append(line)
    q["evidence"] = evidence

    rows = []
    for n in range(8):
        prefix = f"opt-{n}-"
        text = (form.get(prefix + "text") or "").strip()
        passage = form.get(prefix + "passage") or ""
        feedback = (form.get(prefix + "feedback") or "").strip()
        if qtype == "true_false":
            if n > 1:
                break
            text = "True" if n == 0 else "False"
        elif not (text or feedback or (qtype == "passage" and whole(passage) is not None)):
            continue
        rows.append((n, text, passage, feedback))
    options, key, positions = [], [], {}
    # Keep the ids options already have (answers and keys refer to them).
    kept = [(form.get(f"opt-{n}-id") or "").strip() for n, *_ in rows]
    used = {oid for oid in kept if OPTION_ID.match(oid)}
    spare = (oid for oid in OPTION_IDS + "ijklmnop" if oid not in used)
    for index, (n, text, passage, feedback) in enumerate(rows):
        if qtype == "true_false":
            oid = ("true", "false")[n]
        elif OPTION_ID.match(kept[index]) and kept[index] not in kept[:index]:
            oid = kept[index]
        else:
            oid = next(spare)
        option: dict = {"id": oid, "feedback": feedback}
        if qtype == "passage":
            option["passage"] = whole(passage) or 0
        else:
            option["text"] = text
        misconception = (form.get(f"opt-{n}-misconception") or "").strip()
        if misconception:
            option["misconception"] = misconception
        options.append(option)
        if qtype == "order":
            raw_pos = form.get(f"opt-{n}-position") or ""
            position = whole(raw_pos)
            positions[oid] = position if position is not None else 99 + index
        elif form.get(f"opt-{n}-correct"):
            key.append(oid)
    if qtype == "order":
        key = sorted(positions, key=lambda oid: positions[oid])
    q["options"] = options
    q["key"] = key
    if qtype == "cer":
        choices = _ints(form.getlist("evidence_choice"), len(passages))
        right = _ints(form.getlist("evidence_right"), len(passages))
        q["evidence_choices"] = sorted(set(choices) | set(right))
        q["evidence_key"] = right
        q["evidence_feedback"] = (form.get("evidence_feedback") or "").strip()
    return q


def editor_rows(q: dict, passages: list[str]) -> list[dict]:
    """Return the option rows the editor shows: the question's, plus blanks up to 6."""
    key = q.get("key") or []
    rows = []
    for n, o in enumerate(q.get("options") or []):
        rows.append(
            {
                "n": n,
                "id": o.get("id"),
                "text": o.get("text", ""),
                "passage": o.get("passage"),
                "feedback": o.get("feedback", ""),
                "misconception": o.get("misconception", ""),
                "correct": o.get("id") in key,
                "position": key.index(o["id"]) + 1 if o.get("id") in key else None,
            }
        )
    if q.get("type") != "true_false":
        # Blank rows to add options without JavaScript: up to 6, and one spare, at most 8.
        while len(rows) < min(8, max(6, len(q.get("options") or []) + 1)):
            rows.append(
                {
                    "n": len(rows),
                    "id": None,
                    "text": "",
                    "passage": None,
                    "feedback": "",
                    "misconception": "",
                    "correct": False,
                    "position": None,
                }
            )
    return rows


def evidence_fields(q: dict, passages: list[str]) -> tuple[list[int], str]:
    """Split a question's evidence into whole passages (numbers) and other quotes."""
    whole, quotes = [], []
    for quote in q.get("evidence") or []:
        if quote in passages:
            whole.append(passages.index(quote) + 1)
        else:
            quotes.append(quote)
    return whole, "\n".join(quotes)
