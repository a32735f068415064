"""The parse budget for set files (issue 13, finding 3): refuse before tomllib pays."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quiz.sets import budget
from quiz.sets.budget import DEFAULT, BudgetExceeded, Limits, parse_toml
from tests.hypothesis_profiles import examples

ROOT = Path(__file__).parent.parent
SETS = sorted((ROOT / "questions").glob("*.toml"))
# Limits with room to spare: the real sets must pass even these.
TIGHT = Limits(
    max_bytes=DEFAULT.max_bytes // 4,
    max_line=DEFAULT.max_line // 4,
    max_depth=DEFAULT.max_depth // 4,
    max_key_parts=DEFAULT.max_key_parts // 2,
    max_key_length=DEFAULT.max_key_length // 4,
    max_path_length=DEFAULT.max_path_length // 4,
    max_keys=DEFAULT.max_keys // 4,
    max_tables=DEFAULT.max_tables // 4,
    max_items=DEFAULT.max_items // 4,
    max_strings=DEFAULT.max_strings // 4,
    max_scalar=DEFAULT.max_scalar // 2,
)
UNLIMITED = Limits(**{f.name: 10**9 for f in dataclasses.fields(Limits)})


def refusal(text: str | bytes, limits: Limits = DEFAULT) -> BudgetExceeded:
    with pytest.raises(BudgetExceeded) as caught:
        parse_toml(text, limits)
    return caught.value


# The findings, reproduced ---------------------------------------------------------


def nested(opening: str, closing: str, inner: str, depth: int, sep: str = "") -> str:
    return "x = " + (opening + sep) * depth + inner + closing * depth + "\n"


@pytest.mark.parametrize("depth", [2_000, 5_000])
def test_tomllib_alone_crashes_on_deep_lists_and_inline_tables(depth):
    with pytest.raises(RecursionError):
        tomllib.loads(nested("[", "]", "", depth, sep="\n"))
    with pytest.raises(RecursionError):
        tomllib.loads(nested("{a=", "}", "1", depth))


def test_the_finding_of_a_key_dotted_60000_times_is_refused_by_its_line_length():
    text = "a" * 120_000 + ".a" * 60_000 + " = 1"
    exc = refusal(text)
    assert exc.limit == "max_line"
    assert str(exc) == "A line is 240,004 characters long; at most 10,000 are allowed (line 1)"


def test_a_key_dotted_60000_times_is_refused_for_its_parts_even_without_a_line_limit():
    text = "a" * 120_000 + ".a" * 60_000 + " = 1"
    exc = refusal(text, dataclasses.replace(UNLIMITED, max_key_parts=6))
    assert exc.limit == "max_key_parts"
    assert str(exc) == (
        "A key has 60,001 dotted parts (a.b.c has 3); at most 6 are allowed (line 1)"
    )


def test_a_table_header_dotted_too_deep_is_refused():
    exc = refusal("title = 'x'\n[" + ".".join(["q"] * 4_000) + "]\nkey = 1\n")
    assert (exc.limit, exc.line) == ("max_key_parts", 2)


@pytest.mark.parametrize("depth", [2_000, 5_000])
def test_lists_nested_thousands_deep_are_refused_naming_the_depth(depth):
    exc = refusal(nested("[", "]", "", depth, sep="\n"))
    assert exc.limit == "max_depth"
    assert exc.line == 21  # where the 21st level opens
    assert exc.message == f"The file nests lists {depth:,} levels deep; at most 20 are allowed"


def test_lists_nested_on_one_line_are_refused_with_the_line():
    exc = refusal("title = 'x'\n" + nested("[", "]", "", 2_000))
    assert str(exc) == "The file nests lists 2,000 levels deep; at most 20 are allowed (line 2)"


def test_inline_tables_nested_thousands_deep_are_refused():
    exc = refusal(nested("{a=", "}", "1", 2_000))
    assert str(exc) == "The file nests tables 2,000 levels deep; at most 20 are allowed (line 1)"


def test_the_depth_in_a_refusal_steps_over_strings_and_comments_inside_the_nest():
    text = "x = " + "[\"]]}\", ''']]'''', # ]]\n" * 30 + "1" + "]" * 30 + "\n"
    assert depth_of(tomllib.loads(text)["x"]) == 30  # valid TOML, 30 lists deep
    assert refusal(text).message == "The file nests lists 30 levels deep; at most 20 are allowed"


def test_an_integer_too_long_for_python_is_refused_not_a_crash():
    with pytest.raises(ValueError, match="4300"):  # tomllib alone lets int() fail
        tomllib.loads("x = " + "1" * 5_000)
    exc = refusal("x = " + "1" * 5_000)
    assert str(exc) == (
        "A number or date is 5,000 characters long; at most 100 are allowed (line 1)"
    )


# The guards around tomllib, for what the scan would let through ---------------------


def test_recursion_in_tomllib_is_refused_when_the_depth_limit_is_lifted():
    exc = refusal(nested("[", "]", "", 5_000, sep="\n"), UNLIMITED)
    assert exc.limit == "max_depth"
    assert "too deeply" in str(exc)


def test_an_integer_refused_by_python_is_refused_when_the_scalar_limit_is_lifted():
    exc = refusal("x = " + "1" * 5_000, UNLIMITED)
    assert (exc.limit, str(exc)) == ("max_scalar", "The file has a number too long to read")


# Each limit, at and past it -------------------------------------------------------


def test_the_file_size_is_counted_in_bytes_before_decoding():
    limits = dataclasses.replace(DEFAULT, max_bytes=1024)
    assert parse_toml(b"s = '" + b"x" * 1000 + b"'", limits) == {"s": "x" * 1000}
    exc = refusal("s = '" + "ä" * 600 + "'", limits)  # 600 characters, 1,206 bytes
    assert (exc.limit, exc.line, str(exc)) == (
        "max_bytes",
        None,
        "The file is 1 KB; at most 1 KB are allowed",
    )
    assert refusal(b"x" * 1025, limits).limit == "max_bytes"


def test_line_length_counts_every_line_of_a_multiline_string():
    limits = dataclasses.replace(DEFAULT, max_line=50)
    ok = 's = """\n' + "x" * 50 + '\n"""\n'
    assert parse_toml(ok, limits) == {"s": "x" * 50 + "\n"}
    exc = refusal('s = """\n' + "x" * 10 + "\n" + "y" * 51 + '\n"""\n', limits)
    assert str(exc) == "A line is 51 characters long; at most 50 are allowed (line 3)"


@pytest.mark.parametrize(
    ("kind", "opening", "closing", "inner"),
    [("lists", "[", "]", "1"), ("tables", "{a = ", "}", "1")],
)
def test_nesting_exactly_at_the_limit_parses_and_one_more_is_refused(kind, opening, closing, inner):
    at_limit = nested(opening, closing, inner, DEFAULT.max_depth)
    assert parse_toml(at_limit) == tomllib.loads(at_limit)
    exc = refusal(nested(opening, closing, inner, DEFAULT.max_depth + 1))
    assert exc.message == f"The file nests {kind} 21 levels deep; at most 20 are allowed"


def test_depth_counts_lists_and_inline_tables_together():
    mixed = "x = " + "[{a = " * 10 + "1" + "}]" * 10 + "\n"  # 20 levels
    assert parse_toml(mixed) == tomllib.loads(mixed)
    exc = refusal("x = [" + "[{a = " * 10 + "1" + "}]" * 10 + "]\n")
    assert exc.limit == "max_depth"


def test_dotted_parts_at_the_limit_parse_and_quoted_dots_are_one_part():
    six = 'a.b."c.d".e.f.g = 1\n'
    assert parse_toml(six) == {"a": {"b": {"c.d": {"e": {"f": {"g": 1}}}}}}
    exc = refusal('[table]\na . b . "c.d" . e . f . g . h = 1\n')
    assert str(exc) == "A key has 7 dotted parts (a.b.c has 3); at most 6 are allowed (line 2)"


def test_key_length_and_key_path_length_are_limited():
    assert refusal("k" * 201 + " = 1").limit == "max_key_length"
    assert refusal("'" + "k" * 199 + "' = 1").limit == "max_key_length"  # quotes count
    path = ".".join(["k" * 150] * 4) + " = 1"
    exc = refusal(path)
    assert str(exc) == "A dotted key is 600 characters long; at most 500 are allowed (line 1)"


@pytest.mark.parametrize(
    ("limit", "text", "line", "noun"),
    [
        ("max_keys", "a = 1\nb = 2\nc = {d = 3}\n", 3, "keys"),
        ("max_tables", "[a]\n[b]\n[[c]]\n", 3, "tables"),
        ("max_tables", "a = {}\nb = {}\nc = [{}]\n", 3, "tables"),
        ("max_items", "a = [1, 2]\nb = [\n  [3],\n]\n", 3, "list items"),
        ("max_strings", "a = 'x'\nb = \"y\"\nc = '''z'''\n", 3, "strings"),
    ],
)
def test_counts_are_refused_at_the_first_one_past_the_limit(limit, text, line, noun):
    limits = dataclasses.replace(DEFAULT, **{limit: 2})
    exc = refusal(text, limits)
    assert (exc.limit, exc.line) == (limit, line)
    assert exc.message == f"The file has too many {noun}; at most 2 are allowed"


# What is not structure ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'a = "' + "[{" * 100 + '"',
        "a = '" + "[{" * 100 + "'",
        'a = """\n' + "[[[{{{\n" * 40 + '"""',
        "a = '''\n" + "]]]}}}\n" * 40 + "'''",
        "# " + "[" * 500 + "\na = 1",
        'a = "\\"' + "[" * 100 + '\\""',
        'a = """x""' + "[" * 50 + '"""""',
        "a = '''x''" + "[" * 50 + "'''''",
        '"' + "[" * 100 + '" = 1',
        "a = [ # " + "[" * 100 + "\n  1,\n]",
    ],
)
def test_brackets_in_strings_and_comments_do_not_count(text):
    assert parse_toml(text) == tomllib.loads(text)


def test_a_date_and_time_joined_by_a_space_is_one_value():
    text = "when = 1979-05-27 07:32:00Z\nnext = [[1], [2]]\n"
    assert parse_toml(text)["when"] == dt.datetime(1979, 5, 27, 7, 32, tzinfo=dt.UTC)


def test_syntax_errors_and_bad_bytes_come_through_as_before():
    with pytest.raises(tomllib.TOMLDecodeError):
        parse_toml("a = [1, 2\nb = ")
    with pytest.raises(UnicodeDecodeError):
        parse_toml(b"a = '\xff'")


def test_an_unterminated_string_stops_the_scan_where_tomllib_stops():
    # Brackets after an unclosed string are never parsed, so they need no count.
    with pytest.raises(tomllib.TOMLDecodeError):
        parse_toml('a = "never closed\nb = ' + "[" * 5_000)


# The real sets --------------------------------------------------------------------


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_every_set_in_questions_passes_with_room_to_spare(path):
    assert parse_toml(path.read_bytes(), TIGHT) == tomllib.loads(path.read_text())


# Properties -----------------------------------------------------------------------

scalars = (
    st.integers(-(10**18), 10**18)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
    | st.text("[]{}\"'#=.,\\\n \t", max_size=20)
    | st.datetimes().map(lambda d: d.replace(microsecond=0))
)


def lists_and_tables(inner: st.SearchStrategy) -> st.SearchStrategy:
    # A named function: hypothesis reads a lambda's source, which fails in some runs.
    keys = st.text("ab[]\". '", min_size=1, max_size=6)
    return st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=3)


values = st.recursive(scalars, lists_and_tables, max_leaves=30)
documents = st.dictionaries(st.text("abc_-.[]\"' ", min_size=1, max_size=8), values, max_size=6)


def depth_of(value: object) -> int:
    if isinstance(value, dict):
        return max((depth_of(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    return 0


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.booleans())
def test_any_document_tomli_w_writes_parses_exactly_as_tomllib_does(data, multiline):
    text = tomli_w.dumps(data, multiline_strings=multiline)
    expected = tomllib.loads(text)
    assume(depth_of(expected) <= DEFAULT.max_depth)
    assert parse_toml(text, UNLIMITED) == expected
    scan = budget._Scan(text, UNLIMITED)
    scan.run()
    assert not scan.stopped


toml_bits = st.sampled_from(
    ["[", "]", "{", "}", '"', "'", '"""', "'''", "#", "=", ".", ",", "\n", " ", "\\", "a", "1"]
    + ["x = ", "[t]\n", "[[t]]\n", "k.j = ", "1979-05-27 07:32:00", "\\u00e4", "\r\n"]
)


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(toml_bits, max_size=60).map("".join))
def test_any_text_is_parsed_or_refused_with_a_4xx_kind_of_error(text):
    try:
        result = parse_toml(text)
    except (BudgetExceeded, tomllib.TOMLDecodeError):
        return
    assert result == tomllib.loads(text)


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(toml_bits, max_size=60).map("".join))
def test_the_scan_stops_early_only_where_tomllib_fails(text):
    scan = budget._Scan(text, UNLIMITED)
    scan.run()
    if scan.stopped:
        with pytest.raises(tomllib.TOMLDecodeError):
            tomllib.loads(text)


