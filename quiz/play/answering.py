"""Answering: read a submitted answer from the form, score it, store it once."""

from __future__ import annotations

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlite_utils import Database

from ..numbers import whole
from ..storage import queries
from ..storage.queries import Answers
from . import scoring
from .sessions import LoadedSession, PlayError, refreshed

REASON_MAX = 1000
WRITTEN_MAX = 3000

# Why an answer was refused, as the student reads it.
MESSAGES = {
    "ended": _l(
        "This homework closed on {when}, so it no longer takes answers. Your answers "
        "so far are kept: your summary shows them."
    ),
    "not_in_session": _l("That question is not part of this session. Reload and try again."),
    "bad_vote": _l("That vote is not one this question takes. Reload and try again."),
    "not_stored": _l("That answer could not be stored. Reload and try again."),
    "session_closed": _l("This session is closed, so it no longer takes answers."),
    "answers_closed": _l("Answers are closed for this question; wait for the next one."),
    "not_opened": _l("Wait for your facilitator to open this question."),
    "vote_again": _l("The second vote has started: talk to your table, then vote again."),
}


def takes_several(question: dict) -> bool:
    """Whether a student may choose several options (checkboxes rather than radios)."""
    return question["type"] == "multiple" or (
        question["type"] == "passage" and len(question["key"]) > 1
    )


def parse_response(question: dict, form) -> dict:
    """Turn submitted form fields into a response, or refuse with a 422.

    ``form`` is anything with ``getlist`` and ``get`` (a MultiDict).
    """
    qtype = question["type"]
    if qtype == "open":
        return {"text": written(form)}
    offered = [o["id"] for o in question["options"]]
    chosen = [v for v in form.getlist("option") if v != ""]
    if len(set(chosen)) != len(chosen) or any(v not in offered for v in chosen):
        raise PlayError(
            422, _("That answer is not one of the options offered. Reload and try again.")
        )
    if qtype == "order":
        chosen = order_from_form(question, form)
    elif not chosen:
        raise PlayError(422, _("Choose an answer before you submit."))
    elif qtype in ("single", "true_false", "cer") and len(chosen) != 1:
        raise PlayError(422, _("Choose one answer only."))
    response: dict = {"options": chosen}
    if qtype == "cer":
        offered_evidence = {str(n) for n in question["evidence_choices"]}
        evidence = form.getlist("evidence")
        if any(e not in offered_evidence for e in evidence) or len(set(evidence)) != len(evidence):
            raise PlayError(
                422, _("That passage is not one of those offered. Reload and try again.")
            )
        if not evidence:
            raise PlayError(422, _("Pick at least one passage as your evidence."))
        response["evidence"] = sorted(int(e) for e in evidence)
    return response


