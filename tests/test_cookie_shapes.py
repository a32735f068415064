"""Cookies signed with the app's real key but of any shape never give a 500 (issue 13,
finding 13): only the app can sign them, but a leaked key, an old version or a bug can
hand a page a list where it expects a dict, a time without its zone, or an id SQLite
cannot hold. Each page then behaves as for a visitor without that part of the cookie."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .world import World, make_app

KEYS = ["p", "t", "d", "csrf_token", "_flashes", "_permanent", "_fresh", "x"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.datetimes(timezones=st.none() | st.just(dt.UTC))
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.sampled_from(["id", "v", "at", "seen", "ABCDEF", "x"]) | st.text(max_size=8),
            inner,
            max_size=5,
        )
    ),
    max_leaves=12,
)
teacher_states = st.fixed_dictionaries(
    {},
    optional={
        "id": values | st.just(10**30) | st.just(1),
        "v": values | st.just(1),
        "at": values | st.just("2026-01-01T00:00:00") | st.just("2026-01-01T00:00:00+00:00"),
        "seen": values | st.just(dt.datetime(2026, 1, 1)),
    },
)
cookies = st.dictionaries(st.sampled_from(KEYS), values, max_size=5) | st.fixed_dictionaries(
    {"t": teacher_states}, optional={"p": values, "_flashes": values}
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("cookies") / "lateral.db"
    app = make_app(db_path)  # CSRF on: its token is read from the cookie too
    with app.app_context():
        from quiz.storage.connection import get_db

        world = World(app, get_db())
        world.people("teacher_a")
        code = world.session(owner="teacher_a")
        world.join(code)
    return app, code


def signed(app, data: object) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(data)


def pages(code: str) -> list[str]:
    return ["/", f"/play/{code}", f"/join/{code}", "/teach/", "/signin", f"/run/{code}"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=cookies | values)
def test_a_signed_cookie_of_any_shape_never_gives_a_500(site, data):
    app, code = site
    client = app.test_client()
    client.set_cookie("lateral", signed(app, data))
    for url in pages(code):
        response = client.get(url)
        assert response.status_code < 500, (url, data)
    posted = client.post(f"/join/{code}", data={"nickname": "Bo"})
    assert posted.status_code < 500, data


@pytest.mark.parametrize(
    "data",
    [
        {"p": ["ABCDEF"]},
        {"p": "ABCDEF"},
        {"p": {"ABCDEF": 10**30}},
        {"t": {"id": 10**30, "v": 1, "at": "2026-01-01T00:00:00", "seen": "2026-01-01T00:00:00"}},
        {"t": {"id": 1, "v": 1, "at": "2026-01-01T00:00:00+00:00", "seen": "2026-01-01"}},
        {"t": {"id": True, "v": True, "at": None, "seen": []}},
        {"t": ["id", 1]},
        {"csrf_token": {"a": 1}},
        {"_flashes": "not a list"},
        ["not", "a", "dict"],
    ],
    ids=lambda d: repr(d)[:40],
)
def test_the_shapes_issue_13_found_are_read_as_an_empty_cookie(site, data):
    app, code = site
    client = app.test_client()
    client.set_cookie("lateral", signed(app, data))
    for url in pages(code):
        assert client.get(url).status_code in (200, 302, 303, 403, 404), url
    home = client.get("/")
    assert home.status_code == 200 and 'name="csrf_token"' in home.text


def test_a_bad_part_is_dropped_and_the_rest_of_the_cookie_kept(site):
    app, code = site
    with app.app_context():
        from quiz.storage.connection import get_db

        student = World(app, get_db()).join(code, "Cy")
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(student.client.get_cookie("lateral").value)
    student.client.set_cookie("lateral", signed(app, {**data, "t": ["id", 10**30]}))
    assert student.client.get(f"/play/{code}").status_code == 200  # still this student
    assert app.test_client().get(f"/play/{code}").status_code != 200  # as a stranger is not