leaf_texts = st.sampled_from(
    ["1", "-0x1f", "+inf", "-inf", "1e-3", "true", "1979-05-27 07:32:00Z", "07:32:00"]
    + ['"a\\"b[#"', "'[lit]'", '"""\nml "" [\n"""', "'''\nml '' ]\n'''", '""', "''"]
    + ['"""a\\\n   ["""', "1979-05-27T07:32:00.5+01:00", "{}", "[]"]
)


def list_and_table_texts(inner: st.SearchStrategy) -> st.SearchStrategy:
    one_line = st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
    multi_line = st.lists(inner, min_size=1, max_size=3).map(
        lambda xs: "[\n  " + ",  # a [ comment\n  ".join(xs) + ",\n]"
    )
    table = st.lists(inner, max_size=3).map(
        lambda xs: "{" + ", ".join(f'k{i} . "q" = {x}' for i, x in enumerate(xs)) + "}"
    )
    return one_line | multi_line | table


value_texts = st.recursive(leaf_texts, list_and_table_texts, max_leaves=12)
document_texts = st.lists(value_texts, max_size=5).map(
    lambda vs: (
        "# a [ comment\n"
        + "".join(f'k{i} . "[q" = {v}  # ]\n\n' for i, v in enumerate(vs))
        + "[[ t . 'u' ]]  # [\n"
    )
)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_texts)
def test_the_scan_reads_any_valid_text_to_its_end_and_misses_no_nest_after_it(text):
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)
    assert parse_toml(text, UNLIMITED) == expected
    deep = text + "z = " + "[\n" * 21 + "]\n" * 21
    assert refusal(deep).limit == "max_depth"
