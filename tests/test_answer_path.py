"""The answer path's shortcuts: one conditional insert, cached parts of pages, the cookie.

Each shortcut must leave what the student sees and what is stored exactly as before.
"""

from __future__ import annotations

import itertools

from werkzeug.datastructures import MultiDict

from quiz.play import answering, feedback, fragments, joining, sessions
from quiz.storage import queries
from quiz.web.cache import EXTENSION

from .world import HX, Student, text_of


def _joined(db, code: str, nickname: str = "Ada") -> tuple[sessions.LoadedSession, str]:
    return joining.join(db, code, nickname)


def _form(q: dict, *options: str, **extra) -> MultiDict:
    return MultiDict(
        [("question", str(q["pk"]))] + [("option", o) for o in options] + list(extra.items())
    )


def _stored(db, participant_id: str) -> dict:
    return queries.answers_of(db, participant_id)


def test_an_answer_to_a_question_locked_after_the_session_was_read_is_refused(db, session_code):
    sess, pid = _joined(db, session_code)
    q = sess.questions[0]
    # The facilitator locks the question between this request's read and its insert.
    queries.mark_question(db, sess.row["id"], q["pk"], "locked_at", True)
    try:
        answering.submit(db, sess, pid, _form(q, "a"))
    except sessions.PlayError as exc:
        assert exc.status == 409 and "Answers are closed for this question" in exc.message
    else:
        raise AssertionError("the locked question took an answer")
    assert _stored(db, pid) == {}


def test_an_answer_after_the_session_closed_meanwhile_is_refused(db, session_code):
    sess, pid = _joined(db, session_code)
    sessions.close_session(db, session_code)
    try:
        answering.submit(db, sess, pid, _form(sess.questions[0], "a"))
    except sessions.PlayError as exc:
        assert exc.status == 409 and "closed" in exc.message
    else:
        raise AssertionError("the closed session took an answer")
    assert _stored(db, pid) == {}


def test_a_led_question_the_facilitator_has_not_reached_takes_no_answer(db):
    code = sessions.open_session(db, "mini-set", pace="led")["code"]
    sess, pid = _joined(db, code)
    queries.set_current(db, sess.row["id"], 1)
    sess = sessions.load_session(db, code)
    second = sess.questions[1]
    # Read while question 2 was open, then the facilitator went back to question 1.
    queries.set_current(db, sess.row["id"], 2)
    sess = sessions.load_session(db, code)
    queries.set_current(db, sess.row["id"], 1)
    try:
        answering.submit(db, sess, pid, _form(second, "a"))
    except sessions.PlayError as exc:
        assert exc.status == 409
    else:
        raise AssertionError("a question not yet reached took an answer")
    assert _stored(db, pid) == {}
    q, stored = answering.submit(db, sess, pid, _form(sess.questions[0], "a"))
    assert stored["question_id"] == q["pk"] == sess.questions[0]["pk"]


def test_a_stored_answer_is_returned_as_stored_and_a_second_submit_changes_nothing(
    db, session_code
):
    sess, pid = _joined(db, session_code)
    q = sess.questions[0]
    _, first = answering.submit(db, sess, pid, _form(q, "a", confidence="3", reason="Because."))
    assert first == queries.answer_for(db, pid, q["pk"])
    assert (first["response"], first["confidence"], first["reason"]) == (
        {"options": ["a"]},
        3,
        "Because.",
    )
    _, again = answering.submit(db, sess, pid, _form(q, "b"))
    assert again == first
    assert len(_stored(db, pid)) == 1


def test_the_review_from_kept_parts_equals_the_review_rendered_whole(app, db, session_code):
    sess = sessions.load_session(db, session_code)
    with app.test_request_context():
        macros = app.jinja_env.get_template("_macros/play.html").module
        for q in sess.questions:
            if q["type"] not in ("single", "true_false", "multiple"):
                continue
            version = sess.versions[q["version_id"]]
            passages = sess.passages(q)
            ids = [o["id"] for o in q["options"]]
            for chosen, confidence, reason in itertools.product(
                [[i] for i in ids], [None, 1, 3], [None, "My <b>own</b> reason"]
            ):
                graded = answering.grade(
                    q,
                    _form(q, *chosen, confidence=str(confidence or ""), reason=reason or ""),
                )
                answer = {**graded, "id": 1, "participant_id": "x", "question_id": q["pk"]}
                # Twice: the first call fills the caches, the second reads them.
                for _ in range(2):
                    kept = fragments.review(version, q, answer, passages)
                    whole = macros.review(feedback.review(q, answer, passages), 2, badge=False)
                    assert str(kept) == str(whole)


