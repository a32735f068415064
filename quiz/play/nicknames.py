"""Nicknames that read the same on the projector as they were typed.

Issue 13, finding 5: a right-to-left override, zero-width characters that copy
an existing nickname, Cyrillic look-alikes, names that look blank (U+3164,
U+2800), stacks of combining marks and 30 x U+FDFD all got through. So:

- `clean(raw)` normalises (NFKC, as Unicode's UAX #31 and PRECIS (RFC 8264)
  do for identifiers people type: full-width letters become plain ones,
  ligatures split), folds whitespace to single spaces and trims it, then refuses
  with `NicknameRefused` (a plain message and a short reason):
  controls; bidirectional embeddings, overrides, isolates and marks; zero-width
  and other default-ignorable characters (Unicode's Default_Ignorable_Code_Point,
  plus U+2800 and other characters that show nothing); private-use and
  unassigned characters; a name with nothing visible; more than 2 combining
  marks on one letter; more than NICKNAME_MAX characters; and a name wider than
  MAX_WIDTH columns (an East Asian wide character counts 2, U+FDFD counts 15).
  The emoji joiner U+200D between two symbols and the emoji selector U+FE0F after
  one stay allowed, so a student can still be 👩‍💻.
- `skeleton(name)` is the confusable skeleton of Unicode TR39 (section 4: NFD,
  each character replaced by its prototype from confusables.txt, NFD again),
  case folded, repeated to a fixed point, with i folded to l (TR39 maps I to l
  and case folding maps I to i, so the three must meet). Two nicknames that look
  alike have the same skeleton; store it and refuse a second one as taken.
- `is_blocked(name, words)` checks a name against the word list
  (quiz/data/blocked-nicknames.txt, read by `load_words`) after the skeleton, with
  accents, common digit-for-letter swaps and repeated letters folded too.

confusables.txt is Unicode's own file, shipped in quiz/data/ (see its README).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from flask_babel import gettext as _

DATA = Path(__file__).parents[1] / "data"
WORDS_FILE = DATA / "blocked-nicknames.txt"
NICKNAME_MAX = 30  # characters: the join form's limit too
MAX_WIDTH = 40  # columns: 30 Latin letters, or 20 Chinese characters
MAX_MARKS = 2  # combining marks on one letter (Vietnamese ễ decomposed has 2)

# Unicode 15 DerivedCoreProperties.txt, Default_Ignorable_Code_Point.
_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
_IGNORABLE_CODES = frozenset(c for low, high in _IGNORABLE for c in range(low, high + 1))
# Show nothing, yet are neither spaces nor default-ignorable.
_SHOW_NOTHING = {0x2800, 0x1D159, 0x16FE4, 0x2028, 0x2029}
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
# Characters far wider than a letter, in columns (after NFKC, which expands the
# other Arabic word ligatures U+FDF0..U+FDFC into letters).
_WIDE = {0xFDFD: 15, 0xFDFE: 6, 0xFDFF: 5, 0x2E3B: 3, 0x2E3A: 2, 0xA9C5: 2}
_WIDE_RANGES = ((0x12000, 0x1254F, 3), (0x13000, 0x1342F, 2), (0x14400, 0x1467F, 2))
_ZWJ, _VS16 = "\u200d", "\ufe0f"


class NicknameRefused(ValueError):
    """A nickname that can't be used; `message` says why to the student."""

    def __init__(self, message: str, reason: str) -> None:
        self.message = message
        self.reason = reason  # control, bidi, invisible, unsupported, blank, marks, wide, length
        super().__init__(message)


def clean(raw: str) -> str:
    """Return the nickname normalised, or raise NicknameRefused saying why."""
    raw = raw or ""
    name = " ".join(unicodedata.normalize("NFKC", raw).split())
    for text in (raw, name):  # the typed character names the problem; NFKC's may differ
        for index, char in enumerate(text):
            _check_char(text, index, char)
    if not any(_visible(char) for char in name):
        raise NicknameRefused(
            _("That nickname looks blank on the screen. Choose one with letters or numbers."),
            "blank",
        )
    _check_marks(name)
    if not 1 <= len(name) <= NICKNAME_MAX:
        raise NicknameRefused(
            _("Choose a nickname of 1 to %(max)s characters.", max=NICKNAME_MAX), "length"
        )
    if width(name) > MAX_WIDTH:
        raise NicknameRefused(
            _("That nickname would be too wide on the screen. Choose a shorter one."), "wide"
        )
    return name


