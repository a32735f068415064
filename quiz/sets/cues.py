"""Answer cues a test-wise student could use without reading (CONTENT.md rule 6):
the strict check's measures of true/false keys and of absolute words.

- **True/false keys**: in a set with ``TF_MIN`` or more true/false questions, at most
  ``TF_MOST`` (60%) of their keys may be the same answer.
- **Absolute words** ("always", "never", "proves", "fake", "only", "all"… the list of
  ``docs/content/cue_check.py``): the share of keyed options with one, against the share
  of wrong options with one, over single-choice, select-all and claim–evidence–reasoning
  options (true/false, order and passage options have no wording of their own to cue).
  The two shares may differ by at most ``ABSOLUTE_TOLERANCE`` (15 percentage points),
  checked once a set has ``ABSOLUTE_MIN`` keyed and ``ABSOLUTE_MIN`` wrong such options.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from .problems import Checker

TF_MIN = 4
TF_MOST = 0.6
ABSOLUTE_MIN = 8
ABSOLUTE_TOLERANCE = 0.15
WORDED = ("single", "multiple", "cer")
ABSOLUTE = re.compile(
    r"\b(always|never|must|proves?|proof|fake|tricks?|lies?|lying|propaganda|worthless|"
    r"settles?|settled|all|none|only|cannot|can't|nothing|nobody|no one|every|everything|"
    r"anything|certainly|definitely|exactly|completely|entirely|impossible|whatever)\b",
    re.IGNORECASE,
)


def check(c: Checker, questions: list[dict]) -> None:
    """Add the problems of both measures for a set's questions."""
    true_false_balance(c, questions)
    absolute_words(c, questions)


def true_false_balance(c: Checker, questions: list[dict]) -> None:
    keys = [q["key"][0] for q in questions if q["type"] == "true_false"]
    if len(keys) < TF_MIN:
        return
    most = max(("true", "false"), key=keys.count)
    if keys.count(most) > TF_MOST * len(keys):
        c.add(
            None,
            "key",
            _(
                "%(count)s of %(total)s true/false keys are %(value)s; at most %(most)s%% may go "
                "one way",
                count=keys.count(most),
                total=len(keys),
                value=_("True") if most == "true" else _("False"),
                most=round(TF_MOST * 100),
            ),
        )


def absolute_shares(questions: list[dict]) -> tuple[int, int, int, int]:
    """Return (keyed options, keyed with an absolute word, wrong options, wrong with one)."""
    keys = keys_hit = wrong = wrong_hit = 0
    for q in questions:
        if q["type"] not in WORDED:
            continue
        for o in q["options"]:
            hit = bool(ABSOLUTE.search(o["text"]))
            if o["id"] in q["key"]:
                keys, keys_hit = keys + 1, keys_hit + hit
            else:
                wrong, wrong_hit = wrong + 1, wrong_hit + hit
    return keys, keys_hit, wrong, wrong_hit


def absolute_words(c: Checker, questions: list[dict]) -> None:
    keys, keys_hit, wrong, wrong_hit = absolute_shares(questions)
    if keys < ABSOLUTE_MIN or wrong < ABSOLUTE_MIN:
        return
    in_keys, in_wrong = keys_hit / keys, wrong_hit / wrong
    if abs(in_keys - in_wrong) > ABSOLUTE_TOLERANCE:
        c.add(
            None,
            "options",
            _(
                "absolute words (always, never, proves, fake…) are in %(keys_hit)s of %(keys)s "
                "keyed options (%(in_keys)s%%) and %(wrong_hit)s of %(wrong)s wrong options "
                "(%(in_wrong)s%%); keep the two within %(tolerance)s points",
                keys_hit=keys_hit,
                keys=keys,
                in_keys=round(in_keys * 100),
                wrong_hit=wrong_hit,
                wrong=wrong,
                in_wrong=round(in_wrong * 100),
                tolerance=round(ABSOLUTE_TOLERANCE * 100),
            ),
        )
