"""What the set validator and the content check say, in two registers.

Each problem has a code. ``MESSAGES[code]`` is a pair: the message for set-file
authors, printed after the field's path in the file (``field 'key': must be a list
of option ids``), and the message for teachers, which names the field as the editor
shows it and says what to do ("Tick the right answer."). ``FIELDS`` names fields as
the editor shows them, for the messages that take a ``{label}``. Every entry is a
whole sentence with named placeholders, so it can be translated as a whole.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Fields as the editor and the set pages show them.
FIELDS = {
    "title": _l("Title (set details)"),
    "description": _l("Description (set details)"),
    "language": _l("Language of the questions (set details)"),
    "audience": _l("Audience (set details)"),
    "article.title": _l("Title (source article)"),
    "article.outlet": _l("Outlet (source article)"),
    "article.date": _l("Date published (source article)"),
    "article.language": _l("Language of the text (source article)"),
    "article.translation_note": _l("Translation note (source article)"),
    "article.url": _l("Address of the original (source article)"),
    "guide.duration": _l("Duration (facilitator guide)"),
    "guide.sensitivity": _l("Sensitivity note (facilitator guide)"),
    "stem": _l("Question"),
    "explanation": _l("Explanation"),
    "teacher_note": _l("Teacher note"),
    "evidence_feedback": _l("Feedback on the evidence"),
    "published": _l("Published"),
    "confidence": _l("Ask how sure they are"),
    "reason": _l("Ask for a written reason"),
    "discernment": _l("Blanket scepticism gets this wrong"),
    "option.text": _l("Option {n}"),
    "option.feedback": _l("Feedback on option {n}"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    # The whole file
    "not_table": (
        _l("must be a table"),
        _l(
            "The file holds no set: a set file starts with format = 1, then the set's title, "
            "its [article] and its [[questions]]."
        ),
    ),
    "not_utf8": (
        _l("is not UTF-8 text"),
        _l(
            "The file is not UTF-8 text. Save it again with the encoding UTF-8 and upload it again."
        ),
    ),
    "not_toml": (
        _l("is not valid TOML: {error}"),
        _l("The file is not valid TOML, so it is not a set file Lateral can read ({error})."),
    ),
    "too_big": (
        _l("is larger than 512 KB"),
        _l("The file is larger than 512 KB; the largest set file Lateral takes is 512 KB."),
    ),
    "over_budget": (
        "{error}",
        _l(
            "Lateral cannot read this file: {error}. Make it smaller or simpler and upload it "
            "again."
        ),
    ),
    "check_form": (
        _l("upload a main set, not a check form"),
        _l("This file is a check form; upload a main set, not a check form."),
    ),
    "format": (
        _l("must be 1"),
        _l(
            "This is not a Lateral set file of the current format: its first line must be format = "
            "1."
        ),
    ),
    "set_id": (
        _l("must be a slug of 3–60 characters: a-z, 0-9 and -"),
        _l("The set's id must be 3 to 60 characters: a to z, 0 to 9 and -."),
    ),
    "kind": (_l("must be 'main' or 'check'"), _l("The set's kind must be main or check.")),
    "check_forms": (
        _l("must be a list of set ids"),
        _l("The set's check forms must be given as a list of set ids."),
    ),
    "no_article": (
        _l("is missing: add an [article] table"),
        _l("The set has no source article yet: add it under “Source article”."),
    ),
    "date": (
        _l("must be a date written YYYY-MM-DD"),
        _l("“Date published (source article)” must be a date, written YYYY-MM-DD."),
    ),
    "url": (
        _l("must start with https:// or http://"),
        _l("“Address of the original (source article)” must start with https:// or http://."),
    ),
    "passages": (
        _l("must be a list of non-empty strings"),
        _l("The source article has no text yet: paste it under “The article's text”."),
    ),
    "guide": (_l("must be a table"), _l("The facilitator guide is not written as a table.")),
    "guide_goals": (
        _l("must be a list of strings"),
        _l("The facilitator guide's goals must be a list."),
    ),
    "guide_prompt": (
        _l("each needs 'question' and 'prompt' strings"),
        _l("Each prompt of the facilitator guide needs a question and a prompt."),
    ),
    "guide_unknown": (
        _l("names unknown question '{qid}'"),
        _l("A prompt of the facilitator guide names a question that is not in the set ({qid})."),
    ),
    "no_questions": (
        _l("must have at least one [[questions]] table"),
        _l("The set has no questions yet: add at least one."),
    ),
    # Any text field
    "missing": (_l("is missing"), _l("“{label}” is still empty.")),
    "not_text": (_l("must be text"), _l("“{label}” must be text.")),
    "too_long": (
        _l("is longer than {limit} characters"),
        _l("“{label}” is longer than {limit} characters: shorten it."),
    ),
    "not_flag": (_l("must be true or false"), _l("“{label}” must be on or off (true or false).")),
    # A question
    "question_table": (
        _l("must be a table"),
        _l("This question is not written as a question table."),
    ),
    "qid": (
        _l("must be a slug: a-z, 0-9, - and _"),
        _l("The question's id may use only a to z, 0 to 9, - and _."),
    ),
    "qid_taken": (
        _l("is used by another question in this set"),
        _l("Another question of the set has the same id."),
    ),
    "type": (_l("must be one of: {types}"), _l("Choose the question's type (“Type”).")),
    "skills": (_l("must list one or two of: {codes}"), _l("Tick one or two skills (“Skills”).")),
    "difficulty": (_l("must be easy, medium or hard"), _l("Choose a difficulty (“Difficulty”).")),
    "evidence": (
        _l("must list at least one exact quote from the article"),
        _l(
            "Tick the passage that is the evidence, or copy an exact quote from the article "
            "(“Evidence in the article”)."
        ),
    ),
    "quote": (
        _l("quote not found verbatim in the article: {quote!r}"),
        _l(
            "This evidence quote is not in the article word for word: “{quote}”. Copy it from "
            "the article character for character."
        ),
    ),
    "options_count": (
        _l("must have 2 to 8 [[questions.options]] tables"),
        _l("Give the question 2 to 8 options."),
    ),
    "option_table": (_l("must be a table"), _l("Option {n} is not written as an option table.")),
    "option_id": (
        _l("must be a short id: a-z, 0-9, - and _"),
        _l("The id of option {n} may use only a to z, 0 to 9, - and _."),
    ),
    "option_missing": (_l("is missing or empty"), _l("“Option {n}” is still empty.")),
    "passage_number": (
        _l("must be a passage number 1–{count}"),
        _l("Choose which passage of the article option {n} is (1 to {count})."),
    ),
    "passage_text": (
        _l("passage options take their text from the article"),
        _l("Option {n} is a passage: it takes its text from the article, so leave its text out."),
    ),
    "misconception": (
        _l("is not in misconceptions.toml: {name!r}"),
        _l(
            "The misconception of option {n} (“{name}”) is not in the shared list: choose one "
            "from the list."
        ),
    ),
    "option_ids": (
        _l("option ids must be unique in the question"),
        _l("Two options of the question have the same id."),
    ),
    "true_false": (
        _l("a true_false question has options 'true' and 'false'"),
        _l("A true/false question has exactly two options, True and False."),
    ),
    "key_list": (
        _l("must be a list of option ids"),
        _l("Tick the right answer (“Right answer” beside an option)."),
    ),
    "key_order": (
        _l("must be a list of option ids"),
        _l("Give every item its right position (“Right position”)."),
    ),
    "key_twice": (_l("lists an option twice"), _l("The right answer names one option twice.")),
    "key_unknown": (
        _l("names options that do not exist: {ids}"),
        _l("The right answer names options the question does not have ({ids})."),
    ),
    "key_one": (
        _l("must name exactly one option"),
        _l("Tick exactly one option as the right answer."),
    ),
    "key_every": (
        _l("must list every option once, in the right order"),
        _l("Give every item its own right position: each of 1, 2, 3 … once."),
    ),
    "cer_choices": (
        _l("must list passage numbers 1–{count}"),
        _l(
            "Offer at least one passage as evidence (“Offered”, under “Evidence the student can "
            "pick”)."
        ),
    ),
    "cer_key": (
        _l("must list passage numbers 1–{count}"),
        _l(
            "Tick at least one passage that is the evidence (“Is evidence”, under “Evidence the "
            "student can pick”)."
        ),
    ),
    "cer_among": (
        _l("must be among evidence_choices"),
        _l("A passage that is the evidence must also be offered (“Offered”)."),
    ),
    "cer_only": (
        _l("is only for cer questions"),
        _l("“{label}” belongs to claim–evidence–reasoning questions only."),
    ),
    # The content check (suggestions; they never block publishing)
    "explanation_words": (
        _l("has {words} words; write 40–80"),
        _l(
            "The explanation has {words} words; the content guide asks for 40 to 80: the "
            "verdict, the evidence, the reasoning move and a rule to reuse."
        ),
    ),
    "no_misconception": (
        _l("names no misconception"),
        _l("Option {n} is wrong but names no misconception it tempts with."),
    ),
    "unlisted_misconception": (
        _l("is not in the shared list"),
        _l("The misconception of option {n} is not in the shared list."),
    ),
    "all_none": (
        _l("uses 'all/none of the above'"),
        _l("Option {n} says “all/none of the above”, which rewards test-taking over reading."),
    ),
    "scaffold": (
        _l("still holds recipe text in brackets: {gap}"),
        _l("“{label}” still holds the recipe's text to replace: {gap}"),
    ),
    "skill_share": (
        _l("{tag} is on {count} of {total} questions; at most a fifth"),
        _l(
            "The skill {tag} is on {count} of {total} questions; the content guide suggests at "
            "most a fifth."
        ),
    ),
    "skill_cover": (
        _l("{tag} is on {count} questions; a full set needs 2"),
        _l("The skill {tag} is on {count} questions; a full set has at least 2 of each."),
    ),
    "discernment_share": (
        _l("{count} of {total} questions are keyed against blanket scepticism; at least a quarter"),
        _l(
            "{count} of {total} questions are keyed so that blanket scepticism gets them wrong; "
            "the content guide asks for at least a quarter."
        ),
    ),
    "key_position": (
        _l("position {position} holds {count} of {total} single keys; at most 35%"),
        _l(
            "Position {position} holds the right answer in {count} of {total} single-choice "
            "questions; vary it (at most 35% in one place)."
        ),
    ),
    "key_longest": (
        _l("the key is the longest option in {count} of {total} single questions; at most 40%"),
        _l(
            "The right answer is the longest option in {count} of {total} single-choice "
            "questions; a test-wise student learns that (at most 40%)."
        ),
    ),
}


def label(field: str, **params: object) -> str:
    """Return a field's name as the editor shows it (its path when it has none)."""
    return FIELDS.get(field, field).format(**params)
