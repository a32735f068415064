"""Teachers bring their own questions, in a real browser (issue 17's "Done when").

A teacher uploads a Moodle GIFT bank (questions that map and questions that do not),
reads the import report, pastes the article, finishes the imported question, starts a
second one from a recipe and finishes it, publishes, makes a practice link, and a
student practises the set by that link. The same again from a spreadsheet (XLSX in
Lateral's template). A fresh question shows no error. axe-core runs on the upload
page, the report and the editor.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from .checks import assert_no_axe_violations
from .conftest import SHIPPED_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSAGES = [
    "A spokesman for Russia’s defense ministry has told Russian news agencies that the "
    "country is pulling some of its troops off the border with Ukraine.",
    "NATO Secretary-General Jens Stoltenberg said on Tuesday, according to the news agency "
    "Reuters, NATO has so far not seen any signs that Russia has actually begun to withdraw "
    "some of its troops from Ukraine’s borders.",
    "One video of the alleged withdrawal of Russian Defense Forces troops is geo-located "
    "for Crimea.",
]
GIFT = """// A question bank from Moodle: one description, one question that maps, two that do not.
$CATEGORY: Verification

::Video::One video of the alleged withdrawal is geo-located for Crimea.

::crimea::Where was the video of the withdrawal geolocated? {
=In Crimea#Right: the article says it is geo-located for Crimea.
~At the border#The article places the video in Crimea, not at the border.
}

::agency::Which news agency does the article quote? {=Reuters}

::essay::Explain why the video is weak evidence. {}
"""
IMPORTED_EXPLANATION = (
    "The video was made in Crimea. Passage 3 says it is geo-located for Crimea, so it "
    "does not show troops leaving the border with Ukraine. Footage can be real and still "
    "come from somewhere else: before trusting a video as proof of a claim, find out "
    "where it was made."
)
# What the teacher writes over the recipe's [square brackets], field by field.
RECIPE_STEM = (
    "Passage 3 describes a video of the withdrawal. Where was it made, "
    "and is that where the claim is about?"
)
RECIPE_OPTIONS = [
    ("At the border: it shows what is claimed", None),
    ("In Crimea, so at most it shows troops in Crimea", "geo-located for Crimea"),
    (None, None),
    ("It does not matter where: it is about the same troops", None),
]
RECIPE_FEEDBACK = [
    "The article places it in Crimea, not at the border. Footage can be real and still "
    "be about somewhere else.",
    "Right: passage 3 says the video is geo-located for Crimea.",
    None,
    "Being about the same topic is not showing the same claim: the border is far from Crimea.",
]
RECIPE_EXPLANATION = (
    "The video was made in Crimea, and the claim is about the border. Passage 3 says: "
    "“One video of the alleged withdrawal of Russian Defense Forces troops is geo-located "
    "for Crimea.” Where evidence was made is not what is claimed about another place. "
    "Check the location first, then what it can show."
)


# Steps --------------------------------------------------------------------------------


def upload(page: Page, path: Path) -> str:
    """Upload a file on "Bring in questions"; return the new draft's slug."""
    page.goto("/teach/")
    page.get_by_role("link", name="bring in questions from a file").click()
    expect(page.get_by_role("heading", level=1, name="Bring in questions")).to_be_visible()
    assert_no_axe_violations(page, "the upload page")
    page.get_by_label(re.compile(r"^File")).set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r"/teach/sets/[a-z0-9-]+/imported$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What came in from {path.name}")
    return re.search(r"/teach/sets/([a-z0-9-]+)/imported$", page.url).group(1)


def sign_in_and_upload(live_server, new_page, sign_in, account, path: Path) -> tuple[Page, str]:
    """Sign a teacher in and upload a file; return the page and the new draft's slug."""
    live_server.app.config["QUESTIONS_DIR"] = str(SHIPPED_DIR)  # every recipe's misconceptions
    page = new_page(js=True)
    sign_in(page, account)
    return page, upload(page, path)


