"""Who sees which language: the browser's Accept-Language, the home page's switch (kept
in the cookie), English otherwise; ``<html lang>`` says which."""

from __future__ import annotations

FINNISH = {"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"}


def test_a_browser_asking_for_finnish_gets_the_home_page_in_finnish(client):
    html = client.get("/", headers=FINNISH).get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert "Siirry sisältöön" in html
    assert "Skip to content" not in html


def test_a_browser_asking_for_a_language_the_interface_lacks_gets_english(client):
    html = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Skip to content" in html


def test_the_home_page_offers_each_other_language_named_in_itself(client):
    html = client.get("/").get_data(as_text=True)
    assert 'value="fi" lang="fi"' in html
    assert ">Suomi</button>" in html


def test_the_switch_keeps_the_choice_over_the_browsers_language(client):
    response = client.post("/language", data={"language": "fi"})
    assert response.status_code == 303
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert 'lang="en" aria-describedby="language-switch-label">English</button>' in html
    client.post("/language", data={"language": "en"})
    assert '<html lang="en">' in client.get("/", headers=FINNISH).get_data(as_text=True)


def test_a_language_the_interface_lacks_is_refused_by_the_switch_and_changes_nothing(client):
    response = client.post("/language", data={"language": "klingon"})
    assert response.status_code == 303
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_an_error_page_follows_the_browsers_language(client):
    response = client.get("/no-such-page", headers=FINNISH)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Tässä osoitteessa ei ole mitään." in html
    assert '<html lang="fi">' in html


# A session's language ---------------------------------------------------------------


def start(client, **form) -> str:
    data = {"set_id": "mini-set", "pace": "led", "feedback": "now", "teams": "", **form}
    response = client.post("/run/", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return response.location.split("/")[2]


def test_a_facilitator_starts_a_session_in_finnish_and_its_students_see_finnish(world, db):
    code = start(world.signed_in("teacher_a"), language="fi")
    assert db.execute("SELECT language FROM session WHERE code = ?", [code]).fetchone()[0] == "fi"
    student = world.join(code)
    html = student.client.get(f"/play/{code}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert '<html lang="fi">' in html
    assert "Siirry sisältöön" in html


def test_a_session_started_without_a_language_follows_its_set(world, db):
    code = start(world.signed_in("teacher_a"))
    assert db.execute("SELECT language FROM session WHERE code = ?", [code]).fetchone()[0] is None
    student = world.join(code)
    html = student.client.get(f"/play/{code}", headers=FINNISH).get_data(as_text=True)
    assert '<html lang="en">' in html  # the test set is in English


def test_the_set_content_carries_its_own_language_on_a_finnish_page(world):
    code = start(world.signed_in("teacher_a"), language="fi", pace="self")
    student = world.join(code)
    html = student.client.get(f"/play/{code}").get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert 'lang="en"' in html  # the stem, options and article stay marked as English


def test_the_room_screen_is_in_the_sessions_language(world):
    teacher = world.signed_in("teacher_a")
    code = start(teacher, language="fi")
    html = teacher.get(f"/run/{code}/room").get_data(as_text=True)
    assert '<html lang="fi">' in html


def test_an_unknown_session_language_is_refused(world, db):
    response = world.signed_in("teacher_a").post(
        "/run/", data={"set_id": "mini-set", "pace": "self", "feedback": "now", "language": "xx"}
    )
    assert response.status_code == 422
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 0


# A teacher's own language -------------------------------------------------------------


def test_a_teachers_setting_decides_their_pages_over_the_browser(world, db):
    teacher = world.signed_in("teacher_a")
    response = teacher.post("/account/language", data={"language": "fi"})
    assert response.status_code == 303
    stored = db.execute("SELECT language FROM account WHERE email = 'a@school.org'")
    assert stored.fetchone()[0] == "fi"
    html = teacher.get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert "Omat kysymyssarjat" in html
    teacher.post("/account/language", data={"language": ""})
    html = teacher.get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_a_teacher_without_a_setting_gets_the_browsers_language(world):
    teacher = world.signed_in("teacher_a")
    html = teacher.get("/teach/", headers=FINNISH).get_data(as_text=True)
    assert '<html lang="fi">' in html


def test_an_unknown_account_language_is_refused_and_changes_nothing(world, db):
    teacher = world.signed_in("teacher_a")
    response = teacher.post("/account/language", data={"language": "klingon"})
    assert response.status_code == 422
    assert db.execute("SELECT count(*) FROM account WHERE language IS NOT NULL").fetchone()[0] == 0


def test_finnish_form_errors_come_from_the_catalogue_and_wtforms(client):
    response = client.post("/join", data={"code": "", "nickname": ""}, headers=FINNISH)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert "Type the code your teacher shows." not in html


# Numbers and dates ------------------------------------------------------------------


def test_numbers_and_times_follow_the_pages_language(app):
    from quiz.web import formatting

    with app.test_request_context("/", headers=FINNISH):
        assert formatting.percent(0.567) == "57\u00a0%"
        assert formatting.decimal(0.4) == "0,40"
        assert formatting.points(4.5) == "4,5"
        assert formatting.signed(-3) == "\u22123"
        assert formatting.change(0.125) == "+12 prosenttiyksikköä"
        assert formatting.minute("2024-03-01T10:05:00+00:00") == "1.3.2024 10.05"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert formatting.percent(0.567) == "57%"
        assert formatting.decimal(0.4) == "0.40"
        assert formatting.change(0.01) == "+1 point"
        assert formatting.minute("2024-03-01T10:05:00+00:00") == "2024-03-01 10:05"


def test_a_homework_end_reads_in_the_teachers_language(app):
    from quiz.facilitation import homework

    with app.test_request_context("/", headers=FINNISH):
        _, label = homework.read_end("2030-03-14", "18:00", "self", "Europe/Helsinki")
    assert label == "14. maaliskuuta 2030 klo 18:00 (Europe/Helsinki)"


def test_wtforms_own_messages_come_in_finnish(world):
    teacher = world.signed_in("teacher_a")
    response = teacher.post("/account/language", data={"language": "klingon"}, headers=FINNISH)
    assert response.status_code == 422
    assert "Virheellinen valinta" in response.get_data(as_text=True)


def test_the_migration_gives_sessions_and_accounts_a_language_left_empty(db):
    for table in ("session", "account"):
        columns = {row["name"]: row for row in db.query(f"PRAGMA table_info({table})")}
        assert "language" in columns
        assert columns["language"]["notnull"] == 0 and columns["language"]["dflt_value"] is None
