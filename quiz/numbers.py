"""Read whole numbers from form fields and query strings safely."""

from __future__ import annotations

MAX_DIGITS = 12


def whole(raw: object, *, low: int = 0, high: int = 10**MAX_DIGITS) -> int | None:
    """Return raw as an int within [low, high], or None when it is anything else.

    Only ASCII digits count ("²" passes str.isdigit but not int()), and the length
    is capped before converting (a 5,000-digit string makes int() raise).
    """
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit():
        return None
    if len(raw) > MAX_DIGITS:
        return None
    value = int(raw)
    return value if low <= value <= high else None
