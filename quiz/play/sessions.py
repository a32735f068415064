"""A session as a student plays it: opened on a published set, loaded with the set
versions it runs and their questions in order, closed."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlite_utils import Database

from .. import clock
from ..refusal import Refusal
from ..sets.vocabulary import CONFIDENCE_MODES, PARTS
from ..storage import queries
from ..storage.connection import immediate
from ..web.cache import Cache, freeze

# No look-alikes: O/0, I/1/L are left out so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


class PlayError(Refusal):
    """A refusal on the student side (joining, answering)."""


@dataclass
class LoadedSession:
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
        """Whether the session takes answers: not closed, and not past its end."""
        return self.row["status"] == "open" and not self.ended

    @property
    def ended(self) -> bool:
        """Whether a homework session's end has come (quiz.clock's time)."""
        ends_at = self.row.get("ends_at")
        return ends_at is not None and clock.stamp() >= ends_at

    @property
    def joining_locked(self) -> bool:
        """Whether the facilitator has locked joining (rejoin codes still work)."""
        return bool(self.row.get("joining_locked_at"))

    @property
    def word_filter(self) -> bool:
        """Whether nicknames on the word list are refused."""
        return bool(self.row.get("word_filter"))

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

    @property
    def misconceptions(self) -> dict[str, dict]:
        """The misconception labels its versions were published with (id -> {label,
        description}): what its reports and live view name."""
        labels: dict[str, dict] = {}
        for version in self.versions.values():
            labels.update(version.get("misconceptions") or {})
        return labels

    def asks_confidence(self, question: dict) -> bool:
        """Whether students rate how sure they are on a question in this session: as
        its set says, on every question, or never (the session's ``confidence``)."""
        mode = self.row.get("confidence") or "set"
        return mode == "always" or (mode == "set" and bool(question.get("confidence")))

    @property
    def has_written(self) -> bool:
        """Whether the session has written questions to mark (type open)."""
        return any(q["type"] == "open" for q in self.questions)

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

    @property
    def shuffled(self) -> bool:
        """Whether each participant sees the options in an order of their own."""
        return bool(self.row.get("shuffle"))

    @property
    def timer(self) -> int | None:
        """Seconds each question stays open once the facilitator opens it, or None."""
        return self.row.get("timer")

    def locked(self, question: dict) -> bool:
        """Whether the facilitator locked a question (its timer aside)."""
        return bool(self.marks.get(question["pk"], {}).get("locked_at"))

    def revealed(self, question: dict) -> bool:
        return bool(self.marks.get(question["pk"], {}).get("revealed_at"))

    def explained(self, question: dict) -> bool:
        """Whether the room screen moved on from a revealed question's answers to its
        Why and evidence (the second step of a reveal)."""
        return bool(self.marks.get(question["pk"], {}).get("explained_at"))

    def deadline(self, question: dict) -> str | None:
        """When a question's timer runs out (a stored UTC time), or None."""
        return self.marks.get(question["pk"], {}).get("deadline")

    def time_left(self, question: dict) -> int | None:
        """Whole seconds until a question's timer runs out (0 when it has), or None."""
        deadline = self.deadline(question)
        if deadline is None:
            return None
        left = (dt.datetime.fromisoformat(deadline) - clock.utcnow()).total_seconds()
        return max(0, int(left + 0.999))

    def timed_out(self, question: dict) -> bool:
        return self.time_left(question) == 0

    def closed_for_answers(self, question: dict) -> bool:
        """Whether a question stopped taking answers: locked, or its time is up."""
        return self.locked(question) or self.timed_out(question)

    def vote(self, question: dict) -> int:
        """The vote a question takes now: 1, or 2 after the facilitator asked again."""
        return self.marks.get(question["pk"], {}).get("vote") or 1

    def is_open_for_answers(self, question: dict) -> bool:
        """Whether a question takes answers now."""
        if not self.is_open or self.closed_for_answers(question):
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
    word_filter: bool = False,
    confidence: str = "set",
    plan: list[str] | None = None,
    shuffle: bool = False,
    timer: int | None = None,
    ends: tuple[str, str] | None = None,
    language: str | None = None,
) -> dict:
    """Open a session on the newest published version of a set.

    With ``checks``, the set's two check forms run before and after it; with
    ``word_filter``, nicknames on the word list are refused. ``confidence``: ask how
    sure students are as the set says, ``always`` or ``never``. ``plan``: the ids of the
    main set's questions to run, in order (None: all, in the set's order); ``shuffle``:
    options in an order of each participant's own; ``timer``: seconds each question of
    a led session stays open (None: no timer); with ``ends`` (the UTC time, and how it
    reads for students), a self-paced session stops taking answers by itself.
    ``language``: the interface's language its students see (None: the set's, when the
    interface has it).
    """
    if confidence not in CONFIDENCE_MODES:
        raise PlayError(422, _("Choose when students are asked how sure they are."), "confidence")
    version = _runnable_version(db, slug)
    check_ids = _check_form_ids(db, slug, version) if checks else None
    settings = {
        "mode": mode,
        "feedback": feedback,
        "pace": pace,
        "title": title,
        "owner_id": owner_id,
        "checks": check_ids,
        "word_filter": word_filter,
        "confidence": confidence,
        "plan": plan,
        "shuffle": shuffle,
        "timer": timer,
        "ends": ends,
        "language": language,
    }
    return _insert_session(db, version["id"], settings, teams)


