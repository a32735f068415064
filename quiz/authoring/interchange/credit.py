"""Moodle's grade fractions against Lateral's scoring: the key and what changed.

Lateral scores single choice and true/false all or nothing, and select-all-that-apply
as (right chosen - wrong chosen) / right options, never below 0. Each function keys
the options and returns the report notes where the file's partial credit differs.
"""

from __future__ import annotations

from .items import Choice, Item
from .report import short

FULL = 99.99  # a fraction at or above this is full marks (Moodle writes 100)


def right(choice: Choice) -> bool:
    return choice.right if choice.fraction is None else choice.fraction >= FULL


def single_credit(q: dict, item: Item) -> list[tuple[str, dict]]:
    """Key the fully right options; report partial credit the single type drops."""
    notes = []
    q["key"] = [o["id"] for o, c in zip(q["options"], item.choices, strict=True) if right(c)]
    for c in item.choices:
        if c.fraction is not None and 0 < c.fraction < FULL:
            notes.append(
                (
                    "credit_single_partial",
                    {"option": short(c.text, 60), "percent": pct(c.fraction)},
                )
            )
    if len(q["key"]) > 1:
        notes.append(("credit_single_many", {"count": len(q["key"])}))
    elif not q["key"]:
        notes.append(("credit_no_key", {}))
    return notes


def multiple_credit(q: dict, item: Item) -> list[tuple[str, dict]]:
    """Key every option worth something; report where Moodle's weights differ."""
    worth = [c.right if c.fraction is None else c.fraction > 0 for c in item.choices]
    right = [c for c, w in zip(item.choices, worth, strict=True) if w]
    q["key"] = [o["id"] for o, w in zip(q["options"], worth, strict=True) if w]
    if not right:
        return [("credit_no_key", {})]
    if item.kahoot:
        numbers = [str(i + 1) for i, w in enumerate(worth) if w]
        return [("credit_kahoot_multi", {"answers": ", ".join(numbers)})] if len(right) > 1 else []
    share = 100 / len(right)
    weights = [c.fraction for c in right if c.fraction is not None]
    wrong = [
        c.fraction
        for c, w in zip(item.choices, worth, strict=True)
        if not w and c.fraction is not None
    ]
    notes = []
    if any(abs(w - share) > 0.01 for w in weights):
        notes.append(
            (
                "credit_weights",
                {
                    "weights": [pct(w) for w in weights],
                    "count": len(right),
                    "share": pct(share),
                },
            )
        )
    if any(w == 0 for w in wrong):
        notes.append(("credit_free_wrong", {"share": pct(share)}))
    if penalties := sorted({-w for w in wrong if w < 0 and abs(-w - share) > 0.01}):
        notes.append(
            (
                "credit_penalty",
                {"penalty": [pct(p) for p in penalties], "share": pct(share)},
            )
        )
    return notes


def pct(value: float) -> float:
    """A percentage to two decimals (the report writes it as its reader's language does)."""
    return round(value, 2)
