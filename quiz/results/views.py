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
    if kind == "answers":
        body = csv_files.answers_csv(*_inputs(sess), queries.votes_in(get_db(), sess.row["id"]))
    else:
        body = csv_files.participants_csv(*_inputs(sess))
    response = Response(body, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="lateral-{sess.code}-{kind}.csv"'
    )
    return response
