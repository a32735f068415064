"""CSV exports of a session's results, made to open cleanly in spreadsheets.

- UTF-8 with a byte-order mark, so Excel reads it as UTF-8; rows end with CRLF.
- Participants appear as a number (1..n, in joining order) and their nickname, never
  their random participant id.
- Formula injection: every *text* cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return gets a leading single quote, so a spreadsheet shows it as text
  rather than running it. Numbers that the export writes itself (scores, percents,
  certainty marks such as -6) stay numbers: they are written from int/float values,
  never from student text, and a spreadsheet must be able to sum them.
"""

from __future__ import annotations

import csv
import io

from . import report
from .questions import SKILLS
from .scoring import certainty_mark, is_right

BOM = "\ufeff"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

ANSWER_HEADER = [
    "Participant",
    "Nickname",
    "Team",
    "Question",
    "Question id",
    "Part",
    "Type",
    "Skills",
    "Chosen option ids",
    "Chosen options",
    "Evidence passages",
    "Right",
    "Score",
    "Confidence",
    "Certainty mark",
    "Reason",
    "Answered at",
]


def neutralise(value):
    """Return a cell value safe for spreadsheets (text only; numbers pass unchanged)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _write(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return BOM + out.getvalue()


def _number(value: float) -> float | int:
    value = round(value, 3)
    return int(value) if value == int(value) else value


def answers_csv(questions, participants, teams, answers) -> str:
    """One row per answer, by participant then question (columns in ANSWER_HEADER)."""
    d = report.SessionData(questions, participants, teams, answers)
    rows = []
    for p in d.people:
        mine = d.by_p[p["id"]]
        for q in d.questions:
            a = mine.get(q["pk"])
            if a is None:
                continue
            right = is_right(a["score"])
            separator = " > " if q["type"] == "order" else "; "
            evidence = (a.get("response") or {}).get("evidence") or []
            mark = certainty_mark(right, a.get("confidence"))
            rows.append(
                [
                    p["number"],
                    p["nickname"],
                    d.team_name(p.get("team_id")) or "",
                    q["number"],
                    q["id"],
                    q["part"],
                    q["type"],
                    " ".join(q["skills"]),
                    separator.join(report.chosen_ids(a)),
                    separator.join(report.chosen_labels(q, a)),
                    "; ".join(str(n) for n in evidence),
                    "yes" if right else "no",
                    _number(a["score"]),
                    a.get("confidence"),
                    mark,
                    a.get("reason") or "",
                    a.get("created_at") or "",
                ]
            )
    return _write(ANSWER_HEADER, rows)


def participants_csv(questions, participants, teams, answers) -> str:
    """One row per participant: number, nickname, team, main-set results, per-skill
    percents and, when the session used check forms, the before and after scores."""
    table = report.participant_table(questions, participants, teams, answers)
    main = [q for q in questions if q["part"] == "main"]
    tags = report.skill_order(t for q in main for t in q["skills"])
    checks = [part for part in ("before", "after") if any(q["part"] == part for q in questions)]
    header = [
        "Participant",
        "Nickname",
        "Team",
        "Answered",
        "Questions",
        "Score",
        "Percent",
        "Fully right",
        "Certainty mark",
    ]
    header += [f"{SKILLS.get(tag, tag)} (%)" for tag in tags]
    for part in checks:
        header += [f"Check {part}: score", f"Check {part}: answered", f"Check {part} (%)"]
    rows = []
    for row in table:
        line = [
            row["number"],
            row["nickname"],
            row["team"] or "",
            row["answered"],
            row["total"],
            _number(row["score"]),
            row["percent"],
            row["right"],
            row["certainty"],
        ]
        for tag in tags:
            mean = row["skills"][tag]
            line.append(None if mean is None else round(100 * mean))
        for part in checks:
            check = row[part]
            if check is None:
                line += [None, 0, None]
            else:
                line += [_number(check["score"]), check["answered"], check["percent"]]
        rows.append(line)
    return _write(header, rows)
