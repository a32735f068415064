"""Nicknames: normalised, refused when they fool the projector, compared by look."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.play import nicknames
from quiz.play.nicknames import NicknameRefused, clean, is_blocked, load_words, skeleton

WORDS = load_words()


def refused(raw: str) -> NicknameRefused:
    with pytest.raises(NicknameRefused) as caught:
        clean(raw)
    return caught.value


# Every case of finding 5 -----------------------------------------------------------


def test_a_right_to_left_override_is_refused_naming_the_character():
    exc = refused("\u202eAnna")
    assert exc.reason == "bidi"
    assert exc.message == (
        "That nickname has a character that changes the direction of text (U+202E). "
        "Type it again without it."
    )


@pytest.mark.parametrize(
    "char",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"]
    + ["\u200e", "\u200f", "\u061c"],
)
def test_every_bidirectional_embedding_override_isolate_and_mark_is_refused(char):
    assert refused(f"Ann{char}a").reason == "bidi"


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e"]
    + ["\u2061", "\ufe0f", "\U000e0041", "\U000e0100", "\u17b4", "\U0001d173"],
)
def test_zero_width_and_default_ignorable_characters_are_refused(char):
    exc = refused(f"An{char}na")
    assert exc.reason == "invisible"
    assert f"U+{ord(char):04X}" in exc.message


def test_a_zero_width_copy_of_an_existing_nickname_shares_its_skeleton_too():
    # Refused by clean; and were one stored before, it would still count as taken.
    assert skeleton("An\u200bna") == skeleton("Anna")
    assert skeleton("\u2060Anna\ufeff") == skeleton("anna")


@pytest.mark.parametrize(
    ("look_alike", "original"),
    [
        ("\u0410nna", "Anna"),  # Cyrillic А
        ("\u0430nna", "anna"),  # Cyrillic а
        ("M\u0430tt\u0456", "Matti"),  # Cyrillic а and і
        ("\u0395\u03bd\u03bf", "Evo"),  # Greek Ε, ν, ο
        ("\u0421\u0435\u0440", "Cep"),  # Cyrillic С, е, р
        ("0tto", "Otto"),
        ("1lona", "Ilona"),
        ("Ilona", "llona"),
        ("ILONA", "ilona"),
        ("\uff21\uff4e\uff4e\uff41", "Anna"),  # full-width letters
        ("rn\u0430x", "max"),
    ],
)
def test_look_alike_nicknames_have_the_same_skeleton(look_alike, original):
    assert skeleton(look_alike) == skeleton(original)


def test_different_names_keep_different_skeletons():
    names = ["Anna", "Anni", "Otto", "Ella", "Emma", "Aino", "Eino", "Jose", "José", "Li", "Lu"]
    assert len({skeleton(name) for name in names}) == len(names)


@pytest.mark.parametrize("blank", ["\u3164", "\u2800", "\u115f", "\u1160", "\uffa0"])
def test_names_that_look_blank_are_refused(blank):
    assert refused(blank).reason == "invisible"
    assert refused(f"{blank} {blank}{blank}").reason == "invisible"
    assert f"U+{ord(blank):04X}" in refused(blank).message  # the character typed, not NFKC's


def test_a_name_of_spaces_or_only_combining_marks_looks_blank():
    assert refused("   \t ").reason == "blank"
    exc = refused("\u0301\u0301")
    assert (exc.reason, exc.message) == (
        "blank",
        "That nickname looks blank on the screen. Choose one with letters or numbers.",
    )


def test_more_than_two_combining_marks_on_one_letter_are_refused():
    assert clean("Ze\u0301\u0308") == unicodedata.normalize("NFKC", "Ze\u0301\u0308")
    exc = refused("Z" + "\u0301\u0308\u0303")
    assert exc.reason == "marks"
    assert exc.message == "That nickname stacks more than 2 accents on one letter. Use at most 2."
    assert refused("Z" + "\u0336" * 40).reason == "marks"


def test_thirty_bismillah_ligatures_are_too_wide_though_thirty_characters():
    exc = refused("\ufdfd" * 30)
    assert exc.reason == "wide"
    assert exc.message == "That nickname would be too wide on the screen. Choose a shorter one."
    assert refused("\ufdfd" * 3).reason == "wide"
    assert clean("\ufdfd") == "\ufdfd"


def test_width_counts_east_asian_wide_characters_twice():
    assert clean("李" * 20) == "李" * 20
    assert refused("李" * 21).reason == "wide"
    assert clean("W" * 30) == "W" * 30


def test_controls_private_use_and_unassigned_characters_are_refused():
    assert refused("Anna\x07").reason == "control"
    assert refused("Anna\x00").reason == "control"
    assert refused("Anna\ue000").reason == "unsupported"
    assert refused("Anna\U0010ffff").reason == "unsupported"
    assert refused("Anna\u0378").reason == "unsupported"  # unassigned


def test_length_is_bounded_after_normalising():
    assert clean("x" * 30) == "x" * 30
    exc = refused("x" * 31)
    assert (exc.reason, exc.message) == ("length", "Choose a nickname of 1 to 30 characters.")
    assert refused("").reason == "blank"
    # NFKC expands U+FDFA into 18 letters: counted after, not before.
    assert refused("\ufdfa\ufdfa").reason == "length"


def test_whitespace_is_folded_and_trimmed_and_full_width_becomes_plain():
    assert clean("  Anna \t\n  K  ") == "Anna K"
    assert clean("Anna\u3000K") == "Anna K"
    assert clean("\uff2d\uff49\uff41") == "Mia"
    assert clean("\ufb01na") == "fina"  # the ﬁ ligature


# Real names pass --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Ääpeli", "Zoë", "José", "Nguyễn", "李雷", "Ωmega", "Åsa", "Þórunn", "Ølgaard",
        "Иван", "محمد", "דנה", "สมชาย", "Đặng Thị Ngọc", "Siobhán", "Łukasz", "Çağla",
        "O'Brien", "D'Angelo", "Anna-Liisa", "Jean-Luc", "Mia K.", "Group 7", "Kim Ji-woo",
        "🦊 Fox", "👩\u200d💻 Coder", "❤\ufe0f Mia", "Aleksi ✓",
    ],
)  # fmt: skip
def test_real_names_pass_unchanged(name):
    assert clean(name) == unicodedata.normalize("NFKC", name)


def test_names_written_decomposed_are_composed():
    assert clean("Nguye\u0302\u0303n") == "Nguyễn"
    assert clean("Zoe\u0308") == "Zoë"


# Properties -------------------------------------------------------------------------


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.text(max_size=40))
def test_clean_refuses_or_returns_a_visible_trimmed_name_it_would_return_again(raw):
    try:
        name = clean(raw)
    except NicknameRefused as exc:
        assert exc.message and exc.reason
        return
    assert name == name.strip() and "  " not in name
    assert 1 <= len(name) <= nicknames.NICKNAME_MAX
    assert not any(unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs") for c in name)
    assert clean(name) == name


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.text(max_size=40))
def test_skeleton_is_its_own_skeleton(raw):
    assert skeleton(skeleton(raw)) == skeleton(raw)


HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.text("aeopcxyilmn kst", min_size=1, max_size=20), st.randoms())
def test_swapping_latin_letters_for_cyrillic_look_alikes_keeps_the_skeleton(name, rng):
    swapped = "".join(HOMOGLYPHS.get(c, c) if rng.random() < 0.5 else c for c in name)
    assert skeleton(swapped) == skeleton(name)
    assert skeleton(swapped.upper()) == skeleton(name)


# The word filter --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "FUCK", "fuuuck", "f.u.c.k", "f u c k", "ｆｕｃｋ", "xXfuckerXx", "MotherFucker",
        "ѕhit", "sh1t", "$hit", "shitty", "Big Ass", "a s s", "Vittu", "v1ttu", "VITTUUU",
        "p4ska", "paskahousu", "ryssä", "RYSSA", "ryss4", "Perkele!", "neekeri",
    ],
)  # fmt: skip
def test_the_word_filter_refuses_words_through_disguises(name):
    assert is_blocked(name, WORDS)


@pytest.mark.parametrize(
    "name",
    [
        "Cassandra", "Hitchcock", "Dickens", "Scunthorpe", "Assi", "Pascal", "Vittorio",
        "Anna", "Putin", "Mongolia", "Kustaa", "Perttu", "Saara", "Essi",
        "Classic", "Matti", "Homonyymi", "Nazim",
    ],
)  # fmt: skip
def test_the_word_filter_lets_innocent_names_through(name):
    assert not is_blocked(name, WORDS)


def test_the_word_list_file_is_short_commented_and_loads(tmp_path):
    text = nicknames.WORDS_FILE.read_text(encoding="utf-8")
    assert text.startswith("# ") and "How to edit" in text
    assert 20 <= len(WORDS) <= 100
    custom = tmp_path / "words.txt"
    custom.write_text("# ours\nbanana*  # no fruit\n\n*kiwi*\n", encoding="utf-8")
    words = load_words(custom)
    assert words == frozenset({"banana*", "*kiwi*"})
    assert is_blocked("Bananas", words) and is_blocked("xxKIWIxx", words)
    assert not is_blocked("Fuck", words)


def test_an_empty_word_list_blocks_nothing():
    assert not is_blocked("anything", frozenset())
