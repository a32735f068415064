"""Teachers writing, previewing, publishing, archiving and exchanging sets."""

from __future__ import annotations

import io
import json
import re

import pytest

from quiz.authoring import publishing
from quiz.play import sessions
from quiz.sets.validation import validate
from quiz.storage import queries

from .forms import as_data, form_fields
from .world import HX, Student, text_of


def draft(db, slug: str) -> dict:
    row = queries.set_by_slug(db, slug)
    return queries.draft_of(db, row["id"])


def normalised(db, slug: str, app) -> dict:
    misc = publishing.misconceptions(app.config["QUESTIONS_DIR"])
    return validate(draft(db, slug), slug, misc)


@pytest.fixture
def teacher(as_teacher):
    return as_teacher("teacher_a")


@pytest.fixture
def copy_slug(teacher) -> str:
    """Teacher A's copy of the shared test set."""
    response = teacher.post("/teach/sets/mini-set/duplicate")
    assert response.status_code == 303
    return response.location.rstrip("/").split("/")[-1]


def test_teacher_home_lists_their_sets_and_the_shared_ones(teacher, copy_slug):
    html = teacher.get("/teach/").get_data(as_text=True)
    text = text_of(html)
    assert "Copy of Mini test set" in text and "Draft" in text
    assert 'action="/teach/sets/mini-set/duplicate"' in html


def test_search_by_title_and_by_skill(teacher, copy_slug):
    assert "Copy of Mini" in teacher.get("/teach/?q=copy").get_data(as_text=True)
    assert "Copy of Mini" not in teacher.get("/teach/?q=zebra").get_data(as_text=True)
    assert "Copy of Mini" in teacher.get("/teach/?tag=GEO").get_data(as_text=True)
    assert "Copy of Mini" not in teacher.get("/teach/?tag=TXT").get_data(as_text=True)


def test_creating_a_set_starts_an_empty_draft(teacher, db):
    response = teacher.post("/teach/sets", data={"title": "  My new set "})
    slug = response.location.split("/")[-1]
    assert slug.startswith("my-new-set-")
    raw = draft(db, slug)
    assert raw["title"] == "My new set" and raw["questions"] == []
    assert queries.set_by_slug(db, slug)["owner_id"] is not None


def test_a_set_without_a_title_is_refused(teacher, db):
    before = db.execute("SELECT count(*) FROM question_set").fetchone()[0]
    response = teacher.post("/teach/sets", data={"title": "   "})
    assert response.status_code == 422
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == before


def test_duplicating_the_shared_set_copies_every_question(db, copy_slug, app):
    data = normalised(db, copy_slug, app)
    original = queries.latest_published(db, "mini-set")
    assert [q["id"] for q in data["questions"]] == [
        q["qid"]
        for q in db.query(
            "SELECT qid FROM question WHERE version_id = ? ORDER BY position", [original["id"]]
        )
    ]
    assert data["title"] == "Copy of Mini test set"


@pytest.mark.parametrize(
    "qid", ["video", "sources", "nato-signs", "pick-number", "chain", "cer-withdrawal"]
)
def test_saving_the_editor_unchanged_keeps_the_question_exactly(teacher, db, copy_slug, app, qid):
    before = normalised(db, copy_slug, app)
    page = teacher.get(f"/teach/sets/{copy_slug}/questions/{qid}/edit")
    assert page.status_code == 200
    action, fields = form_fields(
        page.get_data(as_text=True), action=f"/teach/sets/{copy_slug}/questions/{qid}/edit"
    )
    response = teacher.post(action, data=as_data(fields))
    assert response.status_code == 303, text_of(response.get_data(as_text=True))[:500]
    after = normalised(db, copy_slug, app)
    for old, new in zip(before["questions"], after["questions"], strict=True):
        assert new == old, {k: (old.get(k), new.get(k)) for k in old if old.get(k) != new.get(k)}
    assert after == before


