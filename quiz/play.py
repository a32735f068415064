"""Sessions, joining, answering and summaries: the student side's logic."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlite_utils import Database

from . import queries, scoring
from .db import immediate

# No look-alikes: O/0, I/1/L are left out so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
NICKNAME_MAX = 30
REASON_MAX = 1000
PRACTICE_NICKNAME = "Practice"


class PlayError(Exception):
    """A refusal with the HTTP status and a message the student can act on."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


PARTS = ("before", "main", "after")
PART_LABELS = {"before": "Check before", "main": None, "after": "Check after"}


@dataclass
class Session:
    """A session, the set versions it runs and their questions in playing order.

    Each question carries its ``part`` (a check form before, the main set, a check
    form after) and its ``number`` in the whole sequence.
    """

    row: dict
    version: dict
    questions: list[dict]
    versions: dict[int, dict]

    @property
    def code(self) -> str:
        return self.row["code"]

    @property
    def is_open(self) -> bool:
        return self.row["status"] == "open"

    def question(self, pk: int) -> dict | None:
        return next((q for q in self.questions if q["pk"] == pk), None)

    def article(self, question: dict) -> dict:
        """Return the article a question rests on."""
        return self.versions[question["version_id"]]["body"]["article"]

    def passages(self, question: dict) -> list[str]:
        return self.article(question)["passages"]


