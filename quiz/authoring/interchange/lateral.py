"""What the interchange package takes from the rest of Lateral, in one place.

Everything outside quiz/authoring/interchange that these modules use is imported here and
only here, so a move of the set-file modules changes this file alone. The QTI
export uses the GIFT and Moodle XML exports' own rules for what an LMS question
shows (general feedback, option texts, checkboxes), so all three say the same.
"""

from __future__ import annotations

from ...play.answering import takes_several as is_multi
from ...sets.files import to_raw
from ...sets.validation import MAX_STEM, QID, InvalidSet, validate
from ...sets.vocabulary import QUESTION_TYPES as TYPE_LABELS
from ...sets.vocabulary import SKILLS
from ..drafts import empty_set, slugify
from ..exports import general_feedback, option_text, to_gift, to_moodle_xml
from ..left_out import notes as left_out

__all__ = [
    "MAX_STEM",
    "QID",
    "SKILLS",
    "TYPE_LABELS",
    "InvalidSet",
    "empty_set",
    "general_feedback",
    "is_multi",
    "left_out",
    "option_text",
    "slugify",
    "to_gift",
    "to_moodle_xml",
    "to_raw",
    "validate",
]
