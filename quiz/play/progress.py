"""Where a student is in a session: the next question, the feedback, the summary."""

from __future__ import annotations

from .sessions import LoadedSession


def next_question(session: LoadedSession, answers: dict[int, dict]) -> dict | None:
    """Return the first question this student can answer now, or None."""
    return next(
        (q for q in session.questions if q["pk"] not in answers and session.is_open_for_answers(q)),
        None,
    )


def finished(session: LoadedSession, answers: dict[int, dict]) -> bool:
    """Whether the student is done and may see the summary.

    Done means everything answered (and, where the facilitator reveals answers,
    revealed), or the session closed.
    """
    if not session.is_open:
        return True
    if not all(q["pk"] in answers for q in session.questions):
        return False
    return session.feedback != "reveal" or all(session.revealed(q) for q in session.questions)


def feedback_open(session: LoadedSession, question: dict, answers: dict[int, dict]) -> bool:
    """Whether the feedback on an answered question may be shown yet."""
    if session.feedback == "now":
        return True
    if session.feedback == "reveal":
        return session.revealed(question) or not session.is_open
    return finished(session, answers)


def view_key(session: LoadedSession, answers: dict[int, dict], last: dict | None = None) -> str:
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
