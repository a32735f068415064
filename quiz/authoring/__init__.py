"""Teachers' sets: the editor, drafts, publishing, and set files in and out.

- ``drafts``: create, duplicate, read and change a teacher's working copy.
- ``editor``: the question editor's fields read into a draft question and back.
- ``publishing``: check a draft (errors and content suggestions), publish a version.
- ``files``: upload a set file as a draft, download one; ``exports``: set file, GIFT
  and Moodle XML writers (a package, one module each); ``archive``: a set file with
  its images as a ``.zip``; ``left_out``: what LMS exports cannot carry.
- ``media``: a draft's images and rubrics (``media_views``: their pages).
- ``views`` (the sets, a set's details and article), ``editor_views`` (its questions
  and the preview) and ``publish_views`` (publish, archive, delete, files): the pages,
  one blueprint ``authoring`` under /teach.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the teachers' set pages."""
    # editor_views and publish_views add their routes to views.bp when imported, each
    # importing views first: the URL map lists the set pages, then the questions, then
    # publishing and files.
    from . import editor_views, media_views, publish_views, views  # noqa: F401

    app.register_blueprint(views.bp)
