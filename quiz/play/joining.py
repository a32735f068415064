"""Joining a session: nicknames, teams, the facilitator's rejoin code, and practice."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlite_utils import Database

from ..storage import queries
from ..storage.connection import immediate
from ..web.cache import Cache
from . import counterbalance
from .sessions import LoadedSession, PlayError, load_session, normalise_code, open_session

NICKNAME_MAX = 30


PRACTICE_NICKNAME = "Practice"

MESSAGES = {
    # Taken on another device (the same device resumes without asking: see resume).
    "nickname_taken": _l(
        "Someone in this session already uses that nickname. If this is you "
        "on a new device, ask your teacher for a rejoin code; if not, choose another nickname."
    ),
}


def clean_nickname(nickname: str) -> str:
    """Trim a nickname, drop control characters, and check it has something to read."""
    nickname = "".join(ch for ch in nickname if unicodedata.category(ch) != "Cc" or ch.isspace())
    nickname = " ".join(nickname.split())
    # Invisible format characters alone (zero-width spaces...) make no readable name.
    visible = [ch for ch in nickname if unicodedata.category(ch) not in ("Cf", "Zs")]
    if not visible or not 1 <= len(nickname) <= NICKNAME_MAX:
        raise PlayError(
            422, _("Choose a nickname of 1 to %(max)s characters.", max=NICKNAME_MAX), "nickname"
        )
    return nickname


def join(
    db: Database,
    code: str,
    nickname: str,
    team_id: str | int | None = None,
    cache: Cache | None = None,
) -> tuple[LoadedSession, str]:
    """Add a participant to an open class session; return it and the new id."""
    nickname = clean_nickname(nickname)
    session = load_session(db, code, cache)
    if session.row["mode"] != "class":
        raise PlayError(404, _("There is no session with that code. Check the code and try again."))
    if session.ended:
        raise PlayError(
            409,
            _("This homework closed on %(end)s. Ask your teacher.", end=session.row["ends_label"]),
        )
    if not session.is_open:
        raise PlayError(409, _("This session is closed. Ask your teacher for a new code."))
    team = None
    if session.teams:
        team = next((t for t in session.teams if str(t["id"]) == str(team_id)), None)
        if team is None:
            raise PlayError(422, _("Choose your table or team."), "team")
    participant_id = secrets.token_urlsafe(18)
    with immediate(db):
        # No state bump: that would make every waiting screen re-render; the
        # facilitator's views count participants themselves.
        order = counterbalance.assign(db, session.row, team and team["id"])
        if not queries.insert_participant(
            db, participant_id, session.row["id"], nickname, team and team["id"], order
        ):
            raise PlayError(409, MESSAGES["nickname_taken"], "nickname")
    return session, participant_id


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
            _("That rejoin code does not match this nickname. Ask your facilitator for a new one."),
            "nickname",
        )
    queries.clear_rejoin(db, found["id"])
    return session, found["id"]


def rejoin_digest(rejoin_code: str) -> str:
    """Hash a rejoin code for storage and comparison."""
    return hashlib.sha256(normalise_code(rejoin_code or "").encode()).hexdigest()


def start_practice(
    db: Database, slug: str, cache: Cache | None = None, *, shared: bool = True
) -> tuple[LoadedSession, str]:
    """Open a private practice session for one student on a shared set (or, with
    ``shared=False``, on a teacher's set opened by its practice link)."""
    version = queries.latest_published(db, slug)
    if version is None or (shared and version["owner_id"] is not None):
        raise PlayError(404, _("There is no published set '%(slug)s'.", slug=slug))
    row = open_session(db, slug, mode="practice", feedback="now")
    participant_id = secrets.token_urlsafe(18)
    queries.insert_participant(db, participant_id, row["id"], PRACTICE_NICKNAME)
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
) -> tuple[LoadedSession, str | None]:
    """Let a student in from the join form; return the session and their participant id.

    With a rejoin code, the student comes back under their nickname. In a session with
    teams, a student who has not picked one yet gets the session and None: the form is
    shown again, asking for the table or team.
    """
    if rejoin_code:
        return rejoin(db, code, nickname, rejoin_code, cache)
    session = load_session(db, code, cache)
    if session.teams and team_id is None and session.is_open and session.row["mode"] == "class":
        return session, None
    return join(db, code, nickname, team_id, cache)
