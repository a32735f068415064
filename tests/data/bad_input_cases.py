"""The hand-written cases of tests/test_bad_input.py: one request each, with its exact status.

Grouped by what is wrong (oversized bodies, unknown sessions, closed sessions,
answers a question does not allow, nicknames, cookies, methods, URLs, signing in,
invitations, access, administration, uploads, publishing, starting and running
sessions, CSRF, query strings, headers, bodies that are not forms, numbers), then
controls that must succeed so that the refusals mean something.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import tomli_w
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from quiz import clock
from quiz.accounts import teachers, throttle
from quiz.play import sessions
from quiz.storage import queries
from quiz.web.limits import LARGER

from ..world import EMAILS, HX, PASSWORD
from .bad_input_fields import DATA, MINI

OVERSIZE = 300 * 1024  # MAX_CONTENT_LENGTH is 256 KiB
# Failures enough for a wait of 2**10 s after the last: the case still sees it on a busy
# machine (after just the free ones the wait is 1 s, which a slow request outlasts).
THROTTLED = throttle.FREE_PER_CLIENT + 10


@dataclass
class Case:
    """One request and the exact status it must get.

    ``url`` and string values in ``data`` are formatted with the world's ids;
    ``data`` may also be a function of the ids (for uploads and raw bodies).
    """

    name: str
    who: str
    method: str
    url: str
    status: int
    data: Any = None
    setup: Callable | None = None
    headers: dict = field(default_factory=dict)
    content_type: str | None = None
    message: str | None = None
    location: str | None = None
    csrf: bool = False
    exclude: tuple[str, ...] = ()
    config: dict = field(default_factory=dict)


def answer(**fields) -> dict:
    return {"question": "{pk_video}", **fields}


def close(code_key: str) -> Callable:
    return lambda db, w: sessions.close_session(db, w[code_key])


def fail_sign_ins(times: int) -> Callable:
    """Record failed sign-ins to Ana's account from the test client's address, just now
    (stored as the throttle stores them; begin would refuse past the free ones)."""

    def setup(db, w):
        account, at = throttle.account_key(EMAILS["teacher_a"]), clock.stamp()
        for _ in range(times):
            queries.insert_attempt(db, account, "127.0.0.1", at, "failed")

    return setup


def archive_slug(db, w):
    queries.set_archived(db, queries.set_by_slug(db, w["slug"])["id"], True)


def disable_ben(db, w):
    queries.set_disabled(db, w["other_id"], True)


def upload(content: bytes, filename: str = "set.toml") -> Callable:
    return lambda w: {"file": (io.BytesIO(content), filename)}


def with_skills(skills: list) -> bytes:
    first = {**MINI["questions"][0], "skills": skills}
    return tomli_w.dumps({**MINI, "questions": [first, *MINI["questions"][1:]]}).encode()


VALID_SET = tomli_w.dumps({**MINI, "title": "Uploaded set"}).encode()
INVALID_SET = tomli_w.dumps({**MINI, "questions": [{**MINI["questions"][0], "key": ["z"]}]})
CHECK_FORM = (DATA / "mini-check-a.toml").read_bytes()
BIG = "x" * OVERSIZE
JSON_BODY = json.dumps({"code": "ABCDEF", "nickname": "Ada"})
INT_TOO_BIG = "99999999999999999999"
# Only form bodies are read: JSON (which Flask-WTF would hand WTForms as data of any
# type) and other types are refused whole with 415.
JSON_UNPACK = (
    "a top-level JSON value that is not an object: TypeError/ValueError in "
    "flask_wtf/form.py wrap_formdata -> ImmutableMultiDict(request.get_json())"
)
JSON_LENGTH = (
    "a number or boolean as a field value: TypeError: object of type 'int' has no len() "
    "in wtforms/validators.py Length.__call__"
)
NOT_AN_INT = {
    "superscript": (
        "²",
        "500: '²'.isdigit() is True but int('²') raises ValueError (superscript digits; "
        "int() needs isdecimal(), or isascii() and isdigit()): {}",
    ),
    "4301-digits": (
        "1" * 4301,
        "500: int() of a 4301-digit string raises ValueError (Python's limit for int from "
        "str is 4300 digits; isdigit() does not bound the length): {}",
    ),
}
# Each view that turns a field into a number after checking it with isdigit() alone.
DIGIT_SITES = [
    (
        "answer-question",
        "student",
        "/play/{code}/answer",
        lambda v: {"question": v, "option": "b"},
        422,
        "answering.submit (quiz/play.py)",
    ),
    (
        "answer-order-position",
        "student",
        "/play/{code}/answer",
        lambda v: {
            "question": "{pk_chain}",
            "pos-speaker": v,
            "pos-agency": "1",
            "pos-article": "2",
        },
        422,
        "answering.order_from_form (quiz/play.py)",
    ),
    (
        "preview-order-position",
        "owner",
        "/teach/sets/{slug}/preview/chain",
        lambda v: {"pos-speaker": v, "pos-agency": "1", "pos-article": "2"},
        422,
        "answering.order_from_form (quiz/play.py) via author.preview",
    ),
    (
        "goto",
        "owner",
        "/run/{led}/goto",
        lambda v: {"number": v},
        422,
        "facilitation.goto (quiz/facilitation/views.py)",
    ),
    (
        "edit-question-evidence-passage",
        "owner",
        "/teach/sets/{slug}/questions/video/edit",
        lambda v: {**EDIT, "evidence_passage": v},
        200,
        "editor._ints (quiz/authoring/editor.py)",
    ),
    (
        "edit-question-evidence-choice",
        "owner",
        "/teach/sets/{slug}/questions/video/edit",
        lambda v: {**EDIT, "type": "cer", "evidence_choice": v},
        200,
        "editor._ints (quiz/authoring/editor.py)",
    ),
    (
        "edit-question-option-passage",
        "owner",
        "/teach/sets/{slug}/questions/video/edit",
        lambda v: {**EDIT, "type": "passage", "opt-0-passage": v, "opt-0-feedback": "f"},
        200,
        "editor.question_from_form (quiz/authoring/editor.py), opt-n-passage",
    ),
    (
        "edit-question-option-position",
        "owner",
        "/teach/sets/{slug}/questions/video/edit",
        lambda v: {**EDIT, "type": "order", "opt-0-text": "x", "opt-0-position": v},
        200,
        "editor.question_from_form (quiz/authoring/editor.py), opt-n-position",
    ),
]
SIGNIN = {"email": EMAILS["teacher_a"], "password": PASSWORD}
EDIT = {"type": "single", "stem": "Which?", "explanation": "Because.", "difficulty": "easy"}
START = {"set_id": "mini-set", "pace": "self", "feedback": "now", "teams": ""}

CASES = [
    # Oversized bodies: 413 ------------------------------------------------------------
    Case("oversize-join", "anonymous", "POST", "/join", 413, {"code": "{code}", "nickname": BIG}),
    Case("oversize-answer", "student", "POST", "/play/{code}/answer", 413, answer(reason=BIG)),
    Case("oversize-signin", "anonymous", "POST", "/signin", 413, {**SIGNIN, "email": BIG}),
    Case(
        "oversize-upload",
        "owner",
        "POST",
        "/teach/upload",
        413,
        # The upload takes a .zip with images: its own, larger bound (quiz.web.limits).
        # Encoded here, in memory: the test client would spool it to a file it never closes.
        encode_multipart(
            MultiDict(
                {"file": FileStorage(io.BytesIO(b"x" * LARGER["authoring.upload"]), "a.zip")}
            ),
            boundary="lateral-bad-input",
        )[1],
        content_type="multipart/form-data; boundary=lateral-bad-input",
    ),
    Case(
        "oversize-upload-within-the-request-limit",
        "owner",
        "POST",
        "/teach/upload",
        422,
        upload(BIG.encode()),
        content_type="multipart/form-data",
    ),
    Case("oversize-article", "owner", "POST", "/teach/sets/{slug}/article", 413, {"text": BIG}),
    Case("oversize-start", "owner", "POST", "/run/", 413, {**START, "teams": BIG}),
    Case("oversize-invite", "admin", "POST", "/admin/invites", 413, {"email": BIG}),
    Case(
        "oversize-multipart",
        "student",
        "POST",
        "/play/{code}/answer",
        413,
        answer(reason=BIG),
        content_type="multipart/form-data",
    ),
    # Unknown sessions and sets: 404 ----------------------------------------------------
    Case("unknown-play", "student", "GET", "/play/ZZZZZZ", 404, message="no session"),
    Case("unknown-answer", "student", "POST", "/play/ZZZZZZ/answer", 404, answer(option="b")),
    Case(
        "unknown-join",
        "anonymous",
        "POST",
        "/join",
        404,
        {"code": "ZZZZZZ", "nickname": "Ada"},
        message="no session with that code",
    ),
    Case("unknown-summary", "student", "GET", "/play/ZZZZZZ/summary", 404),
    Case("unknown-poll", "student", "GET", "/play/ZZZZZZ/poll?v=1", 404),
    Case("unknown-feedback", "student", "GET", "/play/ZZZZZZ/feedback/1", 404),
    Case("unknown-dashboard", "owner", "GET", "/run/ZZZZZZ", 404),
    Case("unknown-close", "owner", "POST", "/run/ZZZZZZ/close", 404),
    Case("unknown-practice", "anonymous", "POST", "/practice/no-such-set", 404),
    Case("unknown-guide", "anonymous", "GET", "/sets/no-such-set/guide", 404),
    Case("unknown-set-edit", "owner", "GET", "/teach/sets/no-such-set", 404),
    Case("practice-a-teachers-set", "anonymous", "POST", "/practice/{slug}", 404),
    Case("feedback-not-answered", "student", "GET", "/play/{code}/feedback/{pk_video}", 404),
    Case(
        "register-when-closed",
        "anonymous",
        "POST",
        "/register",
        404,
        {"email": "r@school.org", "name": "R", "password": PASSWORD, "confirm": PASSWORD},
        config={"REGISTRATION_OPEN": False},
    ),
    # Closed sessions: 409 ---------------------------------------------------------------
    Case(
        "closed-join",
        "anonymous",
        "POST",
        "/join",
        409,
        {"code": "{closed}", "nickname": "Bea"},
        message="This session is closed",
    ),
    Case(
        "closed-answer",
        "student",
        "POST",
        "/play/{closed}/answer",
        409,
        {"question": "{closed_pk}", "option": "b"},
        message="no longer takes answers",
    ),
    Case("closed-goto", "owner", "POST", "/run/{closed}/goto", 409, {"number": "1"}),
    Case(
        "answer-closed-just-now",
        "student",
        "POST",
        "/play/{code}/answer",
        409,
        answer(option="b"),
        setup=close("code"),
    ),
    Case(
        "led-question-not-open",
        "student",
        "POST",
        "/play/{led}/answer",
        409,
        {"question": "{led_pk}", "option": "b"},
        message="Wait for your facilitator",
    ),
    # Answers the question does not allow: 422 -----------------------------------------
    Case("option-not-offered", "student", "POST", "/play/{code}/answer", 422, answer(option="z")),
    Case(
        "two-options-on-single",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        answer(option=["a", "b"]),
        message="Choose one answer only",
    ),
    Case(
        "same-option-twice",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        answer(option=["b", "b"]),
    ),
    Case("no-option", "student", "POST", "/play/{code}/answer", 422, answer()),
    Case("missing-question", "student", "POST", "/play/{code}/answer", 422, {"option": "b"}),
    Case(
        "question-not-a-number",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "abc", "option": "b"},
    ),
    Case(
        "question-negative",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "-1", "option": "b"},
    ),
    Case(
        "question-too-big-for-sqlite",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": INT_TOO_BIG, "option": "b"},
    ),
    Case(
        "question-of-another-set",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{led_pk}", "option": "b"},
        message="not part of this session",
    ),
    *[
        Case(
            f"confidence-{label}",
            "student",
            "POST",
            "/play/{code}/answer",
            422,
            answer(option="b", confidence=value),
            message="Confidence must be 1, 2 or 3",
        )
        for label, value in [
            ("0", "0"),
            ("4", "4"),
            ("x", "x"),
            ("1.5", "1.5"),
            ("fullwidth-1", "１"),
            ("space-1", " 1"),
        ]
    ],
    Case(
        "reason-overlong",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        answer(option="b", reason="r" * 1001),
        message="Keep your reason under 1000 characters",
    ),
    Case(
        "multiple-with-unknown",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{pk_sources}", "option": ["a", "z"]},
    ),
    Case(
        "passage-not-offered",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{pk_pick-number}", "option": "p2"},
    ),
    Case(
        "order-missing-positions",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{pk_chain}", "pos-speaker": "1"},
        message="Give every item a position",
    ),
    Case(
        "order-same-positions",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{pk_chain}", "pos-speaker": "1", "pos-agency": "1", "pos-article": "2"},
        message="Give each item a different position",
    ),
    Case(
        "order-position-out-of-range",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{pk_chain}", "pos-speaker": "1", "pos-agency": "2", "pos-article": "4"},
    ),
    Case(
        "cer-evidence-not-offered",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{pk_cer-withdrawal}", "option": "b", "evidence": "4"},
    ),
    Case(
        "cer-no-evidence",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{pk_cer-withdrawal}", "option": "b"},
        message="Pick at least one passage",
    ),
    Case(
        "answer-htmx-option-not-offered",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        answer(option="z"),
        headers=HX,
        message="not one of the options offered",
    ),
    # Nicknames and joining ---------------------------------------------------------
    *[
        Case(
            f"nickname-{label}",
            "anonymous",
            "POST",
            "/join",
            422,
            {"code": "{code}", "nickname": value},
            message=message,
        )
        for label, value, message in [
            ("empty", "", "Choose a nickname"),
            ("blank", "   ", "That nickname looks blank on the screen"),
            ("31-chars", "x" * 31, "Choose a nickname of 1 to 30 characters"),
            ("201-chars", "x" * 201, "Choose a nickname of 1 to 30 characters"),
        ]
    ],
    Case(
        "nickname-control-characters-only",
        "anonymous",
        "POST",
        "/join",
        422,
        {"code": "{code}", "nickname": "\x00\x01\u200b"},
    ),
    Case(
        "nickname-taken",
        "anonymous",
        "POST",
        "/join",
        409,
        {"code": "{code}", "nickname": "Ada"},
        message="already uses that nickname",
    ),
    Case(
        "nickname-taken-other-case",
        "anonymous",
        "POST",
        "/join",
        409,
        {"code": "{code}", "nickname": " ADA "},
    ),
    Case("join-code-empty", "anonymous", "POST", "/join", 422, {"code": "", "nickname": "Bea"}),
    Case(
        "join-code-21-chars", "anonymous", "POST", "/join", 422, {"code": "A" * 21, "nickname": "B"}
    ),
    Case(
        "rejoin-wrong-code",
        "anonymous",
        "POST",
        "/join",
        403,
        {"code": "{code}", "nickname": "Ada", "rejoin": "ABCDEF"},
        message="rejoin code does not match",
    ),
    Case(
        "rejoin-21-chars",
        "anonymous",
        "POST",
        "/join",
        422,
        {"code": "{code}", "nickname": "Ada", "rejoin": "A" * 21},
    ),
    Case(
        "join-team-unknown",
        "anonymous",
        "POST",
        "/join",
        422,
        {"code": "{teams}", "nickname": "Bea", "team": "999999"},
        message="Choose your table or team",
    ),
    Case(
        "join-team-garbage",
        "anonymous",
        "POST",
        "/join",
        422,
        {"code": "{teams}", "nickname": "Bea", "team": "<b>"},
    ),
    Case(
        "join-asks-for-team",
        "anonymous",
        "POST",
        "/join",
        200,
        {"code": "{teams}", "nickname": "Bea"},
    ),
    # Not joined, tampered cookies: 403 ---------------------------------------------------
    Case("not-joined-play", "anonymous", "GET", "/play/{code}", 403, message="has not joined"),
    Case("not-joined-answer", "anonymous", "POST", "/play/{code}/answer", 403, answer(option="b")),
    Case("not-joined-summary", "anonymous", "GET", "/play/{code}/summary", 403),
    Case("not-joined-poll", "anonymous", "GET", "/play/{code}/poll?v=x", 403),
    Case("joined-elsewhere", "student", "GET", "/play/{b_code}", 403),
    Case("tampered-cookie-play", "tampered", "GET", "/play/{code}", 403),
    Case("tampered-cookie-answer", "tampered", "POST", "/play/{code}/answer", 403, answer()),
    Case("tampered-cookie-teach", "tampered", "GET", "/teach/", 403),
    Case("forged-participant-play", "forged", "GET", "/play/{code}", 403),
    Case("forged-participant-answer", "forged", "POST", "/play/{code}/answer", 403, answer()),
    # Wrong HTTP method: 405 ----------------------------------------------------------------
    Case("get-join", "anonymous", "GET", "/join", 405),
    Case("get-answer", "student", "GET", "/play/{code}/answer", 405),
    Case("put-signin", "anonymous", "PUT", "/signin", 405, SIGNIN),
    Case("delete-set", "owner", "DELETE", "/teach/sets/{slug}", 405),
    Case("get-signout", "owner", "GET", "/signout", 405),
    Case("get-admin-invites", "admin", "GET", "/admin/invites", 405),
    Case("patch-run", "owner", "PATCH", "/run/", 405, START),
    # GET asks first (a confirm page); only the POST publishes.
    Case("get-publish", "owner", "GET", "/teach/sets/{slug}/publish", 200, message="Publish"),
    Case("put-answer", "student", "PUT", "/play/{code}/answer", 405, answer(option="b")),
    Case("post-play-page", "student", "POST", "/play/{code}", 405),
    # Unknown URLs and odd path segments: 404 ----------------------------------------------
    Case("no-such-page", "anonymous", "GET", "/no-such-page", 404, message="nothing at this"),
    Case("no-such-teach-page", "owner", "GET", "/teach/nothing/here", 404),
    Case("no-such-post", "anonymous", "POST", "/nothing", 404, {"a": "b"}),
    Case("unicode-code", "student", "GET", "/play/%E2%98%83%F0%9F%92%A9", 404),
    Case("unicode-slug", "owner", "GET", "/teach/sets/%C3%BC%E2%80%AE", 404),
    Case("long-slug", "owner", "GET", "/teach/sets/" + "a" * 5000, 404),
    Case("long-slug-post", "owner", "POST", "/teach/sets/" + "a" * 5000 + "/details", 404),
    Case("dotdot-slug", "owner", "GET", "/teach/sets/..", 404),
    Case("dotdot-static", "anonymous", "GET", "/static/../quiz/__init__.py", 404),
    Case("encoded-dotdot-static", "anonymous", "GET", "/static/..%2fpyproject.toml", 404),
    Case("nul-code", "student", "GET", "/play/%00", 404),
    Case("nul-run", "owner", "GET", "/run/%00", 404),
    Case("nul-slug-post", "owner", "POST", "/teach/sets/%00/details", 404, {"title": "x"}),
    Case("nul-invite", "anonymous", "GET", "/invite/%00", 404),
    Case("nul-guide", "anonymous", "GET", "/sets/%00/guide", 404),
    Case("huge-pk-room", "owner", "GET", "/run/{code}/room/" + INT_TOO_BIG, 404),
    Case("huge-pk-feedback", "student", "GET", "/play/{code}/feedback/" + INT_TOO_BIG, 404),
    Case("unknown-qid", "owner", "GET", "/teach/sets/{slug}/questions/nope", 404),
    Case("unknown-qid-post", "owner", "POST", "/teach/sets/{slug}/questions/nope/delete", 404),
    # Signing in ----------------------------------------------------------------------------
    Case(
        "signin-wrong-password",
        "anonymous",
        "POST",
        "/signin",
        401,
        {**SIGNIN, "password": "wrong password"},
        message="do not match an account",
        exclude=("sign_in_attempt",),
    ),
    Case(
        "signin-unknown-email",
        "anonymous",
        "POST",
        "/signin",
        401,
        {"email": "nobody@school.org", "password": PASSWORD},
        exclude=("sign_in_attempt",),
    ),
    Case(
        "signin-disabled-account",
        "anonymous",
        "POST",
        "/signin",
        401,
        {"email": EMAILS["teacher_b"], "password": PASSWORD},
        setup=disable_ben,
        exclude=("sign_in_attempt",),
    ),
    Case("signin-empty-email", "anonymous", "POST", "/signin", 422, {"password": PASSWORD}),
    Case("signin-empty-password", "anonymous", "POST", "/signin", 422, {"email": "a@b.org"}),
    Case("signin-long-email", "anonymous", "POST", "/signin", 422, {**SIGNIN, "email": "a" * 255}),
    Case(
        "signin-long-password",
        "anonymous",
        "POST",
        "/signin",
        422,
        {**SIGNIN, "password": "p" * (teachers.SIGN_IN_MAX + 1)},
    ),
    Case(
        "signin-failure-past-the-free-ones",
        "anonymous",
        "POST",
        "/signin",
        429,
        {**SIGNIN, "password": "wrong password"},
        setup=fail_sign_ins(THROTTLED),
        message="Too many failed sign-ins",
    ),
    Case(
        "signin-right-password-while-throttled",
        "anonymous",
        "POST",
        "/signin",
        429,
        SIGNIN,
        setup=fail_sign_ins(THROTTLED),
    ),
    Case(
        "signin-last-free-failure-not-yet-throttled",
        "anonymous",
        "POST",
        "/signin",
        401,
        {**SIGNIN, "password": "wrong password"},
        setup=fail_sign_ins(throttle.FREE_PER_CLIENT - 1),
        exclude=("sign_in_attempt",),
    ),
    # Invitations ---------------------------------------------------------------------------
    Case("invite-used-get", "anonymous", "GET", "/invite/{invite_used}", 410),
    Case(
        "invite-used-post",
        "anonymous",
        "POST",
        "/invite/{invite_used}",
        410,
        {"name": "X", "password": PASSWORD, "confirm": PASSWORD},
        message="already been used",
    ),
    Case("invite-expired-get", "anonymous", "GET", "/invite/{invite_expired}", 410),
    Case(
        "invite-expired-post",
        "anonymous",
        "POST",
        "/invite/{invite_expired}",
        410,
        {"name": "X", "password": PASSWORD, "confirm": PASSWORD},
        message="has expired",
    ),
    Case("invite-unknown-get", "anonymous", "GET", "/invite/not-a-token", 404),
    Case(
        "invite-unknown-post",
        "anonymous",
        "POST",
        "/invite/not-a-token",
        404,
        {"name": "X", "password": PASSWORD, "confirm": PASSWORD},
    ),
    Case(
        "invite-short-password",
        "anonymous",
        "POST",
        "/invite/{invite}",
        422,
        {"name": "Nia", "password": "short", "confirm": "short"},
    ),
    Case(
        "invite-passwords-differ",
        "anonymous",
        "POST",
        "/invite/{invite}",
        422,
        {"name": "Nia", "password": PASSWORD, "confirm": PASSWORD + "!"},
        message="The passwords differ",
    ),
    Case(
        "invite-no-name",
        "anonymous",
        "POST",
        "/invite/{invite}",
        422,
        {"name": "", "password": PASSWORD, "confirm": PASSWORD},
    ),
    Case(
        "invite-blank-name",
        "anonymous",
        "POST",
        "/invite/{invite}",
        422,
        {"name": "   ", "password": PASSWORD, "confirm": PASSWORD},
    ),
    # Teacher routes as anonymous: 403 -----------------------------------------------------
    Case("anon-teach-home", "anonymous", "GET", "/teach/", 403),
    Case("anon-create-set", "anonymous", "POST", "/teach/sets", 403, {"title": "X"}),
    Case("anon-start", "anonymous", "POST", "/run/", 403, START),
    Case("anon-dashboard", "anonymous", "GET", "/run/{code}", 403),
    Case("anon-upload", "anonymous", "POST", "/teach/upload", 403, upload(VALID_SET)),
    Case("anon-password", "anonymous", "POST", "/account/password", 403, {"current": "x"}),
    Case("anon-admin", "anonymous", "GET", "/admin/accounts", 403),
    Case("student-publish", "student", "POST", "/teach/sets/{slug}/publish", 403),
    # Another teacher's sets and sessions: 404 ---------------------------------------------
    Case("other-set-edit", "owner", "GET", "/teach/sets/{b_slug}", 404),
    Case("other-set-details", "owner", "POST", "/teach/sets/{b_slug}/details", 404, {"title": "H"}),
    Case("other-set-publish", "owner", "POST", "/teach/sets/{b_slug}/publish", 404),
    Case("other-set-delete", "owner", "POST", "/teach/sets/{b_slug}/delete", 404),
    Case("other-set-duplicate", "owner", "POST", "/teach/sets/{b_slug}/duplicate", 404),
    Case(
        "shared-set-details", "owner", "POST", "/teach/sets/mini-set/details", 404, {"title": "H"}
    ),
    Case("other-session-dashboard", "owner", "GET", "/run/{b_code}", 404),
    Case("other-session-close", "owner", "POST", "/run/{b_code}/close", 404),
    Case("other-session-delete", "owner", "POST", "/run/{b_code}/delete", 404, {"confirm": "x"}),
    # Admin routes as a teacher: 403 ----------------------------------------------------------
    Case("teacher-admin-page", "owner", "GET", "/admin/accounts", 403),
    Case("teacher-invite", "owner", "POST", "/admin/invites", 403, {"email": "x@y.org"}),
    Case(
        "teacher-role", "owner", "POST", "/admin/accounts/{owner_id}/role", 403, {"role": "admin"}
    ),
    Case("teacher-disable", "owner", "POST", "/admin/accounts/{other_id}/disable", 403),
    # Administration errors -----------------------------------------------------------------
    Case("admin-invite-bad-email", "admin", "POST", "/admin/invites", 422, {"email": "nope"}),
    Case(
        "admin-invite-bad-role",
        "admin",
        "POST",
        "/admin/invites",
        422,
        {"email": "x@school.org", "role": "root"},
    ),
    Case(
        "admin-invite-existing",
        "admin",
        "POST",
        "/admin/invites",
        409,
        {"email": EMAILS["teacher_a"], "role": "teacher"},
        message="already exists",
    ),
    Case("admin-role-bad", "admin", "POST", "/admin/accounts/{other_id}/role", 422, {"role": "x"}),
    Case(
        "admin-role-unknown-account",
        "admin",
        "POST",
        "/admin/accounts/999/role",
        404,
        {"role": "admin"},
    ),
    Case(
        "admin-demote-last-admin",
        "admin",
        "POST",
        "/admin/accounts/{admin_id}/role",
        409,
        {"role": "teacher"},
        message="at least one administrator",
    ),
    Case("admin-disable-self", "admin", "POST", "/admin/accounts/{admin_id}/disable", 409),
    Case("admin-disable-unknown", "admin", "POST", "/admin/accounts/999/disable", 404),
    Case(
        "admin-disable-id-too-big-for-sqlite",
        "admin",
        "POST",
        f"/admin/accounts/{INT_TOO_BIG}/disable",
        404,
    ),
    Case(
        "admin-role-id-too-big-for-sqlite",
        "admin",
        "POST",
        f"/admin/accounts/{INT_TOO_BIG}/role",
        404,
        {"role": "admin"},
    ),
    # Uploads -----------------------------------------------------------------------------
    Case("upload-without-file", "owner", "POST", "/teach/upload", 422, {}, message="Choose a"),
    Case(
        "upload-empty-filename",
        "owner",
        "POST",
        "/teach/upload",
        422,
        upload(VALID_SET, ""),
        content_type="multipart/form-data",
    ),
    Case(
        "upload-not-utf8",
        "owner",
        "POST",
        "/teach/upload",
        422,
        upload(b'title = "\xff\xfe"'),
        content_type="multipart/form-data",
        message="is not UTF-8 text",
    ),
    Case(
        "upload-invalid-toml",
        "owner",
        "POST",
        "/teach/upload",
        422,
        upload(b"[questions\ntitle = "),
        content_type="multipart/form-data",
        message="is not valid TOML",
    ),
    Case(
        "upload-validation-errors",
        "owner",
        "POST",
        "/teach/upload",
        422,
        upload(INVALID_SET.encode()),
        content_type="multipart/form-data",
    ),
    *[
        Case(
            f"upload-skills-{label}",
            "owner",
            "POST",
            "/teach/upload",
            422,
            upload(with_skills(value)),
            content_type="multipart/form-data",
        )
        for label, value in [("list", [[]]), ("table", [{"a": "b"}])]
    ],
    Case(
        "upload-empty-file",
        "owner",
        "POST",
        "/teach/upload",
        422,
        upload(b""),
        content_type="multipart/form-data",
    ),
    Case(
        "upload-check-form",
        "owner",
        "POST",
        "/teach/upload",
        422,
        upload(CHECK_FORM),
        content_type="multipart/form-data",
        message="not a check form",
    ),
    Case(
        "upload-file-as-text-field",
        "owner",
        "POST",
        "/teach/upload",
        422,
        lambda w: {"file": VALID_SET.decode()},
    ),
    # Publishing, deleting, archiving ------------------------------------------------------
    Case("publish-with-errors", "owner", "POST", "/teach/sets/{draft}/publish", 422),
    Case(
        "publish-archived", "owner", "POST", "/teach/sets/{slug}/publish", 409, setup=archive_slug
    ),
    Case(
        "delete-used-set",
        "owner",
        "POST",
        "/teach/sets/{slug}/delete",
        409,
        message="Archive it instead",
    ),
    Case("create-set-no-title", "owner", "POST", "/teach/sets", 422, {"title": "   "}),
    Case("create-set-long-title", "owner", "POST", "/teach/sets", 422, {"title": "t" * 201}),
    Case("details-incomplete", "owner", "POST", "/teach/sets/{slug}/details", 422, {"title": "T"}),
    Case("article-incomplete", "owner", "POST", "/teach/sets/{slug}/article", 422, {"text": "T"}),
    Case(
        "edit-question-incomplete",
        "owner",
        "POST",
        "/teach/sets/{slug}/questions/video/edit",
        422,
        {"stem": "S"},
    ),
    Case(
        "preview-not-offered",
        "owner",
        "POST",
        "/teach/sets/{slug}/preview/video",
        422,
        {"option": "z"},
    ),
    Case(
        "preview-draft-with-errors",
        "owner",
        "GET",
        "/teach/sets/{draft}/preview/{draft_qid}",
        422,
    ),
    Case("download-with-errors", "owner", "GET", "/teach/sets/{draft}/download/toml", 422),
    # Starting a session: 422 --------------------------------------------------------------
    *[
        Case(f"start-{label}", "owner", "POST", "/run/", 422, {**START, **change})
        for label, change in [
            ("unknown-set", {"set_id": "no-such-set"}),
            ("other-teachers-set", {"set_id": "{b_slug}"}),
            ("unpublished-draft", {"set_id": "{draft}"}),
            ("no-set", {"set_id": ""}),
            ("bad-pace", {"pace": "fast"}),
            ("bad-feedback", {"feedback": "never"}),
            ("one-team", {"teams": "Solo"}),
            ("thirteen-teams", {"teams": "\n".join(f"T{n}" for n in range(13))}),
            ("long-team-name", {"teams": "a" * 41 + "\nB"}),
            ("duplicate-teams", {"teams": "Red\nred"}),
            ("long-title", {"title": "t" * 101}),
            ("teams-over-1000-chars", {"teams": "\n".join(["t" * 30] * 40)}),
        ]
    ],
    Case(
        "start-checks-without-check-forms",
        "owner",
        "POST",
        "/run/",
        422,
        {**START, "set_id": "{slug}", "checks": "y"},
    ),
    # Running a session ---------------------------------------------------------------------
    *[
        Case(f"goto-{label}", "owner", "POST", "/run/{led}/goto", 422, {"number": value})
        for label, value in [
            ("zero", "0"),
            ("out-of-range", "99"),
            ("word", "abc"),
            ("empty", ""),
            ("negative", "-1"),
            ("decimal", "1.5"),
            ("too-big-for-sqlite", INT_TOO_BIG),
        ]
    ],
    Case("goto-missing", "owner", "POST", "/run/{led}/goto", 422, {}),
    Case("lock-unknown-pk", "owner", "POST", "/run/{code}/questions/999999/lock", 404),
    Case("lock-other-sessions-pk", "owner", "POST", "/run/{code}/questions/{led_pk}/lock", 404),
    Case("reveal-huge-pk", "owner", "POST", f"/run/{{code}}/questions/{INT_TOO_BIG}/reveal", 404),
    Case("lock-bad-action", "owner", "POST", "/run/{code}/questions/{pk_video}/explode", 404),
    Case("remove-unknown-participant", "owner", "POST", "/run/{code}/participants/x/remove", 404),
    Case("rejoin-unknown-participant", "owner", "POST", "/run/{code}/participants/x/rejoin", 404),
    # Timers and second votes act on a led session's room question only.
    Case("timer-self-paced", "owner", "POST", "/run/{code}/questions/{pk_video}/timer/add", 409),
    Case("timer-not-opened", "owner", "POST", "/run/{led}/questions/{led_pk}/timer/add", 409),
    Case("timer-bad-action", "owner", "POST", "/run/{led}/questions/{led_pk}/timer/x", 404),
    Case(
        "timer-too-short",
        "owner",
        "POST",
        "/run/{led}/questions/{led_pk}/timer/set",
        422,
        {"seconds": "20"},
        message="between 30 seconds and 5 minutes",
    ),
    Case("timer-no-seconds", "owner", "POST", "/run/{led}/questions/{led_pk}/timer/set", 422, {}),
    Case("vote-self-paced", "owner", "POST", "/run/{code}/questions/{pk_video}/vote", 409),
    Case("vote-not-opened", "owner", "POST", "/run/{led}/questions/{led_pk}/vote", 409),
    Case("vote-unknown-pk", "owner", "POST", "/run/{led}/questions/999999/vote", 404),
    Case(
        "answer-bad-vote",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        {"question": "{pk_video}", "option": "b", "vote": "x"},
    ),
    Case(
        "answer-second-vote-not-asked",
        "student",
        "POST",
        "/play/{code}/answer",
        409,
        {"question": "{pk_video}", "option": "b", "vote": "2"},
    ),
    # The lesson plan's rows: numbered in ASCII and within bounds, or not rows at all.
    Case(
        "plan-row-numbered-in-superscript",
        "owner",
        "POST",
        "/run/",
        422,
        {**START, "plan_for": "mini-set", "plan-²-qid": "video", "plan-²-include": "y"},
        message="Choose at least one question",
    ),
    Case(
        "plan-row-number-too-big",
        "owner",
        "POST",
        "/run/",
        422,
        {**START, "plan_for": "mini-set", f"plan-{INT_TOO_BIG}-qid": "video"},
    ),
    Case("start-timer-self-paced", "owner", "POST", "/run/", 422, {**START, "timer": "60"}),
    # A multipart part named "\r" reaches the form as a key of None (found by hypothesis).
    Case(
        "start-multipart-nameless-part",
        "owner",
        "POST",
        "/run/",
        422,
        {"\r": ""},
        content_type="multipart/form-data",
    ),
    Case("confirm-close-other-session", "owner", "GET", "/run/{b_code}/close", 404),
    Case(
        "confirm-delete-unknown-question",
        "owner",
        "GET",
        "/teach/sets/{slug}/questions/no/delete",
        404,
    ),
    Case("confirm-publish-shared-set", "owner", "GET", "/teach/sets/mini-set/publish", 404),
    Case(
        "move-to-unknown-team",
        "owner",
        "POST",
        "/run/{teams}/participants/{teams_pid}/team",
        422,
        {"team": "999999"},
    ),
    Case(
        "move-without-teams",
        "owner",
        "POST",
        "/run/{code}/participants/{pid}/team",
        422,
        {"team": "1"},
    ),
    Case(
        "move-unknown-participant",
        "owner",
        "POST",
        "/run/{teams}/participants/nobody/team",
        404,
        {"team": "{team_blue}"},
    ),
    Case("delete-data-no-confirm", "owner", "POST", "/run/{code}/delete", 422, {}),
    Case(
        "delete-data-wrong-confirm",
        "owner",
        "POST",
        "/run/{code}/delete",
        422,
        {"confirm": "ABCDEF"},
        message="to confirm",
    ),
    Case(
        "delete-data-other-code", "owner", "POST", "/run/{code}/delete", 422, {"confirm": "{led}"}
    ),
    Case(
        "delete-data-confirm-list",
        "owner",
        "POST",
        "/run/{code}/delete",
        422,
        {"confirm": ["x", "{code}"]},
    ),
    # CSRF on: 400 --------------------------------------------------------------------------
    Case(
        "csrf-join-missing",
        "anonymous",
        "POST",
        "/join",
        400,
        {"code": "{code}", "nickname": "B"},
        csrf=True,
    ),
    Case(
        "csrf-join-wrong",
        "anonymous",
        "POST",
        "/join",
        400,
        {"code": "{code}", "nickname": "B", "csrf_token": "forged"},
        csrf=True,
        message="This form has expired or came from another site",
    ),
    Case(
        "csrf-answer-missing",
        "student",
        "POST",
        "/play/{code}/answer",
        400,
        answer(option="b"),
        csrf=True,
    ),
    Case(
        "csrf-answer-wrong-header",
        "student",
        "POST",
        "/play/{code}/answer",
        400,
        answer(option="b"),
        headers={**HX, "X-CSRFToken": "forged"},
        csrf=True,
    ),
    Case("csrf-create-set", "owner", "POST", "/teach/sets", 400, {"title": "X"}, csrf=True),
    Case("csrf-signin", "anonymous", "POST", "/signin", 400, SIGNIN, csrf=True),
    Case("csrf-start", "owner", "POST", "/run/", 400, START, csrf=True),
    Case("csrf-close", "owner", "POST", "/run/{code}/close", 400, {"csrf_token": ""}, csrf=True),
    Case(
        "csrf-upload",
        "owner",
        "POST",
        "/teach/upload",
        400,
        upload(VALID_SET),
        content_type="multipart/form-data",
        csrf=True,
    ),
    Case(
        "csrf-admin-invite", "admin", "POST", "/admin/invites", 400, {"email": "x@y.org"}, csrf=True
    ),
    # Garbage in query strings of pages: 200 or 204 --------------------------------------
    Case("teach-tag-script", "owner", "GET", "/teach/?tag=<script>alert(1)</script>", 200),
    Case("teach-q-huge", "owner", "GET", "/teach/?q=" + "q" * 10_000, 200),
    Case("teach-q-nul", "owner", "GET", "/teach/?q=%00&tag=%00", 200),
    Case("live-state-abc", "owner", "GET", "/run/{code}/live?state=abc&joined=x&answers=", 200),
    Case("dashboard-hide-garbage", "owner", "GET", "/run/{code}?hide=%FF%FE", 200),
    Case("dashboard-key-garbage", "owner", "GET", "/run/{code}?key=%FF%FE", 200),
    Case("room-poll-garbage", "owner", "GET", "/run/{led}/room/poll?state=x&until=%FF%00", 200),
    Case("play-poll-until-garbage", "student", "GET", "/play/{code}/poll?at=wait&until=1e999", 200),
    Case("poll-garbage", "student", "GET", "/play/{code}/poll?v=abc&last=xyz&at=<script>", 200),
    Case("poll-last-too-big", "student", "GET", "/play/{code}/poll?last=" + INT_TOO_BIG, 200),
    Case("home-code-script", "anonymous", "GET", "/?code=<script>alert(1)</script>", 200),
    Case("home-code-nul", "anonymous", "GET", "/?code=%00%FF", 200),
    Case("signin-next-javascript", "anonymous", "GET", "/signin?next=javascript:alert(1)", 200),
    Case("room-extra-args", "owner", "GET", "/run/{code}/room/{pk_video}?x=%00", 200),
    Case("play-extra-args", "student", "GET", "/play/{code}?question=999&option=z", 200),
    Case("join-link-garbage", "anonymous", "GET", "/join/%3Cscript%3E%00", 302),
    Case(
        "signin-next-offsite",
        "anonymous",
        "POST",
        "/signin?next=//evil.example/x",
        303,
        SIGNIN,
        location="/teach/",
    ),
    Case(
        "signin-next-backslash",
        "anonymous",
        "POST",
        "/signin",
        303,
        {**SIGNIN, "next": "/\\evil.example"},
        location="/teach/",
    ),
    # HX-Request headers with garbage values --------------------------------------------
    Case("hx-request-yes", "student", "GET", "/play/{code}", 200, headers={"HX-Request": "yes"}),
    Case(
        "hx-boosted-garbage",
        "student",
        "GET",
        "/play/{code}",
        200,
        headers={"HX-Request": "true", "HX-Boosted": "<x>", "HX-Current-URL": "javascript:1"},
    ),
    Case("hx-request-latin1", "owner", "GET", "/teach/", 200, headers={"HX-Request": "tr\xfce"}),
    Case(
        "hx-bad-join",
        "anonymous",
        "POST",
        "/join",
        422,
        {"code": "{code}", "nickname": ""},
        headers={"HX-Request": "1"},
    ),
    Case("hx-forbidden", "anonymous", "GET", "/play/{code}", 403, headers=HX),
    # Bodies that are not form-encoded ------------------------------------------------------
    Case(
        "json-as-form-join",
        "anonymous",
        "POST",
        "/join",
        422,
        JSON_BODY,
        content_type="application/x-www-form-urlencoded",
    ),
    Case(
        "json-join-empty-nickname",
        "anonymous",
        "POST",
        "/join",
        415,
        lambda w: json.dumps({"code": w["code"], "nickname": ""}),
        content_type="application/json",
    ),
    Case("json-malformed", "anonymous", "POST", "/join", 415, "{", content_type="application/json"),
    Case("json-null", "anonymous", "POST", "/join", 415, "null", content_type="application/json"),
    *[
        Case(
            f"json-{label}",
            who,
            "POST",
            url,
            415,
            body,
            content_type="application/json",
        )
        for label, who, url, body, where in [
            ("join-top-level-list", "anonymous", "/join", "[1, 2]", JSON_UNPACK),
            ("join-top-level-string", "anonymous", "/join", '"x"', JSON_UNPACK),
            ("join-top-level-number", "anonymous", "/join", "5", JSON_UNPACK),
            (
                "join-code-number",
                "anonymous",
                "/join",
                '{"code": 123456, "nickname": "Bea"}',
                JSON_LENGTH,
            ),
            (
                "join-code-true",
                "anonymous",
                "/join",
                '{"code": true, "nickname": "B"}',
                JSON_LENGTH,
            ),
            (
                "join-code-object",
                "anonymous",
                "/join",
                '{"code": {"a": 1}, "nickname": "Bea"}',
                "AttributeError: 'dict' object has no attribute 'upper' in sessions.normalise_code "
                "(quiz/play.py, from student.join quiz/student.py)",
            ),
            ("signin-numbers", "anonymous", "/signin", '{"email": 1, "password": 2}', JSON_LENGTH),
            (
                "signin-password-object",
                "anonymous",
                "/signin",
                '{"email": ["a@school.org"], "password": {"x": 1}}',
                "AttributeError: 'dict' object has no attribute 'encode' in teachers.sign_in "
                "(quiz/accounts.py, argon2 verify)",
            ),
            (
                "invite-name-number",
                "anonymous",
                "/invite/{invite}",
                json.dumps({"name": 5, "password": PASSWORD, "confirm": PASSWORD}),
                JSON_LENGTH,
            ),
            (
                "password-numbers",
                "owner",
                "/account/password",
                '{"current": 1, "password": 2, "confirm": 2}',
                JSON_LENGTH,
            ),
            (
                "admin-invite-email-object",
                "admin",
                "/admin/invites",
                '{"email": {"a": 1}, "role": "teacher"}',
                "AttributeError: 'dict' object has no attribute 'strip' in teachers.clean_email "
                "(quiz/accounts.py, from auth.admin_invite quiz/auth.py)",
            ),
        ]
    ],
    Case(
        "json-as-form-answer",
        "student",
        "POST",
        "/play/{code}/answer",
        422,
        json.dumps({"question": 1, "option": "b"}),
        content_type="application/x-www-form-urlencoded",
    ),
    Case(
        "json-signin-wrong-password",
        "anonymous",
        "POST",
        "/signin",
        415,
        json.dumps({**SIGNIN, "password": "wrong password"}),
        content_type="application/json",
        exclude=("sign_in_attempt",),
    ),
    Case("text-plain-join", "anonymous", "POST", "/join", 415, "code=X", content_type="text/plain"),
    Case(
        "multipart-without-boundary",
        "anonymous",
        "POST",
        "/join",
        422,
        "code=X&nickname=Y",
        content_type="multipart/form-data",
    ),
    Case(
        "json-as-form-start",
        "owner",
        "POST",
        "/run/",
        422,
        json.dumps(START),
        content_type="application/x-www-form-urlencoded",
    ),
    Case(
        "json-upload",
        "owner",
        "POST",
        "/teach/upload",
        415,
        json.dumps({"file": "x"}),
        content_type="application/json",
    ),
    Case(
        "bad-percent-encoding",
        "anonymous",
        "POST",
        "/join",
        404,
        b"code=%ZZ%ff&nickname=%",
        content_type="application/x-www-form-urlencoded",
    ),
    # Numbers that isdigit() accepts and int() refuses: known 500s ------------------------
    *[
        Case(
            f"{site}-{label}",
            who,
            "POST",
            url,
            status,
            body(value),
        )
        for site, who, url, body, status, where in DIGIT_SITES
        for label, (value, reason) in NOT_AN_INT.items()
    ],
    *[
        Case(
            f"poll-last-{label}",
            "student",
            "GET",
            "/play/{code}/poll?last=" + quote(value),
            200,
        )
        for label, (value, reason) in NOT_AN_INT.items()
    ],
    # Controls: requests that must succeed, so the refusals above are meaningful ------------
    Case("ok-join", "anonymous", "POST", "/join", 303, {"code": "{code}", "nickname": "Bea"}),
    Case("ok-answer", "student", "POST", "/play/{code}/answer", 303, answer(option="b")),
    Case(
        "ok-reason-1000",
        "student",
        "POST",
        "/play/{code}/answer",
        303,
        answer(option="b", reason="r" * 1000),
    ),
    Case("ok-signin", "anonymous", "POST", "/signin", 303, SIGNIN),
    Case("ok-start", "owner", "POST", "/run/", 303, START),
    Case("ok-goto-start", "owner", "POST", "/run/{led}/goto", 303, {"number": "start"}),
    Case(
        "ok-upload",
        "owner",
        "POST",
        "/teach/upload",
        303,
        upload(VALID_SET),
        content_type="multipart/form-data",
    ),
    Case("ok-publish", "owner", "POST", "/teach/sets/{slug}/publish", 303),
]
