"""Parts of the student pages that many students see alike, rendered once per process.

A published version never changes, so its article, the explanation of each question,
and the review of a given answer to one of its questions are the same HTML for
everyone who sees them; so is the whole feedback fragment (the htmx answer to an
answer) for the same answer in the same session. They are rendered the first time and
then reused. Keys hold the version's content hash as well as its id (an id could come back
after a set is deleted), and for an answer everything its review shows: the response,
its score and the confidence rating. Each cache is cleared when it grows past its bound.
"""

from __future__ import annotations

import json

from flask import current_app
from markupsafe import Markup

from .feedback import review as build_review
from .feedback import verdict

MAX_ENTRIES = 2048
_ARTICLES: dict[tuple, Markup] = {}
_FEEDBACK: dict[tuple, str] = {}
_CHOICES: dict[tuple, Markup] = {}
_WHY: dict[tuple, Markup] = {}


def _macros():
    return current_app.jinja_env.get_template("_macros/play.html").module


def _keep(cache: dict, key: tuple, html):
    if len(cache) >= MAX_ENTRIES:
        cache.clear()
    cache[key] = html
    return html


def _answer_key(answer: dict) -> tuple:
    """What a review shows of an answer, but for the written reason."""
    return (json.dumps(answer["response"], sort_keys=True), answer["score"], answer["confidence"])


def whole_article(version: dict) -> Markup:
    """Return the "Read the whole article" block of a published version."""
    key = (version["id"], version["content_hash"])
    html = _ARTICLES.get(key)
    if html is None:
        html = _keep(_ARTICLES, key, Markup(_macros().whole_article(version["body"]["article"])))
    return html


def review(
    version: dict,
    question: dict,
    answer: dict,
    passages: list[str],
    level: int = 2,
    badge: bool = False,
) -> Markup:
    """Return the review of one answer to a question of a published version.

    What was chosen is kept per answer (response, score, confidence rating); why is
    kept per question; the written reason between them is the student's own and is
    rendered each time.
    """
    why_key = (version["id"], version["content_hash"], question["pk"], level)
    choices_key = (*why_key, *_answer_key(answer), badge)
    macros = _macros()
    choices, why = _CHOICES.get(choices_key), _WHY.get(why_key)
    r = None
    if choices is None or why is None:
        r = build_review(question, answer, passages)
        if choices is None:
            choices = _keep(_CHOICES, choices_key, Markup(macros.review_choices(r, level, badge)))
        if why is None:
            why = _keep(_WHY, why_key, Markup(macros.review_why(question, r["passages"], level)))
    r = r or {**verdict(answer), "question": question, "answer": answer}
    return Markup(macros.review(r, level, badge, choices=choices, why=why))


def feedback(session_row: dict, version: dict, question: dict, answer: dict, finished: bool, make):
    """Return the feedback fragment on an answer, made by ``make()`` the first time.

    The fragment shows nothing but the session's questions (fixed by its row: its
    set version and check forms), the question, the answer and whether the student
    has finished; it holds no form and no token. So it is kept by all of those.
    """
    key = (
        session_row["id"],
        session_row["code"],
        session_row["version_id"],
        session_row["check_before"],
        session_row["check_after"],
        version["id"],
        version["content_hash"],
        question["pk"],
        *_answer_key(answer),
        answer["reason"],
        finished,
    )
    body = _FEEDBACK.get(key)
    if body is None:
        body = _keep(_FEEDBACK, key, make())
    return body
