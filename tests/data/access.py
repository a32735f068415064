"""The access matrix (tests/test_access.py): who gets what on which kind of route.

The routes themselves come from the app's URL map, so a new route is covered without
anyone adding it here; this table says what each kind of route answers each person.
"""

# Every route of these blueprints is for signed-in teachers ...
TEACHER_AREAS = ("authoring", "facilitation", "results")
# ... and so is every administration route (accounts.admin_*).
ADMIN_ROUTES = "accounts.admin"
# Routes of those areas that are for anyone: a set's facilitator guide.
PUBLIC = ("facilitation.guide",)
# Student pages are the play routes of a session; the join link only fills the code in.
STUDENT_AREA = "play."
PUBLIC_STUDENT_ROUTES = ("play.join_link",)

# Kind of route -> person -> the status each route of that kind answers them.
REFUSALS = {
    "teacher routes": {"anonymous": 403, "student": 403},
    "a teacher's sets and sessions": {"other teacher": 404, "admin": 404},
    "admin routes": {"owner": 403, "other teacher": 403},
    "student pages of session A": {
        "anonymous": 403,
        "student of session B": 403,
        "teacher A (the facilitator)": 403,
        "teacher B": 403,
        "admin": 403,
    },
}
# The owner on their own sets and sessions: never refused. An empty POST may be 409 or
# 422 (an incomplete form, a state that does not allow it), never 403, 404 or 5xx.
OWNER_OK = {200, 201, 204, 303}
OWNER_OK_POST = OWNER_OK | {409, 422}
# Removing a participant twice: the second finds them gone.
OWNER_OK_REMOVE = {404}

# Choices of any() converters that destroy what the other routes act on: tried last.
DESTRUCTIVE_CHOICES = ("delete", "remove")
DESTRUCTIVE_ENDPOINTS = ("authoring.delete", "facilitation.delete_data")

# A refused request must leave these tables as they were.
WATCHED_TABLES = ("question_set", "set_draft", "set_version", "account", "invite")
