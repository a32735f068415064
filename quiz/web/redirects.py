"""Where to send a browser after a form: only a path on this site.

Issue 13, findings 1 and 2: ``next=/%09/example.com`` passed a check for ``//`` that
ran before browsers strip the tab, and sent a teacher to ``//example.com``; a line
break in ``next`` made the Location header itself fail (a 500). Browsers drop tabs
and line breaks anywhere in an address and read a backslash as a slash, so rather
than undo each trick, a target is followed only when it is plainly a local path:
printable ASCII without spaces or backslashes, starting with one slash, with no
scheme or host once split. Anything else (an empty value included) gives the default.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# One slash, then printable ASCII but the space, the backslash and a second slash.
_LOCAL_PATH = re.compile(r"/(?![/\\])[!-\[\]-~]*")


def safe_next(target: object, default: str) -> str:
    """Return ``target`` if it is a path on this site, else ``default``."""
    if not isinstance(target, str) or not _LOCAL_PATH.fullmatch(target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
