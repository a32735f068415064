"""The domain's labels: the one place they are written, for Python and templates alike.

Each label is a lazy string (``_l``, Flask-Babel's ``lazy_gettext``): translated into
the request's language each time it is shown, so never format it into a string at
import time. Templates reach this module as the ``labels`` global:
``{{ labels.SKILLS[tag] }}``.
The keys are what set files and the database store; the order of each table is the
order the interface lists them in.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Verification skills, in the content guide's order (set files name them by tag).
SKILLS = {
    "EVI": _l("Evidence vs claim"),
    "SRC": _l("Source and motive"),
    "ATT": _l("Attribution and quote chains"),
    "ACT": _l("Actions vs words"),
    "COR": _l("Corroboration"),
    "TIM": _l("Time"),
    "NUM": _l("Numbers"),
    "GEO": _l("Place"),
    "TXT": _l("Text provenance"),
    "STR": _l("Structure and framing"),
    "NXT": _l("Next moves"),
    "CAL": _l("Calibration"),
}

QUESTION_TYPES = {
    "single": _l("Single choice"),
    "multiple": _l("Select all that apply"),
    "true_false": _l("True or false"),
    "passage": _l("Pick the passage"),
    "order": _l("Put in order"),
    "cer": _l("Claim, evidence, reasoning"),
    "open": _l("Written answer, marked on a rubric"),
}
# The type as the report's question table names it, beside the skills.
QUESTION_TYPES_SHORT = {
    "single": _l("single"),
    "multiple": _l("multiple"),
    "true_false": _l("true/false"),
    "passage": _l("passage"),
    "order": _l("order"),
    "cer": _l("cer"),
    "open": _l("written"),
}
TYPES = tuple(QUESTION_TYPES)

# Minutes a question of each type takes in a lesson, for the lesson plan's estimate:
# reading it, answering and a short word on the answer. Peer instruction (talk at the
# table, vote again) adds PEER_INSTRUCTION_MINUTES to the questions it is run on.
MINUTES_PER_TYPE = {
    "true_false": 1.5,
    "single": 2.0,
    "multiple": 2.5,
    "passage": 2.5,
    "order": 3.0,
    "cer": 4.0,
}
PEER_INSTRUCTION_MINUTES = 3.0

DIFFICULTIES = {"easy": _l("Easy"), "medium": _l("Medium"), "hard": _l("Hard")}

# The parts of a session: a check form before the main set, the set, a check form after.
PARTS = ("before", "main", "after")
CHECK_PARTS = {"before": _l("Check before"), "after": _l("Check after")}

# The confidence a student may give before the feedback (scored by certainty marks).
CONFIDENCE = {1: _l("Guessing"), 2: _l("Fairly sure"), 3: _l("Very sure")}

VERDICTS = {
    "right": _l("Right"),
    "partial": _l("Partly right ({percent}%)"),
    "wrong": _l("Not quite"),
    # A written answer: waiting for its mark, then marked at a level of RUBRIC_LEVELS.
    "pending": _l("Sent: your teacher will mark this"),
    "marked": _l("Marked: {level}"),
}

# The three levels a written answer is marked at, lowest first (as Civic Online
# Reasoning's rubrics), what each counts for in a score, and what each says of itself.
RUBRIC_LEVELS = {"beginning": _l("Beginning"), "emerging": _l("Emerging"), "mastery": _l("Mastery")}
LEVEL_SCORES = {"beginning": 0.0, "emerging": 0.5, "mastery": 1.0}
# Who marks a written answer.
MARKING = {"teacher": _l("The facilitator"), "peer": _l("A classmate at the same table")}

# The order a participant takes a session's two check forms in (counterbalancing).
CHECK_ORDERS = {"AB": _l("Form A before, form B after"), "BA": _l("Form B before, form A after")}
CHECK_FORM_NAMES = {"A": _l("Form A"), "B": _l("Form B")}

# How a session runs: short labels for lists, longer ones for the start form.
PACES = {"self": _l("Self-paced"), "led": _l("Facilitator-led")}
PACE_CHOICES = {
    "self": _l("Self-paced: each student goes at their own speed"),
    "led": _l("Facilitator-led: I move the room from question to question"),
}
FEEDBACK_MODES = {
    "now": _l("After each answer"),
    "end": _l("At the end"),
    "reveal": _l("When I reveal it"),
}
FEEDBACK_CHOICES = {
    "now": _l("After each answer"),
    "end": _l("At the end, in the summary"),
    "reveal": _l("When I reveal it to the room"),
}
# When a session asks "how sure are you?": short labels, then the start form's.
CONFIDENCE_MODES = {
    "set": _l("As the set says"),
    "always": _l("Every question"),
    "never": _l("Never"),
}
CONFIDENCE_MODE_CHOICES = {
    "set": _l("As the set says (on the questions it marks)"),
    "always": _l("On every question"),
    "never": _l("Never"),
}
SESSION_STATES = {"open": _l("Open"), "closed": _l("Closed")}

# How long each question of a led session stays open once opened (seconds: label).
TIMERS = {
    "": _l("No timer"),
    "30": _l("30 seconds"),
    "45": _l("45 seconds"),
    "60": _l("1 minute"),
    "90": _l("1½ minutes"),
    "120": _l("2 minutes"),
    "180": _l("3 minutes"),
    "240": _l("4 minutes"),
    "300": _l("5 minutes"),
}
TIMER_MIN, TIMER_MAX = 30, 300
# Seconds "add time" gives a question.
TIMER_STEP = 30

SET_STATES = {"draft": _l("Draft"), "published": _l("Published"), "archived": _l("Archived")}

ROLES = {"teacher": _l("Teacher"), "admin": _l("Administrator")}
# "You were invited to Lateral as …"
ROLES_INVITED_AS = {"teacher": _l("a teacher"), "admin": _l("an administrator")}

NO_TEAM = _l("No team")

# The report's indices and the fewest answers each is given on. Below its minimum the
# report shows TOO_FEW (with the count and the minimum) instead of a figure that a
# handful of answers would make look solid.
MINIMUM_ANSWERS = {
    # Facility (the mean score on a question): answers to the question.
    "facility": 3,
    # Discrimination (point-biserial and upper-lower index): answers to the question.
    "discrimination": 4,
    # The blanket-scepticism index: answers to the discernment questions, for the group
    # and for one participant.
    "scepticism": 10,
    "scepticism_participant": 5,
    # The share fully right at one confidence level: rated answers at that level.
    "calibration": 5,
    # The learning gain: participants who did both check forms.
    "learning": 8,
    # A skill's group mean, to be named the group's weakest: answers on that skill.
    "skill": 10,
    # A question, to be named the one most worth discussing: its answers.
    "discuss": 5,
    # A participant, to be named as one who may need help: their main-set answers.
    "help": 5,
}
TOO_FEW = _l("too few answers to say ({n} of the {minimum} needed)")
TOO_FEW_SHORT = _l("too few")
# In a row that gives the count beside it.
TOO_FEW_PERSON = _l("too few answers to say (needs {minimum})")
