"""What the set validator and the content check say, in two registers.

Each problem has a code. ``MESSAGES[code]`` is a pair: the message for set-file
authors, printed after the field's path in the file (``field 'key': must be a list
of option ids``), and the message for teachers, which names the field as the editor
shows it and says what to do ("Tick the right answer."). ``FIELDS`` names fields as
the editor shows them, for the messages that take a ``{label}``. Every entry is a
whole sentence with named placeholders, so it can be translated as a whole.
"""

from __future__ import annotations

# Fields as the editor and the set pages show them.
FIELDS = {
    "title": "Title (set details)",
    "description": "Description (set details)",
    "language": "Language of the questions (set details)",
    "audience": "Audience (set details)",
    "article.title": "Title (source article)",
    "article.outlet": "Outlet (source article)",
    "article.date": "Date published (source article)",
    "article.language": "Language of the text (source article)",
    "article.translation_note": "Translation note (source article)",
    "article.url": "Address of the original (source article)",
    "guide.duration": "Duration (facilitator guide)",
    "guide.sensitivity": "Sensitivity note (facilitator guide)",
    "stem": "Question",
    "explanation": "Explanation",
    "teacher_note": "Teacher note",
    "evidence_feedback": "Feedback on the evidence",
    "published": "Published",
    "confidence": "Ask how sure they are",
    "reason": "Ask for a written reason",
    "discernment": "Blanket scepticism gets this wrong",
    "option.text": "Option {n}",
    "option.feedback": "Feedback on option {n}",
}

