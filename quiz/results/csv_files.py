"""CSV exports of a session's results, made to open cleanly in spreadsheets.

- UTF-8 with a byte-order mark, so Excel reads it as UTF-8; rows end with CRLF.
- Participants appear as a number (1..n, in joining order) and their nickname, never
  their random participant id.
- Formula injection: every *text* cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return, or with a character that reads as one of them (full-width
  ``＝＋－＠``, by NFKC) or that a spreadsheet may skip (an invisible format character:
  a zero-width space, a byte-order mark, a direction mark), gets a leading single
  quote, so a spreadsheet shows it as text rather than running it. Numbers that the
  export writes itself (scores, percents, certainty marks such as -6) stay numbers:
  they are written from int/float values, never from student text, and a spreadsheet
  must be able to sum them.
"""

from __future__ import annotations

import csv
import io
import unicodedata

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..play.scoring import certainty_mark, is_right, level_of
from ..sets.vocabulary import CHECK_ORDERS, CHECK_PARTS, RUBRIC_LEVELS, SKILLS
from .data import SessionData, chosen_ids, chosen_labels, skill_order
from .people import People

BOM = "\ufeff"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

ANSWER_HEADER = [
    _l("Participant"),
    _l("Nickname"),
    _l("Team"),
    _l("Question"),
    _l("Question id"),
    _l("Part"),
    _l("Type"),
    _l("Skills"),
    _l("Chosen option ids"),
    _l("Chosen options"),
    _l("Evidence passages"),
    _l("Right"),
    _l("Score"),
    _l("Confidence"),
    _l("Certainty mark"),
    _l("Reason"),
    _l("Answered at"),
    _l("Written answer"),
    _l("Rubric level"),
    # Peer instruction: the row is the vote that counts (1, or 2 for one who only voted
    # the second time); the second vote of those who voted twice is beside it.
    _l("Vote"),
    _l("Second vote: chosen option ids"),
    _l("Second vote: right"),
    _l("Second vote: score"),
]
# What a written answer's level says while it waits, and the participants CSV's columns.
WAITING = _l("waiting for a mark")
LEVEL_COLUMN = _l("Question {number} ({id}): level")
ORDER_COLUMN = _l("Check forms order")
PARTICIPANT_HEADER = [
    _l("Participant"),
    _l("Nickname"),
    _l("Team"),
    _l("Answered"),
    _l("Questions"),
    _l("Score"),
    _l("Percent"),
    _l("Fully right"),
    _l("Certainty mark"),
]


def neutralise(value):
    """Return a cell value safe for spreadsheets (text only; numbers pass unchanged)."""
    if value is None:
        return ""
    if isinstance(value, str) and value and _risky(value[0]):
        return "'" + value
    return value


def _risky(first: str) -> bool:
    """Tell whether a cell's first character could start a formula."""
    return (
        first in DANGEROUS
        or unicodedata.normalize("NFKC", first).startswith(DANGEROUS)
        or unicodedata.category(first) == "Cf"
    )


