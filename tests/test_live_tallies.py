"""The live panel counts its figures in SQL (``results.tallies``, ``queries.live``) and
lists a few participants: the numbers must be the ones ``results.live.view`` gives from
every answer, and ``votes.shift`` from every vote.

The session is generated: the shipped article set with its check forms (self-paced,
so half the room plays form B first), three teams and some participants in none,
every question type, written answers marked and waiting, written reasons, a second
vote with some who voted only the second time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets

import pytest
from werkzeug.datastructures import MultiDict

from quiz.facilitation import people
from quiz.facilitation.views import _live_figures
from quiz.play import answering, sessions
from quiz.play.scoring import RIGHT
from quiz.results import votes
from quiz.results.live import view as live_view
from quiz.sets.vocabulary import LEVEL_SCORES
from quiz.storage import queries

from .world import ROOT, load_set

SET = "russia-troops-feb-2022"
TEAMS = ("Reds", "Blues", "Greens")


@pytest.fixture
def shipped(app, db_path):
    for name in ("russia-troops-check-a", "russia-troops-check-b", SET):
        load_set(db_path, ROOT / "questions" / f"{name}.toml")


def fields(q: dict, rng: random.Random) -> MultiDict:
    """A form a student could send for a question, right or not."""
    if q["type"] == "open":
        return MultiDict([("text", rng.choice(["Because of passage 3.", "Reuters says so."]))])
    ids = [o["id"] for o in q["options"]]
    right = rng.random() < 0.5
    out = []
    if q["type"] == "order":
        order = list(q["key"]) if right else rng.sample(ids, len(ids))
        out += [(f"pos-{oid}", str(i)) for i, oid in enumerate(order, start=1)]
    elif q["type"] in ("single", "true_false", "cer"):
        out += [("option", oid) for oid in (q["key"] if right else [rng.choice(ids)])]
    else:
        out += [("option", oid) for oid in rng.sample(ids, rng.randint(1, len(ids)))]
    if q["type"] == "cer":
        choices = [str(n) for n in q["evidence_choices"]]
        out += [("evidence", e) for e in rng.sample(choices, rng.randint(1, len(choices)))]
    if q.get("confidence"):
        out.append(("confidence", rng.choice("123")))
    if q.get("reason") and rng.random() < 0.5:
        out.append(("reason", rng.choice(["Only one side.", "Not seen leaving.", "=SUM(A1)"])))
    return MultiDict(out)


def generate(db, seed: int, size: int = 60) -> sessions.LoadedSession:
    rng = random.Random(seed)
    code = sessions.open_session(db, SET, checks=True, feedback="reveal", teams=TEAMS)["code"]
    sess = sessions.load_session(db, code)
    voted = next(q for q in sess.questions if q["type"] == "single" and q["part"] == "main")
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    people_rows, answers = [], []
    for n in range(size):
        pid = secrets.token_urlsafe(12)
        team = None if n % 7 == 0 else sess.teams[n % 3]["id"]
        # Some join at the same second: joining order is then the order stored.
        joined = (start + dt.timedelta(seconds=n // 3)).isoformat()
        order = "BA" if n % 2 else "AB"
        people_rows.append((pid, sess.row["id"], f"Student {n}", team, order, joined))
        for q in rng.sample(sess.questions, rng.randint(0, len(sess.questions))):
            at = (start + dt.timedelta(seconds=rng.randint(0, 40))).isoformat()
            only_second = q is voted and rng.random() < 0.2
            for vote in (2,) if only_second else (1, 2) if q is voted else (1,):
                a = answering.grade(q, fields(q, rng))
                if q["type"] == "open" and rng.random() < 0.5:
                    level = rng.choice(list(LEVEL_SCORES))
                    a = {**a, "score": LEVEL_SCORES[level], "parts": {"open": True, "level": level}}
                answers.append(
                    (pid, q["pk"], json.dumps(a["response"]), a["confidence"], a["reason"])
                    + (a["score"], json.dumps(a["parts"]), at, vote)
                )
    with db.conn:
        db.conn.executemany(
            "INSERT INTO participant (id, session_id, nickname, team_id, check_order, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            people_rows,
        )
        db.conn.executemany(
            "INSERT INTO answer (participant_id, question_id, response, confidence, reason, "
            "score, parts, created_at, vote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            answers,
        )
        queries.second_vote(db, sess.row["id"], voted["pk"], None)
    return sessions.load_session(db, code)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_panels_figures_counted_in_sql_are_those_of_every_answer(shipped, db, seed):
    sess = generate(db, seed)
    sid = sess.row["id"]
    participants = queries.participants_of(db, sid)
    old = live_view(
        sess.questions, participants, sess.teams, queries.answers_in(db, sid), sess.misconceptions
    )
    new = _live_figures(db, sess)
    for name in ("joined", "answers", "questions_total", "finished", "questions", "teams"):
        assert new[name] == old[name], name
    # The generated session has what the comparison is about.
    assert {t["name"] for t in new["teams"]} == {*TEAMS, "No team"}
    written = [q for q in new["questions"] if q["type"] == "open"]
    assert any(q["waiting"] for q in written) and any(q["answered"] for q in written)
    assert any(q["reasons"] for q in new["questions"])
    assert {q["type"] for q in new["questions"]} >= {"single", "multiple", "order", "cer"}


def _figures_agree(db, sess) -> None:
    sid = sess.row["id"]
    old = live_view(
        sess.questions,
        queries.participants_of(db, sid),
        sess.teams,
        queries.answers_in(db, sid),
        sess.misconceptions,
    )
    new = _live_figures(db, sess)
    for name in ("joined", "answers", "questions_total", "finished", "questions", "teams"):
        assert new[name] == old[name], name


def test_the_next_refresh_counts_what_changed_since_with_the_texts_read_before(shipped, db):
    """The panel keeps the response and parts texts it decoded for its next refreshes:
    a refresh after written answers were marked and others were taken back still gives
    the figures of every answer as they are now."""
    sess = generate(db, 5)
    _figures_agree(db, sess)
    sid = sess.row["id"]
    marked = db.conn.execute(
        "SELECT a.id FROM answer a JOIN participant p ON p.id = a.participant_id "
        "WHERE p.session_id = ? AND a.parts = ?",
        [sid, json.dumps({"open": True})],
    ).fetchall()
    assert marked
    level = next(iter(LEVEL_SCORES))
    db.conn.executemany(
        "UPDATE answer SET score = ?, parts = ? WHERE id = ?",
        [(LEVEL_SCORES[level], json.dumps({"open": True, "level": level}), i) for (i,) in marked],
    )
    db.conn.execute(
        "DELETE FROM answer WHERE id IN (SELECT a.id FROM answer a JOIN participant p "
        "ON p.id = a.participant_id WHERE p.session_id = ? AND a.id % 3 = 0)",
        [sid],
    )
    _figures_agree(db, sess)
    written = [q for q in _live_figures(db, sess)["questions"] if q["type"] == "open"]
    assert not any(q["waiting"] for q in written)


def test_who_finished_is_counted_as_from_every_answer_while_a_question_has_none(shipped, db):
    """The panel counts no one as finished without reading answers while a question has
    none yet; once every question has one, it counts them."""
    sess = generate(db, 6)
    sid = sess.row["id"]
    # One participant answers every question: they have finished.
    done = secrets.token_urlsafe(12)
    queries.insert_participant(db, done, sid, "Finisher", "finisher", None)
    rng = random.Random(6)
    for q in sess.questions:
        a = answering.grade(q, fields(q, rng))
        db.conn.execute(
            "INSERT INTO answer (participant_id, question_id, response, confidence, reason, "
            "score, parts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '2026-03-02T10:00:00')",
            [done, q["pk"], json.dumps(a["response"]), a["confidence"], a["reason"]]
            + [a["score"], json.dumps(a["parts"])],
        )
    for unanswered in (False, True):
        if unanswered:
            last = sess.questions[-1]["pk"]
            db.conn.execute("DELETE FROM answer WHERE question_id = ?", [last])
        old = live_view(
            sess.questions,
            queries.participants_of(db, sid),
            sess.teams,
            queries.answers_in(db, sid),
            sess.misconceptions,
        )
        new = _live_figures(db, sess)
        assert new["finished"] == old["finished"] == (0 if unanswered else old["finished"])
        assert unanswered or new["finished"] >= 1


@pytest.mark.parametrize("seed", [1, 4])
def test_the_panels_second_vote_figures_are_those_of_every_vote(shipped, db, seed):
    sess = generate(db, seed)
    sid = sess.row["id"]
    participants = queries.participants_of(db, sid)
    old = votes.shift(sess.questions, participants, sess.teams, queries.votes_in(db, sid), {})
    new = votes.counted(queries.vote_moves(db, sid, RIGHT))
    assert list(new) == [v["pk"] for v in old] and old
    for v in old:
        shown = new[v["pk"]]["all"]
        assert shown["second"]["answered"] == v["all"]["second"]["answered"]
        for name in ("twice", "right_first", "right_second", "to_right", "to_wrong"):
            assert shown[name] == v["all"][name], name
        for name in ("to_right_share", "to_wrong_share"):
            assert shown[name] == v["all"][name], name


def test_each_listed_participants_progress_is_that_of_every_answer(shipped, db):
    sess = generate(db, 5)
    sid = sess.row["id"]
    participants = queries.participants_of(db, sid)
    old = live_view(
        sess.questions, participants, sess.teams, queries.answers_in(db, sid), sess.misconceptions
    )
    found, total = queries.people_page(db, sid, "", 1000, 0)
    assert total == len(participants)
    assert people.progress_of(db, sess, found) == old["participants"]
    # A page of them (the People page's second) gives the same rows.
    found, _ = queries.people_page(db, sid, "", 25, 25)
    assert people.progress_of(db, sess, found) == old["participants"][25:50]
