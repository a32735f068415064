"""The import report and the one error an import raises, in plain language.

Every line a teacher reads is one message template (below) filled with parameters,
so the templates can be translated as a whole. `ReportLine.code` names the template;
`ReportLine.params` holds the values; `str(line)` is the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from . import parts

# Report lines: what each source question became, what stayed out and why, and what
# changed on the way (scoring, formatting). {source} is "Question 3" or "Row 12".
MESSAGES = {
    "imported": _l("{source} became question {number} ({kind}): “{stem}”."),
    "missing_word": (
        _l("Question {number} is a missing-word question: the gap is shown as _____ in the text.")
    ),
    "article": (
        _l(
            "{source} is the article of a Lateral export; it became the set's article "
            "(“{title}”, {count} passages)."
        )
    ),
    "passage_one": _l(
        "{source} is a description (text with no answers); it became article passage {first}."
    ),
    "passage_many": _l(
        "{source} is a description (text with no answers); it became article "
        "passages {first} to {last}."
    ),
    "passage_image": _l("{source}: an image in it was left out (its description: “{alt}”)."),
    "passage_empty": _l("{source} is a description with no text; nothing was added."),
    "category": _l(
        "Category “{name}” begins here. Lateral sets have no categories, so the name "
        "is kept in this report only."
    ),
    "comment": _l("Comment before {source}: “{text}” (kept in this report only)."),
    "comment_end": _l("Comment at the end of the file: “{text}” (kept in this report only)."),
    "tags": _l(
        "Question {number}: the file's tags (“{tags}”) are not Lateral skills; they are "
        "kept in this report only."
    ),
    "needs": _l("Question {number} still needs {fields} before the set can be published."),
    "all_need": _l("Every question still needs {fields} before the set can be published."),
    "article_missing": _l(
        "The file brought no article: paste it in the editor under “Source "
        "article”, with its title, outlet and date. Evidence quotes and recipes start from it."
    ),
    "article_details": _l(
        "The article still needs its title, outlet and date (in the editor, "
        "under “Source article”)."
    ),
    "hidden": _l("Question {number} was hidden in Moodle; it was imported like the others."),
    # Left out
    "left_short_answer": _l(
        "{source} (“{stem}”) was left out: it is a short-answer question, "
        "where students type the answer, and Lateral questions are answered by choosing."
    ),
    "left_numerical": _l(
        "{source} (“{stem}”) was left out: it is a numerical question, where "
        "students type a number, and Lateral questions are answered by choosing."
    ),
    "left_essay": _l(
        "{source} (“{stem}”) was left out: it is an essay question (a written "
        "answer marked by hand), which Lateral has no format for."
    ),
    "left_matching": _l(
        "{source} (“{stem}”) was left out: it is a matching question that pairs "
        "items with answers; Lateral takes a matching question only when its answers number the "
        "items 1, 2, 3 … (an order)."
    ),
    "left_cloze": _l(
        "{source} (“{stem}”) was left out: it is an embedded-answers (Cloze) "
        "question with gaps to fill, which Lateral has no format for."
    ),
    "left_calculated": _l(
        "{source} (“{stem}”) was left out: it is a calculated question whose "
        "numbers come from a formula, which Lateral has no format for."
    ),
    "left_drag": _l(
        "{source} (“{stem}”) was left out: it is a drag-and-drop or select-the-"
        "missing-word question ({qtype}), which Lateral has no format for."
    ),
    "left_random": _l(
        "{source} was left out: it is a Moodle “random question” placeholder, "
        "which holds no question of its own."
    ),
    "left_other": _l(
        "{source} (“{stem}”) was left out: its question type, “{qtype}”, is one "
        "Lateral has no format for."
    ),
    "left_options": _l(
        "{source} (“{stem}”) was left out: it has {count} answer options, and a "
        "Lateral question has 2 to 8."
    ),
    "left_one_option": _l(
        "{source} (“{stem}”) was left out: it has only one answer option, and "
        "a Lateral question has 2 to 8."
    ),
    "left_unreadable": _l("{source} could not be read and was left out: {reason}."),
    "row_bad_key": _l(
        "Question {number}: the correct column names option {option}, which is "
        "empty; choose the right options again."
    ),
    "column_ignored": _l("The column “{name}” is not one Lateral reads; it was left out."),
    "left_no_question": _l("{source} has answers but no question; it was left out."),
    # Scoring
    "credit_single_partial": _l(
        "Question {number}: “{option}” earned {percent}% in the file; a "
        "single-choice question in Lateral is all or nothing, so it now counts as wrong."
    ),
    "credit_single_many": _l(
        "Question {number}: {count} options earned full marks in the file, "
        "but a single-choice question has one right option: choose it before publishing."
    ),
    "credit_no_key": _l(
        "Question {number}: no option earned full marks in the file: choose the "
        "right option before publishing."
    ),
    "credit_weights": _l(
        "Question {number}: the right options were weighted {weights} in the "
        "file; Lateral gives each of the {count} right options an equal share ({share}%)."
    ),
    "credit_free_wrong": _l(
        "Question {number}: choosing a wrong option cost nothing in the file; "
        "in Lateral each wrong option chosen takes one share ({share}%) off, never below 0."
    ),
    "credit_penalty": _l(
        "Question {number}: a wrong option took {penalty} off in the file; in "
        "Lateral each wrong option chosen takes one share ({share}%) off, never below 0."
    ),
    "credit_order": _l(
        "Question {number}: Moodle scores each item put in its place; Lateral "
        "scores the share of pairs of items in the right order, so partial credit differs."
    ),
    "credit_kahoot_multi": _l(
        "Question {number}: in Kahoot! a player picks one answer and any of "
        "answers {answers} scores; in Lateral it is a select-all-that-apply question, where the "
        "student must pick all of them. Say so in the question."
    ),
    # Recovered from Lateral's own exports
    "recovered_order": _l(
        "Question {number}: its answers number the items 1 to {count}, as "
        "Lateral writes a put-in-order question, so it became one."
    ),
    "recovered_cer": _l(
        "Question {number}: its general feedback names the evidence "
        "({passages}), as Lateral writes a claim–evidence–reasoning question, so it became one. "
        "The file does not say which passages students choose from: every passage of the "
        "article is offered; narrow the choice."
    ),
    "recovered_passage": _l(
        "Question {number}: its options quote article passages, as Lateral "
        "writes a pick-the-passage question, so it became one."
    ),
    # Text
    "text_format": _l(
        "Question {number}: the formatting of {fields} ({fmt}) was removed; "
        "Lateral shows plain text."
    ),
    "text_image": _l(
        "Question {number}: an image in {field} was left out (its description: “{alt}”)."
    ),
    "text_image_no_alt": _l(
        "Question {number}: an image in {field} was left out (it had no description)."
    ),
    "text_link": _l(
        "Question {number}: a link in {field} is kept as its text with the address "
        "after it ({href})."
    ),
    "text_files": _l("Question {number}: the files attached to it ({names}) were left out."),
    "feedback_combined": _l(
        "Question {number}: the feedback Moodle shows after {which} answer "
        "(“{text}”) has no place in Lateral and was left out."
    ),
    # The whole file
    "lateral_export": _l(
        "This file was exported from Lateral. The export leaves out difficulty, "
        "evidence quotes, misconception labels, the confidence and written-reason switches, "
        "teacher notes and the facilitator guide: set them again in the editor."
    ),
    "kahoot_time": _l("Kahoot! time limits were not kept: Lateral never times an answer."),
    "formula": _l(
        "Row {row}: the “{column}” cell holds a formula ({formula}), which Lateral does "
        "not calculate, so it was read as empty. Type the text itself."
    ),
    "nothing_imported": _l(
        "No question in the file could become a Lateral question; the lines above say why."
    ),
}

# Reasons a whole file is refused (UnreadableFile): what is wrong and what to do.
ERRORS = {
    "empty": _l("The file is empty."),
    "too_big": _l(
        "The file is {size} KB; the largest file Lateral imports is {limit} KB. "
        "Split it into smaller files."
    ),
    "not_utf8": _l(
        "The file is not UTF-8 text. Save it again with the encoding UTF-8 (for a "
        "CSV file in Excel: “CSV UTF-8”) and upload it again."
    ),
    "not_gift": _l(
        "This file does not look like GIFT: no question has its answers between "
        "{{ and }}, and there is no ::title:: or $CATEGORY: line. Export the questions from "
        "Moodle as GIFT and try again."
    ),
    "xml_malformed": _l(
        "The file is not well-formed XML (line {line}, column {column}); it may "
        "have been cut short. Export it from Moodle again."
    ),
    "xml_unsafe": _l(
        "The file declares a DTD or entities, which Lateral refuses for safety "
        "(they can make a file grow without end or read other files). Moodle never writes "
        "them: export the questions from Moodle again."
    ),
    "xml_not_quiz": _l(
        "This XML file is not a Moodle question file: its outer element is "
        "<{tag}>, where Moodle writes <quiz>."
    ),
    "too_many_questions": _l(
        "The file has more than {limit} questions; split it into smaller files."
    ),
    "text_too_long": _l(
        "{where} is {length} characters long; the longest text Lateral takes is "
        "{limit}. Shorten it and try again."
    ),
    "sheet_no_header": _l(
        "No header row was found: one of the first {rows} rows must name the "
        "columns, as in Lateral's template (question, option 1, option 2 …, correct) or "
        "Kahoot!'s (“Question - max 120 characters”, “Answer 1 - max 75 characters” …)."
    ),
    "sheet_old_xls": _l(
        "This is an old Excel .xls file; Lateral reads .xlsx and .csv. In Excel "
        "choose File, Save As, Excel Workbook (.xlsx)."
    ),
    "sheet_unknown": _l(
        "Lateral reads spreadsheets saved as .xlsx or .csv, and “{name}” is "
        "neither. Save it as one of those and try again."
    ),
    "sheet_broken": _l(
        "The spreadsheet could not be opened; it may be damaged ({reason}). Save "
        "it again as .xlsx or CSV and try again."
    ),
    "too_many_rows": _l("The sheet has more than {limit} rows; split it into smaller files."),
}


@dataclass(frozen=True)
class ReportLine:
    """One sentence of the import report: a template code and its parameters (codes
    and numbers, put into words when the line is read: quiz.authoring.interchange.parts)."""

    code: str
    params: dict = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return str(MESSAGES[self.code]).format(**parts.shown(self.code, self.params))


class UnreadableFile(ValueError):
    """A file that cannot be imported at all; nothing was made of it.

    `code` names the template in ERRORS, `params` fill it, and `str(error)` is a
    message a teacher can act on.
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(ERRORS[code].format(**params))


@dataclass
class ImportResult:
    """A draft set in the set-file format, and the report of how it was made."""

    raw: dict
    report: list[ReportLine]

    @property
    def lines(self) -> list[str]:
        """Return the report as sentences."""
        return [str(line) for line in self.report]


def short(text: str, limit: int = 80) -> str:
    """Shorten a text to one line of at most `limit` characters for the report."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
