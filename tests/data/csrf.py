"""The CSRF table (tests/test_csrf.py): who posts each route, and the tokens it must refuse.

The POST routes come from the app's URL map, so a new one is covered without anyone
adding it here; this table says which person posts it, from which page they get
their token, and which tokens every route refuses.
"""

REFUSED = "This form has expired or came from another site"

# Who posts a route (first match wins; anyone else's routes are posted anonymously).
TEACHER = (
    "authoring.",
    "facilitation.",
    "accounts.signout",
    "accounts.password",
    "accounts.language",
)
ADMIN = ("accounts.admin",)
STUDENT = ("play.",)
ANONYMOUS = ("play.join", "play.practice")  # play routes for someone who has not joined
# The page each person gets a token from.
TOKEN_PAGES = {
    "teacher": "/teach/",
    "admin": "/admin/accounts",
    "student": "/play/{code}",
    "anonymous": "/",
}
# Practising needs a shared set rather than the teacher's copy.
SLUG_OF = {"play.practice": "mini-set"}

# How a token is forged: (the form's fields, the request's headers). "{foreign}" is a
# token of another browser's session, valid there.
FORGED = {
    "missing": ({}, {}),
    "not a token": ({"csrf_token": "not-a-token"}, {}),
    "another session's, in the form": ({"csrf_token": "{foreign}"}, {}),
    "another session's, in the header": ({}, {"X-CSRFToken": "{foreign}"}),
}