def _runnable_version(db: Database, slug: str) -> dict:
    """The newest published version of a main set that is not archived, or a refusal."""
    version = queries.latest_published(db, slug)
    if version is None or version["kind"] != "main":
        raise PlayError(404, _("There is no published set '%(slug)s'.", slug=slug))
    if version["archived_at"]:
        raise PlayError(
            409, _("The set '%(slug)s' is archived; bring it back before using it.", slug=slug)
        )
    return version


def _check_form_ids(db: Database, slug: str, version: dict) -> tuple[int, int]:
    """The version ids of the set's two check forms (before, after), or a refusal."""
    forms = version["body"].get("check_forms", [])
    found = [queries.latest_published(db, s) for s in forms]
    if len(forms) != 2 or not all(found):
        raise PlayError(404, _("The set '%(slug)s' has no two published check forms.", slug=slug))
    return (found[0]["id"], found[1]["id"])


def _insert_session(
    db: Database, version_id: int, settings: dict, teams: list[str] | tuple[str, ...]
) -> dict:
    """Store the session and its teams under a join code no other session has."""
    for _attempt in range(20):
        with immediate(db):
            row = queries.insert_session(db, new_code(), version_id, settings)
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
        raise PlayError(404, _("There is no session with the code %(code)s.", code=code))
    queries.close_session(db, row["id"])
    return queries.session_by_code(db, row["code"])


def load_session(db: Database, code: str, cache: Cache | None = None) -> LoadedSession:
    """Return a session with its versions and questions, or raise a 404.

    A published version never changes, so what a session plays (the versions with
    their parsed bodies, the questions in order) is kept in ``cache`` (the app's, in a
    request) under each version's id and content hash. It comes out frozen: shared
    between requests, and read-only.
    """
    found = queries.session_with_state(db, normalise_code(code))
    if found is None:
        raise PlayError(404, _("There is no session with that code. Check the code and try again."))
    return _loaded(db, *found, cache)


def kept_session(db: Database, code: str, cache: Cache) -> LoadedSession:
    """Return the session as ``load_session`` does, its state decoded once per state.

    The session's row, teams and marks are read on every call, in the same one
    statement; what they decode to is kept in ``cache`` under everything that
    statement returned (``queries.session_state_raw``), so any change to any of them,
    by any writer, is a new key. The state comes out frozen, as every cached value.
    """
    raw = queries.session_state_raw(db, normalise_code(code))
    if raw is None:
        raise PlayError(404, _("There is no session with that code. Check the code and try again."))
    key = ("session state", *raw)  # the column names and the values
    return cache.get(key, lambda: _loaded(db, *freeze(queries.decode_state(*raw)), cache))


def _loaded(
    db: Database, row: dict, hashes: dict, teams: list, marks: dict, cache: Cache | None
) -> LoadedSession:
    """The session of a decoded state, with its versions and questions (kept in
    ``cache`` under each version's id and content hash)."""
    parts = [
        (part, version_id)
        for part, version_id in zip(
            PARTS, (row["check_before"], row["version_id"], row["check_after"]), strict=True
        )
        if version_id is not None
    ]
    plan = None if row.get("plan") is None else tuple(json.loads(row["plan"]))
    if cache is None:
        versions, questions = freeze(_played(db, parts, plan))
    else:
        key = ("played", *((part, v, hashes.get(v)) for part, v in parts), plan)
        versions, questions = cache.get(key, lambda: _played(db, parts, plan))
    return LoadedSession(row, versions[row["version_id"]], questions, versions, teams, marks)


def refreshed(db: Database, session: LoadedSession) -> LoadedSession:
    """Return the session with its state (row, locks, reveals) read again.

    The questions and versions never change, so they are kept: this is two small
    reads, used to say why an answer was refused after its insert found the question
    closed.
    """
    row = queries.session_by_code(db, session.code)
    return replace(session, row=row, marks=queries.question_marks(db, row["id"]))


def _played(
    db: Database, parts: list[tuple[str, int]], plan: tuple[str, ...] | None = None
) -> tuple[dict[int, dict], list[dict]]:
    """Read the versions a session plays and its questions, numbered in playing order.

    ``plan`` picks and orders the main set's questions by id (None: all, as the set
    orders them); the check forms always run whole.
    """
    versions, questions = {}, []
    for part, version_id in parts:
        versions[version_id] = queries.get_version(db, version_id)
        found = queries.questions_of(db, version_id)
        if part == "main" and plan is not None:
            by_id = {q["id"]: q for q in found}
            found = [by_id[qid] for qid in plan if qid in by_id]
        for q in found:
            questions.append({**q, "part": part, "version_id": version_id})
    for number, q in enumerate(questions, start=1):
        q["number"] = number
    return versions, questions
