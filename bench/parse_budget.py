"""Time quiz.sets.budget.parse_toml on adversarial set files; print the worst.

    .venv/bin/python bench/parse_budget.py [--repeat 3]

Each input is built to cost the most that the default limits let through (these
reach tomllib), or to pass a limit (these must be refused by the linear scan
before tomllib sees them). The target is that no upload costs more than about a
second: the exit code is 0 when the worst time is under 1 s, 2 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.sets.budget import DEFAULT, BudgetExceeded, parse_toml  # noqa: E402

LIMITS = DEFAULT
DEEP = ".".join("abcdefghij"[: LIMITS.max_key_parts - 1])  # the deepest key allowed


def _fill(line: Callable[[int], str], count: int) -> str:
    """Repeat numbered lines up to count or just under the size limit."""
    out, size = [], 0
    for i in range(count):
        text = line(i) + "\n"
        size += len(text.encode())
        if size > LIMITS.max_bytes:
            break
        out.append(text)
    return "".join(out)


def _nest(opening: str, closing: str, inner: str, depth: int) -> str:
    return opening * depth + inner + closing * depth


def inputs() -> dict[str, str]:
    """Return the adversarial inputs by name."""
    depth = LIMITS.max_depth
    part = "k" * LIMITS.max_key_length
    long_key = ".".join([part] * (LIMITS.max_path_length // (len(part) + 1) - 1))
    return {
        # Reach tomllib: as costly as the limits allow.
        "keys at the deepest dotting": _fill(lambda i: f"k{i}.{DEEP} = {i}", LIMITS.max_keys),
        "table headers and their keys, all deepest": _fill(
            lambda i: (
                f"[[t.{DEEP}]]\n"
                + "".join(
                    f"v{j}.{DEEP} = {j}\n" for j in range(LIMITS.max_keys // LIMITS.max_tables)
                )
            ),
            LIMITS.max_tables,
        ),
        "lists nested to the limit, repeated": _fill(
            lambda i: f"x{i} = " + _nest("[", "]", "1", depth), LIMITS.max_items // depth
        ),
        "inline tables nested to the limit, repeated": _fill(
            lambda i: f"x{i} = " + _nest("{a = ", "}", "1", depth), LIMITS.max_tables // depth
        ),
        "longest keys": _fill(lambda i: f'{long_key}.k{i} = "{i}"', LIMITS.max_keys),
        "strings of escapes": _fill(
            lambda i: f'e{i} = "' + "\\u00e4" * 1_600 + '"', LIMITS.max_strings
        ),
        "one multi-line string of long lines": 's = """\n'
        + ("ä" * (LIMITS.max_line // 2) + "\n") * 50
        + '"""\n',
        "one list of the most items": "a = ["
        + ",\n".join("1979-05-27T07:32:00.999999-07:00" for _ in range(LIMITS.max_items - 1))
        + "]\n",
        "comments only": _fill(lambda i: "# " + "x" * 998, 10**6),
        "blank lines only": "\n" * (LIMITS.max_bytes - 1),
        # Refused by the scan before tomllib: these cost tomllib minutes or a crash.
        "finding 3: 120 KB of a.a.a…": "a" * 120_000 + ".a" * 60_000 + " = 1",
        "a.a.a… within the line limit": "a" + ".a" * (LIMITS.max_line // 2 - 4) + " = 1",
        "finding 3: 4,990 nested lists on one line": "x = " + _nest("[", "]", "", 4_990),
        "finding 3: 2,000 nested inline tables": "x = " + _nest("{a=", "}", "1", 2_000),
        "nested lists, one per line": "x = " + "[\n" * 20_000 + "]\n" * 20_000,
        "an integer of 5,000 digits": "x = " + "1" * 5_000,
        "too many keys": _fill(lambda i: f"k{i} = 1", 10**6),
        "too many list items": "a = [" + ",\n".join(["1"] * (LIMITS.max_bytes // 3 - 8)) + "]",
    }


def measure(text: str, repeat: int) -> tuple[float, str]:
    """Return the worst time over repeat runs and what parse_toml said."""
    worst, outcome = 0.0, ""
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            parse_toml(text)
            outcome = "parsed"
        except BudgetExceeded as exc:
            outcome = f"refused: {exc.limit}"
        except tomllib.TOMLDecodeError as exc:
            outcome = f"invalid TOML: {exc}"
        worst = max(worst, time.perf_counter() - start)
    return worst, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per input (worst counts)")
    args = parser.parse_args()
    worst = 0.0
    print(f"{'input':46} {'KB':>6} {'worst s':>8}  outcome")
    for name, text in inputs().items():
        seconds, outcome = measure(text, args.repeat)
        worst = max(worst, seconds)
        size = len(text.encode()) / 1024
        print(f"{name:46} {size:6.0f} {seconds:8.3f}  {outcome}")
    print(f"worst: {worst:.3f} s (target: under 1 s)")
    return 0 if worst < 1.0 else 2


if __name__ == "__main__":
    sys.exit(main())
