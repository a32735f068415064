"""Export a validated question set: back to TOML, to Moodle GIFT and to Moodle XML.

Every function takes the normalised set that `quiz.sets.validation.validate()` returns
and returns text; nothing here touches Flask or the database. `set_file` writes the
set-file format, `lms` holds what both LMS formats share (texts as HTML, weights, the
general feedback), `gift` and `moodle_xml` write one format each.

`to_toml` writes the documented questions/ format and round-trips exactly:
`validate(tomllib.loads(to_toml(data)), ...) == data`.

The two LMS formats carry the article, the stems, the options with their per-option
feedback, the key and the explanation. What they cannot carry:

- **Confidence rating** (`confidence`, certainty-based marking): no LMS field; Moodle's
  own CBM is a quiz setting ("Deferred feedback with CBM"), not part of a question.
- **Written reason** (`reason`, always on for `cer`): a multiple-choice question has no
  text box; it would need a separate essay question.
- **Skills**: Moodle XML writes them as `<tags>`; GIFT as `// [tag:EVI]` comment lines,
  which Moodle's GIFT importer reads as tags (other GIFT readers ignore them).
- **Misconception labels** on wrong options: no per-option metadata in either format,
  so only the feedback text goes across.
- Also lost: difficulty, `discernment`, the evidence quotes highlighted in the feedback,
  the teacher note, the facilitator guide, check forms and `published`.
- **Order** questions become *matching* questions (each item is matched to its position
  1, 2, …), the same controls Lateral shows. Moodle marks each item right or wrong
  (share of items in their place), whereas Lateral scores the share of pairs in the
  right order, so partial credit differs. A matching question has no per-item feedback:
  each item's feedback is appended to the general feedback, after the explanation,
  in the right order.
- **CER** questions become their verdict part (a single-choice question). The evidence
  part (choosing passages) and its score are lost; the keyed passage numbers and the
  evidence feedback are appended to the general feedback, after the explanation.
- **True/false** questions are written as single-choice questions with the set's own
  option texts, not as Moodle true/false questions: the latter show Moodle's "True" and
  "False" labels (not the set's language) and GIFT's `{T#…#…}` form keeps only
  "feedback when wrong / when right"; as multiple choice each option keeps its text
  and its own feedback.
- **Passage** options are written as "Passage N: " followed by the passage text.

Weights. `single`, `true_false`, the `cer` verdict and a `passage` question with one
key are single-choice (right 100 %, wrong 0). `multiple`, and `passage` with several
keys (the questions Lateral shows with checkboxes), are multiple-answer questions with
right options worth +100/n % and wrong ones −100/n %, n the number of right options.
Moodle adds the weights of the chosen options and keeps the sum between 0 and 100 %,
which is exactly Lateral's "(right chosen − wrong chosen) ÷ right options, never below
0". With 2–8 options n is 1–8, and 100/n is always one of Moodle's grade fractions
(100, 50, 33.33333, 25, 20, 16.66667, 14.28571, 12.5), so nothing is lost but the
rounding of thirds, sixths and sevenths; `lms.weight` snaps to the nearest fraction anyway.

Texts. Both LMS formats mark texts as HTML (`[html]` in GIFT, `format="html"` in XML)
and write Lateral's plain texts through `lms.html_text`: `html.escape`, line breaks as
`<br>` plus a newline. A stem with `<script>` therefore shows as text and never runs.
GIFT then escapes its own special characters on top (`\\~ \\= \\# \\{ \\} \\: \\\\`,
newline as `\\n`); ElementTree escapes the XML layer. An article description question
(named `<set id>-article`, no marks) comes first, so students can read the passages
the questions refer to.
"""

from __future__ import annotations

from .gift import to_gift
from .lms import general_feedback, option_text
from .moodle_xml import to_moodle_xml
from .set_file import to_toml

__all__ = ["general_feedback", "option_text", "to_gift", "to_moodle_xml", "to_toml"]
