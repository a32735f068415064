"""Parts of the student pages that many students see alike, rendered once per app.

A published version never changes, so its article, the explanation of each question,
and the review of a given answer to one of its questions are the same HTML for
everyone who sees them; so is the whole feedback fragment (the htmx answer to an
answer) for the same answer in the same session, the fragment that waits for the
reveal for everyone in a session's same state, and the screens a led room asks for
all at once: the new question after an advance (per order of its options, when the
session shuffles them) and the wait after "Next question". They are rendered the
first time and then kept in the app's cache (``web.cache``). Keys hold the version's content hash as
well as its id (an id could come back after a set is deleted), and for an answer
everything its review shows: the response, its score and the confidence rating. Every
key holds the interface's language too: the same part reads differently in each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import current_app
from markupsafe import Markup

from ..web.cache import current
from ..web.i18n import current_language
from .feedback import review as build_review
from .feedback import verdict


def _macros() -> Any:
    return current_app.jinja_env.get_template("_macros/play.html").module


def _answer_key(answer: dict) -> tuple:
    """What a review shows of an answer, but for the written reason (a written answer's
    level too: unmarked and Beginning both score 0)."""
    level = (answer.get("parts") or {}).get("level")
    return (
        json.dumps(answer["response"], sort_keys=True),
        answer["score"],
        answer["confidence"],
        level,
    )


def whole_article(version: dict) -> Markup:
    """Return the "Read the whole article" block of a published version."""
    return current().get(
        ("article", current_language(), version["id"], version["content_hash"]),
        lambda: Markup(_macros().whole_article(version["body"]["article"])),
    )


def review(
    version: dict,
    question: dict,
    answer: dict,
    passages: list[str],
    level: int = 2,
    badge: bool = False,
) -> Markup:
    """Return the review of one answer to a question of a published version.

    What was chosen and the other options are kept per answer (response, score,
    confidence rating); why is kept per question; the written reason between them is
    the student's own and is rendered each time.
    """
    why_key = (
        "why",
        current_language(),
        version["id"],
        version["content_hash"],
        question["pk"],
        level,
    )
    choices_key = ("choices", *why_key[1:], *_answer_key(answer), badge)
    macros = _macros()
    built: list[dict] = []

    def reviewed() -> dict:
        if not built:
            built.append(build_review(question, answer, passages))
        return built[0]

    cache = current()
    choices = cache.get(
        choices_key, lambda: Markup(macros.review_choices(reviewed(), level, badge))
    )
    why = cache.get(
        why_key, lambda: Markup(macros.review_why(question, reviewed()["passages"], level))
    )
    others = cache.get(
        ("others", *choices_key[1:]), lambda: Markup(macros.review_others(reviewed()))
    )
    r = built[0] if built else {**verdict(answer), "question": question, "answer": answer}
    return Markup(macros.review(r, level, badge, choices=choices, why=why, others=others))


def feedback(
    session_row: dict,
    version: dict,
    question: dict,
    answers: tuple[dict, dict | None],
    follows: tuple[bool, str],
    make: Callable[[], str],
) -> tuple[tuple, str]:
    """Return the feedback fragment on an answer, made by ``make()`` the first time,
    and the key it is kept under (which names everything it is made from).

    ``answers``: the answer that counts and the second vote (or None). The fragment
    shows nothing but the session's questions (fixed by its row: its set version and
    check forms), the question, the answer and its second vote, and what follows it
    (``follows``: whether the student has finished, and where "Next question" leads);
    it holds no form and no token. So it is kept by all of those.
    """
    key = feedback_key(current_language(), session_row, version, question, answers, follows)
    return key, current().get(key, make)


def feedback_key(
    language: str,
    session_row: dict,
    version: dict,
    question: dict,
    answers: tuple[dict, dict | None],
    follows: tuple[bool, str],
) -> tuple:
    """The key ``feedback`` keeps its fragment under, in the interface's ``language``
    (``play.early_answer`` looks it up before Flask)."""
    answer, second = answers
    return (
        "feedback",
        *_question_key(language, session_row, version, question),
        *_answer_key(answer),
        answer["reason"],
        *follows,
        *(_answer_key(second) if second else ()),
    )


def _question_key(language: str, session_row: dict, version: dict, question: dict) -> tuple:
    """What a kept fragment of one question depends on besides the answer: the reader's
    language, the session's questions (its row: set version and check forms), and the
    question as this student plays it."""
    return (
        language,
        session_row["id"],
        session_row["code"],
        session_row["version_id"],
        session_row["check_before"],
        session_row["check_after"],
        version["id"],
        version["content_hash"],
        question["pk"],
        # Its number and part: with counterbalanced check forms they depend on who plays.
        question["number"],
        question["part"],
    )


def pending(
    session_row: dict,
    version: dict,
    question: dict,
    follows: tuple[bool, str],
    poll_url: str,
    make: Callable[[], str],
) -> tuple[tuple, str]:
    """Return the fragment that waits for the facilitator's reveal after an answer, made
    by ``make()`` the first time, and the key it is kept under.

    It shows nothing of the answer itself: the session's questions, the question, what
    follows it (``follows``, as for ``feedback``) and the poll, whose address holds the
    session's state. So it is the same for the whole room until that state changes.
    """
    key = pending_key(current_language(), session_row, version, question, follows, poll_url)
    return key, current().get(key, make)


def pending_key(
    language: str,
    session_row: dict,
    version: dict,
    question: dict,
    follows: tuple[bool, str],
    poll_url: str,
) -> tuple:
    """The key ``pending`` keeps its fragment under, in the interface's ``language``."""
    return ("pending", *_question_key(language, session_row, version, question), *follows, poll_url)