def test_students_see_their_own_choices_and_reasons_though_parts_are_kept(client, app, db):
    code = sessions.open_session(db, "mini-set", feedback="now")["code"]
    sess = sessions.load_session(db, code)
    q = sess.questions[0]
    seen = {}
    for nickname, option, reason in [
        ("Ada", "a", "First reason"),
        ("Bo", "b", None),
        ("Cy", "a", "Another reason"),
    ]:
        c = app.test_client()
        assert c.post("/join", data={"code": code, "nickname": nickname}).status_code == 303
        data = {"question": str(q["pk"]), "option": option}
        if reason:
            data["reason"] = reason
        r = c.post(f"/play/{code}/answer", data=data, headers=HX)
        assert r.status_code == 200
        seen[nickname] = text_of(r.get_data(as_text=True))
    chosen_text = {o["id"]: o["text"] for o in q["options"]}
    assert "First reason" in seen["Ada"] and "Another reason" not in seen["Ada"]
    assert "Another reason" in seen["Cy"] and "First reason" not in seen["Cy"]
    assert "Your reason" not in seen["Bo"]
    for nickname, option in [("Ada", "a"), ("Bo", "b"), ("Cy", "a")]:
        mine = seen[nickname]
        assert f"Your choice {chosen_text[option]}" in mine.replace("Correct ", "").replace(
            "Not correct ", ""
        )
    stored = {
        p["nickname"]: queries.answers_of(db, p["id"])[q["pk"]]
        for p in queries.participants_of(db, sess.row["id"])
    }
    assert {n: a["response"]["options"] for n, a in stored.items()} == {
        "Ada": ["a"],
        "Bo": ["b"],
        "Cy": ["a"],
    }


def test_a_version_whose_content_changed_under_the_same_id_is_read_again(app, db, session_code):
    cache = app.extensions[EXTENSION]
    sess = sessions.load_session(db, session_code, cache)
    q = sess.questions[0]
    # A deleted set's version id coming back with other content: only the hash tells.
    db.execute(
        "UPDATE question SET body = json_set(body, '$.stem', 'A changed stem?') WHERE id = ?",
        [q["pk"]],
    )
    assert sessions.load_session(db, session_code, cache).questions[0]["stem"] == q["stem"]
    db.execute(
        "UPDATE set_version SET content_hash = 'changed' WHERE id = ?", [sess.row["version_id"]]
    )
    assert sessions.load_session(db, session_code, cache).questions[0]["stem"] == "A changed stem?"


def test_the_cookie_is_set_when_joining_and_not_sent_again_on_answers_and_polls(
    client, db, session_code
):
    r = client.post("/join", data={"code": session_code, "nickname": "Ada"})
    assert r.status_code == 303 and "lateral=" in r.headers.get("Set-Cookie", "")
    sess = sessions.load_session(db, session_code)
    q = sess.questions[0]
    r = client.post(
        f"/play/{session_code}/answer", data={"question": str(q["pk"]), "option": "a"}, headers=HX
    )
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    r = client.get(f"/play/{session_code}", headers=HX)
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    # The cookie still says who this is: the answer is theirs and shows as answered.
    pid = queries.participants_of(db, sess.row["id"])[0]["id"]
    assert q["pk"] in queries.answers_of(db, pid)


def _answer_as(app, code: str, nickname: str, q: dict, option: str) -> str:
    c = app.test_client()
    assert c.post("/join", data={"code": code, "nickname": nickname}).status_code == 303
    r = c.post(
        f"/play/{code}/answer", data={"question": str(q["pk"]), "option": option}, headers=HX
    )
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_a_kept_feedback_fragment_links_only_within_its_own_session(app, db):
    first = sessions.open_session(db, "mini-set", feedback="now")["code"]
    second = sessions.open_session(db, "mini-set", feedback="now")["code"]
    q = sessions.load_session(db, first).questions[0]
    a = _answer_as(app, first, "Ada", q, "a")
    b = _answer_as(app, first, "Bo", q, "a")
    c = _answer_as(app, second, "Cy", q, "a")
    assert a == b
    assert f"/play/{first}" in a and second not in a
    assert f"/play/{second}" in c and first not in c


def test_the_last_answer_leads_to_the_summary_though_the_same_answer_was_kept(app, db):
    code = sessions.open_session(db, "mini-set", feedback="now")["code"]
    sess = sessions.load_session(db, code)
    last = sess.questions[-1]
    option = last["options"][0]["id"] if last["type"] != "order" else None
    # Bo answers the last question first, with questions still to go: "Next question".
    c = app.test_client()
    assert c.post("/join", data={"code": code, "nickname": "Bo"}).status_code == 303
    ada = app.test_client()
    assert ada.post("/join", data={"code": code, "nickname": "Ada"}).status_code == 303
    helper = Student(ada, db)
    for q in sess.questions[:-1]:
        assert helper.answer_right(code, q).status_code in (200, 303)
    data = {"question": str(last["pk"])}
    if last["type"] == "order":
        data.update({f"pos-{oid}": str(i) for i, oid in enumerate(last["key"], start=1)})
    else:
        data["option"] = option
    if last["type"] == "cer":
        data["evidence"] = [str(n) for n in last["evidence_key"]]
    bo = text_of(c.post(f"/play/{code}/answer", data=data, headers=HX).get_data(as_text=True))
    ada_last = text_of(
        ada.post(f"/play/{code}/answer", data=data, headers=HX).get_data(as_text=True)
    )
    assert "Next question" in bo and "See your summary" not in bo
    assert "See your summary" in ada_last and "Next question" not in ada_last


