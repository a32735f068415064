"""A pick-the-passage question's feedback quotes each passage in full once.

A browser walk at 390 × 844 found the feedback of the shipped set's question 5 about
1,500 px long: each keyed passage stood in full in its option card, and again, underlined,
in "The evidence, underlined in the article" right below. The card now names a passage
the evidence quotes by its opening words, as the question offered it.
"""

from __future__ import annotations

from pathlib import Path

from quiz.play import sessions

from .world import load_set, text_of

SHIPPED = Path(__file__).resolve().parent.parent / "questions"


def _passage_question(db, code: str) -> dict:
    sess = sessions.load_session(db, code)
    return next(q for q in sess.questions if q["type"] == "passage" and len(q["key"]) > 1)


def test_a_passage_questions_feedback_quotes_each_keyed_passage_in_full_once(client, db, db_path):
    for name in (
        "russia-troops-check-a.toml",
        "russia-troops-check-b.toml",
        "russia-troops-feb-2022.toml",
    ):
        load_set(db_path, SHIPPED / name)
    code = sessions.open_session(db, "russia-troops-feb-2022", feedback="now")["code"]
    client.post("/join", data={"code": code, "nickname": "Aino"})
    q = _passage_question(db, code)
    sess = sessions.load_session(db, code)
    options = {o["id"]: o for o in q["options"]}
    chosen = q["key"][0]
    wrong = next(o for o in q["options"] if o["id"] not in q["key"])
    r = client.post(
        f"/play/{code}/answer",
        data={"question": str(q["pk"]), "option": [chosen, wrong["id"]]},
        follow_redirects=True,
    )
    assert r.status_code == 200
    page = text_of(r.get_data(as_text=True))
    assert "The evidence, underlined in the article" in page
    for oid in q["key"]:
        text = sess.passages(q)[options[oid]["passage"] - 1]
        assert len(text) > 85, "the check needs passages longer than an option's opening"
        assert page.count(text) == 1, (
            f"passage {options[oid]['passage']} is quoted in full {page.count(text)} times"
        )
        assert f"Passage {options[oid]['passage']} begins: {text[:40]}" in page
    # A wrong choice is not in the evidence: its card keeps the whole passage.
    wrong_text = sess.passages(q)[wrong["passage"] - 1]
    assert wrong_text in page
    # What was stored is the answer as sent.
    stored = db.execute("SELECT response FROM answer WHERE question_id = ?", [q["pk"]]).fetchone()[
        0
    ]
    assert chosen in stored and wrong["id"] in stored
