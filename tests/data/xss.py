"""The XSS payloads (tests/browser/test_xss.py): hostile text for every field people type.

Each one, if it ran, sets window.__xss (or parent.__xss), opens a dialog, asks for
/xss-hit… or /signout, or navigates away; as markup it also trips the test's DOM scan.
The few that do nothing even pasted raw (spreadsheet formulas, pre-encoded text) are
listed in INERT, and test_every_live_payload_is_caught_when_rendered_unescaped proves
that every other one is caught by the test's detectors.
"""

# Text encoded so that it is markup only once decoded again: harmless pasted raw.
ENCODED = [
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "<scr\u200bipt>window.__xss=1</scr\u200bipt>",
    "<\u200bscript>alert(1)</script>",
    "\uff1cscript\uff1ewindow.__xss=1\uff1c/script\uff1e",
]

PAYLOADS: dict[str, list[str]] = {
    "CSV formula injection": [
        '=HYPERLINK("https://xss-hit.invalid","click")',
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
    ],
    "script tags": [
        "<script>window.__xss=1</script>",
        "<SCRIPT>window.__xss=1</SCRIPT>",
        "<ScRiPt>alert('xss')</sCrIpT>",
        "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
        "<script src=/xss-hit.js></script>",
        "<script>fetch('/xss-hit?script')</script>",
        "<script/x>window.__xss=1</script>",
        "<<script>alert(1);//<</script>",
        "<script>document.title='XSS'</script>",
        "<script>location='/xss-hit?location'</script>",
    ],
    "event handlers": [
        "<img src=x onerror=window.__xss=1>",
        "<img src=x onerror=\"fetch('/xss-hit?img')\">",
        "<IMG SRC=x OnErRoR=alert(1)>",
        "<svg onload=window.__xss=1>",
        "<svg/onload=alert(1)>",
        "<body onload=window.__xss=1>",
        "<details open ontoggle=window.__xss=1>",
        "<input autofocus onfocus=window.__xss=1>",
        "<select autofocus onfocus=alert(1)></select>",
        "<video><source onerror=window.__xss=1></video>",
        "<audio src=x onerror=alert(1)>",
        "<marquee onstart=window.__xss=1>m</marquee>",
        "<img src=/xss-hit.png>",
        "<div onmouseover=window.__xss=1>hover me</div>",
    ],
    "javascript: and data: URLs": [
        '<a href="javascript:window.__xss=1">click me</a>',
        "<a href=JaVaScRiPt:alert(1)>x</a>",
        '<a href="java&#x09;script:alert(1)">tab</a>',
        '<iframe src="javascript:window.__xss=1"></iframe>',
        '<iframe src="data:text/html,<script>parent.__xss=1</script>"></iframe>',
        '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
        "<form><button formaction=javascript:window.__xss=1>go</button></form>",
        "<form action=javascript:window.__xss=1><input type=submit></form>",
        '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
        '<embed src="javascript:window.__xss=1">',
        # Same origin: a base on another host would wait on DNS (issue 13, finding 16).
        '<base href="/xss-hit/">',
        '<meta http-equiv="refresh" content="0;url=/xss-hit?meta">',
        "<link rel=stylesheet href=/xss-hit.css>",
    ],
    "CSS": [
        "<style>@import '/xss-hit.css';</style>",
        '<div style="background:url(javascript:alert(1))">css url</div>',
        '<div style="width:expression(alert(1))">css expression</div>',
        "<style>body{background:url('/xss-hit.png')}</style>",
    ],
    "SVG": [
        "<svg><script>window.__xss=1</script></svg>",
        '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text></a></svg>',
        "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
        '<svg><a><set attributeName=href to="javascript:alert(1)"/><text y=20>set</text></a></svg>',
        "<svg><image href=/xss-hit.svg /></svg>",
        '<svg><foreignObject><iframe srcdoc="<script>parent.__xss=1</script>"></iframe>'
        "</foreignObject></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    ],
    "attribute breakouts": [
        '"><img src=x onerror=window.__xss=1>',
        "'><svg onload=window.__xss=1>",
        '" autofocus onfocus="window.__xss=1',
        "' autofocus onfocus='alert(1)",
        '" onmouseover="alert(1)" x="',
        '"/><script>window.__xss=1</script>',
        "`><img src=x onerror=alert(1)>",
        '" hx-get="/xss-hit?attr" hx-trigger="load',
        'x" style="background:url(/xss-hit.png)',
    ],
    "template and JS breakouts": [
        "</textarea><script>window.__xss=1</script>",
        "</textarea><img src=/xss-hit?textarea>",
        "</title><script>window.__xss=1</script>",
        '</title><meta http-equiv=refresh content="0;url=/xss-hit?title">',
        "</style><script>window.__xss=1</script>",
        "</script><script>window.__xss=1</script>",
        "--><script>window.__xss=1</script><!--",
        "]]><script>alert(1)</script>",
        "</option></select><img src=/xss-hit?option>",
        "{{7*7}} {{ config.SECRET_KEY }} {% print(7*7) %}",
        "${alert(1)} ${7*7} #{7*7}",
        "';window.__xss=1;//",
        '\\";alert(1);//',
    ],
    "htmx attributes": [
        '<div hx-get="/xss-hit?hx" hx-trigger="load">hx</div>',
        '<div hx-get="/signout" hx-trigger="load">signout</div>',
        '<button hx-post="/xss-hit?post" hx-trigger="load">b</button>',
        '<button hx-post="/signout" hx-trigger="load">out</button>',
        # htmx attaches hx-on handlers after the first load trigger: hence the delay.
        '<a hx-on:click="window.__xss=1" hx-on::before-request="window.__xss=1" '
        'hx-get="/xss-hit?on" hx-trigger="load delay:1ms">on</a>',
        '<div hx-get="/xss-hit?vals" hx-trigger="load" hx-vals=\'js:{a:window.__xss=1}\'>v</div>',
        '<div data-hx-get="/xss-hit?data" data-hx-trigger="load">data-hx</div>',
        '<div hx-get="/xss-hit?swap" hx-trigger="load" hx-target="body" hx-swap="outerHTML"></div>',
        '<form hx-post="/signout" hx-trigger="load"></form>',
        '<div hx-trigger="load" hx-get="/xss-hit?push" hx-push-url="/xss-hit"></div>',
    ],
    "encoding tricks": [
        *ENCODED,
        "<img src=x onerror=&#97;lert(1)>",
        '<a href="&#106;avascript:alert(1)">entity</a>',
        "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    ],
}
LONG = [p for group in PAYLOADS.values() for p in group]

# Nicknames: at most 30 characters (joining.NICKNAME_MAX). The first is the student who
# goes through every screen; the others join the same way and answer over HTTP.
NICKNAMES = [
    '"><img src=/xss-hit?nick>',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "'><svg onload=alert(1)>",
    '" autofocus onfocus=alert(1) "',
    "</title><svg onload=alert(1)>",
    "</textarea><img src=/xss-hit>",
    "{{7*7}}${7*7}",
    "javascript:alert(1)",
    '=HYPERLINK("/xss-hit","x")',
    "@SUM(1+1)*cmd|'/C calc'!A0",
    "-2+3+cmd|'/C calc'!A0",
    "+cmd|'/C calc'!A0",
    "&lt;b&gt;Ada&lt;/b&gt;",
    "<iframe src=/xss-hit?if>",
]
# Team names: at most 12, each under 40 characters (facilitation.TEAM_*).
TEAMS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<div hx-get=/xss-hit hx-trigger=load>",
    "<p hx-post=/signout hx-trigger=load>",
    '"><svg onload=window.__xss=1>',
    "' autofocus onfocus=alert(1) x='",
    "<details open ontoggle=alert(1)>",
    "</title><script>alert(1)</script>",
    "<a href=javascript:alert(1)>team</a>",
    '=HYPERLINK("/xss-hit","team")',
    "<p data-hx-get=/xss-hit hx-trigger=load>",
    "</option><script>alert(1)</script>",
]
# The set's title also becomes its slug (slugify), so it must not hold "xss-hit".
SET_TITLE = "</title></option><script>window.__xss=1</script>"
SESSION_TITLE = '</title>"><img src=/xss-hit?session onerror=window.__xss=1>'
EDIT_NOTE = '</textarea><svg onload=window.__xss=1> " autofocus onfocus="alert(1)'
EDIT_DESCRIPTION = "</textarea><script>fetch('/xss-hit?description')</script>"

ALL_PAYLOADS = list(
    dict.fromkeys(
        LONG + NICKNAMES + TEAMS + [SET_TITLE, SESSION_TITLE, EDIT_NOTE, EDIT_DESCRIPTION]
    )
)

# Payloads in the article's passages, one per passage.
PASSAGE_PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    '<div hx-get="/xss-hit?passage" hx-trigger="load">hx</div>',
    "</textarea><script>window.__xss=1</script>",
]

# Harmless even unescaped: these matter only where something decodes text again
# (double unescaping, URL or JS decoding, a spreadsheet, a template engine).
INERT = {
    *PAYLOADS["CSV formula injection"],
    "{{7*7}} {{ config.SECRET_KEY }} {% print(7*7) %}",
    '\\";alert(1);//',
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",  # beats filters that strip once
    *ENCODED,
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
    '=HYPERLINK("/xss-hit","x")',
    "@SUM(1+1)*cmd|'/C calc'!A0",
    "-2+3+cmd|'/C calc'!A0",
    "+cmd|'/C calc'!A0",
    "{{7*7}}${7*7}",
    "&lt;b&gt;Ada&lt;/b&gt;",
    '=HYPERLINK("/xss-hit","team")',
}
