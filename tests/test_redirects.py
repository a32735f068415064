"""Where sign-in sends a teacher next (issue 13, findings 1 and 2): only a path of this
site, never another host, and never a 500 whatever ``next`` holds."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.web.redirects import safe_next

from .conftest import EMAILS, PASSWORD

HOME = "/teach/"
BASE = "http://127.0.0.1:5000/signin"


def lands_on_this_site(location: str) -> bool:
    """Tell whether a browser following this Location stays on the site.

    Browsers drop tabs and line breaks anywhere in a URL and read a backslash as a
    slash, so the check reads the address as they do.
    """
    browser = "".join(c for c in location if c not in "\t\n\r").replace("\\", "/")
    target = urlsplit(urljoin(BASE, browser))
    return (target.scheme, target.netloc) == ("http", "127.0.0.1:5000")


@pytest.mark.parametrize(
    "target",
    [
        "/\t/example.com",  # the finding: the tab was stripped after the // check
        "/\n/example.com",
        "/\r\n/example.com",
        "//example.com",
        "/\\example.com",
        "\\\\example.com",
        "https://example.com/",
        "http:example.com",
        "javascript:alert(1)",
        " //example.com",
        "/\x00/example.com",
        "/ /example.com",
        "/\u3000/example.com",
        "",
        None,
    ],
)
def test_an_unsafe_next_falls_back_to_the_home_page(target):
    assert safe_next(target, HOME) == HOME


@pytest.mark.parametrize(
    "target", ["/teach/", "/run/ABCDEF?hide=1", "/teach/sets/my-set#q2", "/run/"]
)
def test_a_local_path_is_followed(target):
    assert safe_next(target, HOME) == target


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40) | st.text(alphabet="/\\\t\n\r :%.@09aAzZ", max_size=12))
def test_any_next_is_this_site(target):
    result = safe_next(target, HOME)
    assert result == HOME or result == target
    assert lands_on_this_site(result)
    assert all(" " < c < "\x7f" for c in result)


def test_signing_in_with_a_tab_in_next_stays_on_the_site(client, people):
    client.get("/signin?next=%2F%09%2Fexample.com")
    response = client.post(
        "/signin?next=%2F%09%2Fexample.com",
        data={"email": EMAILS["teacher_a"], "password": PASSWORD},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == HOME


@pytest.mark.parametrize("where", ["query", "form"])
def test_a_line_break_in_next_is_not_a_500(client, people, where):
    data = {"email": EMAILS["teacher_a"], "password": PASSWORD}
    if where == "query":
        response = client.post("/signin?next=/%0A/x", data=data)
    else:
        response = client.post("/signin", data={**data, "next": "/\n/x"})
    assert response.status_code == 303
    assert response.headers["Location"] == HOME


def test_the_sign_in_page_keeps_only_a_safe_next(client):
    html = client.get("/signin?next=%2F%09%2Fexample.com").get_data(as_text=True)
    assert "example.com" not in html
    html = client.get("/signin?next=/run/ABCDEF").get_data(as_text=True)
    assert 'value="/run/ABCDEF"' in html


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.text(max_size=30))
def test_signing_in_with_any_next_lands_on_this_site(app, people, target):
    client = app.test_client()
    response = client.post(
        "/signin", data={"email": EMAILS["teacher_b"], "password": PASSWORD, "next": target}
    )
    assert response.status_code == 303
    assert lands_on_this_site(response.headers["Location"])
