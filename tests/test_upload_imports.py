"""Teachers bring their own files (issue 17.1, 17.2): the upload page takes a Lateral set
file, GIFT, Moodle XML, CSV or XLSX, makes a draft and shows the import report first;
set-file errors name the question by number and stem; QTI comes out beside GIFT."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
import tomli_w

from quiz.authoring import imports
from quiz.storage import queries

from .conftest import DATA, text_of
from .interchange_corpus import corpus
from .teaching import draft, duplicate_mini, upload


def problems_text(html: str) -> str:
    """A page's text, a stem quoted in a problem read as one with its quotes (it sits in
    an element of its own that carries the set's lang)."""
    return text_of(re.sub(r'<span lang="[^"]*">(.*?)</span>', r"\1", html))


MIXED_GIFT = b"""// A bank from Moodle: two questions come in, two stay out.
::crimea::Where was the video geolocated? {
=Crimea#Right: the article says so.
~The border#The article places it in Crimea.
}

::tf::The spokesman talked to Russian news agencies. {T#No: he did.#Right.}

::short::Which agency does the article quote? {=Reuters}

::essay::Explain why the video is weak evidence. {}
"""


@pytest.fixture
def teacher(as_teacher):
    return as_teacher("teacher_a")


def sets_of(db) -> int:
    return db.execute("SELECT count(*) FROM question_set").fetchone()[0]


def test_a_gift_file_becomes_a_draft_and_its_report_comes_first(teacher, db):
    response = upload(teacher, "moodle-bank.gift", MIXED_GIFT)
    assert response.status_code == 303
    assert response.location.endswith("/imported")
    slug = response.location.split("/")[-2]
    report = teacher.get(response.location)
    assert report.status_code == 200
    text = text_of(report.get_data(as_text=True))
    shown = [
        "What came in from moodle-bank.gift",
        "2 questions came in and 2 stayed out.",
        "What stayed out, and why (2)",
        "it is a short-answer question, where students type the answer",
        "it is an essay question",
        "became question 1 (single choice): “Where was the video geolocated?”",
        "Open the draft in the editor",
    ]
    assert [line for line in shown if line not in text] == []
    stored = draft(db, slug)
    assert stored["title"] == "moodle bank"
    assert [q["type"] for q in stored["questions"]] == ["single", "true_false"]
    assert queries.import_report_of(db, queries.set_by_slug(db, slug)["id"])["kind"] == "gift"
    # The editor links back to the report.
    editor = teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    assert f'href="/teach/sets/{slug}/imported"' in editor


def test_a_moodle_xml_file_becomes_a_draft_with_its_report(teacher, db):
    response = upload(teacher, "bank.xml", corpus("xml", "choice.xml"), title="From Moodle XML")
    assert response.status_code == 303 and response.location.endswith("/imported")
    slug = response.location.split("/")[-2]
    assert draft(db, slug)["title"] == "From Moodle XML"
    assert draft(db, slug)["questions"]
    assert "came in" in text_of(teacher.get(response.location).get_data(as_text=True))


def test_a_csv_spreadsheet_becomes_a_draft(teacher, db):
    response = upload(teacher, "sheet.csv", corpus("sheets", "lateral-comma.csv"))
    assert response.status_code == 303
    slug = response.location.split("/")[-2]
    stems = [q["stem"] for q in draft(db, slug)["questions"]]
    assert stems[0] == "Is the video from Crimea?"
    text = text_of(teacher.get(response.location).get_data(as_text=True))
    assert "The column “colour” is not one Lateral reads; it was left out." in text
    assert "What the draft still needs" in text
    assert "The file brought no article: paste it in the editor under “Source article”" in text


def test_the_report_asks_for_the_article_details_a_description_did_not_bring(teacher):
    response = upload(teacher, "bank.gift", b"::Intro::The article's text.\n\n" + MIXED_GIFT)
    text = text_of(teacher.get(response.location).get_data(as_text=True))
    assert "it became article passage 1" in text
    assert "The article still needs its title, outlet and date" in text
    assert "The file brought no article" not in text


def test_kahoots_spreadsheet_comes_in_as_it_is(teacher, db):
    response = upload(teacher, "kahoot.xlsx", corpus("sheets", "kahoot.xlsx"))
    assert response.status_code == 303
    text = text_of(teacher.get(response.location).get_data(as_text=True))
    assert "Kahoot! time limits were not kept" in text
    assert "Where scoring changed" in text


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_spreadsheet_template_downloads_and_imports_back(teacher, db, kind):
    template = teacher.get(f"/teach/upload/{kind}")
    assert template.status_code == 200
    assert "attachment" in template.headers["Content-Disposition"]
    response = upload(teacher, f"lateral-questions.{kind}", template.get_data())
    assert response.status_code == 303
    assert len(draft(db, response.location.split("/")[-2])["questions"]) == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.gift", b"", "The file is empty."),
        ("notes.txt", b"Just some notes without questions.", "This file does not look like GIFT"),
        ("bomb.xml", corpus("xml", "billion-laughs.xml"), "declares a DTD or entities"),
        ("old.xls", corpus("sheets", "old.xls"), "This is an old Excel .xls file"),
    ],
)
def test_an_unreadable_file_is_refused_with_what_to_do_and_stores_nothing(
    teacher, db, name, content, message
):
    before = sets_of(db)
    response = upload(teacher, name, content)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and message in text_of(html)
    assert sets_of(db) == before


