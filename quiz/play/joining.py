"""Joining a session: nicknames, teams, the facilitator's rejoin code, and practice.

Nicknames are cleaned and refused as ``play.nicknames`` says; two that look alike
(the same confusable skeleton, stored with each participant under a unique index per
session) count as taken; in a session with the word filter on, a nickname on the word
list is refused. Every join and practice start is counted by ``play.limits``. A device
that joined comes back as the same participant by the code alone (``resume``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlite_utils import Database

from ..storage import queries
from ..storage.connection import immediate
from ..web.cache import Cache
from . import counterbalance, limits, nicknames
from .limits import Limits
from .sessions import LoadedSession, PlayError, load_session, normalise_code, open_session

PRACTICE_NICKNAME = "Practice"
MESSAGES = {
    "locked": _l("Joining this session is locked. Ask your facilitator."),
    "blocked": _l("That nickname is not allowed in this session. Choose another."),
    # Taken on another device (the same device resumes without asking: see resume).
    "taken": _l(
        "Someone in this session already uses that nickname, or one that looks like it. "
        "If this is you on a new device, ask your teacher for a rejoin code; if not, choose "
        "another nickname."
    ),
}


@dataclass(frozen=True)
class Arrival:
    """Who asks to join, and the rules that apply.

    ``client`` is the keyed hash of the client's address (``limits.client_id``);
    ``previous`` the participant id this browser's cookie already holds for the session.
    """

    client: str = "unknown"
    previous: str | None = None
    limits: Limits = field(default_factory=Limits)
    words_file: Path = nicknames.WORDS_FILE


WORDS_MAX = 20_000  # characters in the whole list
WORD_MAX = 60  # characters in one entry


def save_word_list(db: Database, text: str, account_id: int) -> frozenset[str]:
    """Store an administrator's word list for the filter; return its entries.

    Refused (422): a list over WORDS_MAX characters, an entry over WORD_MAX, or an
    entry with fewer than two letters besides * (it would refuse nearly every name).
    """
    text = (text or "").replace("\r\n", "\n")
    if len(text) > WORDS_MAX:
        raise PlayError(
            422, _("Keep the list under %(most)s characters.", most=f"{WORDS_MAX:,}"), "words"
        )
    words = nicknames.parse_words(text)
    for entry in sorted(words):
        if len(entry) > WORD_MAX:
            raise PlayError(
                422, _("Keep each entry under %(word_max)s characters.", word_max=WORD_MAX), "words"
            )
        if sum(char.isalnum() for char in entry) < 2:
            raise PlayError(
                422,
                _(
                    "The entry “%(entry)s” would refuse nearly every nickname. Give each entry at "
                    "least two letters.",
                    entry=entry,
                ),
                "words",
            )
    queries.save_nickname_words(db, text, account_id)
    return words


def clean_nickname(nickname: str) -> str:
    """Return a nickname normalised, or refuse it (422) saying why."""
    try:
        return nicknames.clean(nickname)
    except nicknames.NicknameRefused as exc:
        raise PlayError(422, exc.message, "nickname") from None


def word_list(db: Database, path: Path, cache: Cache | None = None) -> frozenset[str]:
    """Return the word filter's list: as an administrator saved it, else the file's.

    The file is read again when it changes (its size and time are in the cache key).
    """
    saved = queries.nickname_words(db)
    if saved is not None:
        return nicknames.parse_words(saved)
    if cache is None:
        return nicknames.load_words(path)
    seen = path.stat()
    key = ("nickname words", str(path), seen.st_size, seen.st_mtime_ns)
    return cache.get(key, lambda: nicknames.load_words(path))


def join(
    db: Database,
    code: str,
    nickname: str,
    team_id: str | int | None = None,
    cache: Cache | None = None,
    arrival: Arrival | None = None,
) -> tuple[LoadedSession, str]:
    """Add a participant to an open class session; return it and the new id."""
    nickname = clean_nickname(nickname)
    session = load_session(db, code, cache)
    return session, _admit(db, session, nickname, team_id, cache, arrival or Arrival())


def _refuse_closed(session: LoadedSession) -> None:
    """Refuse a join to a session that is not a class session open for joining."""
    if session.row["mode"] != "class":
        raise PlayError(404, _("There is no session with that code. Check the code and try again."))
    if session.ended:
        raise PlayError(
            409,
            _(
                "This homework closed on %(ends_label)s. Ask your teacher.",
                ends_label=session.row["ends_label"],
            ),
        )
    if not session.is_open:
        raise PlayError(409, _("This session is closed. Ask your teacher for a new code."))
    if session.row["joining_locked_at"]:
        raise PlayError(409, MESSAGES["locked"], "code")


def _admit(
    db: Database,
    session: LoadedSession,
    nickname: str,
    team_id: str | int | None,
    cache: Cache | None,
    arrival: Arrival,
) -> str:
    """Add a participant with a clean nickname to a loaded session; return the new id."""
    _refuse_closed(session)
    if session.row["word_filter"] and nicknames.is_blocked(
        nickname, word_list(db, arrival.words_file, cache)
    ):
        raise PlayError(422, MESSAGES["blocked"], "nickname")
    team = None
    if session.teams:
        team = next((t for t in session.teams if str(t["id"]) == str(team_id)), None)
        if team is None:
            raise PlayError(422, _("Choose your table or team."), "team")
    participant_id = secrets.token_urlsafe(18)
    refused, inserted = None, False
    # The join's counts, its checks and the insert in one transaction: one commit (one
    # fsync) a join rather than four, while a class joins at once (issue 19). A join
    # refused by a limit or a taken nickname keeps its counts: the transaction commits.
    with immediate(db):
        try:
            limits.check_join(
                db, session.row["id"], arrival.client, arrival.previous, arrival.limits
            )
        except PlayError as exc:
            refused = exc
        else:
            # No state bump: that would make every waiting screen re-render; the
            # facilitator's views count participants themselves.
            order = counterbalance.assign(db, session.row, team and team["id"])
            inserted = queries.insert_participant(
                db,
                participant_id,
                session.row["id"],
                nickname,
                nicknames.skeleton(nickname),
                team and team["id"],
                arrival.client,
                order,
            )
    if refused is not None:
        raise refused
    if not inserted:
        raise PlayError(409, MESSAGES["taken"], "nickname")
    return participant_id


def resume(
    db: Database, code: str, remembered: dict, cache: Cache | None = None
) -> tuple[LoadedSession, dict] | None:
    """Return the session and this device's participant in it, or None.

    ``remembered``: the signed cookie's participant ids by session code. A device that
    joined a session comes back as the same participant by the code alone, however it
    comes back (the home page, the join link, the QR code); a participant the
    facilitator removed is not remembered.
    """
    participant_id = remembered.get(normalise_code(code or ""))
    if not isinstance(participant_id, str):
        return None
    try:
        session = load_session(db, code, cache)
    except PlayError:
        return None
    found = queries.participant_in(db, session.row["id"], participant_id)
    return None if found is None else (session, found)


def rejoin(
    db: Database, code: str, nickname: str, rejoin_code: str, cache: Cache | None = None
) -> tuple[LoadedSession, str]:
    """Let a student back in under their nickname with a facilitator's rejoin code."""
    session = load_session(db, code, cache)
    nickname = clean_nickname(nickname)
    found = queries.participant_by_skeleton(db, session.row["id"], nicknames.skeleton(nickname))
    digest = rejoin_digest(rejoin_code)
    if (
        found is None
        or not found["rejoin_hash"]
        or not secrets.compare_digest(found["rejoin_hash"], digest)
        or found["rejoin_expires"] <= queries.now()
    ):
        raise PlayError(
            403,
            _("That rejoin code does not match this nickname. Ask your facilitator for a new one."),
            "nickname",
        )
    queries.clear_rejoin(db, found["id"])
    return session, found["id"]


