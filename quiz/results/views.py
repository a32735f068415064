"""The report page and the two CSV downloads of a session (its owner only)."""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template
from flask.typing import ResponseReturnValue

from ..accounts.access import teacher_required
from ..facilitation.control import owned
from ..play.sessions import LoadedSession
from ..storage import queries
from ..storage.connection import get_db
from ..web.cache import current
from ..web.collector import held_off
from ..web.i18n import for_set
from . import charts, csv_files, page, report, votes

bp = Blueprint("results", __name__)


def _inputs(sess: LoadedSession) -> tuple[list, list, list, list]:
    """The session's questions, participants, teams and answers, as results take them."""
    db = get_db()
    participants = queries.participants_of(db, sess.row["id"])
    return sess.questions, participants, sess.teams, queries.answers_in(db, sess.row["id"])


@bp.get("/run/<code>/report")
@teacher_required
def report_page(code: str) -> ResponseReturnValue:
    sess = owned(get_db(), code, g.teacher.id, current())
    for_set(sess.version["body"])
    # The collector back on once the figures are freed (on _report's return): turned on
    # while they live, it would walk them all at once.
    with held_off():
        return _report(sess)


def _report(sess: LoadedSession) -> str:
    """The report page's HTML."""
    inputs = _inputs(sess)
    r = report.build(*inputs, sess.misconceptions)
    shifts = votes.shift(*inputs[:3], queries.votes_in(get_db(), sess.row["id"]), {})
    return render_template(
        "results/report.html",
        sess=sess,
        r=r,
        shifts=shifts,
        charts=charts.charts_for(r),
        view=page.tables(r),
    )


@bp.get("/run/<code>/<any(answers, participants):kind>.csv")
@teacher_required
def csv(code: str, kind: str) -> ResponseReturnValue:
    sess = owned(get_db(), code, g.teacher.id, current())
    with held_off():  # back on once the rows are freed, as for the report
        body = _csv(sess, kind)
    response = Response(body, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="lateral-{sess.code}-{kind}.csv"'
    )
    return response


def _csv(sess: LoadedSession, kind: str) -> str:
    """The text of the answers or the participants CSV."""
    if kind == "answers":
        return csv_files.answers_csv(*_inputs(sess), queries.votes_in(get_db(), sess.row["id"]))
    return csv_files.participants_csv(*_inputs(sess))
