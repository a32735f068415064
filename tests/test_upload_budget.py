"""Every TOML parse of an upload goes through the parse budget (issue 13, finding 3):
a file that would hold a worker for minutes, or crash the parser, is a 422 naming the
limit, refused before tomllib runs, and nothing is stored."""

from __future__ import annotations

import io
import tomllib

import pytest

from quiz.authoring import files
from quiz.sets import files as set_files
from quiz.sets.budget import DEFAULT

from .conftest import DATA, text_of

FINDING = b"a" + b".a" * 60_000 + b" = 1\n"  # the finding: 122 s before a 422
DOTTED = b"a" + b".a" * 2_000 + b" = 1\n"  # the same, within the line limit
NESTED_LISTS = b"x = " + b"[" * 3_000 + b"]" * 3_000 + b"\n"  # the finding: a 500
NESTED_TABLES = b"x = " + b"{a = " * 1_500 + b"1" + b"}" * 1_500 + b"\n"


@pytest.fixture
def teacher(as_teacher):
    return as_teacher("teacher_a")


@pytest.fixture
def parser_never_runs(monkeypatch):
    """Make tomllib fail the test if a refused file ever reaches it."""

    def refuse(*args, **kwargs):
        raise AssertionError("tomllib ran on a file the budget should have refused")

    monkeypatch.setattr(tomllib, "loads", refuse)


def upload(client, content: bytes, name: str = "big.toml"):
    return client.post(
        "/teach/upload",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("content", "limit", "words"),
    [
        (FINDING, "max_line", "A line is 120,005 characters long"),
        (DOTTED, "max_key_parts", "A key has 2,001 dotted parts"),
        (NESTED_LISTS, "max_depth", "nests lists"),
        (NESTED_TABLES, "max_depth", "nests tables"),
        (b"n = " + b"9" * 5_000 + b"\n", "max_scalar", "A number or date is 5,000"),
    ],
)
def test_an_upload_past_the_budget_is_a_422_naming_the_limit(
    teacher, db, parser_never_runs, content, limit, words
):
    before = db.execute("SELECT count(*) FROM question_set").fetchone()[0]
    response = upload(teacher, content)
    text = text_of(response.get_data(as_text=True))
    assert response.status_code == 422
    allowed = f"{getattr(DEFAULT, limit):,} are allowed"
    assert allowed in text and words in text
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == before


def test_an_upload_within_the_budget_still_loads(teacher, db):
    response = upload(teacher, (DATA / "mini.toml").read_bytes(), "mini.toml")
    assert response.status_code == 303


def test_the_upload_size_limit_is_the_budget_s(teacher):
    assert files.MAX_UPLOAD == DEFAULT.max_bytes


def test_set_files_loaded_from_the_command_line_go_through_the_budget(tmp_path, parser_never_runs):
    path = tmp_path / "deep.toml"
    path.write_bytes(NESTED_LISTS)
    with pytest.raises(set_files.InvalidSet) as caught:
        set_files.parse_file(path)
    assert "levels deep" in str(caught.value.problems[0])
