"""Confidence against correctness: calibration, sure-but-wrong answers, certainty marks."""

from __future__ import annotations

from collections import Counter

from ..sets.vocabulary import CONFIDENCE
from .data import SessionData, enough, round2, share

CONFIDENT_WRONG_MIN = 2  # "fairly sure" (2) and "very sure" (3)


# Certainty-based marking (+1/+2/+3, 0/-2/-6) pays best at confidence 1 when under 2/3
# of such answers are right, at 2 between 2/3 and 4/5, at 3 above 4/5: the ideal ranges.
CALIBRATION_BANDS = {1: (0.0, 2 / 3), 2: (2 / 3, 0.8), 3: (0.8, 1.0)}


LEVELS = (1, 2, 3)


def figures(d: SessionData, table: list[dict]) -> dict:
    """Return the confidence section of the report (the main set's rated answers)."""
    tally, sure_wrong = _counted(d)
    n_right = sum(tally[(level, True)] for level in LEVELS)
    n_wrong = sum(tally[(level, False)] for level in LEVELS)
    sum_right = sum(level * tally[(level, True)] for level in LEVELS)
    sum_wrong = sum(level * tally[(level, False)] for level in LEVELS)
    return {
        "rated": n_right + n_wrong,
        "mean_right": round2(sum_right / n_right) if n_right else None,
        "mean_wrong": round2(sum_wrong / n_wrong) if n_wrong else None,
        "n_right": n_right,
        "n_wrong": n_wrong,
        "confident_wrong_min": CONFIDENT_WRONG_MIN,
        "confident_wrong": _confident_wrong(d, sure_wrong),
        "calibration": [_calibration(level, tally) for level in LEVELS],
        "certainty": [
            {
                "number": row["number"],
                "nickname": row["nickname"],
                "rated": row["rated"],
                "mark": row["certainty"],
                "max": row["certainty_max"],
            }
            for row in table
        ],
    }


def _counted(d: SessionData) -> tuple[Counter, list[tuple[dict, dict]]]:
    """(confidence, fully right) -> answers, counted in C; and the sure but wrong
    answers with their question, the only ones looked at one by one."""
    sure = tuple(level for level in LEVELS if level >= CONFIDENT_WRONG_MIN)
    tally: Counter = Counter()
    sure_wrong = []
    for q in d.main:
        answers = d.by_q[q["pk"]]
        confidences = [a.get("confidence") for a in answers]
        rights = d.rights[q["pk"]]
        tally.update(zip(confidences, rights, strict=True))
        sure_wrong += [
            (q, a)
            for a, c, ok in zip(answers, confidences, rights, strict=True)
            if not ok and c in sure
        ]
    return tally, sure_wrong


def _calibration(level: int, tally: Counter) -> dict:
    right = tally[(level, True)]
    n = right + tally[(level, False)]
    low, high = CALIBRATION_BANDS[level]
    return {
        "confidence": level,
        "label": CONFIDENCE[level],
        "n": n,
        "right": right,
        "share_right": share(right, n),
        "enough": enough(n, "calibration"),
        "band": (round(low, 3), round(high, 3)),
    }


def _confident_wrong(d: SessionData, sure_wrong: list[tuple[dict, dict]]) -> list[dict]:
    rows = [
        {
            "number": d.person[a["participant_id"]]["number"],
            "nickname": d.nickname(a["participant_id"]),
            "question": q["number"],
            "stem": q["stem"],
            "confidence": a["confidence"],
            "confidence_label": CONFIDENCE[a["confidence"]],
            "chosen": list(d.labels(q, a.get("response"))),
            "score": round(a["score"], 3),
        }
        for q, a in sure_wrong
    ]
    rows.sort(key=lambda r: (-r["confidence"], r["question"], r["number"]))
    return rows
