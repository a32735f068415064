"""Issue 18's last gaps, in Finnish: a parse-budget refusal, an import report (and one
stored before its values were codes), a copy's title and the commands' output and
--help all follow the reader's language, numbers written as Finnish writes them."""

from __future__ import annotations

import json

import pytest

from quiz.sets.budget import BudgetExceeded, parse_toml
from quiz.web import i18n

from .conftest import DATA, text_of
from .teaching import upload

FINNISH = {"Accept-Language": "fi-FI,fi;q=0.9"}
NBSP = "\u00a0"  # Finnish groups thousands with a no-break space
LONG_LINE = b"a" + b".a" * 60_000 + b" = 1\n"

GIFT = b"""::one::Kumpi on oikein? {
=Ensimmainen#Oikein.
~Toinen#[html]<b>Ei</b> oikein.
}

::essay::Kirjoita perustelu. {}
"""


@pytest.fixture
def teacher(as_teacher):
    return as_teacher("teacher_a")


def upload_in_finnish(client, name: str, content: bytes):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = FINNISH["Accept-Language"]
    return upload(client, name, content)


def test_a_budget_refusal_keeps_its_limit_line_and_numbers():
    with pytest.raises(BudgetExceeded) as caught:
        parse_toml(LONG_LINE)
    refusal = caught.value
    assert (refusal.code, refusal.limit, refusal.line) == ("max_line", "max_line", 1)
    assert refusal.values == {"length": 120_005, "limit": 10_000}


def test_a_budget_refusal_reads_in_finnish_with_finnish_numbers(app):
    with app.test_request_context(headers=FINNISH):
        with pytest.raises(BudgetExceeded) as caught:
            parse_toml(LONG_LINE)
        said = str(caught.value)
    assert said == (
        f"Rivi on 120{NBSP}005 merkkiä pitkä; enintään 10{NBSP}000 merkkiä sallitaan (rivi 1)"
    )


def test_an_upload_past_the_budget_is_refused_in_finnish(teacher, db):
    before = db.execute("SELECT count(*) FROM question_set").fetchone()[0]
    response = upload_in_finnish(teacher, "iso.toml", LONG_LINE)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f"Rivi on 120{NBSP}005 merkkiä pitkä; enintään 10{NBSP}000 merkkiä sallitaan" in html
    text = text_of(html)
    assert "Rivi on 120 005 merkkiä pitkä; enintään 10 000 merkkiä sallitaan (rivi 1)." in text
    assert "characters long" not in text and "are allowed" not in text
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == before


def report_page(client, response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return text_of(client.get(response.location).get_data(as_text=True))


def test_an_import_report_is_finnish_throughout(teacher):
    text = report_page(teacher, upload_in_finnish(teacher, "pankki.gift", GIFT))
    assert (
        "Tiedoston kohta 1 tuli kysymykseksi 1 (yksi oikea vaihtoehto): ”Kumpi on oikein?”." in text
    )
    assert "Tiedoston kohta 2 (”Kirjoita perustelu.”) jätettiin pois: se on esseekysymys" in text
    assert (
        "Kysymys 1 tarvitsee vielä nämä ennen kuin sarjan voi julkaista: taidot, vaikeustaso, "
        "näyttölainaukset artikkelista ja selitys."
    ) in text
    assert "Kysymys 1: muotoilu (HTML) poistettiin näistä: vaihtoehdon 2 palaute;" in text
    for english in ("in the file", "the feedback on", "a difficulty", " and ", "single"):
        assert english not in text, english


def test_a_report_stored_in_english_words_before_the_codes_still_shows(teacher, db):
    response = upload(teacher, "bank.gift", GIFT)
    slug = response.location.split("/")[-2]
    set_id = db.execute("SELECT id FROM question_set WHERE slug = ?", [slug]).fetchone()[0]
    old = [
        {
            "code": "imported",
            "params": {
                "source": "#1 in the file",
                "number": 1,
                "kind": "single choice",
                "stem": "Q",
            },
        },
        {"code": "needs", "params": {"number": 1, "fields": "skills and a difficulty"}},
        {"code": "text_image", "params": {"number": 1, "field": "the question", "alt": "A map"}},
    ]
    db.execute("UPDATE import_report SET lines = ? WHERE set_id = ?", [json.dumps(old), set_id])
    db.conn.commit()
    text = text_of(teacher.get(response.location).get_data(as_text=True))
    assert "#1 in the file became question 1 (single choice): “Q”." in text
    assert "Question 1 still needs skills and a difficulty before the set can be published." in text
    assert "Question 1: an image in the question was left out (its description: “A map”)." in text


def test_a_copy_is_titled_in_the_copying_teachers_language(teacher):
    response = upload(teacher, "bank.gift", GIFT, title="Pankki")
    slug = response.location.split("/")[-2]
    teacher.environ_base["HTTP_ACCEPT_LANGUAGE"] = FINNISH["Accept-Language"]
    copied = teacher.post(f"/teach/sets/{slug}/duplicate")
    assert copied.status_code == 303
    assert "Kopio: Pankki" in text_of(teacher.get(copied.location).get_data(as_text=True))


def test_the_commands_speak_finnish_when_the_shell_does(runner, db, monkeypatch):
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    for name in ("LATERAL_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    made = runner.invoke(
        args=["create-admin", "rehtori@koulu.fi", "--name", "Rehtori"],
        env={"LATERAL_ADMIN_PASSWORD": "a long admin passphrase"},
    )
    assert made.exit_code == 0, made.output
    assert "Ylläpitäjä rehtori@koulu.fi luotu. Kirjaudu sisään osoitteessa" in made.output
    loaded = runner.invoke(args=["questions", "load", str(DATA / "mini.toml")])
    assert loaded.exit_code == 0, loaded.output
    assert "mini-set (6 kysymystä): ei muutoksia" in loaded.output
    helped = runner.invoke(args=["session", "open", "--help"])
    assert "Avaa luokan istunto sarjan SET_ID uusimmalla julkaistulla versiolla." in helped.output
    assert "Näytä palaute jokaisen vastauksen jälkeen" in helped.output


def test_lateral_language_comes_before_the_shell_and_english_is_the_default(monkeypatch):
    for name in ("LATERAL_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert i18n.command_line_language() is None
    assert str(i18n.command_gettext("Open and close class sessions.")) == (
        "Open and close class sessions."
    )
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("LATERAL_LANGUAGE", "fi")
    assert i18n.command_line_language() == "fi"
    # Without an app (click writes --help before one starts), from the catalogue file.
    assert str(i18n.command_gettext("Open and close class sessions.")) == (
        "Avaa ja sulje luokan istuntoja."
    )
    one = "%(path)s: %(num)s question, ok"
    many = "%(path)s: %(num)s questions, ok"
    assert str(i18n.command_ngettext(one, many, 1, path="a.toml")) == "a.toml: 1 kysymys, kunnossa"
    assert str(i18n.command_ngettext(one, many, 6, path="a.toml")) == (
        "a.toml: 6 kysymystä, kunnossa"
    )
    monkeypatch.setenv("LATERAL_LANGUAGE", "xx")
    assert i18n.command_line_language() is None
