"""The student journey through the Flask test client, against a real SQLite file."""

from __future__ import annotations

import re

import pytest

from quiz import create_app
from quiz.play import sessions

from .world import DATA, HX, Student, load_set, text_of


def rows(db, sql, params=()):
    return list(db.query(sql, params))


def snapshot(db) -> dict:
    """Everything a rejected request must leave as it was."""
    return {
        table: rows(db, f"SELECT * FROM {table} ORDER BY rowid")
        for table in ("session", "participant", "answer", "set_version")
    }


# Home and joining ------------------------------------------------------------


def refused_join(student, db, code: str, nickname: str, status: int, message: str) -> None:
    """Joining is refused with the status and message, and stores nothing."""
    before = snapshot(db)
    response = student.join(code, nickname)
    assert response.status_code == status
    assert message in text_of(response.get_data(as_text=True))
    assert snapshot(db) == before


def test_home_offers_joining_by_code_and_practising_a_published_set(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'<form method="post" action="/join"', html)
    assert 'name="code"' in html and 'name="nickname"' in html
    assert '<label for="code">Session code</label>' in html
    assert 'action="/practice/mini-set"' in html
    assert "Mini test set" in html and "6 questions" in html


def test_join_link_prefills_the_code(client, session_code):
    response = client.get(f"/join/{session_code.lower()}", follow_redirects=True)
    assert f'value="{session_code}"' in response.get_data(as_text=True)


def test_joining_stores_the_trimmed_nickname_and_opens_the_first_question(
    student, db, session_code
):
    response = student.join(session_code.lower(), "  Ada   Lovelace ")
    assert response.status_code == 303
    assert response.location == f"/play/{session_code}"
    assert [r["nickname"] for r in rows(db, "SELECT nickname FROM participant")] == ["Ada Lovelace"]
    page = student.client.get(response.location)
    assert page.status_code == 200
    assert "Question 1 of 6" in text_of(page.get_data(as_text=True))


def test_join_code_ignores_case_spaces_and_dashes(student, session_code):
    typed = f"{session_code[:3].lower()} - {session_code[3:]}"
    assert student.join(typed).status_code == 303


@pytest.mark.parametrize(
    ("code", "nickname", "status", "message"),
    [
        ("ZZZZZZ", "Ada", 404, "There is no session with that code"),
        ("", "Ada", 422, "Type the code your teacher shows"),
        (None, "", 422, "Choose a nickname"),
        (None, "     ", 422, "That nickname looks blank on the screen"),
        (None, "x" * 31, 422, "Choose a nickname of 1 to 30 characters"),
    ],
)
def test_bad_join_gets_a_clear_message_and_stores_nothing(
    student, db, session_code, code, nickname, status, message
):
    refused_join(student, db, session_code if code is None else code, nickname, status, message)


def test_a_taken_nickname_is_refused_whatever_its_case(client, db, session_code, app):
    Student(client, db).join(session_code, "Ada")
    other = Student(app.test_client(), db)
    refused_join(other, db, session_code, "ADA", 409, "already uses that nickname")


def test_a_closed_session_cannot_be_joined(student, db, session_code):
    sessions.close_session(db, session_code)
    refused_join(student, db, session_code, "Ada", 409, "This session is closed")


def test_a_practice_session_cannot_be_joined_by_code(client, db, app):
    client.post("/practice/mini-set")
    code = rows(db, "SELECT code FROM session WHERE mode = 'practice'")[0]["code"]
    response = Student(app.test_client(), db).join(code, "Intruder")
    assert response.status_code == 404


def test_practising_alone_starts_a_private_session_with_feedback_now(client, db):
    response = client.post("/practice/mini-set")
    assert response.status_code == 303
    session = rows(db, "SELECT * FROM session")[0]
    assert (session["mode"], session["feedback"]) == ("practice", "now")
    assert response.location == f"/play/{session['code']}"
    assert "Question 1 of 6" in text_of(client.get(response.location).get_data(as_text=True))


def test_practising_an_unknown_set_is_a_404(client, db):
    response = client.post("/practice/no-such-set")
    assert response.status_code == 404
    assert "There is no published set" in response.get_data(as_text=True)
    assert rows(db, "SELECT * FROM session") == []


# One question per screen -------------------------------------------------------


