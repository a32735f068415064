"""Operations: the health check a load balancer or monitor calls."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..storage import migrations
from ..storage.connection import get_db

bp = Blueprint("web", __name__)


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    """Answer 200 when the database answers and is fully migrated, else 503."""
    db = get_db()
    pending = [m.name for m in migrations.migrations.pending(db)]
    status = 200 if not pending else 503
    return jsonify(status="ok" if status == 200 else "migrations pending", pending=pending), status
