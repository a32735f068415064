"""Say what is wrong with a new password, in plain words, or nothing.

Issue 13, finding 6: `1234567890` and ten spaces were accepted and nothing was
checked against common passwords. The rules are OWASP ASVS 4.0 section 2.1 (5.0:
6.2): at least 12 characters (2.1.1) and at most 128 (2.1.2), counted after
Unicode NFKC with spaces counting (2.1.3, 2.1.4); no composition rules; and a
check against passwords attackers try first (2.1.7; 5.0's 6.2.4, level 1). That
check follows NIST SP 800-63B section 5.1.1.2: passwords from a list
(quiz/data/common-passwords.txt, loaded once as a frozenset, compared in lower
case); repetitive or sequential characters ("aaaaaaaaaaaa", "1234abcd", keyboard
rows such as qwerty, and years); and context-specific words: the account's
e-mail address and name and their parts, and the name of the service. Few
passwords of 12 or more characters are on any list, so a listed password with a
few predictable characters added ("password1234", "!!sunshine2024") counts as
listed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_FILE = Path(__file__).parents[1] / "data" / "common-passwords.txt"
SERVICE_WORDS = ("lateral",)
# Keyboard rows, Finnish and Swedish letters included: a walk along one is a sequence.
KEYBOARD_ROWS = ("1234567890+", "qwertyuiopå", "asdfghjklöä", "zxcvbnm,.-")
RUN = 3  # characters in a row with one step (or none) between them make a run
FRESH = 6  # characters outside runs a password (or its added part) needs

TOO_SHORT = _l("Use at least {min} characters; this password has {n}.")
TOO_LONG = _l("Use at most {max} characters; this password has {n:,}.")
ONE_CHARACTER = _l(
    "Use more than one character: spaces alone or one character repeated are guessed first."
)
COMMON = _l(
    "This password is on a list of common passwords that attackers try first. Choose another."
)
COMMON_PLUS = _l(
    "This password is a common password with a few characters added; attackers try "
    "those first. Choose another."
)
PREDICTABLE = _l(
    "This password is mostly runs or repeats (such as 123456, abcdef, qwerty or aaaa), "
    "which are guessed first. Choose another."
)
PERSONAL = _l(
    "This password is made from your name, your e-mail address or the name of this site. "
    "Choose one that others can't guess from them."
)


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords, in lower case, read once."""
    with COMMON_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Return what is wrong with a new password for this account; empty if nothing."""
    text = unicodedata.normalize("NFKC", password or "")
    found = []
    if len(text) < MIN_LENGTH:
        found.append(TOO_SHORT.format(min=MIN_LENGTH, n=len(text)))
    if len(text) > MAX_LENGTH:
        # Nothing more: the checks below cost more than linear time on a huge input.
        return [TOO_LONG.format(max=MAX_LENGTH, n=len(text))]
    if text and (not text.strip() or len(set(text)) == 1):
        found.append(str(ONE_CHARACTER))
    elif text:
        found.extend(str(problem) for problem in _guessable(text.lower(), email, name))
    return found


def _guessable(lower: str, email: str, name: str) -> list[str]:
    squeezed = "".join(lower.split())
    if lower in common_passwords() or squeezed in common_passwords():
        return [COMMON]
    if _common_plus(lower):
        return [COMMON_PLUS]
    found = []
    if len(_fresh(lower)) < FRESH or re.fullmatch(r"(.+?)\1+", squeezed):
        found.append(PREDICTABLE)
    if _personal(lower, email, name):
        found.append(PERSONAL)
    return found


def _common_plus(lower: str) -> bool:
    """Tell whether a listed password sits inside a few predictable characters."""
    match = re.fullmatch(r"([\W\d_]*)(.*?)([\W\d_]*)", lower, re.DOTALL)
    added, core = match.group(1) + match.group(3), match.group(2)
    return (
        bool(added) and len(core) >= 4 and core in common_passwords() and len(_fresh(added)) < FRESH
    )


def _fresh(text: str) -> str:
    """Return the characters of text that are not in a run, a repeat or a year."""
    covered = _in_runs([ord(char) for char in text])
    covered |= _in_runs([_KEY_POSITIONS.get(char) for char in text])
    for year in re.finditer(r"(?:19|20)\d\d", text):
        covered.update(range(year.start(), year.end()))
    return "".join(char for index, char in enumerate(text) if index not in covered)


_KEY_POSITIONS = {
    char: row * 100 + col for row, keys in enumerate(KEYBOARD_ROWS) for col, char in enumerate(keys)
}


def _in_runs(values: list[int | None]) -> set[int]:
    """Return the indexes in runs of RUN or more values one same step (-1, 0, 1) apart."""
    covered: set[int] = set()
    start = 0
    for index in range(1, len(values) + 1):
        step = _step(values, index) if index < len(values) else None
        if step is not None and (index - start < 2 or step == _step(values, start + 1)):
            continue
        if index - start >= RUN:
            covered.update(range(start, index))
        # A new step starts a run at the last value; no step, at the next one.
        start = index - 1 if step is not None else index
    return covered


def _step(values: list[int | None], index: int) -> int | None:
    current, previous = values[index], values[index - 1]
    if current is None or previous is None or abs(current - previous) > 1:
        return None
    return current - previous


def _personal(lower: str, email: str, name: str) -> bool:
    """Tell whether the password is mostly the account's e-mail, name or the site's."""
    email = unicodedata.normalize("NFKC", email or "").lower()
    name = unicodedata.normalize("NFKC", name or "").lower()
    local, _, domain = email.partition("@")
    parts = {email, name, "".join(name.split()), local, *SERVICE_WORDS}
    parts.update(re.split(r"[\W_]+", local) + domain.split(".")[:-1] + re.split(r"[\W_]+", name))
    rest = lower
    for part in sorted((p for p in parts if len(p) >= 3), key=len, reverse=True):
        rest = rest.replace(part, "")
    return rest != lower and len(rest) < 8
