"""What the generated requests of tests/test_bad_input.py are made of.

For every state-changing route: the fields its form reads, plausible values for each
field and URL argument (so generated requests get past validation and reach deep
code), and the valid forms that generated ones start from; then text of every kind
and the keys of a set file, for generated values and uploads.

``w`` is the world's ids (``World.ids`` in test_bad_input): codes, slugs, primary keys.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from quiz.sets.vocabulary import DIFFICULTIES, RUBRIC_LEVELS, SKILLS, TYPES

from ..world import EMAILS, PASSWORD

DATA = Path(__file__).parent

OPTION_ROWS = [
    f"opt-{n}-{part}"
    for n in range(8)
    for part in ("text", "passage", "feedback", "misconception", "correct", "position", "id")
]
ANSWER_FIELDS = [
    "question",
    "option",
    "evidence",
    "confidence",
    "reason",
    "pos-speaker",
    "pos-agency",
    "pos-article",
    "vote",
]
IMAGE_FIELDS = ["file", "alt", "caption", "credit", "licence", "note"]
PLAN_ROWS = [f"plan-{n}-{part}" for n in range(7) for part in ("qid", "include", "position")]

# The fields each state-changing route's form (or view) reads. A new POST route
# fails test_every_state_changing_route_is_fuzzed until it is listed here.
FIELDS: dict[str, list[str]] = {
    "play.join": ["code", "nickname", "rejoin", "team"],
    "play.practice": [],
    "play.practice_link": [],
    "play.answer": ANSWER_FIELDS,
    "language.choose": ["language"],
    "accounts.signin": ["email", "password", "next"],
    "accounts.signout": [],
    "accounts.password": ["current", "password", "confirm"],
    "accounts.language": ["language"],
    "accounts.accept_invite": ["name", "password", "confirm"],
    "accounts.register": ["email", "name", "password", "confirm"],
    "accounts.admin_invite": ["email", "role"],
    "accounts.admin_role": ["role"],
    "accounts.admin_disable": [],
    "authoring.create": ["title"],
    "authoring.duplicate": [],
    "authoring.details": ["title", "description", "audience", "language"],
    "authoring.article": [
        "title",
        "outlet",
        "date",
        "language",
        "translation_note",
        "url",
        "text",
    ],
    "authoring.add_question": ["type"],
    "authoring.edit_question": [
        "type",
        "stem",
        "explanation",
        "difficulty",
        "skills",
        "teacher_note",
        "confidence",
        "reason",
        "discernment",
        "evidence_passage",
        "evidence_quotes",
        "evidence_choice",
        "evidence_right",
        "evidence_feedback",
        "action",
        *OPTION_ROWS,
    ],
    "authoring.question_action": [],
    "authoring.move_question": ["position"],
    "authoring.from_recipe": ["passage", "recipe"],
    "authoring.practice_link": [],
    "authoring.copy_question": ["target"],
    "authoring.preview": ANSWER_FIELDS,
    "authoring.publish": [],
    "authoring.archive": [],
    "authoring.delete": [],
    "authoring.upload": ["file", "title"],
    "facilitation.start": [
        "set_id",
        "title",
        "pace",
        "feedback",
        "teams",
        "checks",
        "word_filter",
        "ends_on",
        "ends_time",
        "timer",
        "shuffle",
        "step",
        "plan_for",
        *PLAN_ROWS,
    ],
    "facilitation.joining": [],
    "facilitation.word_filter": [],
    "accounts.admin_words": ["words", "reset"],
    "facilitation.goto": ["number", "back"],
    "facilitation.mark": ["then", "back"],
    "facilitation.timer": ["seconds", "back"],
    "facilitation.vote": ["back"],
    "facilitation.open_close": [],
    "facilitation.participant": ["team"],
    "facilitation.delete_data": ["confirm"],
    # Written answers and images (issue 16).
    "play.peer_mark": ["answer", "level"],
    "facilitation.give_mark": ["answer", "level", "at", "names", "then"],
    "facilitation.undo_mark": ["answer", "at", "names"],
    "authoring.question_image": IMAGE_FIELDS,
    "authoring.remove_question_image": [],
    "authoring.article_image": ["passage", *IMAGE_FIELDS],
    "authoring.remove_article_image": ["passage"],
    "authoring.question_rubric": [
        *(f"{level}_{part}" for level in RUBRIC_LEVELS for part in ("descriptor", "example")),
        "marking",
        "lateral",
    ],
}


# Who posts a route, by the start of its path (anyone else: anonymous, e.g. /join,
# /signin, /invite, /register).
WHO_POSTS = [
    (("/play", "/practice"), "student"),
    (("/admin",), "admin"),
    (("/teach", "/run", "/signout", "/account"), "owner"),
]


def valid_values(w: dict) -> dict[str, list[str]]:
    """Plausible values per field name, so generated forms also get past validation."""
    numbers = ["0", "1", "2", "3", "4", "-1", "1.5", "99", "99999999999999999999"]
    values = {
        "code": [w["code"], w["code"].lower(), w["closed"], w["teams"], w["b_code"], "ZZZZZZ"],
        "nickname": ["Ada", "Zed", "x" * 30, "x" * 31, "  "],
        "rejoin": ["", "ABCDEF"],
        "team": [w["team_red"], w["team_blue"], "0"],
        "question": [*w["pks"], w["led_pk"]],
        "option": ["a", "b", "c", "z", "true", "false", "p1", "p4", "speaker", "agency"],
        "evidence": ["1", "2", "3", "4"],
        "confidence": ["1", "2", "3"],
        "reason": ["Because the video was filmed elsewhere.", "r" * 1001],
        "pos-speaker": ["1", "2", "3"],
        "pos-agency": ["1", "2", "3"],
        "pos-article": ["1", "2", "3"],
        "email": [*EMAILS.values(), "new@school.org", "fresh@school.org", "not-an-email"],
        "password": [PASSWORD, "new password 123", "short"],
        "current": [PASSWORD],
        "confirm": [PASSWORD, "new password 123", w["code"]],
        "name": ["Nia", "n" * 81],
        "next": ["/teach/", "//evil.example", "https://evil.example", "javascript:alert(1)"],
        "role": ["teacher", "admin", "root"],
        "title": ["A title", "t" * 201],
        "description": ["About this set"],
        "audience": ["Ages 14–18"],
        "language": ["en", "de"],
        "outlet": ["Outlet"],
        "date": ["2024-01-01", "yesterday"],
        "translation_note": ["Translated."],
        "url": ["https://example.org/a", "javascript:alert(1)"],
        "text": ["First passage.\n\nSecond passage.", "One\nTwo\nThree"],
        "type": list(TYPES),
        "stem": ["Which is it?"],
        "explanation": ["Because."],
        "difficulty": list(DIFFICULTIES),
        "skills": list(SKILLS),
        "teacher_note": ["Note."],
        "discernment": ["y"],
        "evidence_passage": ["1", "2", "5"],
        "evidence_quotes": ["geo-located for Crimea", "not in the article"],
        "evidence_choice": ["1", "2", "3"],
        "evidence_right": ["1", "2"],
        "evidence_feedback": ["Passage 2."],
        "action": ["refresh", "save"],
        "position": ["1", "2", "6", "7"],
        "passage": ["1", "3", "4", "5"],  # a recipe's passage; an article image's
        "recipe": ["where-was-it-made", "pick-the-evidence", "quote-chain", "how-sure", "x"],
        "ends_on": ["2099-03-14", "2000-01-01", "14.3.2099", ""],
        "ends_time": ["18:00", "23:59", "25:00", ""],
        "target": [w["draft"], w["slug"], w["b_slug"], "mini-set"],
        "set_id": ["mini-set", w["slug"], w["b_slug"], w["draft"]],
        "pace": ["self", "led", "fast"],
        "feedback": ["now", "end", "reveal", "never"],
        "teams": ["", "Red\nBlue", "Solo", "A\na"],
        "checks": ["y", ""],
        "word_filter": ["y", ""],
        "words": ["zorblax\n", "*\n", "# only a comment\n", "w" * 61],
        "reset": ["1", ""],
        "number": ["start", "1", "6", "7"],
        "then": ["room", "next", "stay"],
        "level": ["beginning", "emerging", "mastery", "perfect"],
        "answer": ["1", "2", "999999"],
        "at": ["1", "2", "0"],
        "names": ["1", ""],
        "alt": ["A map of Crimea and the border, not to scale.", "a" * 1001],
        "caption": ["Schematic map, not to scale"],
        "credit": ["Drawn for Lateral"],
        "licence": ["CC BY 4.0"],
        "note": ["For teachers."],
        "marking": ["teacher", "peer", "robot"],
        "lateral": ["y"],
        "back": ["room", "dashboard"],
        "vote": ["1", "2", "3", ""],
        "timer": ["", "30", "60", "300", "20", "3600"],
        "shuffle": ["y", ""],
        "step": ["plan", "all", "none", "start"],
        "plan_for": ["mini-set", w["slug"], ""],
        "seconds": ["30", "45", "300", "20", "3600"],
    }
    for name in PLAN_ROWS:
        values[name] = ["video", "sources", "chain", "nope", "y", "1", "2", "", "²"]
    for name in OPTION_ROWS:
        values[name] = ["a", "b", "speaker", "1", "2", "y", "seeing-is-believing"]
    return {name: [*vals, *numbers] for name, vals in values.items()}


def base_forms(endpoint: str, w: dict) -> list[dict[str, Any]]:
    """Forms the route accepts, to mutate (so the mutations reach deep code)."""
    answers = [
        {"question": w["pk_video"], "option": "b", "confidence": "2", "reason": "Crimea."},
        {"question": w["pk_sources"], "option": ["a", "b"]},
        {"question": w["pk_nato-signs"], "option": "true"},
        {"question": w["pk_pick-number"], "option": "p4"},
        {"question": w["pk_chain"], "pos-speaker": "1", "pos-agency": "2", "pos-article": "3"},
        {"question": w["pk_cer-withdrawal"], "option": "b", "evidence": ["2", "3"]},
    ]
    forms = {
        "play.join": {"code": w["code"], "nickname": "Zed"},
        "language.choose": {"language": "fi"},
        "accounts.signin": {"email": EMAILS["teacher_a"], "password": PASSWORD},
        "accounts.language": {"language": "fi"},
        "accounts.password": {
            "current": PASSWORD,
            "password": "new password 123",
            "confirm": "new password 123",
        },
        "accounts.accept_invite": {"name": "Nia", "password": PASSWORD, "confirm": PASSWORD},
        "accounts.register": {
            "email": "reg@school.org",
            "name": "Reg",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
        "accounts.admin_invite": {"email": "fresh@school.org", "role": "teacher"},
        "accounts.admin_role": {"role": "admin"},
        "authoring.create": {"title": "A new set"},
        "authoring.details": {"title": "T", "audience": "A", "language": "en", "description": "D"},
        "authoring.article": {
            "title": "Headline",
            "outlet": "Outlet",
            "date": "2024-01-01",
            "language": "en",
            "text": "First.\n\nSecond.",
        },
        "authoring.add_question": {"type": "single"},
        "authoring.edit_question": {
            "type": "single",
            "stem": "Which?",
            "explanation": "Because.",
            "difficulty": "easy",
            "skills": "EVI",
            "opt-0-text": "Yes",
            "opt-0-correct": "y",
            "opt-1-text": "No",
            "evidence_quotes": "geo-located for Crimea",
        },
        "authoring.preview": {"option": "b", "confidence": "1"},
        "facilitation.start": {
            "set_id": "mini-set",
            "pace": "self",
            "feedback": "now",
            "teams": "",
        },
        "facilitation.goto": {"number": "1"},
        "facilitation.mark": {"then": "room"},
        "facilitation.timer": {"seconds": "60", "back": "room"},
        "facilitation.participant": {"team": w["team_blue"]},
        "facilitation.delete_data": {"confirm": w["code"]},
        "accounts.admin_words": {"words": "zorblax\n"},
    }
    if endpoint == "play.answer":
        return answers
    return [forms[endpoint]] if endpoint in forms else []


def url_values(w: dict) -> dict[str, list]:
    """Valid (and some wrong-but-plausible) values per URL argument."""
    return {
        "slug": [w["slug"], w["draft"], w["b_slug"], "mini-set", "no-such-set"],
        "qid": ["video", w["draft_qid"], "nope"],
        "code": [w["code"], w["led"], w["closed"], w["teams"], w["b_code"], "ZZZZZZ"],
        "pk": [int(p) for p in w["pks"]] + [int(w["led_pk"]), 0, 999999],
        "pid": [w["pid"], w["teams_pid"], "nobody"],
        "account_id": [w["other_id"], w["owner_id"], w["admin_id"], 999],
        "token": [w["invite"], w["invite_used"], w["invite_expired"], "x"],
    }


# Text of every kind: control characters, other scripts, emoji, digits that are
# not ASCII, markup, SQL, format strings.
NASTY = [
    "",
    " ",
    "\x00",
    "\r\n",
    "\t\x0b\x0c",
    "\u202e",
    "\ufeff",
    "<script>alert(1)</script>",
    "'; DROP TABLE answer; --",
    "{{ 7*7 }}",
    "%s%n",
    "../../etc/passwd",
    "١٢٣",
    "²",
    "½",
    "１",
    "💩",
    "Ω≈ç√∫",
    "NaN",
    "-0",
    "1e400",
    "0x1",
]

MINI = tomllib.loads((DATA / "mini.toml").read_text())
SET_KEYS = sorted(
    {
        "format",
        "id",
        "title",
        "language",
        "audience",
        "description",
        "kind",
        "check_forms",
        "published",
        "article",
        "outlet",
        "date",
        "passages",
        "translation_note",
        "url",
        "guide",
        "goals",
        "duration",
        "sensitivity",
        "prompts",
        "question",
        "prompt",
        "questions",
        "type",
        "skills",
        "difficulty",
        "stem",
        "evidence",
        "key",
        "confidence",
        "reason",
        "discernment",
        "explanation",
        "teacher_note",
        "options",
        "text",
        "feedback",
        "misconception",
        "passage",
        "evidence_choices",
        "evidence_key",
        "evidence_feedback",
    }
)