def question_screen(
    session_row: dict,
    version: dict,
    shown: dict,
    round_: dict,
    poll_url: str | None,
    make: Callable[[], str],
) -> tuple[tuple, str]:
    """Return the htmx question screen (``play/_question.html``), made by ``make()`` the
    first time, and the key it is kept under.

    The whole room asks for it within a second of the facilitator's advance. It holds
    no CSRF token (htmx sends the page's, from ``<body hx-headers>``), no nickname and
    no team; what differs between phones is in the key: the options in the order this
    phone sees them (``shown``, ``play.shuffle``: one of a few orders), and the round
    (``screens.round_of``: the vote, the seconds left on the timer, and on a second
    vote what this phone chose the first time). The poll's address holds the session's
    state, so any move of the facilitator's makes a new key.
    """
    key = question_screen_key(current_language(), session_row, version, shown, round_, poll_url)
    return key, current().get(key, make)


def question_screen_key(
    language: str,
    session_row: dict,
    version: dict,
    shown: dict,
    round_: dict,
    poll_url: str | None,
) -> tuple:
    """The key ``question_screen`` keeps its fragment under, in the interface's
    ``language`` (``play.early_screens`` looks it up before Flask)."""
    first = round_["first_vote"]
    return (
        "question-screen",
        *_question_key(language, session_row, version, shown),
        session_row["feedback"],
        session_row["confidence"],
        tuple(o["id"] for o in shown["options"]),
        round_["vote"],
        round_["time_left"],
        first and tuple(str(chosen) for chosen in first["chosen"]),
        poll_url,
    )


def wait_screen(
    session_row: dict,
    total: int,
    progress: tuple[int, dict | None],
    poll_url: str,
    make: Callable[[], str],
) -> tuple[tuple, str]:
    """Return the htmx wait screen (``play/_wait.html``: "Next question" when the room's
    question is answered), made by ``make()`` the first time, and the key it is kept
    under: what it says (not started; ``progress``: how many of ``total`` this phone
    answered, and the room's question if it closed before this phone answered it) and
    the poll, whose address holds the session's state."""
    key = wait_screen_key(current_language(), session_row, total, progress, poll_url)
    return key, current().get(key, make)


def wait_screen_key(
    language: str,
    session_row: dict,
    total: int,
    progress: tuple[int, dict | None],
    poll_url: str,
) -> tuple:
    """The key ``wait_screen`` keeps its fragment under, in the interface's ``language``."""
    answered, missed = progress
    return (
        "wait-screen",
        language,
        session_row["id"],
        session_row["code"],
        session_row["current_number"] is None,
        missed and missed["pk"],
        answered,
        total,
        poll_url,
    )
