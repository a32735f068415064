"""Teachers' accounts: sign-in, passwords, invitations, roles, and the audit log.

- ``teachers``: create an account, sign in (throttled), change a password, the cookie state.
- ``invitations``: an administrator's single-use links; ``roles``: roles and disabling.
- ``access``: the signed-in teacher in ``g``; ``teacher_required``, ``admin_required``.
- ``audit``: security events as JSON lines; ``views``, ``forms``, ``cli`` (create-admin).
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Load the signed-in teacher on every request; add the pages and the command."""
    from . import access, audit, cli, views

    audit.send_to_stderr(app)
    app.before_request(access.load_teacher)
    app.register_blueprint(views.bp)
    cli.register(app)
