"""The teacher journey in a real browser: sign in, adapt a set, preview, publish, export.

A teacher duplicates the shared mini set (one question of each format), edits
one question of each format in place with htmx, adds a "Pick the passage"
question through the form, previews it as a student, publishes, downloads the
set file and the GIFT export; then a student takes the published version.
Every test runs against a live server with CSRF on; the ``new_page`` fixture
fails a test whose pages logged a console error or a CSP violation.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .checks import assert_no_axe_violations, assert_no_sideways_scroll

pytestmark = pytest.mark.browser

MARKER = "window.__lateralSamePage"
NEW_STEM = "Which passage says where the video of the withdrawal was filmed?"
NEW_EXPLANATION = (
    "Passage 3 says the video is geo-located for Crimea, so it was filmed far from the "
    "border it is said to show. Passage 1 only reports what a spokesman told news "
    "agencies. Before trusting footage as proof, find where it was made: a real video "
    "from another place proves nothing about this one."
)
RIGHT_FEEDBACK = "Right: geo-located for Crimea, not the border."
WRONG_FEEDBACK = "This is the spokesman's claim, not where the video was made."
# The edits made in place, one per format: (question id, field id suffix, new text).
EDITS = [
    ("video", "stem", "Does this video show Russian troops leaving the border?"),
    ("sources", "opt-0-feedback", "Yes: the spokesman spoke to Russian news agencies."),
    ("nato-signs", "stem", "True or false: NATO said it had not seen signs of a withdrawal."),
    ("pick-number", "opt-1-feedback", "Right: passage 4 says more than 100,000 troops."),
    ("chain", "stem", "Put the quote chain in order, from the speaker to you."),
    ("cer-withdrawal", "opt-1-feedback", "Right: the pull-back is announced, not observed."),
]
EDIT_TYPES = ["single", "multiple", "true_false", "passage", "order", "cer"]


# Helpers -------------------------------------------------------------------------


def set_slug(page: Page) -> str:
    """Read the set's slug from the editor's address."""
    match = re.search(r"/teach/sets/([a-z0-9-]+)", page.url)
    assert match, f"not on a set editor page: {page.url}"
    return match.group(1)


def duplicate_mini_set(page: Page) -> str:
    """From "Your sets", duplicate the shared mini set; return the copy's slug."""
    page.get_by_role("button", name="Duplicate and adapt Mini test set").click()
    expect(page.get_by_role("heading", level=1, name="Copy of Mini test set")).to_be_visible()
    expect(page.locator(".flashes")).to_contain_text("This is your copy.")
    expect(page.locator(".set-state")).to_contain_text("Draft, never published")
    return set_slug(page)


def field(page: Page, qid: str, suffix: str):
    """Return a question editor's field by its id (ids start with ``q-<qid>-``)."""
    return page.locator(f"[id='q-{qid}-{suffix}']")


def mark_page(page: Page) -> None:
    page.evaluate(f"() => {{ {MARKER} = true; }}")


def still_same_page(page: Page) -> bool:
    return page.evaluate(f"() => {MARKER} === true")


def answer_count(live_server) -> int:
    return live_server.query("SELECT count(*) AS n FROM answer")[0]["n"]


def check_page(page: Page, what: str, shots: Path | None = None) -> None:
    assert_no_axe_violations(page, what)
    assert_no_sideways_scroll(page, what)
    if shots is not None:
        name = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
        # caret="initial": hiding the caret leaves style="" on inputs, which htmx's
        # settle step then copies onto the swapped-in inputs, a CSP violation.
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True, caret="initial")


def fill_student(page: Page, q: dict, *, options=None) -> None:
    """Fill a student's question from its data, by default with the keyed answer."""
    if q["type"] == "order":
        for place, oid in enumerate(q["key"], start=1):
            page.locator(f"select[name='pos-{oid}']").select_option(str(place))
    else:
        for oid in options or q["key"]:
            page.locator(f"input[name=option][value='{oid}']").check()
    if q["type"] == "cer":
        for n in q["evidence_key"]:
            page.locator(f"input[name=evidence][value='{n}']").check()


def add_passage_question(page: Page) -> str:
    """Add a "Pick the passage" question with the editor's add form; return its id."""
    page.get_by_label("Add a question of type").select_option(label="Pick the passage")
    page.get_by_role("button", name="Add question").click()
    expect(page).to_have_url(re.compile(r"/questions/q-[0-9a-f]{6}/edit$"))
    qid = re.search(r"/questions/(q-[0-9a-f]{6})/edit$", page.url).group(1)
    expect(page.get_by_role("heading", level=2, name="Question 7 of 7")).to_be_visible()
    return qid