def read_report(page: Page, counts: str, groups: dict[str, list[str]]) -> None:
    """Check the import report's counts and lines by group, run axe-core on it, and
    open the draft in the editor."""
    expect(page.locator(".lede")).to_contain_text(counts)
    for group, lines in groups.items():
        for line in lines:
            expect(page.locator(f".report-{group}")).to_contain_text(line)
    assert_no_axe_violations(page, "the import report")
    page.get_by_role("link", name="Open the draft in the editor").first.click()


def paste_article(page: Page) -> None:
    """Fill the source article the file did not bring, and save it."""
    form = page.locator("form").filter(has=page.get_by_role("button", name="Save article"))
    form.get_by_label("Title (say so if the headline is not known)").fill(
        "Test article (headline not known)"
    )
    form.get_by_label("Outlet").fill("Test outlet")
    form.get_by_label("Date published").fill("2022-02-15")
    form.get_by_label("Language of the text").fill("en")
    form.get_by_label("The article's text").fill("\n\n".join(PASSAGES))
    form.get_by_role("button", name="Save article").click()
    expect(page.locator(".flashes")).to_contain_text("Article saved")


def field(page: Page, qid: str, suffix: str):
    return page.locator(f"[id='q-{qid}-{suffix}']")


def finish_imported(page: Page, qid: str, number: int) -> None:
    """Give the imported question what the file could not bring."""
    item = page.locator(f"li#q-{qid}")
    item.get_by_role("link", name=f"Edit question {number}", exact=True).click()
    expect(item).to_have_class(re.compile(r"\bediting\b"))
    item.get_by_role("checkbox", name="Place (GEO)").check()
    field(page, qid, "difficulty").select_option(label="Easy")
    field(page, qid, "opt-1-misconception").select_option(label="Seeing is believing")
    field(page, qid, "explanation").fill(IMPORTED_EXPLANATION)
    item.get_by_label("Exact quotes, one per line").fill("geo-located for Crimea")
    item.get_by_role("button", name="Save question").click()
    expect(item).not_to_have_class(re.compile(r"\bediting\b"))
    expect(item.locator(".field-error")).to_have_count(0)


def from_recipe(page: Page, number: int) -> str:
    """Start a question from the "Where was this made?" recipe on passage 3 and finish it;
    return its id."""
    recipe = page.locator("section.recipe-form")
    recipe.get_by_label("Passage").select_option("3")
    recipe.get_by_label("Recipe").select_option(label="Where was this made?")
    recipe.get_by_role("button", name="Start from this recipe").click()
    expect(page).to_have_url(re.compile(r"/questions/q-[0-9a-f]{6}/edit$"))
    qid = re.search(r"/questions/(q-[0-9a-f]{6})/edit$", page.url).group(1)
    expect(page.get_by_role("heading", level=2, name=f"Question {number} of {number}"))
    # Filled from the recipe: a stem to finish, options with their misconceptions.
    expect(field(page, qid, "stem")).to_have_value(re.compile(r"^Passage 3 describes \["))
    expect(field(page, qid, "opt-0-misconception")).to_have_value("seeing-is-believing")
    expect(page.locator(".field-error")).to_have_count(0)
    assert_no_axe_violations(page, "a question started from a recipe")
    # The content check lists what the recipe left to write, as suggestions.
    page.locator(".breadcrumb a").click()  # back to the set
    ready = page.locator("#ready")
    expect(ready).to_contain_text("Nothing is missing.")
    ready.get_by_text(re.compile(r"^Content check suggestions")).click()
    expect(ready).to_contain_text("still holds the recipe's text to replace")
    item = page.locator(f"li#q-{qid}")
    item.get_by_role("link", name=f"Edit question {number}", exact=True).click()
    expect(item).to_have_class(re.compile(r"\bediting\b"))
    field(page, qid, "stem").fill(RECIPE_STEM)
    for n, text in enumerate(t for t, _ in RECIPE_OPTIONS):
        if text is not None:
            field(page, qid, f"opt-{n}-text").fill(text)
    for n, feedback in enumerate(RECIPE_FEEDBACK):
        if feedback is not None:
            field(page, qid, f"opt-{n}-feedback").fill(feedback)
    field(page, qid, "explanation").fill(RECIPE_EXPLANATION)
    item.get_by_role("button", name="Save question").click()
    expect(item).not_to_have_class(re.compile(r"\bediting\b"))
    expect(item.locator(".question-stem")).to_have_text(RECIPE_STEM)
    expect(item.locator(".field-error")).to_have_count(0)
    return qid


