"""Sessions: join codes, opening and closing from the command line."""

from __future__ import annotations

import re

from quiz.play import sessions
from quiz.storage import queries


def test_join_codes_are_six_characters_without_look_alikes():
    codes = {sessions.new_code() for _ in range(2000)}
    assert len(codes) > 1990
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{6}", code)
        assert not set(code) & set("O0I1L")


def test_a_session_runs_the_newest_published_version(db, app):
    row = sessions.open_session(db, "mini-set", feedback="end")
    version = queries.latest_published(db, "mini-set")
    assert (row["version_id"], row["feedback"], row["status"]) == (version["id"], "end", "open")


def test_cli_opens_a_session_and_prints_its_code_and_join_url(runner, db):
    result = runner.invoke(args=["session", "open", "mini-set", "--feedback", "end"])
    assert result.exit_code == 0, result.output
    code = re.search(r"Code: ([A-Z2-9]{6})", result.output).group(1)
    assert f"Join at: http://127.0.0.1:5000/join/{code}" in result.output
    row = queries.session_by_code(db, code)
    assert (row["mode"], row["feedback"], row["status"]) == ("class", "end", "open")


def test_cli_closes_a_session(runner, db):
    code = sessions.open_session(db, "mini-set")["code"]
    result = runner.invoke(args=["session", "close", code.lower()])
    assert result.exit_code == 0
    assert f"Session {code} is closed." in result.output
    assert queries.session_by_code(db, code)["status"] == "closed"


def test_cli_refuses_unknown_sets_and_codes_with_a_message(runner):
    result = runner.invoke(args=["session", "open", "no-such-set"])
    assert result.exit_code != 0 and "There is no published set 'no-such-set'" in result.output
    result = runner.invoke(args=["session", "close", "ZZZZZZ"])
    assert result.exit_code != 0 and "There is no session with the code ZZZZZZ" in result.output


def test_cli_migrate_reports_nothing_to_apply_on_a_migrated_database(runner):
    result = runner.invoke(args=["migrate"])
    assert result.exit_code == 0 and "Nothing to apply." in result.output