# JavaScript on: the whole teacher journey ---------------------------------------


def test_teacher_adapts_previews_publishes_exports_and_a_student_takes_it(
    live_server, new_page, teacher_account, sign_in, console
):
    # The preview's refusal of an empty answer is a 422 (swapped in by htmx),
    # which Chromium logs as a failed load.
    console.allow(r"status of 422 \(UNPROCESSABLE ENTITY\) \(http://[^ ]+/preview/q-[0-9a-f]+\)$")
    page = new_page(js=True)
    sign_in(page, teacher_account)
    expect(page.get_by_role("heading", level=2, name="Shared sets")).to_be_visible()
    slug = duplicate_mini_set(page)
    assert slug.startswith("copy-of-mini-test-set-")

    # One question of each format, edited in place: the page never reloads.
    mark_page(page)
    items = page.locator("ol.question-list > li")
    expect(items).to_have_count(6)
    draft = live_server.draft(slug)
    assert [q["type"] for q in draft["questions"]] == EDIT_TYPES
    for n, (qid, suffix, text) in enumerate(EDITS, start=1):
        item = page.locator(f"li#q-{qid}")
        item.get_by_role("link", name=f"Edit question {n}", exact=True).click()
        expect(item).to_have_class(re.compile(r"\bediting\b"))
        expect(item.get_by_role("heading", level=3)).to_have_text(f"Question {n} of 6")
        box = field(page, qid, suffix)
        expect(box).not_to_have_value(text)
        box.fill(text)
        item.get_by_role("button", name="Save question").click()
        expect(item).not_to_have_class(re.compile(r"\bediting\b"))
        expect(item.get_by_role("link", name=f"Edit question {n}", exact=True)).to_be_visible()
        if suffix == "stem":
            expect(item.locator(".question-stem")).to_have_text(text)
        assert still_same_page(page), f"saving question {n} ({qid}) loaded a new page"
    expect(items).to_have_count(6)
    draft = {q["id"]: q for q in live_server.draft(slug)["questions"]}
    for qid, suffix, text in EDITS:
        q = draft[qid]
        if suffix == "stem":
            assert q["stem"] == text
        else:
            row = int(suffix.split("-")[1])
            assert q["options"][row]["feedback"] == text, qid
    # Only the edited fields changed: the keys are the shared set's.
    assert draft["chain"]["key"] == ["speaker", "agency", "article"]
    assert draft["cer-withdrawal"]["evidence_key"] == [2]
    expect(page.locator(".set-state")).to_contain_text("Draft, never published")

    # A new "Pick the passage" question, through the form.
    qid = add_passage_question(page)
    mark_page(page)
    rows = page.locator("li.option-row")
    field(page, qid, "stem").fill(NEW_STEM)
    field(page, qid, "opt-0-passage").select_option("3")
    field(page, qid, "opt-0-feedback").fill(RIGHT_FEEDBACK)
    rows.nth(0).get_by_label("Right answer").check()
    field(page, qid, "opt-1-passage").select_option("1")
    field(page, qid, "opt-1-feedback").fill(WRONG_FEEDBACK)
    field(page, qid, "opt-1-misconception").select_option(label="Official means true")
    field(page, qid, "opt-2-passage").select_option("")  # offered by default: drop it
    page.get_by_role("checkbox", name="Place (GEO)").check()
    expect(page.get_by_role("checkbox", name="Evidence vs claim (EVI)")).to_be_checked()
    field(page, qid, "difficulty").select_option(label="Easy")
    field(page, qid, "explanation").fill(NEW_EXPLANATION)
    page.get_by_label("Exact quotes, one per line").fill("geo-located for Crimea")
    page.get_by_role("button", name="Save question").click()
    item = page.locator(f"li#q-{qid}")
    expect(item).not_to_have_class(re.compile(r"\bediting\b"))
    expect(item.locator(".question-stem")).to_have_text(NEW_STEM)
    expect(item.locator(".meta")).to_have_text("Pick the passage · Easy · Evidence vs claim, Place")
    expect(item.locator(".field-error")).to_have_count(0)
    assert still_same_page(page)
    new = live_server.draft(slug)["questions"][-1]
    assert new["id"] == qid and new["type"] == "passage"
    assert [(o["passage"], o["feedback"]) for o in new["options"]] == [
        (3, RIGHT_FEEDBACK),
        (1, WRONG_FEEDBACK),
    ]
    assert new["options"][1]["misconception"] == "official-means-true"
    assert "misconception" not in new["options"][0]
    assert new["key"] == [new["options"][0]["id"]]
    assert new["skills"] == ["EVI", "GEO"]
    assert new["difficulty"] == "easy"
    assert new["evidence"] == ["geo-located for Crimea"]

    # Preview it as a student: a wrong pick, then the right one; nothing is stored.
    item.get_by_role("link", name="Preview question 7", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Question 7 of 7")).to_be_visible()
    expect(page.locator(".preview-banner")).to_contain_text("Nothing you answer here is stored.")
    expect(page.get_by_role("radio")).to_have_count(2)
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("alert")).to_have_text("Choose an answer before you submit.")
    page.get_by_role("radio", name=re.compile(r"^Passage 1\b")).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Not quite")
    expect(page.locator(".option-review li.chosen")).to_contain_text(WRONG_FEEDBACK)
    expect(page.locator(".explanation")).to_have_text(NEW_EXPLANATION)
    expect(page.locator(".review mark")).to_have_text("geo-located for Crimea")
    page.get_by_role("link", name="Try again").click()
    page.get_by_role("radio", name=re.compile(r"^Passage 3\b")).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    expect(page.locator(".option-review li.chosen")).to_contain_text(RIGHT_FEEDBACK)
    assert answer_count(live_server) == 0
    assert live_server.query("SELECT count(*) AS n FROM participant")[0]["n"] == 0

    # Publish.
    page.get_by_role("link", name="Back to the set").click()
    expect(page.get_by_role("heading", level=1, name="Copy of Mini test set")).to_be_visible()
    expect(page.locator(".set-state")).to_contain_text("Draft, never published")
    # Publishing asks first, on a page of its own.
    page.get_by_role("link", name="Publish…", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish “Copy of Mini test set”?")
    assert not versions_of(live_server, slug), "publishing before the second step"
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("Published as version 1.")
    expect(page.locator(".set-state")).to_contain_text("Published, version 1")
    expect(page.get_by_role("link", name="Publish a new version…")).to_be_visible()
    assert [v["number"] for v in versions_of(live_server, slug)] == [1]

    # Download the set file and the GIFT export.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download set file (.toml)").click()
    download = info.value
    assert download.suggested_filename == f"{slug}.toml"
    data = tomllib.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["id"] == slug
    assert [q["id"] for q in data["questions"]] == [e[0] for e in EDITS] + [qid]
    exported = data["questions"][-1]
    assert exported["type"] == "passage" and exported["stem"] == NEW_STEM
    assert [o["passage"] for o in exported["options"]] == [3, 1]
    assert data["questions"][0]["stem"] == EDITS[0][2]
    with page.expect_download() as info:
        page.get_by_role("link", name="Export to Moodle GIFT").click()
    gift = info.value
    assert gift.suggested_filename == f"{slug}.gift.txt"
    gift_text = Path(gift.path()).read_text(encoding="utf-8")
    assert NEW_STEM in gift_text
    assert EDITS[0][2] in gift_text

    # "Your sets" lists the copy as published.
    page.get_by_role("navigation", name="Teacher").get_by_role("link", name="Your sets").click()
    mine = page.get_by_role("table", name="Your sets")
    row = mine.get_by_role("row").filter(has_text="Copy of Mini test set")
    expect(row).to_contain_text("Published · version 1")
    expect(row.get_by_role("cell").nth(1)).to_have_text("7")

    # A student takes the published version in a session of its own.
    code = live_server.open_session(slug=slug)
    questions = live_server.questions(code)
    assert [q["id"] for q in questions] == [e[0] for e in EDITS] + [qid]
    student = new_page(js=True, viewport="phone")
    student.goto("/")
    student.get_by_label("Session code").fill(code)
    student.get_by_label("Nickname").fill("Ada")
    student.get_by_role("button", name="Join").click()
    wrong = {"sources": ["a"], "pick-number": ["p1"]}
    for q in questions:
        n = q["number"]
        expect(student.get_by_role("heading", level=1, name=f"Question {n} of 7")).to_be_visible()
        expect(student.locator(f"#stem-{q['pk']}")).to_contain_text(q["stem"])
        if q["id"] == qid:
            expect(student.locator(f"#stem-{q['pk']}")).to_have_text(NEW_STEM)
            expect(student.get_by_role("radio")).to_have_count(2)
            student.get_by_role("radio", name=re.compile(r"^Passage 3\b")).check()
        else:
            fill_student(student, q, options=wrong.get(q["id"]))
        student.get_by_role("button", name="Check my answer").click()
        verdict = student.locator("h1.feedback-heading")
        expect(verdict).to_have_text(
            re.compile(r"^(Not quite|Partly right.*)$") if q["id"] in wrong else "Right"
        )
        if q["id"] == qid:
            expect(student.locator(".option-review li.chosen")).to_contain_text(RIGHT_FEEDBACK)
        if q["id"] == "video":
            expect(student.locator(".feedback-stem")).to_have_text(EDITS[0][2])
        last = n == len(questions)
        student.get_by_role(
            "link", name="See your summary" if last else "Next question"
        ).last.click()
    expect(student.get_by_role("heading", level=1, name="Your summary")).to_be_visible()
    expect(student.locator(".set-title")).to_have_text("Copy of Mini test set")
    expect(student.locator(".review-list > li")).to_have_count(7)
    answers = live_server.answers(code, "Ada")
    assert [a["qid"] for a in answers] == [q["id"] for q in questions]
    scores = {a["qid"]: a["score"] for a in answers}
    assert scores[qid] == 1
    assert scores["pick-number"] == 0
    assert 0 < scores["sources"] < 1
    expect(student.locator(".big-score")).to_contain_text(
        re.compile(rf"^{sum(scores.values()):g} out of 7")
    )


# JavaScript off: the full-page editor ---------------------------------------------


def test_without_javascript_a_teacher_edits_a_question_and_publishes(
    live_server, new_page, teacher_account, sign_in
):
    page = new_page(js=False)
    sign_in(page, teacher_account)
    slug = duplicate_mini_set(page)
    page.get_by_role("link", name="Edit question 5", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/teach/sets/{slug}/questions/chain/edit$"))
    expect(page).to_have_title(re.compile(r"^Edit question 5 · Copy of Mini test set"))
    stem = field(page, "chain", "stem")
    expect(stem).to_have_value("Put the chain in order, from speaker to you.")
    stem.fill("Put the quote chain in order, from the speaker to you.")
    # Swap the right positions of the first two items (article and speaker).
    field(page, "chain", "opt-0-position").select_option("1")
    field(page, "chain", "opt-1-position").select_option("3")
    page.get_by_role("button", name="Save question").click()
    expect(page).to_have_url(re.compile(rf"/teach/sets/{slug}#q-chain$"))
    expect(page.locator(".flashes")).to_have_text("Question saved.")
    expect(page.locator("li#q-chain .question-stem")).to_have_text(
        "Put the quote chain in order, from the speaker to you."
    )
    assert live_server.draft(slug)["questions"][4]["key"] == ["article", "agency", "speaker"]

    # A save with an error keeps the full-page form open, with the error beside its field.
    page.get_by_role("link", name="Edit question 1", exact=True).click()
    field(page, "video", "stem").fill("")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("alert")).to_contain_text("This question has 1 field to fix")
    expect(field(page, "video", "stem")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[id='q-video-stem-error']")).to_be_visible()
    field(page, "video", "stem").fill("Does the video show troops leaving the border?")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator(".flashes")).to_have_text("Question saved.")

    page.get_by_role("link", name="Publish…", exact=True).click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("Published as version 1.")
    expect(page.locator(".set-state")).to_contain_text("Published, version 1")
    code = live_server.open_session(slug=slug)
    chain = live_server.questions(code)[4]
    assert chain["stem"] == "Put the quote chain in order, from the speaker to you."
    assert chain["key"] == ["article", "agency", "speaker"]


def test_saving_in_place_leaves_no_stale_message_for_the_next_page(
    live_server, new_page, teacher_account, sign_in
):
    page = new_page(js=True)
    sign_in(page, teacher_account)
    duplicate_mini_set(page)
    for n, qid in enumerate(["video", "sources"], start=1):
        item = page.locator(f"li#q-{qid}")
        item.get_by_role("link", name=f"Edit question {n}", exact=True).click()
        item.get_by_role("button", name="Save question").click()
        expect(item.locator("form.question-editor")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Copy of Mini test set")).to_be_visible()
    stale = page.locator(".flashes p").all_inner_texts()  # no waiting: the page is loaded
    assert stale == [], f"messages left over from the in-place saves: {stale}"


# Accessibility and layout ------------------------------------------------------


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_axe_finds_no_violations_on_the_teacher_pages(
    live_server, new_page, admin_account, sign_in, console, viewport
):
    # The refused sign-in and upload are 422 pages, which Chromium logs as failed loads.
    console.allow(r"status of 422 \(UNPROCESSABLE ENTITY\) \(http://[^ ]+/(signin|teach/upload)\)$")
    # Screenshots for a human to look at, only when asked for: they cost seconds.
    shots = (
        Path(os.environ["LATERAL_SCREENSHOTS"]) if os.environ.get("LATERAL_SCREENSHOTS") else None
    )
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    page = new_page(js=True, viewport=viewport)
    page.goto("/signin")
    check_page(page, f"{viewport} sign-in", shots)
    for label in ("E-mail", "Password"):  # styled like every text field: easy to tap
        box = page.get_by_label(label).bounding_box()
        assert box["height"] >= 40 and box["width"] >= 280, f"{label} field is {box}"
    page.get_by_role("button", name="Sign in", exact=True).click()  # empty: errors
    expect(page.locator(".field-error").first).to_be_visible()
    check_page(page, f"{viewport} sign-in with errors", shots)

    sign_in(page, admin_account)
    slug = duplicate_mini_set(page)
    page.goto("/teach/")
    check_page(page, f"{viewport} your sets", shots)

    page.goto(f"/teach/sets/{slug}")
    check_page(page, f"{viewport} set editor", shots)
    item = page.locator("li#q-cer-withdrawal")
    item.get_by_role("link", name="Edit question 6", exact=True).click()
    expect(item).to_have_class(re.compile(r"\bediting\b"))
    check_page(page, f"{viewport} set editor with a question form open", shots)
    field(page, "cer-withdrawal", "stem").fill("")
    field(page, "cer-withdrawal", "explanation").fill("")
    item.get_by_role("button", name="Save question").click()
    expect(item.get_by_role("alert")).to_contain_text("This question has 2 fields to fix")
    check_page(page, f"{viewport} set editor with errors", shots)

    page.get_by_label("Add a question of type").select_option(label="Pick the passage")
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_role("heading", level=2, name="Question 7 of 7")).to_be_visible()
    page.get_by_role("button", name="Save question").click()  # blank, untouched: no marks
    expect(page.locator("li.question-item .field-error")).to_have_count(0)
    page.goto(f"/teach/sets/{slug}")
    page.locator("#ready").get_by_role("link", name="Publish…", exact=True).click()
    page.get_by_role("link", name="See them in the set").click()  # errors: no Publish there
    expect(page.locator("#ready [role=alert]")).to_contain_text("Not published:")
    check_page(page, f"{viewport} set editor after a refused publish", shots)
    item = page.locator("li.question-item").nth(6)
    item.get_by_role("link", name="Edit question 7", exact=True).click()
    expect(item.get_by_role("alert")).to_contain_text("to fix")
    check_page(page, f"{viewport} new question with errors", shots)

    page.goto(f"/teach/sets/{slug}/preview/chain")
    expect(page.get_by_role("heading", level=1, name="Question 5 of 7")).to_be_visible()
    check_page(page, f"{viewport} preview", shots)
    for place, label in enumerate(["Stoltenberg", "Reuters", "This article"], start=1):
        page.get_by_label(label).select_option(str(place))
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Right")
    check_page(page, f"{viewport} preview feedback", shots)

    page.goto("/teach/upload")
    check_page(page, f"{viewport} upload", shots)
    page.get_by_label(re.compile(r"^File")).set_input_files(
        files=[{"name": "broken.toml", "mimeType": "text/plain", "buffer": b"format = 1\n"}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("The set file was not stored.")
    check_page(page, f"{viewport} upload with errors", shots)

    page.goto("/admin/accounts")
    expect(page.get_by_role("heading", level=1, name="Accounts")).to_be_visible()
    check_page(page, f"{viewport} accounts", shots)
    if shots:
        print(f"screenshots: {shots}")


def versions_of(live_server, slug: str) -> list[dict]:
    """The published versions of a set, by number."""
    return live_server.query(
        "SELECT v.number FROM set_version v JOIN question_set s ON s.id = v.set_id "
        "WHERE s.slug = ? ORDER BY v.number",
        [slug],
    )
