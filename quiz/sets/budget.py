"""Refuse a set file that would cost the TOML parser too much, before it runs.

Issue 13, finding 3: the standard library's tomllib spends time that grows with
the square of a dotted key's depth (120 KB of `a.a.a…a = 1` took 122 s), it
recurses once per nested list or inline table (a few thousand levels end in a
RecursionError), and it lets through an integer of more than 4,300 digits as a
ValueError. A set file is small and flat: `[[questions.options]]` is two keys
deep, lists nest one or two levels. So `parse_toml` first makes one linear pass
over the text that understands TOML strings and comments (a bracket inside a
string does not count), measures it against `Limits`, and refuses with
`BudgetExceeded` (the limit's name, the line and the numbers, and a plain message
naming them: one whole translatable sentence per limit, its numbers written for the
reader's language when it is read); only then does tomllib parse it, guarded
against RecursionError and ValueError.

The pass stops where tomllib would stop with a syntax error, since tomllib never
reads past that point; it reads on wherever it is unsure. The defaults leave
at least four times what the largest set in questions/ uses (a test parses every
set under a quarter of them); `bench/parse_budget.py` measures the worst
adversarial input they let through.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from babel.numbers import format_decimal
from flask import has_app_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Limits:
    """The most a set file may hold (every real set fits in a quarter of them)."""

    max_bytes: int = 512 * 1024  # the whole file, in bytes of UTF-8
    max_line: int = 10_000  # characters on one line
    max_depth: int = 20  # lists and inline tables inside one another
    max_key_parts: int = 6  # parts of one dotted key or table header (a.b.c has 3)
    max_key_length: int = 200  # characters in one part of a key
    max_path_length: int = 500  # characters in one whole dotted key or header
    max_keys: int = 5_000  # key = value pairs, inline ones included
    max_tables: int = 2_000  # [table] and [[table]] headers and inline tables
    max_items: int = 10_000  # items of all lists together
    max_strings: int = 10_000  # string values
    max_scalar: int = 100  # characters in one number, date or true/false


DEFAULT = Limits()


# What each refusal says, by its code: a whole sentence with named values, so it is
# translated as a whole. {limit} is the limit passed; the others are what was found.
REFUSALS = {
    "max_bytes": _l("The file is {size} KB; at most {limit} KB are allowed"),
    "max_line": _l("A line is {length} characters long; at most {limit} are allowed"),
    "max_key_length": _l("A key is {length} characters long; at most {limit} are allowed"),
    "max_key_parts": _l(
        "A key has {parts} dotted parts (a.b.c has 3); at most {limit} are allowed"
    ),
    "max_path_length": _l("A dotted key is {length} characters long; at most {limit} are allowed"),
    "max_scalar": _l("A number or date is {length} characters long; at most {limit} are allowed"),
    "max_keys": _l("The file has too many keys; at most {limit} are allowed"),
    "max_tables": _l("The file has too many tables; at most {limit} are allowed"),
    "max_items": _l("The file has too many list items; at most {limit} are allowed"),
    "max_strings": _l("The file has too many strings; at most {limit} are allowed"),
    "depth_lists": _l("The file nests lists {depth} levels deep; at most {limit} are allowed"),
    "depth_tables": _l("The file nests tables {depth} levels deep; at most {limit} are allowed"),
    "too_deep": _l("The file nests lists or tables too deeply to read"),
    "number_too_long": _l("The file has a number too long to read"),
}
AT_LINE = _l("{message} (line {line})")


class BudgetExceeded(ValueError):
    """A set file passes one of the limits; says which, in plain words, and where.

    ``limit`` names the limit (a field of `Limits`), ``line`` is where (None for the
    whole file), ``code`` names the sentence in REFUSALS and ``values`` holds its
    numbers. ``message`` and ``str()`` are read in the language of the moment (the
    request's, or the command line's), numbers written as that language writes them.
    """

    def __init__(self, code: str, line: int | None, limit: str, /, **values: int) -> None:
        super().__init__(code, line, limit)
        self.code, self.line, self.limit, self.values = code, line, limit, values

    @property
    def message(self) -> str:
        numbers = {name: _number(value) for name, value in self.values.items()}
        return str(REFUSALS[self.code]).format(**numbers)

    def __str__(self) -> str:
        if not self.line:
            return self.message
        return str(AT_LINE).format(message=self.message, line=_number(self.line))


def _number(value: int) -> str:
    """``value`` as the language of the moment writes it (10,000; 10 000 in Finnish)."""
    locale = get_locale() if has_app_context() else None
    return format_decimal(value, locale=str(locale or "en"))


def parse_toml(data: bytes | str, limits: Limits = DEFAULT) -> dict:
    """Parse a TOML document within the limits, or refuse before parsing it.

    Raises BudgetExceeded for a file past a limit, UnicodeDecodeError for bytes
    that are not UTF-8, and tomllib.TOMLDecodeError for a syntax error.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise BudgetExceeded(
            "max_bytes", None, "max_bytes", size=_kb(size), limit=_kb(limits.max_bytes)
        )
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    _check_lines(text, limits)
    _Scan(text, limits).run()
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        raise BudgetExceeded("too_deep", None, "max_depth") from None
    except ValueError:
        # tomllib lets int()'s own refusal through (over 4,300 digits); the scan's
        # max_scalar stops such a number first, so this is a second guard.
        raise BudgetExceeded("number_too_long", None, "max_scalar") from None


