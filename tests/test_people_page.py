"""Who the facilitator sees: a small class in the live panel, a large one's few who need
attention there, and everyone on the People page (found by nickname, a page at a time,
with Move, Rejoin code and Remove)."""

from __future__ import annotations

import re
import secrets

import pytest

from quiz.facilitation import people
from quiz.storage import queries

from .world import text_of


@pytest.fixture
def facilitator(world):
    return world.signed_in("teacher_a")


def crowd(world, code: str, count: int, start: int = 1) -> list[str]:
    """``count`` participants straight into the database ("Student 1", …), in joining
    order; return their ids."""
    sess = world.loaded(code)
    ids = []
    for n in range(start, start + count):
        pid = secrets.token_urlsafe(12)
        team = sess.teams[n % len(sess.teams)]["id"] if sess.teams else None
        queries.insert_participant(world.db, pid, sess.row["id"], f"Student {n}", f"s{n}", team)
        ids.append(pid)
    return ids


def panel_of(client, code: str) -> str:
    html = client.get(f"/run/{code}").get_data(as_text=True)
    return re.search(r'<div id="live".*?</section>', html, re.S).group(0)


def test_a_small_class_keeps_everyone_with_their_forms_in_the_panel(world, facilitator):
    code = world.session(owner="teacher_a", teams=["Red", "Blue"])
    crowd(world, code, people.SMALL_CLASS)
    panel = panel_of(facilitator, code)
    assert panel.count("/remove") == people.SMALL_CLASS
    assert "Student 40" in text_of(panel)
    assert f"All {people.SMALL_CLASS} people" in text_of(panel)


def test_a_large_led_class_lists_who_has_not_answered_the_rooms_question(world, facilitator):
    code = world.session(owner="teacher_a", pace="led", feedback="reveal")
    facilitator.post(f"/run/{code}/goto", data={"number": "1"})
    ada = world.join(code, "Ada")
    crowd(world, code, 50)
    ada.answer(code, "video", ["b"])
    panel = panel_of(facilitator, code)
    text = text_of(panel)
    assert "50 have not answered question 1 yet" in text
    assert f"The first {people.ATTENTION_ROWS} to join are listed." in text
    assert panel.count("/remove") == people.ATTENTION_ROWS
    assert "Ada" not in text and "Student 1<" in panel.replace("</bdi>", "<")
    assert f"Student {people.ATTENTION_ROWS + 1}<" not in panel.replace("</bdi>", "<")
    assert "All 51 people" in text
    assert f'href="/run/{code}/people"' in panel


def test_a_large_self_paced_class_lists_the_latest_to_join(world, facilitator):
    code = world.session(owner="teacher_a")
    crowd(world, code, 45)
    world.join(code, "Zed")
    text = text_of(panel_of(facilitator, code))
    assert "The latest to join" in text
    assert text.index("Zed") < text.index("Student 45") < text.index("Student 27")
    assert "Student 26" not in text


def test_the_people_page_finds_a_nickname_and_pages_through_everyone(world, facilitator):
    code = world.session(owner="teacher_a", teams=["Red", "Blue"])
    crowd(world, code, 120)
    first = facilitator.get(f"/run/{code}/people")
    text = text_of(first.get_data(as_text=True))
    assert first.status_code == 200 and "120 joined" in text and "Page 1 of 3" in text
    assert "Student 50" in text and "Student 51" not in text
    second = text_of(facilitator.get(f"/run/{code}/people?page=2").get_data(as_text=True))
    assert "Student 51" in second and "Student 100" in second and "Student 101" not in second
    # Any case, anywhere in the nickname; % and _ are only themselves.
    found = text_of(facilitator.get(f"/run/{code}/people?q=DENT 11").get_data(as_text=True))
    assert "11 nicknames contain “DENT 11”" in found and "Student 110" in found
    none = facilitator.get(f"/run/{code}/people?q=%25")
    assert none.status_code == 200 and "Nobody’s nickname contains that" in text_of(none.text)


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=abc", "page=99", "page=" + "9" * 400, "q=" + "x" * 5000]
)
def test_a_bad_page_or_search_on_the_people_page_is_not_an_error(world, facilitator, query):
    code = world.session(owner="teacher_a")
    crowd(world, code, 60)
    response = facilitator.get(f"/run/{code}/people?{query}")
    assert response.status_code == 200
    assert "Page" in text_of(response.text) or "Nobody" in text_of(response.text)


