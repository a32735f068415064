"""The password policy (issue 13, finding 6; OWASP ASVS 2.1, NIST SP 800-63B 5.1.1.2)."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.accounts import passwords
from quiz.accounts.passwords import (
    COMMON,
    COMMON_PLUS,
    ONE_CHARACTER,
    PERSONAL,
    PREDICTABLE,
    common_passwords,
    problems,
)

ACCOUNT = {"email": "anna.virtanen@school.fi", "name": "Anna Virtanen"}


def test_the_finding_ten_digits_and_ten_spaces_are_refused():
    assert problems("1234567890", **ACCOUNT) == [
        "Use at least 12 characters; this password has 10.",
        COMMON,
    ]
    assert problems(" " * 10, **ACCOUNT) == [
        "Use at least 12 characters; this password has 10.",
        ONE_CHARACTER,
    ]


def test_length_is_counted_after_nfkc_and_spaces_count():
    assert problems("kissa istuu puussa", **ACCOUNT) == []  # 18 with its spaces
    assert problems("ｋｉｓｓａ ｉｓｔｕｕ ｐｕｕｓｓａ", **ACCOUNT) == []  # full width, NFKC'd
    composed = problems("e\u0301" * 6 + "x", **ACCOUNT)  # NFKC composes é: 7, not 13
    assert composed[0] == "Use at least 12 characters; this password has 7."


def test_at_most_128_characters():
    rng = random.Random(128)
    long = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(129))
    assert problems(long, **ACCOUNT) == ["Use at most 128 characters; this password has 129."]
    assert problems(long[:128], **ACCOUNT) == []
    huge = "ab" * 5_000_000  # a repeat, but refused for its length before any costly check
    assert problems(huge) == ["Use at most 128 characters; this password has 10,000,000."]


@pytest.mark.parametrize("password", [" " * 12, " " * 40, "a" * 12, "!" * 20, "\u3000" * 12])
def test_all_spaces_or_one_repeated_character_is_refused_at_any_length(password):
    assert ONE_CHARACTER in problems(password, **ACCOUNT)


@pytest.mark.parametrize(
    "password", ["qwertyuiop12", "password1234", "1qaz2wsx3edc", "qwerty123456", "Password1234"]
)
def test_passwords_on_the_shipped_list_are_refused_in_any_case(password):
    assert problems(password, **ACCOUNT) == [COMMON]
    assert problems(password.upper(), **ACCOUNT) == [COMMON]


def test_the_list_is_loaded_once_as_a_lowercase_frozenset():
    listed = common_passwords()
    assert isinstance(listed, frozenset) and listed is common_passwords()
    assert len(listed) > 19_000
    assert all(word == word.lower() for word in listed)
    assert {"123456", "password", "qwerty123456"} <= listed


@pytest.mark.parametrize(
    "password", ["iloveyou2024!", "dragon123456", "!!sunshine2024", "monkey987654"]
)
def test_a_listed_password_with_a_few_characters_added_is_refused(password):
    assert problems(password, **ACCOUNT) == [COMMON_PLUS]


def test_a_listed_word_with_many_unpredictable_characters_added_passes():
    assert problems("love8374629104", **ACCOUNT) == []


@pytest.mark.parametrize(
    "password",
    [
        "123456789012", "abcdefghijkl", "passwordpassword", "abcabcabcabc", "121212121212",
        "aaaabbbbcccc", "asdfghjklöä1", "1234321abcba", "zyxwvutsrqpo", "9876543210ab",
    ],
)  # fmt: skip
def test_runs_and_repeats_are_refused(password):
    assert PREDICTABLE in problems(password, **ACCOUNT)


@pytest.mark.parametrize(
    "password",
    [
        "annavirtanen2024",
        "anna.virtanen@school.fi",
        "Virtanen123456",
        "school2024anna",
        "lateral2024!!",
    ],
)
def test_the_accounts_email_name_their_parts_or_the_sites_name_are_refused(password):
    assert PERSONAL in problems(password, **ACCOUNT)


def test_a_name_inside_a_longer_passphrase_passes():
    assert problems("anna-loves-hiking-in-lapland", **ACCOUNT) == []
    assert problems("umbrella forest river 42", email="ella@school.fi", name="Ella") == []


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple", "Kissa istuu puussa 2024", "x7#kQ9!mW2@p",
        "Tr0ub4dour&3xyz", "mustikka järvi lokakuu", "пароль для урока 7",
    ],
)  # fmt: skip
def test_good_passwords_have_no_problems(password):
    assert problems(password, **ACCOUNT) == []


def test_no_email_or_name_is_fine():
    assert problems("correct horse battery staple") == []
    assert problems("") == ["Use at least 12 characters; this password has 0."]


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.text(max_size=200), st.text(max_size=40), st.text(max_size=40))
def test_any_input_gives_a_list_of_plain_messages(password, email, name):
    found = problems(password, email=email, name=name)
    assert isinstance(found, list) and all(isinstance(m, str) and m.endswith(".") for m in found)
    assert len(found) == len(set(found))


ALPHABET = string.ascii_letters + string.digits + "!#%&*+-=?@^_~"


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.text(ALPHABET, min_size=16, max_size=40).filter(lambda p: len(set(p)) >= 12))
def test_varied_passwords_are_refused_only_for_runs_repeats_or_the_list(password):
    found = problems(password, **ACCOUNT)
    assert set(found) <= {PREDICTABLE, COMMON, COMMON_PLUS, PERSONAL}
    if PREDICTABLE in found:
        assert len(passwords._fresh(password.lower())) < passwords.FRESH


def test_random_generated_passwords_pass():
    rng = random.Random(2026)  # seeded: the same passwords every run
    for _ in range(500):
        password = "".join(rng.choice(ALPHABET) for _ in range(16))
        assert problems(password, **ACCOUNT) == [], password