def test_question_page_shows_stem_options_passage_and_progress(student, session_code):
    student.join(session_code)
    html = student.client.get(f"/play/{session_code}").get_data(as_text=True)
    assert "<html" in html
    assert "Question 1 of 6" in html
    assert (
        '<h2 class="stem" id="stem-1" lang="en">Does the video show troops leaving the border?</h2>'
        in html
    )
    assert html.count('type="radio" name="option"') == 3
    assert 'name="confidence" value="3"' in html
    assert 'name="reason"' in html
    # The passage the question rests on, before answering: shown but not marked.
    assert "is geo-located for Crimea." in html
    assert "<mark>" not in html


def test_question_fragment_for_htmx_is_the_same_content_without_the_page(student, session_code):
    student.join(session_code)
    response = student.client.get(f"/play/{session_code}", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<body" not in html
    assert "Question 1 of 6" in html and 'hx-post="/play/' in html
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_and_history_restore_requests_get_the_full_page(student, session_code):
    student.join(session_code)
    for header in ("HX-Boosted", "HX-History-Restore-Request"):
        html = student.client.get(f"/play/{session_code}", headers={**HX, header: "true"}).get_data(
            as_text=True
        )
        assert "<html" in html


def test_each_question_type_renders_its_controls(student, session_code):
    student.join(session_code)
    seen = {}
    for q in student.questions(session_code):
        page = student.client.get(f"/play/{session_code}").get_data(as_text=True)
        seen[q["type"]] = page
        student.answer_right(session_code, q)
    assert seen["multiple"].count('type="checkbox" name="option"') == 3
    assert "Select all that apply." in seen["multiple"]
    assert seen["true_false"].count('type="radio" name="option"') == 2
    assert "Passage 4" in seen["passage"]
    assert seen["order"].count('<select id="pos-') == 3
    assert seen["cer"].count('name="evidence"') == 3
    assert 'name="reason"' in seen["cer"]


# Answering and feedback ----------------------------------------------------------


def test_answer_without_javascript_redirects_to_its_feedback_page(student, db, session_code):
    student.join(session_code)
    q = student.question(session_code, "video")
    response = student.answer(session_code, "video", ["a"], confidence="3", reason="It looks real")
    assert response.status_code == 303
    assert response.location == f"/play/{session_code}/feedback/{q['pk']}"
    stored = rows(db, "SELECT * FROM answer")
    assert len(stored) == 1
    assert (stored[0]["score"], stored[0]["confidence"], stored[0]["reason"]) == (
        0.0,
        3,
        "It looks real",
    )

    html = student.client.get(response.location).get_data(as_text=True)
    text = text_of(html)
    assert "Not quite" in text
    assert "Your choice" in text and "Footage can be real and still show another place." in text
    assert "Right: where it was filmed limits what it shows." in text  # the key's feedback too
    assert "The video was filmed in Crimea, not at the border." in text  # explanation
    assert "<mark>geo-located for Crimea</mark>" in html  # evidence highlighted
    assert "You said: Very sure (certainty mark -6)" in text
    assert "It looks real" in text
    second = student.question(session_code, "sources")
    assert f'href="/play/{session_code}/question/{second["pk"]}"' in html
    assert "Next question" in text


def test_answer_with_htmx_returns_the_feedback_fragment_and_pushes_its_url(student, session_code):
    student.join(session_code)
    q = student.question(session_code, "video")
    response = student.answer(session_code, "video", ["b"], headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "Right" in text_of(html)
    assert response.headers["HX-Push-Url"] == f"/play/{session_code}/feedback/{q['pk']}"
    assert "HX-Request" in response.headers["Vary"]
    # The next question comes as a fragment too.
    nxt = student.client.get(f"/play/{session_code}", headers=HX)
    assert "Question 2 of 6" in nxt.get_data(as_text=True)
    assert "<html" not in nxt.get_data(as_text=True)


def test_second_submit_does_not_change_the_answer_or_double_count(student, db, session_code):
    student.join(session_code)
    student.answer(session_code, "video", ["b"], confidence="2")
    again = student.answer(session_code, "video", ["a"], confidence="3")
    assert again.status_code == 303
    stored = rows(db, "SELECT * FROM answer")
    assert len(stored) == 1
    assert (stored[0]["response"], stored[0]["score"], stored[0]["confidence"]) == (
        '{"options": ["b"]}',
        1.0,
        2,
    )
    # The replay is shown the feedback of the answer stored first.
    html = student.client.get(again.location).get_data(as_text=True)
    assert "Right" in text_of(html)


def test_reload_resumes_at_the_first_unanswered_question(student, session_code):
    student.join(session_code)
    for qid, options in (("video", ["b"]), ("sources", ["a"])):
        student.answer(session_code, qid, options)
    html = student.client.get(f"/play/{session_code}").get_data(as_text=True)
    assert "Question 3 of 6" in html
    assert "NATO said it had seen no signs" in html


def test_partial_credit_for_select_all_is_shown(student, db, session_code):
    student.join(session_code)
    student.answer(session_code, "sources", ["a"])
    assert rows(db, "SELECT score FROM answer")[0]["score"] == 0.5
    q = student.question(session_code, "sources")
    html = student.client.get(f"/play/{session_code}/feedback/{q['pk']}").get_data(as_text=True)
    assert "Partly right (50%)" in text_of(html)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"option": ["zzz"]}, "not one of the options offered"),
        ({"option": []}, "Choose an answer before you submit"),
        ({"option": ["a", "b"]}, "Choose one answer only"),
        ({"option": ["b"], "confidence": "7"}, "Confidence must be 1, 2 or 3"),
        ({"option": ["b"], "reason": "x" * 1001}, "Keep your reason under 1000 characters"),
    ],
)
def test_a_malformed_answer_is_refused_with_422_and_nothing_stored(
    student, db, session_code, data, message
):
    student.join(session_code)
    before = snapshot(db)
    response = student.answer(session_code, "video", **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'role="alert"' in html
    assert "Question 1 of 6" in html  # the same question, ready to answer again
    assert snapshot(db) == before


def test_a_refused_answer_over_htmx_comes_back_as_a_fragment(student, session_code):
    student.join(session_code)
    response = student.answer(session_code, "video", [], headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Choose an answer before you submit" in html


def test_order_positions_must_be_complete_and_distinct(student, db, session_code):
    student.join(session_code)
    q = student.question(session_code, "chain")
    before = snapshot(db)
    base = {"question": str(q["pk"])}
    for data in (
        {**base, "pos-speaker": "1", "pos-agency": "1", "pos-article": "2"},
        {**base, "pos-speaker": "1", "pos-agency": "2"},
        {**base, "pos-speaker": "1", "pos-agency": "2", "pos-article": "9"},
    ):
        assert student.client.post(f"/play/{session_code}/answer", data=data).status_code == 422
    assert snapshot(db) == before
    data = {**base, "pos-speaker": "1", "pos-article": "2", "pos-agency": "3"}
    assert student.client.post(f"/play/{session_code}/answer", data=data).status_code == 303
    assert rows(db, "SELECT score FROM answer")[0]["score"] == pytest.approx(2 / 3)


def test_a_question_from_another_set_is_refused(app, student, db, session_code, tmp_path):
    text = (
        (DATA / "mini.toml")
        .read_text(encoding="utf-8")
        .replace('id = "mini-set"', 'id = "other-set"')
    )
    other_file = tmp_path / "other.toml"
    other_file.write_text(text, encoding="utf-8")
    (tmp_path / "misconceptions.toml").write_text((DATA / "misconceptions.toml").read_text())
    load_set(tmp_path / "lateral.db", other_file)
    other = sessions.open_session(db, "other-set")["code"]
    foreign = student.questions(other)[0]
    student.join(session_code)
    before = snapshot(db)
    response = student.client.post(
        f"/play/{session_code}/answer", data={"question": str(foreign["pk"]), "option": "b"}
    )
    assert response.status_code == 422
    assert "not part of this session" in response.get_data(as_text=True)
    assert snapshot(db) == before


@pytest.mark.parametrize("question", ["", "abc", "-1", "99999"])
def test_a_malformed_question_field_is_a_422(student, db, session_code, question):
    student.join(session_code)
    before = snapshot(db)
    response = student.client.post(
        f"/play/{session_code}/answer", data={"question": question, "option": "b"}
    )
    assert response.status_code == 422
    assert snapshot(db) == before


def test_a_closed_session_refuses_answers_with_a_clear_message(student, db, session_code):
    student.join(session_code)
    sessions.close_session(db, session_code)
    before = snapshot(db)
    response = student.answer(session_code, "video", ["b"])
    assert response.status_code == 409
    assert "This session is closed" in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_an_oversized_answer_is_a_413(student, db, session_code):
    student.join(session_code)
    before = snapshot(db)
    response = student.answer(session_code, "video", ["b"], reason="x" * 300_000)
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert snapshot(db) == before


# Who may see what -------------------------------------------------------------------


def test_a_browser_that_has_not_joined_is_refused_and_offered_to_join(app, db, session_code):
    response = app.test_client().get(f"/play/{session_code}")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "has not joined this session" in html
    assert f'href="/?code={session_code}"' in html


def test_a_tampered_cookie_is_refused_and_stores_nothing(app, student, db, session_code):
    student.join(session_code)
    cookie = student.client.get_cookie("lateral")
    tampered = cookie.value[:-4] + ("AAAA" if not cookie.value.endswith("AAAA") else "BBBB")
    thief = app.test_client()
    thief.set_cookie("lateral", tampered)
    assert thief.get(f"/play/{session_code}").status_code == 403
    before = snapshot(db)
    q = student.question(session_code, "video")
    response = thief.post(
        f"/play/{session_code}/answer", data={"question": str(q["pk"]), "option": "b"}
    )
    assert response.status_code == 403
    assert snapshot(db) == before


def test_a_participant_of_one_session_cannot_use_another(student, db, session_code):
    other = sessions.open_session(db, "mini-set")["code"]
    student.join(session_code)
    assert student.client.get(f"/play/{other}").status_code == 403


def test_a_student_sees_only_their_own_feedback(app, db, session_code):
    ada = Student(app.test_client(), db)
    ada.join(session_code, "Ada")
    ada.answer(session_code, "video", ["a"], reason="Ada's private reason")
    bob = Student(app.test_client(), db)
    bob.join(session_code, "Bob")
    q = bob.question(session_code, "video")
    response = bob.client.get(f"/play/{session_code}/feedback/{q['pk']}")
    assert response.status_code == 404
    assert "Ada's private reason" not in response.get_data(as_text=True)


def test_an_unknown_session_is_a_404(client):
    response = client.get("/play/ZZZZZZ")
    assert response.status_code == 404
    assert "There is no session with that code" in response.get_data(as_text=True)


# Feedback at the end, and the summary ----------------------------------------------


def test_feedback_at_the_end_goes_straight_to_the_next_question(student, db, end_code):
    student.join(end_code)
    q = student.question(end_code, "video")
    response = student.answer(end_code, "video", ["a"])
    second, third = (student.question(end_code, qid)["pk"] for qid in ("sources", "nato-signs"))
    assert response.status_code == 303
    assert response.location == f"/play/{end_code}/question/{second}"
    assert student.client.get(f"/play/{end_code}/feedback/{q['pk']}").status_code == 303
    fragment = student.answer(end_code, "sources", ["a", "b"], headers=HX)
    assert fragment.status_code == 200
    assert "Question 3 of 6" in fragment.get_data(as_text=True)
    assert fragment.headers["HX-Push-Url"] == f"/play/{end_code}/question/{third}"
    assert "Footage can be real" not in fragment.get_data(as_text=True)


def test_summary_waits_until_every_question_is_answered(student, session_code):
    student.join(session_code)
    response = student.client.get(f"/play/{session_code}/summary")
    assert response.status_code == 303 and response.location == f"/play/{session_code}"


def finish(student: Student, code: str, wrong: dict | None = None) -> None:
    """Answer every question right, except those named in wrong (qid → data)."""
    wrong = wrong or {}
    for q in student.questions(code):
        if q["id"] in wrong:
            response = student.client.post(
                f"/play/{code}/answer", data={"question": str(q["pk"]), **wrong[q["id"]]}
            )
        else:
            response = student.answer_right(code, q)
        assert response.status_code == 303, response.get_data(as_text=True)


def test_summary_shows_score_skills_calibration_and_a_review(student, end_code):
    student.join(end_code)
    finish(
        student, end_code, {"video": {"option": "a", "confidence": "3"}, "sources": {"option": "a"}}
    )
    response = student.client.get(f"/play/{end_code}")
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Your summary" in text
    assert "4.5 out of 6 (75%)" in text
    assert "4 of 6 questions fully right" in text
    assert re.search(r"<th scope=\"row\">Place</th><td>1</td>", html)
    assert "Attribution and quote chains" in text and "75%" in text
    assert "Sure, but not right" in text and "Does the video show troops" in text
    assert "Certainty mark: -6" in text
    # Every question is reviewed with its explanation.
    assert html.count('<li id="review-') == 6
    assert "Stoltenberg spoke, Reuters reported, the article repeated." in text
    assert "Footage can be real and still show another place." in text


def test_summary_has_its_own_url_and_fragment(student, session_code):
    student.join(session_code)
    finish(student, session_code)
    full = student.client.get(f"/play/{session_code}/summary")
    assert "<html" in full.get_data(as_text=True) and "6 out of 6" in text_of(
        full.get_data(as_text=True)
    )
    fragment = student.client.get(f"/play/{session_code}/summary", headers=HX)
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Your summary" in fragment.get_data(as_text=True)


def test_the_last_feedback_leads_to_the_summary(student, session_code):
    student.join(session_code)
    questions = student.questions(session_code)
    for q in questions[:-1]:
        student.answer_right(session_code, q)
    response = student.answer_right(session_code, questions[-1])
    html = student.client.get(response.location).get_data(as_text=True)
    assert f'href="/play/{session_code}/summary"' in html and "See your summary" in html


def test_a_closed_session_still_shows_the_summary(student, db, session_code):
    student.join(session_code)
    finish(student, session_code)
    sessions.close_session(db, session_code)
    assert student.client.get(f"/play/{session_code}/summary").status_code == 200


# CSRF, headers, errors -------------------------------------------------------------


@pytest.fixture
def csrf_app(db_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "csrf-test", "DATABASE": str(db_path)})
    load_set(db_path, DATA / "mini.toml")
    return app


def token_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_forms_are_refused_without_a_valid_csrf_token(csrf_app, db):
    code = sessions.open_session(db, "mini-set")["code"]
    client = csrf_app.test_client()
    before = snapshot(db)
    for data in (
        {"code": code, "nickname": "Ada"},
        {"code": code, "nickname": "Ada", "csrf_token": "forged"},
    ):
        response = client.post("/join", data=data)
        assert response.status_code == 400
        assert "This form has expired or came from another site" in response.get_data(as_text=True)
    assert snapshot(db) == before
    token = token_from(client.get("/").get_data(as_text=True))
    response = client.post("/join", data={"code": code, "nickname": "Ada", "csrf_token": token})
    assert response.status_code == 303


def test_htmx_answers_carry_the_csrf_token_in_a_header(csrf_app, db):
    code = sessions.open_session(db, "mini-set")["code"]
    client = csrf_app.test_client()
    token = token_from(client.get("/").get_data(as_text=True))
    client.post("/join", data={"code": code, "nickname": "Ada", "csrf_token": token})
    page = client.get(f"/play/{code}").get_data(as_text=True)
    header_token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    q = sessions.load_session(db, code).questions[0]
    data = {"question": str(q["pk"]), "option": "b"}
    refused = client.post(f"/play/{code}/answer", data=data, headers=HX)
    assert refused.status_code == 400
    ok = client.post(f"/play/{code}/answer", data=data, headers={**HX, "X-CSRFToken": header_token})
    assert ok.status_code == 200
    assert len(rows(db, "SELECT * FROM answer")) == 1


def test_csrf_tokens_do_not_expire_in_the_middle_of_a_lesson(csrf_app):
    assert csrf_app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_pages_carry_security_headers_and_a_strict_csp(client):
    for url in ("/", "/no-such-page", "/static/css/lateral.css"):
        response = client.get(url)
        response.close()
        csp = response.headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        )
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_fragments_and_empty_poll_answers_carry_the_security_headers(student, session_code, db):
    student.join(session_code)
    version = sessions.load_session(db, session_code).row["state_version"]
    for response in (
        student.client.get(f"/play/{session_code}", headers=HX),
        student.client.get(f"/play/{session_code}/poll?v={version}&at=wait", headers=HX),
    ):
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_samesite_lax(student, session_code):
    response = student.join(session_code)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_unknown_pages_and_wrong_methods_get_a_friendly_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "There is nothing at this address" in response.get_data(as_text=True)
    assert client.get("/join").status_code == 405
    assert "Traceback" not in client.get("/join").get_data(as_text=True)


def test_pages_make_no_request_to_another_host(student, session_code):
    student.join(session_code)
    for url in ("/", f"/play/{session_code}"):
        html = student.client.get(url).get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_session_cookie_is_secure_over_https(student, session_code):
    response = student.client.post(
        "/join", data={"code": session_code, "nickname": "Sec"}, base_url="https://localhost"
    )
    assert "Secure" in response.headers["Set-Cookie"]
    plain = Student(student.client.application.test_client(), student.db).join(session_code, "Pl")
    assert "Secure" not in plain.headers["Set-Cookie"]
