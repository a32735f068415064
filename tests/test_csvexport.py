"""CSV exports: one row per answer and one per participant, safe to open in spreadsheets."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from quiz.play.scoring import certainty_mark, is_right
from quiz.results import csv_files
from quiz.results.data import SessionData, chosen_ids, chosen_labels

from .data.report_session import session_data, shared

HOSTILE = ('=HYPERLINK("x")', "+1", "@SUM(1)", "-2", "Jörg “J” 🦊", "\tTab")


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_answers_csv_has_one_row_per_answer_in_order():
    questions, participants, teams, answers = session_data()
    text = csv_files.answers_csv(questions, participants, teams, answers)
    rows = rows_of(text)
    assert rows[0] == csv_files.ANSWER_HEADER
    assert rows[0][:4] == ["Participant", "Nickname", "Team", "Question"]
    assert len(rows) == 1 + len(answers) == 52
    ada = [row for row in rows[1:] if row[1] == "Ada"]
    assert [row[3] for row in ada] == [str(n) for n in range(1, 10)]
    video = ada[2]
    assert video == [
        "1",
        "Ada",
        "Reds",
        "3",
        "video",
        "main",
        "single",
        "EVI GEO",
        "b",
        "It was filmed in Crimea",
        "",
        "yes",
        "1",
        "3",
        "3",
        "Filmed in Crimea",
        video[16],
        "",  # written answer and its level: only for written questions
        "",
        # Which vote the row is, and no second vote beside it (peer instruction).
        "1",
        "",
        "",
        "",
    ]
    assert video[16].startswith("2024-03-01T10:")
    cleo = {row[4]: row for row in rows[1:] if row[1] == "Cleo"}
    assert cleo["chain"][8:10] == ["a > c > b", "Reuters > Kuleba > This article"]
    assert cleo["chain"][12] == "0.667"
    assert cleo["claim"][10] == "2"
    assert cleo["video"][14] == "-6"  # a certainty mark is a number, not neutralised
    assert cleo["video"][11] == "no"
    ben = {row[4]: row for row in rows[1:] if row[1] == "Ben"}
    assert ben["claim"][8:13] == ["yes", "Supported", "2; 4", "no", "0.5"]
    fay = [row for row in rows[1:] if row[1] == "Fay"]
    assert len(fay) == 6 and all(row[2] == "" for row in fay)
    assert not any("secret-" in cell for row in rows for cell in row)


def test_participants_csv_has_one_row_per_participant():
    questions, participants, teams, answers = session_data()
    rows = rows_of(csv_files.participants_csv(questions, participants, teams, answers))
    header = rows[0]
    assert header[:9] == [
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
    assert header[9:14] == [
        "Evidence vs claim (%)",
        "Source and motive (%)",
        "Attribution and quote chains (%)",
        "Corroboration (%)",
        "Place (%)",
    ]
    assert header[14:] == [
        "Check before: score",
        "Check before: answered",
        "Check before (%)",
        "Check after: score",
        "Check after: answered",
        "Check after (%)",
    ]
    assert len(rows) == 7
    assert rows[2] == ["2", "Ben", "Reds", "5", "5", "4.5", "90", "4", "-2"] + [
        "83",  # EVI: 1, 1, 0.5
        "100",
        "100",
        "50",  # COR: the claim, verdict right, evidence half
        "100",
    ] + ["1", "2", "50", "2", "2", "100"]
    assert rows[6][:9] == ["6", "Fay", "", "4", "5", "2", "40", "2", "1"]
    assert rows[6][-3:] == ["", "0", ""]  # did not reach the check after


def test_participants_csv_without_check_forms_has_no_check_columns():
    questions, participants, teams, answers = session_data(checks=False, teams=False)
    rows = rows_of(csv_files.participants_csv(questions, participants, teams, answers))
    assert not any(h.startswith("Check") for h in rows[0])
    assert rows[1][2] == ""


def test_cells_that_a_spreadsheet_would_run_are_neutralised_and_unicode_survives():
    questions, participants, teams, answers = session_data(nicknames=HOSTILE)
    answers = [
        {**a, "reason": "=1+1 “quoted” ä\nsecond line"} if a["reason"] else a for a in answers
    ]
    teams = [{"id": 1, "name": "@Reds"}, {"id": 2, "name": "Blues ✓"}]
    for text in (
        csv_files.answers_csv(questions, participants, teams, answers),
        csv_files.participants_csv(questions, participants, teams, answers),
    ):
        rows = rows_of(text)
        nicknames = [row[1] for row in rows[1:]]
        assert set(nicknames) == {
            '\'=HYPERLINK("x")',
            "'+1",
            "'@SUM(1)",
            "'-2",
            "Jörg “J” 🦊",
            "'\tTab",
        }
        assert {row[2] for row in rows[1:]} == {"'@Reds", "Blues ✓", ""}
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
                if cell.startswith("-"):
                    int(cell)  # only numbers we wrote ourselves, such as certainty marks
    reasons = {
        row[15]
        for row in rows_of(csv_files.answers_csv(questions, participants, teams, answers))[1:]
    }
    assert "'=1+1 “quoted” ä\nsecond line" in reasons


def test_csv_is_utf8_with_a_bom_and_crlf_line_ends():
    questions, participants, teams, answers = session_data(nicknames=HOSTILE)
    text = csv_files.participants_csv(questions, participants, teams, answers)
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == text[1:]
    assert text.endswith("\r\n")
    assert text.count("\r\n") == 7
    assert "\n" not in text.replace("\r\n", "")
    assert "🦊" in text


def test_empty_session_exports_headers_only():
    questions, _, _, _ = session_data()
    assert rows_of(csv_files.answers_csv(questions, [], [], [])) == [csv_files.ANSWER_HEADER]
    assert len(rows_of(csv_files.participants_csv(questions, [], [], []))) == 1


def test_neutralise_leaves_numbers_alone():
    assert csv_files.neutralise(-6) == -6
    assert csv_files.neutralise(0.5) == 0.5
    assert csv_files.neutralise(None) == ""
    assert csv_files.neutralise("-6") == "'-6"
    assert csv_files.neutralise("\rx") == "'\rx"
    assert csv_files.neutralise("a=b") == "a=b"


def reference_answers_csv(questions, participants, teams, answers) -> str:
    """The answers CSV written the plain way, 21 cells per answer through csv.writer (no
    second votes: the first vote's row, then four cells of votes)."""
    d = SessionData(questions, participants, teams, answers)
    rows = []
    for p in d.people:
        for q in d.questions:
            a = d.by_p[p["id"]].get(q["pk"])
            if a is None:
                continue
            right = is_right(a["score"])
            separator = " > " if q["type"] == "order" else "; "
            evidence = (a.get("response") or {}).get("evidence") or []
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
                    separator.join(chosen_ids(a)),
                    separator.join(chosen_labels(q, a)),
                    "; ".join(str(n) for n in evidence),
                    "yes" if right else "no",
                    csv_files._number(a["score"]),
                    a.get("confidence"),
                    certainty_mark(right, a.get("confidence")),
                    a.get("reason") or "",
                    a.get("created_at") or "",
                    "",  # no written questions in this session
                    "",
                    a.get("vote", 1),
                    "",
                    "",
                    "",
                ]
            )
    return csv_files._write(csv_files.ANSWER_HEADER, rows)


def test_answers_csv_is_what_the_plain_writer_gives_with_hostile_text():
    questions, participants, teams, answers = session_data(nicknames=HOSTILE)
    reasons = ['=1+1, "quoted"\nsecond line', "", "-x\r\ny", ",", '"']
    answers = shared(
        [
            {**a, "reason": reasons[i % len(reasons)], "created_at": f"@{a['created_at']}"}
            if i % 3
            else a
            for i, a in enumerate(answers)
        ]
    )
    teams = [{"id": 1, "name": '@Reds, "the"'}, {"id": 2, "name": ""}]
    args = (questions, participants, teams, answers)
    assert csv_files.answers_csv(*args) == reference_answers_csv(*args)


cell = st.one_of(
    st.none(),
    st.integers(-10, 10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.sampled_from("ab =+-@\t\r\n,\"'; ä🦊"), max_size=6),
)


@given(st.lists(cell, min_size=2, max_size=6), st.integers(1, 5))
def test_cells_joined_are_the_row_the_writer_writes(values, cut):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_files.neutralise(v) for v in values])
    cut = min(cut, len(values) - 1)
    pieces = [csv_files._cells(values[:cut]), csv_files._cells(values[cut:])]
    assert ",".join(pieces) + "\r\n" == out.getvalue()
