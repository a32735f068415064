"""What the interchange package takes from the rest of Lateral, in one place.

Everything outside quiz/interchange that these modules use is imported here and
only here, so a move of the set-file modules changes this file alone.
"""

from __future__ import annotations

from ..authoring import TYPE_LABELS, empty_set, slugify
from ..exports import to_gift, to_moodle_xml
from ..questions import MAX_STEM, QID, SKILLS, InvalidSet, to_raw, validate

__all__ = [
    "MAX_STEM",
    "QID",
    "SKILLS",
    "TYPE_LABELS",
    "InvalidSet",
    "empty_set",
    "slugify",
    "to_gift",
    "to_moodle_xml",
    "to_raw",
    "validate",
]
