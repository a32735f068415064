"""Sessions, joining, answering and summaries: the student side's logic."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from . import scoring
from .numbers import whole
from .refusal import Refusal
from .storage import queries
from .storage.connection import immediate

# No look-alikes: O/0, I/1/L are left out so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
NICKNAME_MAX = 30
REASON_MAX = 1000
PRACTICE_NICKNAME = "Practice"


class PlayError(Refusal):
    """A refusal on the student side (joining, answering)."""


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
    teams: list[dict] = field(default_factory=list)
    marks: dict[int, dict] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.row["code"]

    @property
    def is_open(self) -> bool:
        return self.row["status"] == "open"

    @property
    def led(self) -> bool:
        """Whether the facilitator moves the room from question to question."""
        return self.row["pace"] == "led"

    @property
    def feedback(self) -> str:
        return self.row["feedback"]

    @property
    def current(self) -> int | None:
        """The question number the facilitator has opened (led sessions)."""
        return self.row["current_number"]

    def question(self, pk: int) -> dict | None:
        for q in self.questions:
            if q["pk"] == pk:
                return q
        return None

    def article(self, question: dict) -> dict:
        """Return the article a question rests on."""
        return self.versions[question["version_id"]]["body"]["article"]

    def passages(self, question: dict) -> list[str]:
        return self.article(question)["passages"]

    def locked(self, question: dict) -> bool:
        return bool(self.marks.get(question["pk"], {}).get("locked_at"))

    def revealed(self, question: dict) -> bool:
        return bool(self.marks.get(question["pk"], {}).get("revealed_at"))

    def is_open_for_answers(self, question: dict) -> bool:
        """Whether a question takes answers now."""
        if not self.is_open or self.locked(question):
            return False
        return not self.led or (self.current is not None and question["number"] <= self.current)


def new_code() -> str:
    """Return a random join code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Read a typed code forgivingly: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def open_session(
    db: Database,
    slug: str,
    *,
    mode: str = "class",
    feedback: str = "now",
    checks: bool = False,
    pace: str = "self",
    title: str | None = None,
    owner_id: int | None = None,
    teams: list[str] | tuple[str, ...] = (),
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
    settings = {
        "mode": mode,
        "feedback": feedback,
        "pace": pace,
        "title": title,
        "owner_id": owner_id,
        "checks": check_ids,
    }
    for _ in range(20):
        with immediate(db):
            row = queries.insert_session(db, new_code(), version["id"], settings)
            if row is None:
                continue
            for position, name in enumerate(teams, start=1):
                queries.insert_team(db, row["id"], name, position)
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
    found = queries.session_with_state(db, normalise_code(code))
    if found is None:
        raise PlayError(404, "There is no session with that code. Check the code and try again.")
    row, hashes, teams, marks = found
    versions, questions = _played(db, row, hashes)
    return Session(row, versions[row["version_id"]], questions, versions, teams, marks)


def refreshed(db: Database, session: Session) -> Session:
    """Return the session with its state (row, locks, reveals) read again.

    The questions and versions never change, so they are kept: this is two small
    reads, used to say why an answer was refused after its insert found the question
    closed.
    """
    row = queries.session_by_code(db, session.code)
    return replace(session, row=row, marks=queries.question_marks(db, row["id"]))


# A published version never changes, so what a session plays (the versions with their
# parsed bodies, the questions in order) is kept per process. The key holds each
# version's content hash as well as its id: an id could come back after a set is
# deleted. Everything kept here is shared between requests and read-only.
_PLAYED: dict[tuple, tuple[dict[int, dict], list[dict]]] = {}
_PLAYED_MAX = 256


def _played(db: Database, row: dict, hashes: dict[int, str]) -> tuple[dict[int, dict], list[dict]]:
    """Return the versions a session plays and its questions in order; ``hashes`` is
    each version's content hash by id, read with the session row."""
    parts = [
        (part, version_id)
        for part, version_id in zip(
            PARTS, (row["check_before"], row["version_id"], row["check_after"]), strict=True
        )
        if version_id is not None
    ]
    key = tuple((part, version_id, hashes.get(version_id)) for part, version_id in parts)
    found = _PLAYED.get(key)
    if found is not None:
        return found
    versions, questions = {}, []
    for part, version_id in parts:
        version = queries.get_version(db, version_id)
        versions[version_id] = version
        for q in queries.questions_of(db, version_id):
            questions.append({**q, "part": part, "version_id": version_id})
    for number, q in enumerate(questions, start=1):
        q["number"] = number
    if len(_PLAYED) >= _PLAYED_MAX:
        _PLAYED.clear()
    _PLAYED[key] = (versions, questions)
    return versions, questions


def clean_nickname(nickname: str) -> str:
    """Trim a nickname, drop control characters, and check it has something to read."""
    nickname = "".join(ch for ch in nickname if unicodedata.category(ch) != "Cc" or ch.isspace())
    nickname = " ".join(nickname.split())
    # Invisible format characters alone (zero-width spaces...) make no readable name.
    visible = [ch for ch in nickname if unicodedata.category(ch) not in ("Cf", "Zs")]
    if not visible or not 1 <= len(nickname) <= NICKNAME_MAX:
        raise PlayError(422, f"Choose a nickname of 1 to {NICKNAME_MAX} characters.")
    return nickname


def join(
    db: Database, code: str, nickname: str, team_id: str | int | None = None
) -> tuple[Session, str]:
    """Add a participant to an open class session; return it and the new id."""
    nickname = clean_nickname(nickname)
    session = load_session(db, code)
    if session.row["mode"] != "class":
        raise PlayError(404, "There is no session with that code. Check the code and try again.")
    if not session.is_open:
        raise PlayError(409, "This session is closed. Ask your teacher for a new code.")
    team = None
    if session.teams:
        team = next((t for t in session.teams if str(t["id"]) == str(team_id)), None)
        if team is None:
            raise PlayError(422, "Choose your table or team.")
    participant_id = secrets.token_urlsafe(18)
    with immediate(db):
        # No state bump: that would make every waiting screen re-render; the
        # facilitator's views count participants themselves.
        if not queries.insert_participant(
            db, participant_id, session.row["id"], nickname, team and team["id"]
        ):
            raise PlayError(
                409, "Someone in this session already uses that nickname. Choose another."
            )
    return session, participant_id


def rejoin(db: Database, code: str, nickname: str, rejoin_code: str) -> tuple[Session, str]:
    """Let a student back in under their nickname with a facilitator's rejoin code."""
    session = load_session(db, code)
    nickname = clean_nickname(nickname)
    found = queries.participant_by_nickname(db, session.row["id"], nickname)
    digest = rejoin_digest(rejoin_code)
    if (
        found is None
        or not found["rejoin_hash"]
        or not secrets.compare_digest(found["rejoin_hash"], digest)
        or found["rejoin_expires"] <= queries.now()
    ):
        raise PlayError(
            403,
            "That rejoin code does not match this nickname. Ask your facilitator for a new one.",
        )
    queries.clear_rejoin(db, found["id"])
    return session, found["id"]


def rejoin_digest(rejoin_code: str) -> str:
    """Hash a rejoin code for storage and comparison."""
    return hashlib.sha256(normalise_code(rejoin_code or "").encode()).hexdigest()


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
        position = whole(raw, low=1, high=len(question["options"]))
        if position is None:
            raise PlayError(422, "Give every item a position.")
        positions[option["id"]] = position
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


def grade(question: dict, form) -> dict:
    """Read and score an answer from form fields (nothing is stored)."""
    response = parse_response(question, form)
    confidence, reason = parse_extras(question, form)
    value, parts = scoring.score(question, response)
    return {
        "response": response,
        "confidence": confidence,
        "reason": reason,
        "score": value,
        "parts": parts,
    }


def submit(
    db: Database,
    session: Session,
    participant_id: str,
    form,
    answers: dict[int, dict] | None = None,
) -> tuple[dict, dict]:
    """Validate and store an answer once; return (question, stored answer).

    A repeated submit returns the answer stored first, unchanged. ``answers`` is the
    participant's answers as ``queries.answers_of`` reads them, when the caller has
    them already; the stored answer is added to it.
    """
    pk = whole(form.get("question", ""))
    question = session.question(pk) if pk is not None else None
    if question is None:
        raise PlayError(422, "That question is not part of this session. Reload and try again.")
    if answers is None:
        answers = queries.answers_of(db, participant_id)
    stored = answers.get(question["pk"])
    if stored is not None:
        return question, stored
    refuse_if_not_open(session, question)
    answer = grade(question, form)
    # The insert checks the state again itself: a close or lock that landed since the
    # session was read wins.
    stored = queries.insert_answer(db, participant_id, question, session.row["id"], answer)
    if stored is None:
        refuse_if_not_open(refreshed(db, session), question)
        # Still open: the same answer sent twice at once, and the other one came first.
        stored = queries.answer_for(db, participant_id, question["pk"])
        if stored is None:
            raise PlayError(409, "That answer could not be stored. Reload and try again.")
    answers[question["pk"]] = stored
    return question, stored


def refuse_if_not_open(session: Session, question: dict) -> None:
    """Refuse an answer to a question that does not take answers now."""
    if not session.is_open:
        raise PlayError(409, "This session is closed, so it no longer takes answers.")
    if session.locked(question):
        raise PlayError(409, "This question is closed now: your facilitator has moved on.")
    if not session.is_open_for_answers(question):
        raise PlayError(409, "Wait for your facilitator to open this question.")


def next_question(session: Session, answers: dict[int, dict]) -> dict | None:
    """Return the first question this student can answer now, or None."""
    return next(
        (q for q in session.questions if q["pk"] not in answers and session.is_open_for_answers(q)),
        None,
    )


def finished(session: Session, answers: dict[int, dict]) -> bool:
    """Whether the student is done and may see the summary.

    Done means everything answered (and, where the facilitator reveals answers,
    revealed), or the session closed.
    """
    if not session.is_open:
        return True
    if not all(q["pk"] in answers for q in session.questions):
        return False
    return session.feedback != "reveal" or all(session.revealed(q) for q in session.questions)


def feedback_open(session: Session, question: dict, answers: dict[int, dict]) -> bool:
    """Whether the feedback on an answered question may be shown yet."""
    if session.feedback == "now":
        return True
    if session.feedback == "reveal":
        return session.revealed(question) or not session.is_open
    return finished(session, answers)


def view_key(session: Session, answers: dict[int, dict], last: dict | None = None) -> str:
    """Name what this student should see now; a poll compares it with what they see.

    ``last`` is the question they last answered, when they are looking at it.
    """
    current = next_question(session, answers)
    if last is not None and last["pk"] in answers:
        if feedback_open(session, last, answers):
            return f"feedback:{last['pk']}"
        if session.feedback == "reveal" and session.is_open:
            return f"pending:{last['pk']}"
    if current is not None:
        return f"question:{current['pk']}"
    if finished(session, answers):
        return "summary"
    return "wait"
