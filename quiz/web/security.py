"""What every request and response passes through: CSRF, form bodies only, the
security headers (a strict Content-Security-Policy among them).

The headers, as one reviewed set (issue 13, findings 8 and 9):

- on every response: the CSP below, ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: strict-origin-when-cross-origin``, ``X-Frame-Options: DENY``;
- ``Cache-Control: no-store`` on every response to a signed-in teacher (their pages,
  the report, the CSVs, set downloads, the QR code) and on every page of the account
  views and of views behind ``teacher_required`` whoever asks (the sign-in page, the
  invitation and password pages, the sign-in form that refuses an anonymous visitor),
  so no browser or proxy keeps a copy; static files, the sets' images (``/media/``,
  named by their content's hash, the same bytes for everyone) and students' pages keep
  their caching;
- ``Strict-Transport-Security: max-age=HSTS_MAX_AGE`` when the request came over
  HTTPS (seen through a trusted proxy's X-Forwarded-Proto with TRUST_PROXY).
"""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, g, request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "")


def forms_only() -> None:
    """Refuse a POST whose body is not a form (415).

    Every form here posts form fields; a JSON body would hand WTForms and the views
    values of the wrong type.
    """
    if request.method == "POST" and request.mimetype not in FORM_TYPES:
        abort(415)


def standard_headers(*, private: bool, secure: bool, hsts_max_age: int) -> list[tuple[str, str]]:
    """Return the security headers of a response, in the order they are sent.

    The one list behind ``security_headers`` (Flask's responses) and the polls answered
    before Flask (``web.early``), so the two cannot drift apart.
    """
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        # strict-origin-when-cross-origin keeps the Referer Flask-WTF checks over HTTPS.
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
    ]
    if private:
        headers.append(("Cache-Control", "no-store"))
    if secure and hsts_max_age:
        headers.append(("Strict-Transport-Security", f"max-age={hsts_max_age}"))
    return headers


def security_headers(response: Response) -> Response:
    """Add the CSP and the other security headers, unless a view set its own (but
    ``Cache-Control: no-store`` on a private response, whatever the view set).

    One pass over the names already set: ``Headers.setdefault`` raises and catches an
    exception for every header missing, four on most responses (issue 19).
    """
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    for name, value in standard_headers(
        private=_private(),
        secure=request.is_secure,
        hsts_max_age=current_app.config["HSTS_MAX_AGE"],
    ):
        if name == "Cache-Control":
            headers[name] = value
        elif name.lower() not in present:
            headers.add(name, value)
    return response


# Endpoints never kept in a cache, whoever asks (their views are marked by
# accounts.access.teacher_required; the account pages by their blueprint).
PUBLIC_ENDPOINTS = ("static", "ops.healthz", "media.file")


def _private() -> bool:
    """Tell whether this response must not be stored by any cache."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return False
    if g.get("teacher") is not None or request.blueprint == "accounts":
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "no_store", False))


def register(app: Flask) -> None:
    """Turn on CSRF protection, the form-only check and the headers."""
    csrf.init_app(app)
    app.before_request(forms_only)
    app.after_request(security_headers)