def _write(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return BOM + out.getvalue()


def _cells(values: list) -> str:
    """Return cells as csv.writer writes them inside a row: neutralised, quoted where
    needed, joined by commas, without a line end.

    Each cell is quoted on its own content, so rows can be put together from such
    pieces. The writer has the export's line end (it decides which cells need quotes)
    and an extra empty cell (so a lone empty cell is not quoted); both are cut off.
    """
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([*(neutralise(v) for v in values), ""])
    return out.getvalue()[: -len(",\r\n")]


def _number(value: float) -> float | int:
    value = round(value, 3)
    return int(value) if value == int(value) else value


def answers_csv(questions, participants, teams, answers, votes=()) -> str:
    """One row per answer, by participant then question (columns in ANSWER_HEADER).

    ``answers`` are those that count for the score (the first vote); ``votes`` (both
    votes on the questions voted on twice, ``queries.votes_in``) give the second votes.

    Rows are put together from pieces written once each: the participant's cells once
    per participant, the question's and the response's once per question and response
    (answers_in() shares equal responses), and so on, rather than 23 cells through
    the CSV writer for each of 100,000 answers. The text is what _write() would give.
    """
    d = SessionData(questions, participants, teams, answers)
    second = _second_votes(votes)
    lines = [BOM, _cells([str(column) for column in ANSWER_HEADER]) + "\r\n"]
    chose: dict[tuple, tuple] = {}  # (question pk, id(response)) -> (response, cells)
    marks: dict[tuple, str] = {}  # (score, confidence) -> cells
    texts: dict[str, str] = {}  # reason or time -> its cell
    # Per question: its pk and whether it is written (the only rows with written cells).
    asked = [(q, q["pk"], q["type"] == "open") for q in d.questions]
    for p in d.people:
        # Written answers waiting for their mark are answers too (with no score yet):
        # they are in d.waiting, and only there (SessionData).
        waits = d.waiting.get(p["id"], {})
        mine = {**d.by_p.get(p["id"], {}), **waits}
        if not mine:
            continue
        who = _cells([p["number"], p["nickname"], d.team_name(p.get("team_id")) or ""])
        for q, pk, is_open in asked:
            a = mine.get(pk)
            if a is None:
                continue
            response = a.get("response")
            what = chose.get((pk, id(response)))
            if what is None:
                # The response is kept alive with its cells, so its id is not reused.
                what = chose[(pk, id(response))] = (response, _chose(q, a))
            score, confidence = a["score"], a.get("confidence")
            kept = (score, confidence, pk in waits)
            how = marks.get(kept)
            if how is None:
                how = marks[kept] = _marks(score, confidence, kept[2])
            reason = a.get("reason") or ""
            why = texts.get(reason)
            if why is None:
                why = texts[reason] = _cells([reason])
            at = a.get("created_at") or ""
            when = texts.get(at)
            if when is None:
                when = texts[at] = _cells([at])
            if second:
                again = _again(q, a, second.get((p["id"], pk)))
            else:  # no question had a second vote: the same cells, without the look-up
                again = _FIRST_VOTE_ONLY if a.get("vote", 1) == 1 else _again(q, a, None)
            written = _written(q, a) if is_open else ","
            lines.append(f"{who},{what[1]},{how},{why},{when},{written},{again}\r\n")
    return "".join(lines)


def _second_votes(votes) -> dict[tuple[str, int], dict]:
    """(participant id, question pk) -> second vote, for those who voted twice."""
    firsts = {(a["participant_id"], a["question_id"]) for a in votes if a["vote"] == 1}
    return {
        (a["participant_id"], a["question_id"]): a
        for a in votes
        if a["vote"] == 2 and (a["participant_id"], a["question_id"]) in firsts
    }


_FIRST_VOTE_ONLY = _cells([1, "", "", ""])


def _again(q: dict, a: dict, second: dict | None) -> str:
    """The cells of which vote a row is and of the second vote beside it."""
    vote = a.get("vote", 1)
    if second is None:
        return _FIRST_VOTE_ONLY if vote == 1 else _cells([vote, "", "", ""])
    separator = " > " if q["type"] == "order" else "; "
    right = is_right(second["score"])
    return _cells(
        [
            vote,
            separator.join(chosen_ids(second)),
            "yes" if right else "no",
            _number(second["score"]),
        ]
    )


def _chose(q: dict, a: dict) -> str:
    """The cells of the question and of what an answer chose."""
    separator = " > " if q["type"] == "order" else "; "
    evidence = (a.get("response") or {}).get("evidence") or []
    return _cells(
        [
            q["number"],
            q["id"],
            q["part"],
            q["type"],
            " ".join(q["skills"]),
            separator.join(chosen_ids(a)),
            separator.join(chosen_labels(q, a)),
            "; ".join(str(n) for n in evidence),
        ]
    )


def _written(q: dict, a: dict) -> str:
    """The cells of a written answer: its text and its level (empty for other answers)."""
    if q["type"] != "open":
        return ","
    level = level_of(a)
    return _cells([(a.get("response") or {}).get("text", ""), RUBRIC_LEVELS.get(level, WAITING)])


def _marks(score: float, confidence: int | None, waiting: bool = False) -> str:
    """The cells of an answer's score: right, score, confidence, certainty mark (a
    written answer waiting for its mark has no right and no score yet)."""
    if waiting:
        return _cells(["", "", confidence, ""])
    right = is_right(score)
    return _cells(
        ["yes" if right else "no", _number(score), confidence, certainty_mark(right, confidence)]
    )


def participants_csv(questions, participants, teams, answers) -> str:
    """One row per participant: number, nickname, team, main-set results, per-skill
    percents and, when the session used check forms, the before and after scores
    (and each participant's order of the forms, when they were counterbalanced); a
    column per written question gives its level."""
    d = SessionData(questions, participants, teams, answers)
    table = People(d).rows
    main = [q for q in questions if q["part"] == "main"]
    tags = skill_order(t for q in main for t in q["skills"])
    checks = [part for part in ("before", "after") if any(q["part"] == part for q in questions)]
    header = [str(column) for column in PARTICIPANT_HEADER]
    header += [_("%(skill)s (%%)", skill=SKILLS.get(tag, tag)) for tag in tags]
    for part in checks:
        name = CHECK_PARTS[part]
        header += [
            _("%(part)s: score", part=name),
            _("%(part)s: answered", part=name),
            _("%(part)s (%%)", part=name),
        ]
    written = [q for q in questions if q["type"] == "open"]
    ordered = any(p.get("check_order") for p in d.people)
    rows = []
    for row, person in zip(table, d.people, strict=True):
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
        rows.append(line + _more_cells(d, person, ordered, written))
    return _write(header + _more_header(ordered, written), rows)


def _more_header(ordered: bool, written: list[dict]) -> list[str]:
    """The participants CSV's columns for the forms' order and the written questions."""
    return ([ORDER_COLUMN] if ordered else []) + [
        LEVEL_COLUMN.format(number=q["number"], id=q["id"]) for q in written
    ]


def _more_cells(d: SessionData, p: dict, ordered: bool, written: list[dict]) -> list:
    """A participant's cells under ``_more_header``."""
    cells = [CHECK_ORDERS[p.get("check_order") or "AB"]] if ordered else []
    for q in written:
        a = d.by_p.get(p["id"], {}).get(q["pk"])
        waits = q["pk"] in d.waiting.get(p["id"], {})
        cells.append(WAITING if waits else RUBRIC_LEVELS[level_of(a)] if a else None)
    return cells
