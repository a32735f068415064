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