def written(form) -> str:
    """Read a written answer (the field ``text``), or refuse an empty or overlong one."""
    text = (form.get("text") or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise PlayError(422, _("Write your answer before you send it."))
    if len(text) > WRITTEN_MAX:
        raise PlayError(
            422, _("Keep your answer under %(most)s characters.", most=format_number(WRITTEN_MAX))
        )
    return text


def order_from_form(question: dict, form) -> list[str]:
    """Read an ordering from position fields named ``pos-<option id>``."""
    positions = {}
    for option in question["options"]:
        raw = form.get(f"pos-{option['id']}", "")
        position = whole(raw, low=1, high=len(question["options"]))
        if position is None:
            raise PlayError(422, _("Give every item a position."))
        positions[option["id"]] = position
    if len(set(positions.values())) != len(positions):
        raise PlayError(422, _("Give each item a different position."))
    return sorted(positions, key=positions.get)


def parse_extras(
    question: dict, form, asks_confidence: bool | None = None
) -> tuple[int | None, str | None]:
    """Read the optional confidence rating and written reason.

    ``asks_confidence``: whether the rating was asked (None: as the question says).
    """
    if asks_confidence is None:
        asks_confidence = bool(question.get("confidence"))
    confidence = None
    raw = form.get("confidence", "")
    if asks_confidence and raw != "":
        if raw not in ("1", "2", "3"):
            raise PlayError(422, _("Confidence must be 1, 2 or 3."))
        confidence = int(raw)
    reason = None
    if question.get("reason"):
        reason = (form.get("reason") or "").strip() or None
        if reason and len(reason) > REASON_MAX:
            raise PlayError(422, _("Keep your reason under %(most)s characters.", most=REASON_MAX))
    return confidence, reason


def grade(question: dict, form, asks_confidence: bool | None = None) -> dict:
    """Read and score an answer from form fields (nothing is stored)."""
    response = parse_response(question, form)
    confidence, reason = parse_extras(question, form, asks_confidence)
    value, parts = scoring.score(question, response)
    return {
        "response": response,
        "confidence": confidence,
        "reason": reason,
        "score": value,
        "parts": parts,
    }


def vote_of(session: LoadedSession, question: dict, form) -> int:
    """Read which vote an answer is (the form's ``vote``; the question's vote now when
    the form has none), or refuse with a 422."""
    raw = form.get("vote", "")
    if raw == "":
        return session.vote(question)
    if raw not in ("1", "2"):
        raise PlayError(422, MESSAGES["bad_vote"])
    return int(raw)


def submit(
    db: Database,
    session: LoadedSession,
    participant_id: str,
    form,
    answers: Answers | None = None,
) -> tuple[dict, dict]:
    """Validate and store one vote of an answer once; return (question, stored answer).

    A repeated submit returns the answer stored first for that vote, unchanged.
    ``answers`` is the participant's answers as ``queries.answers_of`` reads them, when
    the caller has them already; the stored answer is added to it.
    """
    if answers is None:
        answers = queries.answers_of(db, participant_id)
    question, vote, stored = read(session, form, answers)
    if stored is not None:
        return question, stored
    refuse_if_not_open(session, question, vote)
    answer = grade(question, form, session.asks_confidence(question))
    # The insert checks the state again itself: a close, lock, timeout or second vote
    # that landed since the session was read wins.
    stored = queries.insert_answer(db, participant_id, question, session.row["id"], answer, vote)
    if stored is None:
        refuse_if_not_open(refreshed(db, session), question, vote)
        # Still open: the same answer sent twice at once, and the other one came first.
        stored = queries.answer_for(db, participant_id, question["pk"], vote)
        if stored is None:
            raise PlayError(409, MESSAGES["not_stored"])
    record(answers, question, stored)
    return question, stored


def read(session: LoadedSession, form, answers: Answers) -> tuple[dict, int, dict | None]:
    """Read which question and vote a submitted answer is; return them with the answer
    already stored for that vote (a repeat), or None. Refuses an unknown question or vote."""
    pk = whole(form.get("question", ""))
    question = session.question(pk) if pk is not None else None
    if question is None:
        raise PlayError(422, MESSAGES["not_in_session"])
    vote = vote_of(session, question, form)
    return question, vote, answers.vote(question["pk"], vote)


def record(answers: Answers, question: dict, stored: dict) -> None:
    """Add a newly stored answer to the participant's answers (a second vote's to
    ``answers.second``)."""
    if question["pk"] in answers:
        answers.second[question["pk"]] = stored
    else:
        answers[question["pk"]] = stored


def refuse_if_not_open(session: LoadedSession, question: dict, vote: int = 1) -> None:
    """Refuse an answer to a question that does not take that vote now."""
    if session.ended:
        raise PlayError(409, MESSAGES["ended"].format(when=session.row["ends_label"]))
    if not session.is_open:
        raise PlayError(409, MESSAGES["session_closed"])
    if session.closed_for_answers(question):
        raise PlayError(409, MESSAGES["answers_closed"])
    if not session.is_open_for_answers(question):
        raise PlayError(409, MESSAGES["not_opened"])
    if vote != session.vote(question):
        raise PlayError(409, MESSAGES["vote_again" if vote == 1 else "not_opened"])