def _answer_compressed(app, code: str, nickname: str, q: dict, option: str, encoding: str):
    c = app.test_client()
    assert c.post("/join", data={"code": code, "nickname": nickname}).status_code == 303
    r = c.post(
        f"/play/{code}/answer",
        data={"question": str(q["pk"]), "option": option},
        headers={**HX, "Accept-Encoding": encoding},
    )
    assert r.status_code == 200
    return r


def test_a_kept_feedback_fragment_is_compressed_once_for_everyone_who_answered_alike(
    app, db, monkeypatch
):
    import gzip

    from flask_compress import flask_compress

    compressed = []
    real = flask_compress._compress_data

    def counting(app_, data, algorithm):
        compressed.append(algorithm)
        return real(app_, data, algorithm)

    monkeypatch.setattr(flask_compress, "_compress_data", counting)
    code = sessions.open_session(db, "mini-set", feedback="now")["code"]
    q = sessions.load_session(db, code).questions[0]
    plain = _answer_as(app, code, "Ada", q, "a")
    first = _answer_compressed(app, code, "Bo", q, "a", "gzip")
    second = _answer_compressed(app, code, "Cy", q, "a", "gzip")
    assert compressed == ["gzip"]
    for r in (first, second):
        assert r.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in r.headers["Vary"] and "HX-Request" in r.headers["Vary"]
        assert int(r.headers["Content-Length"]) == len(r.data)
        assert gzip.decompress(r.data).decode() == plain
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    # Another answer is another fragment, compressed for itself.
    other = _answer_compressed(app, code, "Di", q, "b", "gzip")
    assert compressed == ["gzip", "gzip"]
    assert gzip.decompress(other.data).decode() != plain
    # A browser that asks for Brotli gets Brotli, not the kept gzip.
    br = _answer_compressed(app, code, "Ed", q, "a", "br")
    assert br.headers["Content-Encoding"] == "br" and compressed[-1] == "br"


def test_the_pending_screen_after_an_answer_is_rendered_once_per_state_for_the_room(app, db, world):
    from flask import template_rendered

    code = world.session(pace="led", feedback="reveal")
    sess = world.loaded(code)
    q = sess.questions[0]
    queries.set_current(db, sess.row["id"], 1)
    students = [world.join(code, name) for name in ("Ada", "Bo")]
    rendered = []

    def seen(_app, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(seen, app):
        first, second = (s.answer(code, q["id"], ["a"], headers=HX) for s in students)
        assert rendered.count("play/_pending.html") == 1
        # The room's state moves on (the facilitator acts), and the poll with it.
        late = world.join(code, "Cy")
        queries.bump_state(db, sess.row["id"])
        third = late.answer(code, q["id"], ["b"], headers=HX)
    assert rendered.count("play/_pending.html") == 2
    for r in (first, second, third):
        assert r.status_code == 200 and "Answer received" in r.get_data(as_text=True)
        assert r.headers["HX-Push-Url"] == f"/play/{code}/feedback/{q['pk']}"
    assert first.data == second.data
    state = queries.session_by_code(db, code)["state_version"]
    assert f"v={state}&amp;" in third.get_data(as_text=True)
    assert f"v={state}&amp;" not in first.get_data(as_text=True)
    # Every answer is stored, once each.
    for name in ("Ada", "Bo", "Cy"):
        assert q["pk"] in queries.answers_of(db, world.participant_id(code, name))


def test_kept_links_follow_the_path_the_app_is_served_under(app, db, world):
    code = world.session(pace="led", feedback="reveal")
    sess = world.loaded(code)
    q = sess.questions[0]
    queries.set_current(db, sess.row["id"], 1)
    ada, bo = world.join(code, "Ada"), world.join(code, "Bo")
    plain = ada.answer(code, q["id"], ["a"], headers=HX)
    data = {"question": str(q["pk"]), "option": ["a"]}
    prefixed = bo.client.post(
        f"/play/{code}/answer",
        data=data,
        headers=HX,
        environ_overrides={"SCRIPT_NAME": "/quiz"},
    )
    assert plain.headers["HX-Push-Url"] == f"/play/{code}/feedback/{q['pk']}"
    assert prefixed.headers["HX-Push-Url"] == f"/quiz/play/{code}/feedback/{q['pk']}"
    assert f'hx-get="/quiz/play/{code}/poll?' in prefixed.get_data(as_text=True)
    assert f'hx-get="/play/{code}/poll?' in plain.get_data(as_text=True)