def _kb(size: int) -> int:
    return round(size / 1024)


def _check_lines(text: str, limits: Limits) -> None:
    # split, not a regex: [^\n]{N,} would rescan each long line from every start.
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limits.max_line:
            raise BudgetExceeded(
                "max_line", number, "max_line", length=len(line), limit=limits.max_line
            )


_BLANK = re.compile(r"[ \t\r]*")  # inside a line
_GAP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")  # between statements: lines and comments too
# A key part is bare, or quoted like a one-line basic or literal string.
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
# Up to two quotes may end the content just before the closing three.
_ML_BASIC = re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:""|")?')
_ML_LITERAL = re.compile(r"'''(?:[^']|'(?!''))*'''(?:''|')?")
# Numbers, dates, true/false; a date and a time may be joined by one space.
_SCALAR = re.compile(r"""[^\s,\]}#\[{="']+(?: [0-9][^\s,\]}#\[{="']*)?""")
_OPENERS = re.compile(r"\[+")
# What the depth count in a refusal must step over: strings, comments, brackets.
_STRUCTURE = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:""|")?|\'\'\'(?:[^\']|\'(?!\'\'))*\'\'\'(?:\'\'|\')?'
    r'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]'
)

KEY, VALUE, AFTER = "key", "value", "after"


class _Scan:
    """One linear pass over a TOML text that counts what tomllib would build."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.text, self.limits = text, limits
        self.pos, self.line = 0, 1
        self.stack: list[str] = []  # "[" for a list, "{" for an inline table
        self.expect = KEY
        self.stopped = False  # set where tomllib would stop with a syntax error
        self.counts = {"keys": 0, "tables": 0, "items": 0, "strings": 0}

    def run(self) -> None:
        """Walk the text to its end, or to where tomllib would stop with an error."""
        text, end = self.text, len(self.text)
        while True:
            start = self.pos
            self.pos = _GAP.match(text, start).end()
            newlines = text.count("\n", start, self.pos)
            if newlines:
                self.line += newlines
                if not self.stack:
                    self.expect = KEY
            if self.pos >= end:
                return
            if not self._step(text[self.pos]):
                self.stopped = True
                return

    def _step(self, char: str) -> bool:
        top = self.stack[-1] if self.stack else None
        if self.expect == KEY:
            if char == "[" and top is None:
                return self._header()
            if char == "}" and top == "{":
                return self._close()
            return self._key_value()
        if self.expect == VALUE:
            if char == "]" and top == "[":
                return self._close()
            return self._value(char, top)
        if char == "," and top is not None:
            self.pos += 1
            self.expect = KEY if top == "{" else VALUE
            return True
        if (char, top) in (("]", "["), ("}", "{")):
            return self._close()
        return False

    def _close(self) -> bool:
        self.stack.pop()
        self.pos += 1
        self.expect = AFTER
        return True

    def _header(self) -> bool:
        text = self.text
        self.pos += 2 if text.startswith("[[", self.pos) else 1
        self._count("tables")
        if not self._key():
            return False
        self.pos = _BLANK.match(text, self.pos).end()
        if not text.startswith("]", self.pos):
            return False
        self.pos += 2 if text.startswith("]]", self.pos) else 1
        self.expect = AFTER
        return True

    def _key_value(self) -> bool:
        if not self._key() or not self.text.startswith("=", self.pos):
            return False
        self.pos += 1
        self._count("keys")
        self.expect = VALUE
        return True

    def _key(self) -> bool:
        """Read a dotted key and what follows it; refuse one too long or too deep."""
        text, line = self.text, self.line
        parts = path = longest = 0
        ended = True
        while True:
            self.pos = _BLANK.match(text, self.pos).end()
            match = _BARE.match(text, self.pos) or _BASIC.match(text, self.pos)
            match = match or _LITERAL.match(text, self.pos)
            if match is None:
                ended = False
                break
            length = match.end() - match.start()
            parts, path, longest = parts + 1, path + length, max(longest, length)
            self.pos = _BLANK.match(text, match.end()).end()
            if not text.startswith(".", self.pos):
                break
            self.pos += 1
        limits = self.limits
        if longest > limits.max_key_length:
            self._refuse("max_key_length", line, length=longest)
        if parts > limits.max_key_parts:
            self._refuse("max_key_parts", line, parts=parts)
        if path > limits.max_path_length:
            self._refuse("max_path_length", line, length=path)
        return ended

    def _value(self, char: str, top: str | None) -> bool:
        text = self.text
        if top == "[":
            self._count("items")
        if char == "[":
            run = _OPENERS.match(text, self.pos).end() - self.pos
            self.stack.extend("[" * run)
            self.pos += run
            if run > 1:
                self._count("items", run - 1)
            self._check_depth()
            return True  # expect stays VALUE: the list's first item or its "]"
        if char == "{":
            self.stack.append("{")
            self.pos += 1
            self._count("tables")
            self._check_depth()
            self.expect = KEY
            return True
        if char in "\"'":
            multi = text.startswith(char * 3, self.pos)
            pattern = {'"': (_BASIC, _ML_BASIC), "'": (_LITERAL, _ML_LITERAL)}[char][multi]
            match = pattern.match(text, self.pos)
            if match is None:
                return False  # unterminated: tomllib stops here
            self._count("strings")
            self.line += match.group().count("\n")
        else:
            match = _SCALAR.match(text, self.pos)
            if match is None:
                return False
            length = match.end() - match.start()
            if length > self.limits.max_scalar:
                self._refuse("max_scalar", length=length)
        self.pos = match.end()
        self.expect = AFTER
        return True

    def _count(self, what: str, step: int = 1) -> None:
        self.counts[what] += step
        limit = getattr(self.limits, f"max_{what}")
        if self.counts[what] > limit:
            self._refuse(f"max_{what}")

    def _check_depth(self) -> None:
        if len(self.stack) > self.limits.max_depth:
            kind = "lists" if self.stack[-1] == "[" else "tables"
            self._refuse(f"depth_{kind}", depth=self._deepest())

    def _deepest(self) -> int:
        """Return how deep the nest that passed the limit goes (for the message)."""
        depth = best = len(self.stack)
        for match in _STRUCTURE.finditer(self.text, self.pos):
            token = match.group()
            if token in ("[", "{"):
                depth += 1
                best = max(best, depth)
            elif token in ("]", "}"):
                depth -= 1
                if depth <= 0:
                    break
        return best

    def _refuse(self, code: str, line: int | None = None, **values: int) -> None:
        limit = "max_depth" if code.startswith("depth_") else code
        limit_value = getattr(self.limits, limit)
        raise BudgetExceeded(code, line or self.line, limit, limit=limit_value, **values)