def rejoin_digest(rejoin_code: str) -> str:
    """Hash a rejoin code for storage and comparison."""
    return hashlib.sha256(normalise_code(rejoin_code or "").encode()).hexdigest()


def start_practice(
    db: Database,
    slug: str,
    cache: Cache | None = None,
    arrival: Arrival | None = None,
    *,
    shared: bool = True,
) -> tuple[LoadedSession, str]:
    """Open a private practice session for one student on a shared set (or, with
    ``shared=False``, on a teacher's set opened by its practice link)."""
    arrival = arrival or Arrival()
    version = queries.latest_published(db, slug)
    if version is None or (shared and version["owner_id"] is not None):
        raise PlayError(404, _("There is no published set '%(slug)s'.", slug=slug))
    limits.check_practice(db, arrival.client, arrival.limits)
    row = open_session(db, slug, mode="practice", feedback="now")
    participant_id = secrets.token_urlsafe(18)
    queries.insert_participant(
        db, participant_id, row["id"], PRACTICE_NICKNAME, nicknames.skeleton(PRACTICE_NICKNAME)
    )
    return load_session(db, row["code"], cache), participant_id


def practice_set(db: Database, token: str) -> dict:
    """Return the newest published version of the set a practice link opens, or 404."""
    slug = queries.slug_by_practice_token(db, token) if len(token or "") <= 64 else None
    version = queries.latest_published(db, slug) if slug else None
    if version is None or version["kind"] != "main" or version["archived_at"]:
        raise PlayError(
            404,
            _("This practice link does not work (any more). Ask your teacher for the link again."),
        )
    return {**version, "questions": len(queries.questions_of(db, version["id"]))}


def enter(
    db: Database,
    code: str,
    nickname: str,
    team_id: str | None,
    rejoin_code: str | None,
    cache: Cache | None = None,
    arrival: Arrival | None = None,
) -> tuple[LoadedSession, str | None]:
    """Let a student in from the join form; return the session and their participant id.

    With a rejoin code, the student comes back under their nickname (even while joining
    is locked: the facilitator gave the code). In a session with teams, a student who
    has not picked one yet gets the session and None: the form is shown again, asking
    for the table or team.
    """
    if rejoin_code:
        return rejoin(db, code, nickname, rejoin_code, cache)
    session = load_session(db, code, cache)
    if session.teams and team_id is None and session.is_open and session.row["mode"] == "class":
        return session, None
    nickname = clean_nickname(nickname)
    return session, _admit(db, session, nickname, team_id, cache, arrival or Arrival())
