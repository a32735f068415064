"""What every page shares: the one cache, htmx answers, error pages, security headers,
the cookie, the no-change polls answered before Flask (``early``), the interface's
language (``i18n``, ``language``: Flask-Babel and the home page's switch), the
templates' filters and labels, the base form, the health check, the sets' images
(``media``), the larger bodies of file uploads (``limits``), and static files
fingerprinted and precompressed (``assets``) with pages compressed (Flask-Compress)."""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

from . import (
    assets,
    cache,
    compression,
    early,
    errors,
    i18n,
    language,
    limits,
    media,
    ops,
    security,
    templating,
)
from .cookies import SessionInterface
from .htmx import is_partial
from .urls import IdConverter


def register(app: Flask) -> None:
    """Install what every page needs on the app."""
    cache.install(app)
    app.session_interface = SessionInterface()
    app.url_map.converters["id"] = IdConverter
    security.register(app)
    errors.register(app)
    i18n.register(app)  # before templating: Flask-Babel installs gettext on Jinja
    templating.install(app.jinja_env)
    app.context_processor(lambda: {"htmx_partial": is_partial()})
    app.register_blueprint(ops.bp)
    app.register_blueprint(language.bp)
    media.register(app)
    limits.install(app)
    assets.install(app)
    early.install(app)  # around the static files: a poll goes past them at once
    # Pages and htmx fragments, compressed as the browser accepts (Brotli, gzip). Only
    # HTML: CSV downloads and images are left as they are (static files come
    # precompressed through ``assets``).
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html"])
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # No ETag hashing of every page (a page with a CSRF token never matches one).
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
    app.config.setdefault("COMPRESS_REGISTER", False)
    compress = Compress(app)

    @app.after_request
    def _compress(response):
        # Only a 200 with a body; a response many share (web.compression) only once.
        return compression.compress(compress, response)