def new_code() -> str:
    """Return a random join code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Read a typed code forgivingly: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def open_session(
    db: Database, slug: str, *, mode: str = "class", feedback: str = "now", checks: bool = False
) -> dict:
    """Open a session on the newest published version of a set.

    With ``checks``, the set's two check forms run before and after it.
    """
    version = queries.latest_published(db, slug)
    if version is None or version["kind"] != "main":
        raise PlayError(404, f"There is no published set '{slug}'.")
    if version["archived_at"]:
        raise PlayError(409, f"The set '{slug}' is archived; bring it back before using it.")
    check_ids = None
    if checks:
        forms = version["body"].get("check_forms", [])
        found = [queries.latest_published(db, s) for s in forms]
        if len(forms) != 2 or not all(found):
            raise PlayError(404, f"The set '{slug}' has no two published check forms.")
        check_ids = (found[0]["id"], found[1]["id"])
    for _ in range(20):
        row = queries.insert_session(db, new_code(), version["id"], mode, feedback, check_ids)
        if row is not None:
            return row
    raise RuntimeError("could not find a free join code")


def close_session(db: Database, code: str) -> dict:
    """Close a session by code and return it."""
    row = queries.session_by_code(db, normalise_code(code))
    if row is None:
        raise PlayError(404, f"There is no session with the code {code}.")
    queries.close_session(db, row["id"])
    return queries.session_by_code(db, row["code"])


def load_session(db: Database, code: str) -> Session:
    """Return a session with its versions and questions, or raise a 404."""
    row = queries.session_by_code(db, normalise_code(code))
    if row is None:
        raise PlayError(404, "There is no session with that code. Check the code and try again.")
    parts = {"before": row["check_before"], "main": row["version_id"], "after": row["check_after"]}
    versions, questions = {}, []
    for part in PARTS:
        version_id = parts[part]
        if version_id is None:
            continue
        versions[version_id] = queries.get_version(db, version_id)
        for q in queries.questions_of(db, version_id):
            questions.append({**q, "part": part, "version_id": version_id})
    for number, q in enumerate(questions, start=1):
        q["number"] = number
    return Session(row, versions[row["version_id"]], questions, versions)


def clean_nickname(nickname: str) -> str:
    """Trim a nickname and check its length."""
    nickname = " ".join(nickname.split())
    if not 1 <= len(nickname) <= NICKNAME_MAX:
        raise PlayError(422, f"Choose a nickname of 1 to {NICKNAME_MAX} characters.")
    return nickname


def join(db: Database, code: str, nickname: str) -> tuple[Session, str]:
    """Add a participant to an open class session; return it and the new id."""
    nickname = clean_nickname(nickname)
    session = load_session(db, code)
    if session.row["mode"] != "class":
        raise PlayError(404, "There is no session with that code. Check the code and try again.")
    if not session.is_open:
        raise PlayError(409, "This session is closed. Ask your teacher for a new code.")
    participant_id = secrets.token_urlsafe(18)
    if not queries.insert_participant(db, participant_id, session.row["id"], nickname):
        raise PlayError(409, "Someone in this session already uses that nickname. Choose another.")
    return session, participant_id


def start_practice(db: Database, slug: str) -> tuple[Session, str]:
    """Open a private practice session on a shared set for one student."""
    version = queries.latest_published(db, slug)
    if version is None or version["owner_id"] is not None:
        raise PlayError(404, f"There is no published set '{slug}'.")
    row = open_session(db, slug, mode="practice", feedback="now")
    participant_id = secrets.token_urlsafe(18)
    queries.insert_participant(db, participant_id, row["id"], PRACTICE_NICKNAME)
    return load_session(db, row["code"]), participant_id


def parse_response(question: dict, form) -> dict:
    """Turn submitted form fields into a response, or refuse with a 422.

    ``form`` is anything with ``getlist`` and ``get`` (a MultiDict).
    """
    qtype = question["type"]
    offered = [o["id"] for o in question["options"]]
    chosen = [v for v in form.getlist("option") if v != ""]
    if len(set(chosen)) != len(chosen) or any(v not in offered for v in chosen):
        raise PlayError(422, "That answer is not one of the options offered. Reload and try again.")
    if qtype == "order":
        chosen = order_from_form(question, form)
    elif not chosen:
        raise PlayError(422, "Choose an answer before you submit.")
    elif qtype in ("single", "true_false", "cer") and len(chosen) != 1:
        raise PlayError(422, "Choose one answer only.")
    response: dict = {"options": chosen}
    if qtype == "cer":
        offered_evidence = {str(n) for n in question["evidence_choices"]}
        evidence = form.getlist("evidence")
        if any(e not in offered_evidence for e in evidence) or len(set(evidence)) != len(evidence):
            raise PlayError(422, "That passage is not one of those offered. Reload and try again.")
        if not evidence:
            raise PlayError(422, "Pick at least one passage as your evidence.")
        response["evidence"] = sorted(int(e) for e in evidence)
    return response


def order_from_form(question: dict, form) -> list[str]:
    """Read an ordering from position fields named ``pos-<option id>``."""
    positions = {}
    for option in question["options"]:
        raw = form.get(f"pos-{option['id']}", "")
        if not raw.isdigit() or not 1 <= int(raw) <= len(question["options"]):
            raise PlayError(422, "Give every item a position.")
        positions[option["id"]] = int(raw)
    if len(set(positions.values())) != len(positions):
        raise PlayError(422, "Give each item a different position.")
    return sorted(positions, key=positions.get)


def parse_extras(question: dict, form) -> tuple[int | None, str | None]:
    """Read the optional confidence rating and written reason."""
    confidence = None
    raw = form.get("confidence", "")
    if question.get("confidence") and raw != "":
        if raw not in ("1", "2", "3"):
            raise PlayError(422, "Confidence must be 1, 2 or 3.")
        confidence = int(raw)
    reason = None
    if question.get("reason"):
        reason = (form.get("reason") or "").strip() or None
        if reason and len(reason) > REASON_MAX:
            raise PlayError(422, f"Keep your reason under {REASON_MAX} characters.")
    return confidence, reason


def submit(db: Database, session: Session, participant_id: str, form) -> tuple[dict, dict]:
    """Validate and store an answer once; return (question, stored answer).

    A repeated submit returns the answer stored first, unchanged.
    """
    raw_pk = form.get("question", "")
    question = session.question(int(raw_pk)) if raw_pk.isdigit() else None
    if question is None:
        raise PlayError(422, "That question is not part of this session. Reload and try again.")
    stored = queries.answer_for(db, participant_id, question["pk"])
    if stored is not None:
        return question, stored
    if not session.is_open:
        raise PlayError(409, "This session is closed, so it no longer takes answers.")
    response = parse_response(question, form)
    confidence, reason = parse_extras(question, form)
    value, parts = scoring.score(question, response)
    answer = {
        "response": response,
        "confidence": confidence,
        "reason": reason,
        "score": value,
        "parts": parts,
    }
    with immediate(db):
        # Re-read inside the lock: a close that landed meanwhile wins.
        current = queries.session_by_code(db, session.code)
        if current["status"] != "open":
            raise PlayError(409, "This session is closed, so it no longer takes answers.")
        queries.insert_answer(db, participant_id, question["pk"], answer)
    return question, queries.answer_for(db, participant_id, question["pk"])


def next_question(session: Session, answers: dict[int, dict]) -> dict | None:
    """Return the first question not yet answered, or None when all are."""
    return next((q for q in session.questions if q["pk"] not in answers), None)


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


def review(question: dict, answer: dict, passages: list[str]) -> dict:
    """Build what the feedback shows for one answered question."""
    chosen = answer["response"].get("options", [])
    right = scoring.is_right(answer["score"])
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
        "question": question,
        "answer": answer,
        "right": right,
        "partial": not right and answer["score"] > 0,
        "percent": round(answer["score"] * 100),
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
