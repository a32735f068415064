"""Write the spreadsheet fixtures of the interchange tests (run from anywhere).

kahoot.xlsx follows the layout of Kahoot!'s own quiz template: an empty first row,
"Quiz template" and four instruction lines in column B, an empty row, the header in
row 8 (column A blank), then questions numbered in column A, and numbered empty
rows below them.
"""

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
KAHOOT_HEADER = [
    "",
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
]
KAHOOT_TOP = [
    [],
    ["", "Quiz template"],
    [
        "",
        "Add questions, at least two answer alternatives, time limit and choose correct "
        "answers (at least one). Have fun creating your awesome quiz!",
    ],
    [
        "",
        "Remember: questions have a limit of 120 characters and answers can have 75 "
        "characters max. Text will turn red in Excel or Google Docs if you exceed this limit. "
        "If several answers are correct, separate them with a comma.",
    ],
    [
        "",
        "See an example question below (don't forget to overwrite this with your first question!)",
    ],
    [
        "",
        "And remember, if you're not using Excel you need to export to .xlsx format before "
        "you upload to Kahoot!",
    ],
    [],
    KAHOOT_HEADER,
]
KAHOOT_ROWS = [
    [
        1,
        "Where was the Crimea video filmed?",
        "At the border",
        "In Crimea",
        "In Moscow",
        "",
        20,
        "2",
    ],
    [2, "Which are news agencies?", "Reuters", "NATO", "Interfax", "The Kremlin", 30, "1,3"],
    [3, "The article was machine translated.", "True", "False", "", "", 10, 1],
    [4, "", "An answer without a question", "Another", "", "", 20, "1"],
    [5, "Which number is right?", "One", "Two", "Three", "Four", 20, 1.3],
]


def kahoot() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in KAHOOT_TOP:
        sheet.append(row)
    for row in KAHOOT_ROWS:
        sheet.append(row)
    for n in range(len(KAHOOT_ROWS) + 1, 21):
        sheet.append([n])
    book.save(HERE / "kahoot.xlsx")


def formula() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["question", "option 1", "option 2", "correct"])
    sheet.append(["Which came first?", "The statement", '=B2&" again"', 1])
    sheet.append(['=UPPER("is this read?")', "Yes", "No", "2"])
    book.save(HERE / "formula.xlsx")


def second_sheet() -> None:
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["These are my notes, not questions."])
    sheet = book.create_sheet("Questions")
    sheet.append(["Question", "Option 1", "Option 2", "Correct", "Explanation"])
    sheet.append(["Is the video from Crimea?", "Yes", "No", "1", "The article says so."])
    book.save(HERE / "second-sheet.xlsx")


if __name__ == "__main__":
    kahoot()
    formula()
    second_sheet()