def publish_and_share(page: Page, live_server, slug: str) -> str:
    """Publish the set and make its practice link; return the link."""
    page.goto(f"/teach/sets/{slug}")
    ready = page.locator("#ready")
    expect(ready).to_contain_text("Nothing is missing.")
    expect(ready).not_to_contain_text("the recipe's text to replace")
    ready.get_by_role("link", name="Publish…", exact=True).click()  # it asks first
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("Published as version 1.")
    page.get_by_role("button", name="Make a practice link").click()
    link = page.get_by_label("Practice link")
    expect(link).to_have_value(re.compile(r"/practice/link/"))
    return link.input_value()


def student_practises(new_page, link: str, stems: list[str]) -> None:
    """A student opens the link, answers every question right, and reads the summary."""
    student = new_page(js=True, viewport="phone")
    student.goto(link)
    student.get_by_role("button", name="Start").click()
    for n, stem in enumerate(stems, start=1):
        expect(student.get_by_role("heading", level=1, name=f"Question {n} of {len(stems)}"))
        expect(student.locator(".stem, [id^='stem-']").first).to_contain_text(stem)
        student.get_by_role("radio", name=re.compile("Crimea")).first.check()
        student.get_by_role("button", name="Check my answer").click()
        expect(student.locator("h1.feedback-heading")).to_have_text("Right")
        last = n == len(stems)
        student.get_by_role(
            "link", name="See your summary" if last else "Next question"
        ).last.click()  # the bottom one (feedback has one at the top too)
    expect(student.get_by_role("heading", level=1, name="Your summary")).to_be_visible()


# The journeys ---------------------------------------------------------------------


def test_a_teacher_brings_in_a_gift_bank_finishes_it_and_a_student_practises_it(
    live_server, new_page, teacher_account, sign_in, tmp_path
):
    bank = tmp_path / "moodle-bank.gift"
    bank.write_text(GIFT, encoding="utf-8")
    page, slug = sign_in_and_upload(live_server, new_page, sign_in, teacher_account, bank)

    # The report: what came in, what stayed out and why.
    read_report(
        page,
        "1 question came in and 2 stayed out.",
        {
            "out": [
                "“Which news agency does the article quote?”",
                "it is a short-answer question",
                "it is an essay question",
            ],
            "in": ["it became article passage 1"],
            "todo": ["Question 1 still needs", "The article still needs its title"],
        },
    )
    expect(page.get_by_role("heading", level=1, name="moodle bank")).to_be_visible()
    expect(page.locator(".field-error")).to_have_count(0)  # unfinished, not wrong
    expect(page.locator("#ready")).to_contain_text("Not yet:")
    assert_no_axe_violations(page, "the editor of an imported draft")

    paste_article(page)
    imported = live_server.draft(slug)["questions"][0]
    finish_imported(page, imported["id"], 1)
    qid = from_recipe(page, 2)

    stored = {q["id"]: q for q in live_server.draft(slug)["questions"]}
    assert stored[qid]["stem"] == RECIPE_STEM
    assert stored[qid]["explanation"] == RECIPE_EXPLANATION
    texts = [stored[qid]["stem"], stored[qid]["explanation"]]
    texts += [o[part] for o in stored[qid]["options"] for part in ("text", "feedback")]
    assert not [t for t in texts if "[" in t], "recipe text in brackets left over"
    misconceptions = [o.get("misconception") for o in stored[qid]["options"]]
    assert misconceptions == [
        "seeing-is-believing",
        None,
        "all-or-nothing",
        "same-topic-same-claim",
    ]
    assert stored[imported["id"]]["skills"] == ["GEO"]
    link = publish_and_share(page, live_server, slug)
    student_practises(new_page, link, [imported["stem"], RECIPE_STEM])
    assert live_server.query("SELECT count(*) AS n FROM answer")[0]["n"] == 2


