"""QTI 1.2 export for Canvas, checked by unzipping and parsing the package.

Neither text2qti nor qti-package-maker ships the IMS QTI 1.2 schema
(ims_qtiasiv1p2p1.xsd), and no copy is available offline here, so these tests check
the structure Canvas reads instead: the manifest's resources point at files in the
zip, every item has a known question type, every `varequal` names a choice of its
item, every `displayfeedback` names feedback the item has, and the scored choices,
texts and feedback read back as the set's.
"""

from __future__ import annotations

import copy
import io
import xml.etree.ElementTree as ET
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.authoring.interchange import QtiError, to_qti
from quiz.authoring.interchange.lateral import general_feedback, option_text
from quiz.authoring.interchange.text import to_plain
from quiz.sets.files import to_raw
from tests.hypothesis_profiles import examples
from tests.interchange_corpus import seed

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
TYPES = {"multiple_choice_question", "multiple_answers_question", "true_false_question"}


def package(raw: dict) -> tuple[zipfile.ZipFile, ET.Element]:
    """Unzip a package, check its manifest, and return it with the parsed assessment."""
    archive = zipfile.ZipFile(io.BytesIO(to_qti(raw)))
    names = set(archive.namelist())
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    assert {r.get("type") for r in resources} >= {"imsqti_xmlv1p2"}
    for resource in resources:
        for file in resource.findall(f"{CP}file"):
            assert file.get("href") in names
    [qti] = [r for r in resources if r.get("type") == "imsqti_xmlv1p2"]
    href = qti.find(f"{CP}file").get("href")
    return archive, ET.fromstring(archive.read(href))


def text(element: ET.Element | None) -> str:
    """The plain text of a <material> (its mattext is HTML)."""
    assert element is not None
    return to_plain(element.find(f".//{QTI}mattext").text or "", "html").text


def read_item(item: ET.Element) -> dict:
    """What a QTI item says: its type, choices, scored choices and feedback."""
    fields = {
        f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
        for f in item.iter(f"{QTI}qtimetadatafield")
    }
    labels = {
        label.get("ident"): text(label.find(f"{QTI}material"))
        for label in item.iter(f"{QTI}response_label")
    }
    feedback = {
        fb.get("ident"): text(fb.find(f".//{QTI}material"))
        for fb in item.iter(f"{QTI}itemfeedback")
    }
    for ref in item.iter(f"{QTI}displayfeedback"):
        assert ref.get("linkrefid") in feedback
    for equal in item.iter(f"{QTI}varequal"):
        assert equal.text in labels
    scored = set()
    for condition in item.iter(f"{QTI}respcondition"):
        if condition.findtext(f"{QTI}setvar") == "100":
            var = condition.find(f"{QTI}conditionvar")
            negated = {e.text for n in var.iter(f"{QTI}not") for e in n.iter(f"{QTI}varequal")}
            scored = {e.text for e in var.iter(f"{QTI}varequal")} - negated
    return {
        "type": fields.get("question_type"),
        "title": item.get("title"),
        "stem": text(item.find(f"{QTI}presentation/{QTI}material")),
        "choices": list(labels.values()),
        "right": sorted(labels[i] for i in scored),
        "general": feedback.get("general_fb", ""),
        "choice_feedback": [feedback.get(f"{i}_fb", "") for i in labels],
    }


def test_the_article_set_exports_every_question_but_order_with_its_feedback():
    data = seed()
    _, assessment = package(to_raw(data))
    items = assessment.findall(f".//{QTI}item")
    article = read_item(items[0])
    assert article["type"] == "text_only_question"
    heading, *passages = article["stem"].split("\n\n")
    assert (
        heading
        == f"{data['article']['title']}\n{data['article']['outlet']}, {data['article']['date']}"
    )
    assert passages == [f"{n}. {p}" for n, p in enumerate(data["article"]["passages"], start=1)]
    exported = [q for q in data["questions"] if q["type"] != "order"]
    assert len(items) == 1 + len(exported) < 1 + len(data["questions"])
    for item, q in zip(items[1:], exported, strict=True):
        read = read_item(item)
        assert read["type"] in TYPES
        assert read["title"] == q["id"]
        assert read["stem"] == q["stem"]
        assert read["choices"] == [option_text(q, o) for o in q["options"]]
        by_id = {o["id"]: o for o in q["options"]}
        assert read["right"] == sorted(option_text(q, by_id[k]) for k in q["key"])
        assert read["general"] == general_feedback(q)
        assert read["choice_feedback"] == [o["feedback"] for o in q["options"]]
    types = {q["id"]: read_item(i)["type"] for q, i in zip(exported, items[1:], strict=True)}
    assert types["expert-final"] == "true_false_question"
    assert types["independent-checks"] == "multiple_answers_question"
    assert types["crimea-video"] == "multiple_choice_question"


def test_the_package_says_which_questions_it_left_out_and_what_stays_in_lateral():
    data = seed()
    archive, assessment = package(to_raw(data))
    meta = next(n for n in archive.namelist() if n.endswith("assessment_meta.xml"))
    root = ET.fromstring(archive.read(meta))
    description = to_plain(root.findtext("{*}description") or "", "html").text
    number, order = next((n, q) for n, q in enumerate(data["questions"], 1) if q["type"] == "order")
    assert f"Left out: question {number} (“{order['stem'][:40]}" in description
    assert "They are put-in-order questions, and this QTI export has no ordering question." in (
        description
    )
    assert "Confidence ratings and written reasons are not in QTI" in description
    assert assessment.find(f"{QTI}assessment").get("title") == data["title"]


def test_text_that_looks_like_markdown_html_or_latex_arrives_as_typed():
    raw = to_raw(seed())
    tricky = "Is $5 *this* <script>alert(1)</script> ![x](/etc/passwd) `code` & 1. [a](b)?"
    raw["questions"][0]["stem"] = tricky
    raw["questions"][0]["options"][0]["feedback"] = "# not a heading\n- nor a list"
    archive, assessment = package(raw)
    assert not [n for n in archive.namelist() if n.startswith("images/")]
    first = read_item(assessment.findall(f".//{QTI}item")[1])
    assert first["stem"] == tricky
    assert first["choice_feedback"][0] == "# not a heading\n- nor a list"
    assert b"<script" not in b"".join(archive.read(n) for n in archive.namelist())


def test_repeated_question_texts_are_refused_with_a_message_to_act_on():
    raw = to_raw(seed())
    raw["questions"][5]["stem"] = raw["questions"][1]["stem"]
    with pytest.raises(QtiError) as raised:
        to_qti(raw)
    assert str(raised.value) == (
        "Questions 2 and 6 have the same text, which QTI cannot tell apart; change one of "
        "them and publish again."
    )


def test_a_set_with_errors_is_not_exported():
    raw = copy.deepcopy(to_raw(seed()))
    raw["questions"][0]["key"] = []
    with pytest.raises(QtiError, match="This set has errors"):
        to_qti(raw)


@settings(max_examples=examples(30), deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=80))
def test_any_text_in_a_question_arrives_in_the_package_as_typed(typed):
    raw = to_raw(seed())
    raw["questions"] = raw["questions"][:1]
    raw.pop("guide", None)
    raw["questions"][0]["stem"] = f"Q {typed}"
    raw["questions"][0]["options"][1]["feedback"] = f"F {typed}"
    _, assessment = package(raw)
    read = read_item(assessment.findall(f".//{QTI}item")[1])
    assert read["stem"].split() == f"Q {typed}".split()
    assert read["choice_feedback"][1].split() == f"F {typed}".split()