MESSAGES: dict[str, tuple[str, str]] = {
    # The whole file
    "not_table": (
        "must be a table",
        "The file holds no set: a set file starts with format = 1, then the set's title, "
        "its [article] and its [[questions]].",
    ),
    "not_utf8": (
        "is not UTF-8 text",
        "The file is not UTF-8 text. Save it again with the encoding UTF-8 and upload it again.",
    ),
    "not_toml": (
        "is not valid TOML: {error}",
        "The file is not valid TOML, so it is not a set file Lateral can read ({error}).",
    ),
    "too_big": (
        "is larger than 512 KB",
        "The file is larger than 512 KB; the largest set file Lateral takes is 512 KB.",
    ),
    "over_budget": (
        "{error}",
        "Lateral cannot read this file: {error}. Make it smaller or simpler and upload it again.",
    ),
    "check_form": (
        "upload a main set, not a check form",
        "This file is a check form; upload a main set, not a check form.",
    ),
    "format": (
        "must be 1",
        "This is not a Lateral set file of the current format: its first line must be format = 1.",
    ),
    "set_id": (
        "must be a slug of 3–60 characters: a-z, 0-9 and -",
        "The set's id must be 3 to 60 characters: a to z, 0 to 9 and -.",
    ),
    "kind": ("must be 'main' or 'check'", "The set's kind must be main or check."),
    "check_forms": (
        "must be a list of set ids",
        "The set's check forms must be given as a list of set ids.",
    ),
    "no_article": (
        "is missing: add an [article] table",
        "The set has no source article yet: add it under “Source article”.",
    ),
    "date": (
        "must be a date written YYYY-MM-DD",
        "“Date published (source article)” must be a date, written YYYY-MM-DD.",
    ),
    "url": (
        "must start with https:// or http://",
        "“Address of the original (source article)” must start with https:// or http://.",
    ),
    "passages": (
        "must be a list of non-empty strings",
        "The source article has no text yet: paste it under “The article's text”.",
    ),
    "guide": ("must be a table", "The facilitator guide is not written as a table."),
    "guide_goals": ("must be a list of strings", "The facilitator guide's goals must be a list."),
    "guide_prompt": (
        "each needs 'question' and 'prompt' strings",
        "Each prompt of the facilitator guide needs a question and a prompt.",
    ),
    "guide_unknown": (
        "names unknown question '{qid}'",
        "A prompt of the facilitator guide names a question that is not in the set ({qid}).",
    ),
    "no_questions": (
        "must have at least one [[questions]] table",
        "The set has no questions yet: add at least one.",
    ),
    # Any text field
    "missing": ("is missing", "“{label}” is still empty."),
    "not_text": ("must be text", "“{label}” must be text."),
    "too_long": (
        "is longer than {limit} characters",
        "“{label}” is longer than {limit} characters: shorten it.",
    ),
    "not_flag": ("must be true or false", "“{label}” must be on or off (true or false)."),
    # A question
    "question_table": ("must be a table", "This question is not written as a question table."),
    "qid": (
        "must be a slug: a-z, 0-9, - and _",
        "The question's id may use only a to z, 0 to 9, - and _.",
    ),
    "qid_taken": (
        "is used by another question in this set",
        "Another question of the set has the same id.",
    ),
    "type": ("must be one of: {types}", "Choose the question's type (“Type”)."),
    "skills": ("must list one or two of: {codes}", "Tick one or two skills (“Skills”)."),
    "difficulty": ("must be easy, medium or hard", "Choose a difficulty (“Difficulty”)."),
    "evidence": (
        "must list at least one exact quote from the article",
        "Tick the passage that is the evidence, or copy an exact quote from the article "
        "(“Evidence in the article”).",
    ),
    "quote": (
        "quote not found verbatim in the article: {quote!r}",
        "This evidence quote is not in the article word for word: “{quote}”. Copy it from "
        "the article character for character.",
    ),
    "options_count": (
        "must have 2 to 8 [[questions.options]] tables",
        "Give the question 2 to 8 options.",
    ),
    "option_table": ("must be a table", "Option {n} is not written as an option table."),
    "option_id": (
        "must be a short id: a-z, 0-9, - and _",
        "The id of option {n} may use only a to z, 0 to 9, - and _.",
    ),
    "option_missing": ("is missing or empty", "“Option {n}” is still empty."),
    "passage_number": (
        "must be a passage number 1–{count}",
        "Choose which passage of the article option {n} is (1 to {count}).",
    ),
    "passage_text": (
        "passage options take their text from the article",
        "Option {n} is a passage: it takes its text from the article, so leave its text out.",
    ),
    "misconception": (
        "is not in misconceptions.toml: {name!r}",
        "The misconception of option {n} (“{name}”) is not in the shared list: choose one "
        "from the list.",
    ),
    "option_ids": (
        "option ids must be unique in the question",
        "Two options of the question have the same id.",
    ),
    "true_false": (
        "a true_false question has options 'true' and 'false'",
        "A true/false question has exactly two options, True and False.",
    ),
    "key_list": (
        "must be a list of option ids",
        "Tick the right answer (“Right answer” beside an option).",
    ),
    "key_order": (
        "must be a list of option ids",
        "Give every item its right position (“Right position”).",
    ),
    "key_twice": ("lists an option twice", "The right answer names one option twice."),
    "key_unknown": (
        "names options that do not exist: {ids}",
        "The right answer names options the question does not have ({ids}).",
    ),
    "key_one": ("must name exactly one option", "Tick exactly one option as the right answer."),
    "key_every": (
        "must list every option once, in the right order",
        "Give every item its own right position: each of 1, 2, 3 … once.",
    ),
    "cer_choices": (
        "must list passage numbers 1–{count}",
        "Offer at least one passage as evidence (“Offered”, under “Evidence the student can "
        "pick”).",
    ),
    "cer_key": (
        "must list passage numbers 1–{count}",
        "Tick at least one passage that is the evidence (“Is evidence”, under “Evidence the "
        "student can pick”).",
    ),
    "cer_among": (
        "must be among evidence_choices",
        "A passage that is the evidence must also be offered (“Offered”).",
    ),
    "cer_only": (
        "is only for cer questions",
        "“{label}” belongs to claim–evidence–reasoning questions only.",
    ),
    # The content check (suggestions; they never block publishing)
    "explanation_words": (
        "has {words} words; write 40–80",
        "The explanation has {words} words; the content guide asks for 40 to 80: the "
        "verdict, the evidence, the reasoning move and a rule to reuse.",
    ),
    "no_misconception": (
        "names no misconception",
        "Option {n} is wrong but names no misconception it tempts with.",
    ),
    "unlisted_misconception": (
        "is not in the shared list",
        "The misconception of option {n} is not in the shared list.",
    ),
    "all_none": (
        "uses 'all/none of the above'",
        "Option {n} says “all/none of the above”, which rewards test-taking over reading.",
    ),
    "scaffold": (
        "still holds recipe text in brackets: {gap}",
        "“{label}” still holds the recipe's text to replace: {gap}",
    ),
    "skill_share": (
        "{tag} is on {count} of {total} questions; at most a fifth",
        "The skill {tag} is on {count} of {total} questions; the content guide suggests at "
        "most a fifth.",
    ),
    "skill_cover": (
        "{tag} is on {count} questions; a full set needs 2",
        "The skill {tag} is on {count} questions; a full set has at least 2 of each.",
    ),
    "discernment_share": (
        "{count} of {total} questions are keyed against blanket scepticism; at least a quarter",
        "{count} of {total} questions are keyed so that blanket scepticism gets them wrong; "
        "the content guide asks for at least a quarter.",
    ),
    "key_position": (
        "position {position} holds {count} of {total} single keys; at most 35%",
        "Position {position} holds the right answer in {count} of {total} single-choice "
        "questions; vary it (at most 35% in one place).",
    ),
    "key_longest": (
        "the key is the longest option in {count} of {total} single questions; at most 40%",
        "The right answer is the longest option in {count} of {total} single-choice "
        "questions; a test-wise student learns that (at most 40%).",
    ),
}


def label(field: str, **params: object) -> str:
    """Return a field's name as the editor shows it (its path when it has none)."""
    return FIELDS.get(field, field).format(**params)