def test_a_teacher_brings_in_a_spreadsheet_finishes_it_and_a_student_practises_it(
    live_server, new_page, teacher_account, sign_in, tmp_path
):
    sheet = tmp_path / "class-quiz.xlsx"
    book = Workbook()
    rows = book.active
    rows.append(
        ["type", "question", "option 1", "option 2", "feedback 1", "feedback 2", "correct"]
        + ["explanation", "skills", "difficulty", "evidence"]
    )
    rows.append(
        ["single", "Where was the video of the withdrawal geolocated?", "At the border"]
        + ["In Crimea", "The article places the video in Crimea.", "Right: in Crimea.", "2"]
        + [IMPORTED_EXPLANATION, "GEO", "easy", "geo-located for Crimea"]
    )
    rows.append(["short answer", "Which news agency does the article quote?"])
    book.save(sheet)
    page, slug = sign_in_and_upload(live_server, new_page, sign_in, teacher_account, sheet)

    read_report(
        page,
        "1 question came in and 1 stayed out.",
        {"out": ["“short answer”"], "todo": ["The file brought no article"]},
    )
    expect(page.get_by_role("heading", level=1, name="class quiz")).to_be_visible()
    paste_article(page)
    imported = live_server.draft(slug)["questions"][0]
    # The spreadsheet left only the wrong option's misconception to choose.
    item = page.locator(f"li#q-{imported['id']}")
    item.get_by_role("link", name="Edit question 1", exact=True).click()
    field(page, imported["id"], "opt-0-misconception").select_option(label="Seeing is believing")
    item.get_by_role("button", name="Save question").click()
    expect(item).not_to_have_class(re.compile(r"\bediting\b"))
    qid = from_recipe(page, 2)
    assert live_server.draft(slug)["questions"][1]["id"] == qid
    link = publish_and_share(page, live_server, slug)
    student_practises(new_page, link, [imported["stem"], RECIPE_STEM])
    assert live_server.query("SELECT count(*) AS n FROM answer")[0]["n"] == 2


def test_a_fresh_question_shows_no_error_until_publishing_is_tried(
    live_server, new_page, teacher_account, sign_in, console
):
    page = new_page(js=True)
    sign_in(page, teacher_account)
    start = page.locator("form").filter(has=page.get_by_role("button", name="Create a draft"))
    start.get_by_label("Title").fill("From nothing")
    start.get_by_role("button", name="Create a draft").click()
    expect(page.get_by_role("heading", level=1, name="From nothing")).to_be_visible()
    page.get_by_label("Add a question of type").select_option(label="Single choice")
    page.get_by_role("button", name="Add question").click()
    expect(page).to_have_url(re.compile(r"/questions/q-[0-9a-f]{6}/edit$"))
    expect(page.locator(".field-error")).to_have_count(0)
    expect(page.locator("[aria-invalid='true']")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
    assert_no_axe_violations(page, "a fresh question")
    page.goto(page.url.split("/questions/")[0])
    page.locator("#ready").get_by_role("link", name="Publish…", exact=True).click()
    page.get_by_role("link", name="See them in the set").click()  # errors: no Publish there
    expect(page.locator("#ready [role=alert]")).to_contain_text("Not published:")
    expect(page.locator(".question-item .field-error").first).to_contain_text("to fix")