def test_the_people_pages_forms_act_and_come_back_to_the_same_page(world, facilitator):
    code = world.session(owner="teacher_a", teams=["Red", "Blue"])
    ids = crowd(world, code, 80)
    blue = next(t for t in world.loaded(code).teams if t["name"] == "Blue")
    page = facilitator.get(f"/run/{code}/people?q=Student&page=2").get_data(as_text=True)
    assert f'action="/run/{code}/participants/{ids[60]}/team"' in page
    back = {"back": "people", "q": "Student", "page": "2"}
    moved = facilitator.post(
        f"/run/{code}/participants/{ids[60]}/team", data={**back, "team": str(blue["id"])}
    )
    assert moved.status_code == 303
    assert moved.location.endswith(f"/run/{code}/people?q=Student&page=2")
    team = world.db.execute("SELECT team_id FROM participant WHERE id = ?", [ids[60]])
    assert team.fetchone()[0] == blue["id"]
    rejoin = facilitator.post(
        f"/run/{code}/participants/{ids[61]}/rejoin", data=back, follow_redirects=True
    )
    assert re.search(r"Rejoin code: [A-Z2-9]{6}", text_of(rejoin.text))
    assert "Page 2 of 2" in text_of(rejoin.text)
    removed = facilitator.post(
        f"/run/{code}/participants/{ids[62]}/remove", data=back, follow_redirects=True
    )
    assert "Participant removed" in text_of(removed.text) and "Student 63<" not in removed.text
    assert queries.participant_count(world.db, world.loaded(code).row["id"]) == 79


def test_only_the_owner_sees_the_people_page(world):
    code = world.session(owner="teacher_a")
    crowd(world, code, 3)
    other = world.signed_in("teacher_b").get(f"/run/{code}/people")
    assert other.status_code == 404 and "Student 1" not in other.text
    anyone = world.anonymous().get(f"/run/{code}/people")
    assert anyone.status_code == 403 and "Student 1" not in anyone.text


def test_a_live_card_lists_the_latest_written_reasons_and_links_to_the_report(world, facilitator):
    from quiz.facilitation.views import REASONS_SHOWN

    code = world.session(owner="teacher_a")
    for n in range(REASONS_SHOWN + 2):
        student = world.join(code, f"Writer {n}")
        student.answer(code, "video", ["b"], confidence="2", reason=f"Reason number {n}.")
    text = text_of(facilitator.get(f"/run/{code}").text)
    assert f"Written reasons ({REASONS_SHOWN + 2})" in text
    assert "Reason number 0." not in text and "Reason number 1." not in text
    assert "Reason number 2." in text and f"Reason number {REASONS_SHOWN + 1}." in text
    assert (
        f"The latest {REASONS_SHOWN} of {REASONS_SHOWN + 2}: every reason is in the report." in text
    )
    assert "Reason number 0." in text_of(facilitator.get(f"/run/{code}/report").text)


@pytest.mark.parametrize("language", ["en", "fi"])
def test_each_rows_words_name_its_participant_escaped_in_the_pages_language(
    world, facilitator, language
):
    """The row's patterns are translated once per table and filled in per row: a
    nickname that looks like markup or like a placeholder is printed as written."""
    code = world.session(owner="teacher_a", teams=["Red", "Blue"])
    sess = world.loaded(code)
    odd = "Ann %(nickname)s <b>"
    queries.insert_participant(
        world.db, secrets.token_urlsafe(12), sess.row["id"], odd, "ann", sess.teams[0]["id"]
    )
    crowd(world, code, 2)
    html = facilitator.get(f"/run/{code}/people", headers={"Accept-Language": language}).get_data(
        as_text=True
    )
    shown = "<bdi>Ann %(nickname)s &lt;b&gt;</bdi>"
    total = len(sess.questions)
    if language == "en":
        assert f"Team of {shown}</label>" in html
        assert f'Rejoin code<span class="visually-hidden"> for {shown}</span>' in html
        assert html.count(f">0 of {total}</td>") == 3
    else:
        assert f"Nimimerkin {shown} joukkue</label>" in html
        assert f'<span class="visually-hidden"> nimimerkille {shown}</span>' in html
        assert html.count(f">0/{total}</td>") == 3
    assert "<b>" not in html.split("<main", 1)[-1].replace("<bdi>", "")