def _check_char(name: str, index: int, char: str) -> None:
    code, category = ord(char), unicodedata.category(char)
    label = f"U+{code:04X}"
    if category == "Cc" and not char.isspace():  # tabs and line breaks fold to spaces
        raise NicknameRefused(
            _(
                "That nickname has a control character (%(character)s) in it. "
                "Type it again by hand.",
                character=label,
            ),
            "control",
        )
    if code in _BIDI:
        raise NicknameRefused(
            _(
                "That nickname has a character that changes the direction of text "
                "(%(character)s). Type it again without it.",
                character=label,
            ),
            "bidi",
        )
    if (_ignorable(code) or code in _SHOW_NOTHING or category == "Cf") and not _emoji_part(
        name, index
    ):
        raise NicknameRefused(
            _(
                "That nickname has a character that can't be seen (%(character)s). "
                "Type it again without it.",
                character=label,
            ),
            "invisible",
        )
    if category in ("Co", "Cn", "Cs"):
        raise NicknameRefused(
            _(
                "That nickname has a character that not every screen can show "
                "(%(character)s). Choose another.",
                character=label,
            ),
            "unsupported",
        )


def _ignorable(code: int) -> bool:
    return code in _IGNORABLE_CODES  # every character of every nickname asks


def _emoji_part(name: str, index: int) -> bool:
    """Tell whether a joiner or selector sits where emoji sequences put it."""
    before = name[index - 1] if index else ""
    after = name[index + 1] if index + 1 < len(name) else ""
    if name[index] == _ZWJ:
        return _symbol(before) and _symbol(after)
    return name[index] == _VS16 and _symbol(before)


def _symbol(char: str) -> bool:
    return bool(char) and (unicodedata.category(char) == "So" or char == _VS16)


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] not in "ZCM" and ord(char) not in _SHOW_NOTHING and not _ignorable(ord(char))


def _check_marks(name: str) -> None:
    run = 0
    for char in unicodedata.normalize("NFD", name):
        run = run + 1 if unicodedata.category(char) in ("Mn", "Me") else 0
        if run > MAX_MARKS:
            raise NicknameRefused(
                _(
                    "That nickname stacks more than %(most)s accents on one letter. "
                    "Use at most %(most)s.",
                    most=MAX_MARKS,
                ),
                "marks",
            )


def width(name: str) -> int:
    """Return about how many columns a name takes on screen."""
    return sum(_char_width(char) for char in name)


def _char_width(char: str) -> int:
    code = ord(char)
    if code in _WIDE:
        return _WIDE[code]
    for low, high, columns in _WIDE_RANGES:
        if low <= code <= high:
            return columns
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@functools.cache
def _prototypes() -> dict[str, str]:
    """Read confusables.txt: each source character and its prototype string."""
    table = {}
    with (DATA / "confusables.txt").open(encoding="utf-8-sig") as lines:
        for line in lines:
            fields = line.split("#", 1)[0].split(";")
            if len(fields) >= 2:
                source, target = fields[0].strip(), fields[1].split()
                table[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target)
    return table


def skeleton(name: str) -> str:
    """Return the string that two look-alike nicknames share (TR39, case folded)."""
    text = name or ""
    # Each pass can expose a new prototype (some are compatibility characters, so NFKD
    # rather than TR39's NFD, and a space); a fixed point comes in two or three.
    for _attempt in range(6):
        folded = _skeleton_pass(text)
        if folded == text:
            break
        text = folded
    return text


def _skeleton_pass(text: str) -> str:
    table = _prototypes()
    chars = (c for c in unicodedata.normalize("NFKD", text) if not _ignorable(ord(c)))
    mapped = unicodedata.normalize("NFKD", "".join(table.get(c, c) for c in chars).casefold())
    return " ".join(mapped.replace("i", "l").split())


# The word filter -------------------------------------------------------------------

# Digits and signs that stand for letters in a word someone wants to sneak past a
# filter; the skeleton already folds 0 to o and 1 to l.
_LEET = str.maketrans({"3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t", "€": "e"})


def _fold(text: str) -> str:
    folded = "".join(
        char for char in skeleton(text) if unicodedata.category(char) not in ("Mn", "Me")
    )
    return folded.translate(_LEET)


def load_words(path: Path = WORDS_FILE) -> frozenset[str]:
    """Read a word list file: one entry per line; # starts a comment."""
    return parse_words(path.read_text(encoding="utf-8"))


def parse_words(text: str) -> frozenset[str]:
    """Read a word list: one entry per line; # starts a comment."""
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(entry for entry in entries if entry)


@functools.lru_cache(maxsize=8)
def _patterns(words: frozenset[str]) -> tuple[re.Pattern[str], ...]:
    """Turn entries into patterns: * is any letters; a letter may repeat."""
    patterns = []
    for entry in words:
        parts = (
            "".join(re.escape(char) + "+" for char in _fold(part)) for part in entry.split("*")
        )
        patterns.append(re.compile(".*".join(parts)))
    return tuple(patterns)


def is_blocked(name: str, words: Iterable[str]) -> bool:
    """Tell whether a nickname matches an entry of the word list.

    An entry matches a whole word of the name, or the whole name read without
    its spaces and signs ("f.u.c.k"); `*` in an entry stands for any letters.
    """
    tokens = [token for token in re.split(r"[\W_]+", _fold(name)) if token]
    candidates = [*tokens, "".join(tokens)]
    return any(
        pattern.fullmatch(candidate)
        for pattern in _patterns(frozenset(words))
        for candidate in candidates
    )
