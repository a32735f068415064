"""Where a student is in a session: the next question, the feedback, the summary.

In a led session a student answers the question the room is on: one who joins late
starts there, and a question the room has left behind is not offered again (a screen
still showing it keeps it until answered, see ``still_answering``). A question may
take a second vote (peer instruction): it is then offered again to those who have not
given that vote.
"""

from __future__ import annotations

from ..storage.queries import Answers
from .sessions import LoadedSession


def awaits_vote(session: LoadedSession, answers: Answers, question: dict) -> bool:
    """Whether this student has yet to give the vote a question takes now."""
    return not answers.voted(question["pk"], session.vote(question))


def room_question(session: LoadedSession) -> dict | None:
    """The question the facilitator has opened (led sessions), or None."""
    if session.current is None:
        return None
    return next((q for q in session.questions if q["number"] == session.current), None)


def next_question(session: LoadedSession, answers: Answers) -> dict | None:
    """Return the question this student should answer now, or None.

    Self-paced: the first one not answered. Led: the room's question, if it is open and
    this student has not given the vote it takes now.
    """
    if session.led:
        q = room_question(session)
        if q is not None and session.is_open_for_answers(q) and awaits_vote(session, answers, q):
            return q
        return None
    return next(
        (
            q
            for q in session.questions
            if session.is_open_for_answers(q) and awaits_vote(session, answers, q)
        ),
        None,
    )


def missed(session: LoadedSession, answers: Answers) -> dict | None:
    """The room's question when it closed before this student gave its vote, or None."""
    q = room_question(session) if session.led and session.is_open else None
    if q is not None and session.closed_for_answers(q) and awaits_vote(session, answers, q):
        return q
    return None


def finished(session: LoadedSession, answers: Answers) -> bool:
    """Whether the student is done and may see the summary.

    Done means nothing is left to answer (in a led session: the room is on the last
    question and this student has given its vote or missed it) and, where the
    facilitator reveals answers, every question they answered revealed; or the
    session closed.
    """
    if not session.is_open:
        return True
    if next_question(session, answers) is not None:
        return False
    if session.led:
        if session.current != len(session.questions):
            return False
    elif not all(q["pk"] in answers for q in session.questions):
        return False
    answered = [q for q in session.questions if q["pk"] in answers]
    return session.feedback != "reveal" or all(session.revealed(q) for q in answered)


def feedback_open(session: LoadedSession, question: dict, answers: Answers) -> bool:
    """Whether the feedback on an answered question may be shown yet."""
    if session.feedback == "now":
        return True
    if session.feedback == "reveal":
        return session.revealed(question) or not session.is_open
    return finished(session, answers)


def question_key(session: LoadedSession, question: dict) -> str:
    """Name a question screen: the question and the vote it takes."""
    vote = session.vote(question)
    return f"question:{question['pk']}" + (f":{vote}" if vote != 1 else "")


def still_answering(session: LoadedSession, answers: Answers, shown: str) -> bool:
    """Whether the question screen ``shown`` (a question_key) still takes this student's
    answer: the screen then stays, even if the room has moved on."""
    return any(
        question_key(session, q) == shown
        and session.is_open_for_answers(q)
        and awaits_vote(session, answers, q)
        for q in session.questions
    )


def view_key(session: LoadedSession, answers: Answers, last: dict | None = None) -> str:
    """Name what this student should see now; a poll compares it with what they see.

    ``last`` is the question they last answered, when they are looking at it.
    """
    current = next_question(session, answers)
    again = current is not None and last is not None and current["pk"] == last["pk"]
    if last is not None and last["pk"] in answers and not again:
        if feedback_open(session, last, answers):
            return f"feedback:{last['pk']}"
        if session.feedback == "reveal" and session.is_open:
            return f"pending:{last['pk']}"
    if current is not None:
        return question_key(session, current)
    if finished(session, answers):
        return "summary"
    return "wait"
