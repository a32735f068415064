"""What the room screen shows, as the facilitator moves the lesson.

The projector follows the facilitator: the join screen until the first question; then
the room's question with its options and the passages it rests on, how many have
answered (per table), the time left and, on a second vote, "talk to your table"; at a
reveal, in two steps that each fit the projector: first the answers (the distribution
with the key, the most chosen wrong answer as a prompt for the room and, after a second
vote, how the votes moved), then, on the facilitator's next step, the Why and the
evidence passages with the quotes marked; a calm end screen once the session closes.
The key is never in it before the reveal.

Plain functions taking the database first; no Flask here.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..play import progress
from ..play.feedback import context_passages, evidence_passages
from ..play.sessions import LoadedSession
from ..results import items, votes
from ..storage import queries


def screen(db: Database, sess: LoadedSession) -> dict:
    """Return what the room screen shows now (``phase``: join, question or end)."""
    participants = queries.participants_of(db, sess.row["id"])
    q = progress.room_question(sess)
    base = {"phase": "join", "joined": len(participants), "teams": _members(sess, participants)}
    if not sess.is_open:
        return {**base, "phase": "end"}
    if q is None:
        return base
    vote = sess.vote(q)
    counts = queries.round_counts(db, sess.row["id"], q["pk"], vote)
    for t in base["teams"]:
        t["answered"] = counts.get(t["id"], 0)
    out = {
        **base,
        "phase": "question",
        "q": q,
        "total": len(sess.questions),
        "vote": vote,
        # The time left while answers are open (or "time is up" once it ran out).
        "time_left": None if sess.locked(q) or sess.revealed(q) else sess.time_left(q),
        "closed": sess.closed_for_answers(q),
        "revealed": sess.revealed(q),
        # What the room sees of the question: the question while it answers; once
        # revealed, the answers first, then the Why and the evidence (one screen each).
        "step": _step(sess, q),
        "answered": sum(counts.values()),
        "passages": _passages(sess, q),
        "stats": None,
        "moved": None,
    }
    if out["step"] == "why":
        out["passages"] = evidence_passages(q, sess.passages(q))
    if out["step"] == "answers":
        answers = queries.answers_in(db, sess.row["id"], q["pk"])
        out["stats"] = items.question_stats(q, answers, misconceptions=sess.misconceptions)
        if vote == 2:
            rows = [a for a in queries.votes_in(db, sess.row["id"]) if a["question_id"] == q["pk"]]
            moved = votes.moved(q, rows, sess.misconceptions)
            # A row per option: its first vote beside its second.
            moved["pairs"] = list(
                zip(moved["first"]["options"], moved["second"]["options"], strict=True)
            )
            out["moved"] = moved
    return out


def _step(sess: LoadedSession, q: dict) -> str:
    """The room screen's step on a question: question, answers or why."""
    if not sess.revealed(q):
        return "question"
    return "why" if sess.explained(q) else "answers"


def _members(sess: LoadedSession, participants: list[dict]) -> list[dict]:
    """The session's tables with how many have joined each."""
    return [
        {
            "id": t["id"],
            "name": t["name"],
            "joined": sum(1 for p in participants if p["team_id"] == t["id"]),
            "answered": 0,
        }
        for t in sess.teams
    ]


def _passages(sess: LoadedSession, q: dict) -> list[dict]:
    """The passages the room reads with a question: those it rests on; for a
    claim-evidence-reasoning question, the passages offered as evidence."""
    passages = sess.passages(q)
    if q["type"] == "cer":
        return [{"number": n, "runs": [(passages[n - 1], False)]} for n in q["evidence_choices"]]
    return context_passages(q, passages)


def can_vote_again(sess: LoadedSession, q: dict) -> bool:
    """Whether the room's question may take a second vote now (see control.vote_again)."""
    return (
        sess.led
        and q["type"] != "open"  # a written answer is marked, not voted on again
        and sess.is_open
        and sess.feedback != "now"
        and sess.current == q["number"]
        and not sess.revealed(q)
        and sess.vote(q) == 1
    )


def actions(sess: LoadedSession) -> list[dict]:
    """The controls that apply to a led session now, in the order they are offered.

    Each: ``name`` (first, next, previous, lock, unlock, reveal, why, answers, add_time,
    start_timer, stop_timer, vote) and what its form sends: ``number`` (goto) or ``pk``
    (the room's question). A revealed question's first control is its second step, the
    Why and the evidence; once shown, the room can go back to the answers.
    """
    if not sess.led or not sess.is_open:
        return []
    q = progress.room_question(sess)
    if q is None:
        return [{"name": "first", "number": 1}]
    n, pk = q["number"], q["pk"]
    out = []
    if n < len(sess.questions):
        out.append({"name": "next", "number": n + 1})
    if sess.revealed(q) and not sess.explained(q):
        # The reveal's second step comes before the next question.
        out.insert(0, {"name": "why", "pk": pk})
    elif sess.revealed(q):
        out.append({"name": "answers", "pk": pk})
    else:
        out.append({"name": "unlock" if sess.locked(q) else "lock", "pk": pk})
        out.append({"name": "reveal", "pk": pk})
        if not sess.locked(q):
            out.append({"name": "add_time" if sess.deadline(q) else "start_timer", "pk": pk})
        if can_vote_again(sess, q):
            out.append({"name": "vote", "pk": pk})
        if sess.deadline(q) and not sess.closed_for_answers(q):
            out.append({"name": "stop_timer", "pk": pk})
    if n > 1:
        out.append({"name": "previous", "number": n - 1})
    return out