def test_editing_a_question_in_place_with_htmx(teacher, db, copy_slug):
    form_html = teacher.get(f"/teach/sets/{copy_slug}/questions/video/edit", headers=HX).get_data(
        as_text=True
    )
    assert form_html.lstrip().startswith('<li id="q-video"') and "<html" not in form_html
    action, fields = form_fields(form_html)
    data = as_data(fields)
    data["stem"] = ["Does this footage show troops leaving the border?"]
    response = teacher.post(action, data=data, headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<li id="q-video"') and "Does this footage show" in html
    assert '<form method="post" action="/teach/sets/' in html  # the folded item's actions
    assert (
        draft(db, copy_slug)["questions"][0]["stem"]
        == "Does this footage show troops leaving the border?"
    )


def test_errors_are_shown_beside_their_field_and_the_form_stays_open(teacher, db, copy_slug):
    _action, fields = form_fields(
        teacher.get(f"/teach/sets/{copy_slug}/questions/video/edit").get_data(as_text=True),
        action=f"/teach/sets/{copy_slug}/questions/video/edit",
    )
    data = as_data(fields)
    data["explanation"] = [""]
    data["opt-0-feedback"] = [""]
    response = teacher.post(f"/teach/sets/{copy_slug}/questions/video/edit", data=data, headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(
        r'<p class="field-error" id="q-video-explanation-error">“Explanation” is still empty.</p>',
        html,
    )
    assert re.search(
        r'<p class="field-error" id="q-video-opt-0-feedback-error">'
        r"“Feedback on option 1” is still empty.</p>",
        html,
    )
    assert 'aria-describedby="q-video-opt-0-feedback-error" aria-invalid="true"' in html
    # The change is kept in the draft, and publishing is refused until it is fixed.
    assert draft(db, copy_slug)["questions"][0]["explanation"] == ""
    refused = teacher.post(f"/teach/sets/{copy_slug}/publish")
    assert refused.status_code == 422
    assert "Fix the errors" in refused.get_data(as_text=True)
    assert queries.latest_version(db, copy_slug) is None


def test_strict_content_checks_show_as_warnings_that_do_not_block_publishing(
    teacher, db, copy_slug
):
    page = teacher.get(f"/teach/sets/{copy_slug}").get_data(as_text=True)
    assert "Content check suggestions" in page and "asks for 40 to 80" in page
    assert teacher.post(f"/teach/sets/{copy_slug}/publish").status_code == 303
    assert queries.latest_version(db, copy_slug)["number"] == 1


def test_adding_a_pick_the_passage_question_through_the_form(teacher, db, copy_slug, app):
    response = teacher.post(f"/teach/sets/{copy_slug}/questions", data={"type": "passage"})
    qid = response.location.split("/")[-2]
    data = {
        "type": "passage",
        "stem": "Which passage says where the video was filmed?",
        "difficulty": "easy",
        "skills": ["GEO"],
        "explanation": "Passage 3 places the video in Crimea.",
        "evidence_quotes": "geo-located for Crimea",
        "opt-0-passage": "3",
        "opt-0-feedback": "Right: it names Crimea.",
        "opt-0-correct": "1",
        "opt-1-passage": "1",
        "opt-1-feedback": "This is the announcement, not the video.",
        "opt-1-misconception": "official-means-true",
    }
    saved = teacher.post(f"/teach/sets/{copy_slug}/questions/{qid}/edit", data=data)
    assert saved.status_code == 303
    q = normalised(db, copy_slug, app)["questions"][-1]
    assert q["type"] == "passage" and q["key"] == ["a"]
    assert [o["passage"] for o in q["options"]] == [3, 1]
    assert q["options"][0]["text"].startswith("One video of the alleged withdrawal")


def test_reorder_duplicate_and_delete_questions(teacher, db, copy_slug):
    ids = lambda: [q["id"] for q in draft(db, copy_slug)["questions"]]  # noqa: E731
    assert teacher.post(f"/teach/sets/{copy_slug}/questions/sources/up").status_code == 303
    assert ids()[:2] == ["sources", "video"]
    fragment = teacher.post(f"/teach/sets/{copy_slug}/questions/sources/down", headers=HX)
    assert fragment.status_code == 200 and fragment.get_data(as_text=True).lstrip().startswith(
        "<section"
    )
    assert ids()[:2] == ["video", "sources"]
    teacher.post(f"/teach/sets/{copy_slug}/questions/video/duplicate")
    assert len(ids()) == 7 and ids()[1].startswith("q-")
    teacher.post(f"/teach/sets/{copy_slug}/questions/video/delete")
    assert "video" not in ids() and len(ids()) == 6


def test_the_article_text_is_split_into_numbered_passages(teacher, db, copy_slug):
    data = {
        "title": "T",
        "outlet": "O",
        "date": "2022-02-15",
        "language": "en",
        "text": "First paragraph\ncontinues here.\n\n\nSecond paragraph.\r\n\r\nThird.",
    }
    assert teacher.post(f"/teach/sets/{copy_slug}/article", data=data).status_code == 303
    assert draft(db, copy_slug)["article"]["passages"] == [
        "First paragraph continues here.",
        "Second paragraph.",
        "Third.",
    ]


def test_preview_shows_the_student_view_and_stores_nothing(teacher, db, copy_slug):
    page = teacher.get(f"/teach/sets/{copy_slug}/preview/video").get_data(as_text=True)
    assert "Preview: this is what a student sees" in page and 'name="option"' in page
    before = db.execute("SELECT count(*) FROM answer").fetchone()[0]
    fragment = teacher.post(
        f"/teach/sets/{copy_slug}/preview/video",
        data={"option": "b", "confidence": "2"},
        headers=HX,
    )
    assert fragment.status_code == 200
    assert "Right" in text_of(fragment.get_data(as_text=True))
    assert "<mark>geo-located for Crimea</mark>" in fragment.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM answer").fetchone()[0] == before
    assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 0


def test_publish_makes_an_immutable_version_and_edits_go_to_a_new_draft(
    teacher, db, copy_slug, app
):
    teacher.post(f"/teach/sets/{copy_slug}/publish")
    first = queries.latest_version(db, copy_slug)
    code = sessions.open_session(db, copy_slug)["code"]
    student = Student(app.test_client(), db)
    student.join(code)
    student.answer(code, "video", ["b"])

    _action, fields = form_fields(
        teacher.get(f"/teach/sets/{copy_slug}/questions/video/edit").get_data(as_text=True),
        action=f"/teach/sets/{copy_slug}/questions/video/edit",
    )
    data = as_data(fields)
    data["stem"] = ["A changed stem for the second version?"]
    teacher.post(f"/teach/sets/{copy_slug}/questions/video/edit", data=data)
    page = text_of(teacher.get(f"/teach/sets/{copy_slug}").get_data(as_text=True))
    assert "with changes not yet published" in page
    teacher.post(f"/teach/sets/{copy_slug}/publish")
    second = queries.latest_version(db, copy_slug)
    assert second["number"] == 2
    # The running session and its answer keep version 1.
    assert (
        sessions.load_session(db, code).questions[0]["stem"]
        == "Does the video show troops leaving the border?"
    )
    stored = db.execute(
        "SELECT q.version_id FROM answer a JOIN question q ON q.id = a.question_id"
    ).fetchone()[0]
    assert stored == first["id"]


def test_a_used_set_cannot_be_deleted_only_archived(teacher, db, copy_slug):
    teacher.post(f"/teach/sets/{copy_slug}/publish")
    sessions.open_session(db, copy_slug)
    response = teacher.post(f"/teach/sets/{copy_slug}/delete")
    assert response.status_code == 409 and "Archive it instead" in response.get_data(as_text=True)
    assert queries.set_by_slug(db, copy_slug) is not None
    assert teacher.post(f"/teach/sets/{copy_slug}/archive").status_code == 303
    assert queries.set_by_slug(db, copy_slug)["archived_at"]
    with pytest.raises(sessions.PlayError, match="archived"):
        sessions.open_session(db, copy_slug)


def test_an_unused_set_can_be_deleted(teacher, db, copy_slug):
    teacher.post(f"/teach/sets/{copy_slug}/publish")
    assert teacher.post(f"/teach/sets/{copy_slug}/delete").status_code == 303
    assert queries.set_by_slug(db, copy_slug) is None
    assert db.execute("SELECT count(*) FROM set_draft").fetchone()[0] == 0


def test_download_then_upload_gives_back_the_same_set(teacher, db, copy_slug, app):
    response = teacher.get(f"/teach/sets/{copy_slug}/download/toml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{copy_slug}.toml"'
    uploaded = teacher.post(
        "/teach/upload",
        data={"file": (io.BytesIO(response.data), "set.toml")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 303
    new_slug = uploaded.location.split("/")[-1]
    original, again = normalised(db, copy_slug, app), normalised(db, new_slug, app)
    assert {**again, "id": None} == {**original, "id": None}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title = 'unterminated", "is not valid TOML"),
        (b"\xff\xfe", "is not UTF-8"),
        (b"format = 1\nid = 'ok-set'\n", "“Title (set details)” is still empty."),
    ],
)
def test_an_invalid_upload_names_its_errors_and_stores_nothing(teacher, db, content, message):
    before = db.execute("SELECT count(*) FROM question_set").fetchone()[0]
    response = teacher.post(
        "/teach/upload",
        data={"file": (io.BytesIO(content), "bad.toml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == before


def test_an_upload_without_a_file_is_refused(teacher):
    response = teacher.post("/teach/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a file to upload" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(("kind", "mimetype"), [("gift", "text/plain"), ("xml", "application/xml")])
def test_exports_for_an_lms_download_as_files(teacher, copy_slug, kind, mimetype):
    response = teacher.get(f"/teach/sets/{copy_slug}/download/{kind}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "attachment" in response.headers["Content-Disposition"]
    assert "Does the video show troops leaving the border" in response.get_data(as_text=True)


def test_a_shared_set_is_read_only_for_teachers(teacher, db):
    page = teacher.get("/teach/sets/mini-set")
    assert page.status_code == 200 and "This is a shared set" in page.get_data(as_text=True)
    assert (
        teacher.post("/teach/sets/mini-set/details", data={"title": "Mine now"}).status_code == 404
    )
    assert teacher.post("/teach/sets/mini-set/publish").status_code == 404
    assert teacher.get("/teach/sets/mini-set/download/toml").status_code == 200
    assert queries.latest_version(db, "mini-set")["title"] == "Mini test set"


def test_a_teacher_cannot_see_or_change_another_teachers_set(as_teacher, db, copy_slug):
    ben = as_teacher("teacher_b")
    before = json.dumps(draft(db, copy_slug))
    for method, url in [
        ("get", f"/teach/sets/{copy_slug}"),
        ("get", f"/teach/sets/{copy_slug}/preview/video"),
        ("get", f"/teach/sets/{copy_slug}/download/toml"),
        ("post", f"/teach/sets/{copy_slug}/details"),
        ("post", f"/teach/sets/{copy_slug}/questions/video/delete"),
        ("post", f"/teach/sets/{copy_slug}/duplicate"),
        ("post", f"/teach/sets/{copy_slug}/publish"),
    ]:
        assert getattr(ben, method)(url).status_code == 404, url
    assert "Copy of Mini" not in ben.get("/teach/").get_data(as_text=True)
    assert json.dumps(draft(db, copy_slug)) == before
