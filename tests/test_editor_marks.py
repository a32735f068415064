"""The set editor speaks plainly, and a draft may be incomplete (issue 17.3).

A fresh question shows no error; a field is marked once the teacher has touched it,
or once publishing was attempted; every message names the field as the teacher sees
it; the editor is one WTForms form whose parts keep the page's field names.
"""

from __future__ import annotations

import pytest

from quiz.authoring import editor
from quiz.storage import queries

from .conftest import HX, text_of
from .teaching import draft, duplicate_mini, editor_form, marks


@pytest.fixture
def teacher(as_teacher):
    return as_teacher("teacher_a")


@pytest.fixture
def slug(teacher) -> str:
    return duplicate_mini(teacher)


def add_question(teacher, slug: str, qtype: str = "single") -> str:
    response = teacher.post(f"/teach/sets/{slug}/questions", data={"type": qtype})
    return response.location.split("/")[-2]


@pytest.mark.parametrize("qtype", ["single", "multiple", "true_false", "passage", "order", "cer"])
def test_a_fresh_question_shows_no_error(teacher, slug, qtype):
    qid = add_question(teacher, slug, qtype)
    html, _fields = editor_form(teacher, slug, qid)
    assert marks(html) == []
    assert 'aria-invalid="true"' not in html
    assert "fields to fix" not in html
    assert "A draft can be saved unfinished" in text_of(html)
    # The folded item on the set page is a neutral note, not an error.
    page = teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    assert "Unfinished: " in text_of(page) and "has-problems" not in page


