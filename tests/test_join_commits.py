"""A join is stored in one commit (issue 19, the join stampede): its counts, its checks
and the participant in one transaction, so a class joining at once waits for one fsync
a phone, not four; and a join refused after it was counted keeps its counts."""

from __future__ import annotations

from quiz.play import limits
from quiz.storage.connection import kept

from .conftest import Student, text_of

SECRET = "test-only-secret"  # the app fixture's
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _commits(app, during) -> int:
    """Count the commits on the app's connection while ``during()`` runs: COMMITs, and
    writes made outside a transaction (each commits by itself)."""
    conn = kept(app.config["DATABASE"], app.extensions["lateral.cache"]).conn
    seen: list[tuple[str, bool]] = []
    conn.set_trace_callback(lambda sql: seen.append((sql.lstrip().upper(), conn.in_transaction)))
    try:
        during()
    finally:
        conn.set_trace_callback(None)
    return sum(
        sql.startswith("COMMIT") or (sql.startswith(WRITES) and not in_transaction)
        for sql, in_transaction in seen
    )


def _client_count(db) -> int:
    key = f"join:client:{limits.client_id(SECRET, '127.0.0.1')}"
    found = db.execute(
        "SELECT sum(count) FROM rate_window WHERE key = ? AND length(bucket) = 16", [key]
    )
    return found.fetchone()[0] or 0


def test_a_join_is_stored_in_one_commit(app, db, session_code):
    ada = Student(app.test_client(), db)
    ada.client.get("/")  # the hourly purge runs (and commits) on a worker's first request
    responses = []
    assert _commits(app, lambda: responses.append(ada.join(session_code, "Ada"))) == 1
    assert responses[0].status_code == 303
    stored = db.execute("SELECT nickname FROM participant").fetchall()
    assert [row[0] for row in stored] == ["Ada"]
    assert _client_count(db) == 1


def test_a_join_refused_for_a_taken_nickname_keeps_its_counts(app, db, session_code):
    Student(app.test_client(), db).join(session_code, "Ada")
    refused = Student(app.test_client(), db).join(session_code, "ADA")
    assert refused.status_code == 409
    assert "already uses that nickname" in text_of(refused.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 1
    assert _client_count(db) == 2  # counted as before: the refused join too
