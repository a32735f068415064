"""How many examples the property-based (hypothesis) tests try.

CI (``CI=true``, as ``.ci/run`` runs) tries every test's full count, under hypothesis's
own ``ci`` profile (which it loads by itself there); a developer's run loads ``quick``
and tries a quarter of it (at least 10), so that ``pytest -m "not slow"`` stays about
a minute. ``HYPOTHESIS_PROFILE=ci`` (or ``default``) gives the full count anywhere.
A test names its full count through ``examples``: ``@settings(max_examples=examples(200))``.
"""

from __future__ import annotations

import os

from hypothesis import settings

FULL = 100  # hypothesis's own default: the count of a test that names none
QUICK_SHARE = 4


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


settings.register_profile(
    "quick", settings.get_profile("default"), max_examples=FULL // QUICK_SHARE
)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif not _in_ci():
    settings.load_profile("quick")


def examples(full: int) -> int:
    """A test's example count under the loaded profile: ``full`` in CI, else a quarter."""
    if settings.default.max_examples >= FULL:
        return full
    return max(10, full // QUICK_SHARE)
