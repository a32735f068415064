"""What every request and response passes through: CSRF, form bodies only, the
security headers (a strict Content-Security-Policy among them)."""

from __future__ import annotations

from flask import Flask, Response, abort, request
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


def security_headers(response: Response) -> Response:
    """Add the CSP and the other security headers, unless a view set its own."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # strict-origin-when-cross-origin keeps the Referer Flask-WTF checks over HTTPS.
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    return response


def register(app: Flask) -> None:
    """Turn on CSRF protection, the form-only check and the headers."""
    csrf.init_app(app)
    app.before_request(forms_only)
    app.after_request(security_headers)
