"""Options in an order of each participant's own, when the session asks for it.

The order is made from the participant's id, the question and each option's id, so it
is the same after a reload and on every request, and differs between participants.
Answers keep storing option ids: reports, CSV files and exports see no difference.
True or false keeps its two options as written, and "pick the passage" keeps the
article's order: shuffled, they would only confuse.
"""

from __future__ import annotations

import hashlib

SHUFFLED_TYPES = ("single", "multiple", "order", "cer")


def shuffled(question: dict, participant_id: str) -> list[dict]:
    """Return a question's options in this participant's own order."""
    if question["type"] not in SHUFFLED_TYPES:
        return list(question["options"])

    def rank(option: dict) -> bytes:
        seed = f"{participant_id}\x1f{question['pk']}\x1f{option['id']}"
        return hashlib.sha256(seed.encode()).digest()

    return sorted(question["options"], key=rank)


def as_shown(question: dict, participant_id: str, shuffle: bool) -> dict:
    """Return the question as this participant sees it (its options maybe shuffled)."""
    if not shuffle:
        return question
    return {**question, "options": shuffled(question, participant_id)}
