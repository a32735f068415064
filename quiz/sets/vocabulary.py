"""The domain's labels: the one place they are written, for Python and templates alike.

Each label is one plain string, so that a translation function can wrap it later.
Templates reach this module as the ``labels`` global: ``{{ labels.SKILLS[tag] }}``.
The keys are what set files and the database store; the order of each table is the
order the interface lists them in.
"""

from __future__ import annotations

# Verification skills, in the content guide's order (set files name them by tag).
SKILLS = {
    "EVI": "Evidence vs claim",
    "SRC": "Source and motive",
    "ATT": "Attribution and quote chains",
    "ACT": "Actions vs words",
    "COR": "Corroboration",
    "TIM": "Time",
    "NUM": "Numbers",
    "GEO": "Place",
    "TXT": "Text provenance",
    "STR": "Structure and framing",
    "NXT": "Next moves",
    "CAL": "Calibration",
}

QUESTION_TYPES = {
    "single": "Single choice",
    "multiple": "Select all that apply",
    "true_false": "True or false",
    "passage": "Pick the passage",
    "order": "Put in order",
    "cer": "Claim, evidence, reasoning",
    "open": "Written answer, marked on a rubric",
}
# The type as the report's question table names it, beside the skills.
QUESTION_TYPES_SHORT = {
    "single": "single",
    "multiple": "multiple",
    "true_false": "true/false",
    "passage": "passage",
    "order": "order",
    "cer": "cer",
    "open": "written",
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

DIFFICULTIES = {"easy": "Easy", "medium": "Medium", "hard": "Hard"}

# The parts of a session: a check form before the main set, the set, a check form after.
PARTS = ("before", "main", "after")
CHECK_PARTS = {"before": "Check before", "after": "Check after"}

# The confidence a student may give before the feedback (scored by certainty marks).
CONFIDENCE = {1: "Guessing", 2: "Fairly sure", 3: "Very sure"}

VERDICTS = {
    "right": "Right",
    "partial": "Partly right ({percent}%)",
    "wrong": "Not quite",
    # A written answer: waiting for its mark, then marked at a level of RUBRIC_LEVELS.
    "pending": "Sent: your teacher will mark this",
    "marked": "Marked: {level}",
}

# The three levels a written answer is marked at, lowest first (as Civic Online
# Reasoning's rubrics), what each counts for in a score, and what each says of itself.
RUBRIC_LEVELS = {"beginning": "Beginning", "emerging": "Emerging", "mastery": "Mastery"}
LEVEL_SCORES = {"beginning": 0.0, "emerging": 0.5, "mastery": 1.0}
# Who marks a written answer.
MARKING = {"teacher": "The facilitator", "peer": "A classmate at the same table"}

# The order a participant takes a session's two check forms in (counterbalancing).
CHECK_ORDERS = {"AB": "Form A before, form B after", "BA": "Form B before, form A after"}
CHECK_FORM_NAMES = {"A": "Form A", "B": "Form B"}

# How a session runs: short labels for lists, longer ones for the start form.
PACES = {"self": "Self-paced", "led": "Facilitator-led"}
PACE_CHOICES = {
    "self": "Self-paced: each student goes at their own speed",
    "led": "Facilitator-led: I move the room from question to question",
}
FEEDBACK_MODES = {"now": "After each answer", "end": "At the end", "reveal": "When I reveal it"}
FEEDBACK_CHOICES = {
    "now": "After each answer",
    "end": "At the end, in the summary",
    "reveal": "When I reveal it to the room",
}
# When a session asks "how sure are you?": short labels, then the start form's.
CONFIDENCE_MODES = {"set": "As the set says", "always": "Every question", "never": "Never"}
CONFIDENCE_MODE_CHOICES = {
    "set": "As the set says (on the questions it marks)",
    "always": "On every question",
    "never": "Never",
}
SESSION_STATES = {"open": "Open", "closed": "Closed"}

# How long each question of a led session stays open once opened (seconds: label).
TIMERS = {
    "": "No timer",
    "30": "30 seconds",
    "45": "45 seconds",
    "60": "1 minute",
    "90": "1½ minutes",
    "120": "2 minutes",
    "180": "3 minutes",
    "240": "4 minutes",
    "300": "5 minutes",
}
TIMER_MIN, TIMER_MAX = 30, 300
# Seconds "add time" gives a question.
TIMER_STEP = 30

SET_STATES = {"draft": "Draft", "published": "Published", "archived": "Archived"}

ROLES = {"teacher": "Teacher", "admin": "Administrator"}
# "You were invited to Lateral as …"
ROLES_INVITED_AS = {"teacher": "a teacher", "admin": "an administrator"}

NO_TEAM = "No team"

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
TOO_FEW = "too few answers to say ({n} of the {minimum} needed)"
TOO_FEW_SHORT = "too few"
# In a row that gives the count beside it.
TOO_FEW_PERSON = "too few answers to say (needs {minimum})"
