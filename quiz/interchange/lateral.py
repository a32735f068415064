"""What the interchange package takes from the rest of Lateral, in one place.

Everything outside quiz/interchange that these modules use is imported here and
only here, so a move of the set-file modules changes this file alone. The QTI
export uses the GIFT and Moodle XML exports' own rules for what an LMS question
shows (general feedback, option texts, checkboxes), so all three say the same.
"""

from __future__ import annotations

from ..authoring import TYPE_LABELS, empty_set, slugify
from ..exports import _general_feedback as general_feedback
from ..exports import _is_multi as is_multi
from ..exports import _option_text as option_text
from ..exports import to_gift, to_moodle_xml
from ..questions import MAX_STEM, QID, SKILLS, InvalidSet, to_raw, validate

__all__ = [
    "MAX_STEM",
    "QID",
    "SKILLS",
    "TYPE_LABELS",
    "InvalidSet",
    "empty_set",
    "general_feedback",
    "is_multi",
    "option_text",
    "slugify",
    "to_gift",
    "to_moodle_xml",
    "to_raw",
    "validate",
]