def test_saving_marks_only_what_was_touched(teacher, slug, db):
    qid = add_question(teacher, slug)
    _html, data = editor_form(teacher, slug, qid)
    data["stem"] = ["Where was the video of the withdrawal filmed?"]
    data["opt-0-text"] = ["In Crimea"]
    response = teacher.post(f"/teach/sets/{slug}/questions/{qid}/edit", data=data, headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # The option the teacher wrote has no feedback yet: that field was not touched, so
    # nothing is marked and the question folds, saved as a draft.
    assert marks(html) == []
    assert html.lstrip().startswith('<li id="q-') and "question-editor" not in html
    saved = next(q for q in draft(db, slug)["questions"] if q["id"] == qid)
    assert saved["stem"] == "Where was the video of the withdrawal filmed?"
    # Writing a quote that is not in the article touches the evidence: now it is marked.
    _html, data = editor_form(teacher, slug, qid)
    data["evidence_quotes"] = ["filmed in Kyiv"]
    html = teacher.post(f"/teach/sets/{slug}/questions/{qid}/edit", data=data, headers=HX).get_data(
        as_text=True
    )
    assert marks(html) == [
        "This question has 1 field to fix, marked below. Your changes are saved.",
        "This evidence quote is not in the article word for word: “filmed in Kyiv”. Copy it "
        "from the article character for character.",
    ]
    assert f'id="q-{qid}-evidence-error"' in html


def test_touched_fields_stay_marked_until_fixed(teacher, slug):
    _html, data = editor_form(teacher, slug, "video")
    data["explanation"] = [""]
    first = teacher.post(f"/teach/sets/{slug}/questions/video/edit", data=data, headers=HX)
    assert "“Explanation” is still empty." in marks(first.get_data(as_text=True))
    # Saved again without changing the explanation: still marked (the form carries it).
    assert first_form(first)["touched"] == ["explanation"]
    resent = teacher.post(
        f"/teach/sets/{slug}/questions/video/edit", data=first_form(first), headers=HX
    )
    assert "“Explanation” is still empty." in marks(resent.get_data(as_text=True))


def first_form(response) -> dict:
    from .forms import as_data, form_fields

    _action, fields = form_fields(response.get_data(as_text=True))
    return as_data(fields)


def test_a_refused_publish_marks_every_problem_and_names_each_question(teacher, slug, db):
    qid = add_question(teacher, slug, "multiple")
    refused = teacher.post(f"/teach/sets/{slug}/publish")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    text = text_of(page)
    assert "Not published: " in text
    assert "Question 7" in text and "“Option 1” is still empty." in text
    assert "Tick the right answer (“Right answer” beside an option)." in text
    assert "[[questions]]" not in text and "options[" not in text and "field '" not in text
    assert f"/teach/sets/{slug}/questions/{qid}/edit?check=1" in page
    # Opened from there, the fresh question now marks every field it lacks.
    html, data = editor_form(teacher, slug, qid, "?check=1")
    found = marks(html)
    assert "“Explanation” is still empty." in found
    assert "“Question” is still empty." in found
    assert data["check"] == ["1"]
    assert queries.latest_version(db, slug) is None


def test_the_publish_page_that_finds_errors_leads_to_the_marked_editor(teacher, slug, db):
    add_question(teacher, slug, "multiple")
    asked = teacher.get(f"/teach/sets/{slug}/publish")
    assert asked.status_code == 200
    link = f"/teach/sets/{slug}?checked=1#ready"
    assert link in asked.get_data(as_text=True)
    assert 'action="/teach/sets/' not in asked.get_data(as_text=True)  # no Publish button
    text = text_of(teacher.get(link.split("#")[0]).get_data(as_text=True))
    assert "Not published: " in text and "Question 7" in text
    assert "Not published: " not in text_of(
        teacher.get(f"/teach/sets/{slug}").get_data(as_text=True)
    )
    assert queries.latest_version(db, slug) is None


def test_every_problem_has_a_plain_message_without_set_file_paths(teacher, slug, db):
    for qtype in ("single", "multiple", "true_false", "passage", "order", "cer"):
        add_question(teacher, slug, qtype)
    teacher.post(f"/teach/sets/{slug}/article", data=article_without_language())
    text = text_of(teacher.post(f"/teach/sets/{slug}/publish").get_data(as_text=True))
    assert "“Language of the text (source article)” is still empty." in text
    for technical in ("is missing", "must be a list of option ids", "[[questions]]", "field '"):
        assert technical not in text, technical


def article_without_language() -> dict:
    return {
        "title": "Test article",
        "outlet": "Test outlet",
        "date": "2022-02-15",
        "language": "",
        "text": "One passage.\n\nAnother passage.",
    }


def test_the_set_language_and_the_article_language_are_told_apart(teacher, slug):
    teacher.post(
        f"/teach/sets/{slug}/details", data={"title": "T", "audience": "A", "language": ""}
    )
    teacher.post(f"/teach/sets/{slug}/article", data=article_without_language())
    text = text_of(teacher.post(f"/teach/sets/{slug}/publish").get_data(as_text=True))
    assert "“Language of the questions (set details)” is still empty." in text
    assert "“Language of the text (source article)” is still empty." in text


def test_a_malformed_edit_is_refused_whole_and_changes_nothing(teacher, slug, db):
    before = draft(db, slug)
    _html, data = editor_form(teacher, slug, "video")
    data["type"] = ["essay"]
    data["stem"] = ["Changed?"]
    response = teacher.post(f"/teach/sets/{slug}/questions/video/edit", data=data, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was saved" in text_of(html)
    assert 'id="q-video-type-error"' in html
    assert draft(db, slug) == before


def test_the_question_form_is_composed_of_parts_that_keep_flat_field_names(app):
    with app.test_request_context():
        names = [f.short_name for f in editor.QuestionForm(formdata=None)]
        assert names[:6] == ["question", "options", "cer", "evidence", "explain", "student"]
        parts = editor.QuestionForm(formdata=None).parts()
        fields = {f.name for part in parts for f in part if f.type != "RowList"}
        assert {"type", "stem", "explanation", "skills", "evidence_quotes"} <= fields
        assert all(part.template.startswith("authoring/parts/") for part in parts)


def test_option_rows_numbered_oddly_are_ignored_not_a_500(teacher, slug):
    _html, data = editor_form(teacher, slug, "video")
    data["opt-²-text"] = ["superscript row"]
    data["opt-99999-text"] = ["far row"]
    response = teacher.post(f"/teach/sets/{slug}/questions/video/edit", data=data)
    assert response.status_code == 303


def test_a_multipart_field_whose_name_cannot_be_read_is_ignored_not_a_500(teacher, slug, db):
    before = draft(db, slug)
    response = teacher.post(
        f"/teach/sets/{slug}/questions/video/edit",
        data={"\n": ""},  # found by test_bad_input's generated forms
        content_type="multipart/form-data",
    )
    assert response.status_code < 500
    assert [q["stem"] for q in draft(db, slug)["questions"]] == [
        q["stem"] for q in before["questions"]
    ]