def test_a_file_of_which_nothing_can_come_in_is_refused_with_its_report(teacher, db):
    before = sets_of(db)
    response = upload(teacher, "unsupported.gift", corpus("gift", "unsupported.gift"))
    assert response.status_code == 422
    text = problems_text(response.get_data(as_text=True))
    assert "no question in it could become a Lateral question" in text
    assert "it is a numerical question" in text
    assert sets_of(db) == before


def test_set_file_errors_name_the_question_by_number_and_stem_never_a_toml_path(teacher, db):
    mini = (DATA / "mini.toml").read_text()
    import tomllib

    data = tomllib.loads(mini)
    data["language"] = ""
    data["article"]["language"] = ""
    data["questions"][1]["key"] = "a"
    data["questions"][2]["options"][0]["feedback"] = ""
    before = sets_of(db)
    response = upload(teacher, "mine.toml", tomli_w.dumps(data).encode())
    assert response.status_code == 422
    text = problems_text(response.get_data(as_text=True))
    assert "“Language of the questions (set details)” is still empty." in text
    assert "“Language of the text (source article)” is still empty." in text
    second, third = data["questions"][1]["stem"], data["questions"][2]["stem"]
    assert f"Question 2, “{second}”: Tick the right answer" in text
    assert f"Question 3, “{third}”: “Feedback on option 1” is still empty." in text
    for technical in ("must be a list of option ids", "field '", "options[", "is missing"):
        assert technical not in text
    assert sets_of(db) == before


def test_a_list_where_a_set_file_wants_a_word_is_refused_not_a_500(teacher, db):
    import tomllib

    data = tomllib.loads((DATA / "mini.toml").read_text())
    data["questions"][0]["difficulty"] = []  # found by test_bad_input's generated files
    data["questions"][1]["type"] = ["single"]
    before = sets_of(db)
    response = upload(teacher, "mine.toml", tomli_w.dumps(data).encode())
    assert response.status_code == 422
    text = problems_text(response.get_data(as_text=True))
    assert (
        "Question 1, “Does the video show troops leaving the border?”: Choose a difficulty" in text
    )
    assert "Choose the question's type (“Type”)." in text
    assert sets_of(db) == before


def test_a_file_that_is_no_set_at_all_says_so_plainly(teacher, db):
    response = upload(teacher, "other.toml", b'title = "x"\n')
    text = problems_text(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "This is not a Lateral set file of the current format" in text
    assert "The set has no questions yet: add at least one." in text
    assert "[[questions]]" not in text and "must be 1" not in text


def test_lateral_own_gift_export_comes_back_through_the_upload(teacher, db):
    slug = duplicate_mini(teacher)
    exported = teacher.get(f"/teach/sets/{slug}/download/gift")
    assert exported.status_code == 200
    response = upload(teacher, "mini.gift.txt", exported.get_data())
    assert response.status_code == 303
    again = draft(db, response.location.split("/")[-2])
    assert [q["type"] for q in again["questions"]] == [
        q["type"] for q in draft(db, slug)["questions"]
    ]


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("a.toml", b"", "toml"),
        ("a.xml", b"", "xml"),
        ("a.csv", b"", "sheet"),
        ("a.gift", b"format = 1", "gift"),
        ("a.txt", b"::t:: q {T}", "gift"),
        ("upload", b"PK\x03\x04", "sheet"),
        ("upload", b"\xef\xbb\xbf<?xml version='1.0'?><quiz/>", "xml"),
        ("upload", b"format = 1\nid = 'x'\n", "toml"),
        ("upload", b"::t:: q {T}", "gift"),
    ],
)
def test_the_kind_of_file_is_told_by_its_name_then_its_first_bytes(name, head, kind):
    assert imports.kind_of(name, head) == kind


def test_qti_comes_out_beside_gift_with_what_it_leaves_out(teacher):
    slug = duplicate_mini(teacher)
    page = text_of(teacher.get(f"/teach/sets/{slug}").get_data(as_text=True))
    assert "Export to QTI (.zip) for Canvas, Blackboard, Brightspace and Schoology" in page
    assert "Put-in-order questions are left out" in page
    response = teacher.get(f"/teach/sets/{slug}/download/qti")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{slug}.qti.zip"'
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as package:
        assert "imsmanifest.xml" in package.namelist()


def test_an_unfinished_set_is_not_exported(teacher):
    slug = teacher.post("/teach/sets", data={"title": "Empty"}).location.split("/")[-1]
    for kind in ("qti", "gift"):
        response = teacher.get(f"/teach/sets/{slug}/download/{kind}")
        assert response.status_code == 422
        assert "Finish this set before downloading it" in text_of(response.get_data(as_text=True))


def test_the_upload_page_offers_every_format_and_the_template(teacher):
    text = text_of(teacher.get("/teach/upload").get_data(as_text=True))
    for words in ("Moodle GIFT", "Moodle XML", "Spreadsheet", "Lateral set file"):
        assert words in text
    assert "Template for Excel (.xlsx)" in text and "Kahoot!'s own quiz spreadsheet" in text


def test_uploading_without_a_file_says_what_to_choose(teacher, db):
    before = sets_of(db)
    response = teacher.post("/teach/upload", data={"title": "x"})
    assert response.status_code == 422
    assert "Choose a file to upload" in text_of(response.get_data(as_text=True))
    assert sets_of(db) == before
