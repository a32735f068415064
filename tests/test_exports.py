"""Exports: TOML back to the set format, Moodle GIFT and Moodle XML."""

from __future__ import annotations

import copy
import html
import re
import tomllib
import xml.etree.ElementTree as ET
from itertools import chain, combinations
from pathlib import Path

import pytest

from quiz.authoring.exports import to_gift, to_moodle_xml, to_toml
from quiz.play.scoring import select_all
from quiz.sets.files import load_misconceptions, parse_file, set_files
from quiz.sets.validation import validate

from .interchange_corpus import carried

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
MISC = load_misconceptions(DATA / "misconceptions.toml")

# mini.toml plus every set in questions/ (the folder may hold none yet: never empty).
SET_PATHS = [DATA / "mini.toml", *set_files(ROOT / "questions")]

SPECIAL = (
    "~ = # { } : \\ \\n \\\\ -> %50% #### [html] &&058; \"double\" 'single' "
    "<script>alert('x')</script> & &amp; ’“”\nsecond line"
)


def mini() -> dict:
    return parse_file(DATA / "mini.toml", MISC)


def mini_raw() -> dict:
    return tomllib.loads((DATA / "mini.toml").read_text("utf-8"))


def round_trip(data: dict, misc=MISC) -> dict:
    return validate(tomllib.loads(to_toml(data)), "exported.toml", misc)


def special_raw() -> dict:
    """mini.toml with every special character in every text it has."""
    raw = mini_raw()
    raw["title"] = "Mini " + SPECIAL
    raw["description"] = SPECIAL
    raw["audience"] = SPECIAL
    art = raw["article"]
    for key in ("title", "outlet", "translation_note"):
        art[key] = SPECIAL
    art["url"] = "https://example.org/a?b=1&c={x}#frag:~"
    art["passages"] = [f"{p} {SPECIAL}" for p in art["passages"]]
    guide = raw["guide"]
    guide["goals"].append(SPECIAL)
    guide["sensitivity"] = SPECIAL
    for prompt in guide["prompts"]:
        prompt["prompt"] += " " + SPECIAL
    for q in raw["questions"]:
        q["stem"] = f"{SPECIAL} {q['stem']}"
        q["explanation"] += " " + SPECIAL
        q["teacher_note"] = SPECIAL
        q["evidence"].append(SPECIAL)
        if q["type"] == "cer":
            q["evidence_feedback"] += " " + SPECIAL
        for o in q["options"]:
            if "text" in o:
                o["text"] = f"{o['text']} {SPECIAL}"
            o["feedback"] = f"{o['feedback']} {SPECIAL}"
    # Texts that start with what GIFT would read as a weight or a text format.
    video = raw["questions"][0]
    video["stem"] = "[plain] " + video["stem"]
    video["options"][0]["text"] = "%10% " + video["options"][0]["text"]
    video["options"][2]["text"] = "[html]" + video["options"][2]["text"]
    video["options"][1]["feedback"] = "[moodle] " + video["options"][1]["feedback"]
    return raw


def special() -> dict:
    return validate(special_raw(), "special.toml", MISC)


def three_right() -> dict:
    """mini with a select-all question of five options, three of them right."""
    raw = mini_raw()
    sources = raw["questions"][1]
    sources["options"] += [
        {"id": "d", "text": "The article", "feedback": "It repeats them."},
        {"id": "e", "text": "Reuters", "feedback": "Yes: Reuters relays Stoltenberg."},
    ]
    sources["key"] = ["a", "b", "e"]
    return validate(raw, "three.toml", MISC)


def set_file(path: Path):
    """A shipped set as the LMS exports carry it (written answers and images left out)."""

    def load() -> dict:
        return carried(parse_file(path, load_misconceptions(path.parent / "misconceptions.toml")))

    return load


# The sets every LMS export is checked on: the test sets and every set in questions/.
SETS = [
    pytest.param(mini, id="mini"),
    pytest.param(special, id="special"),
    pytest.param(three_right, id="three-right"),
    *(pytest.param(set_file(p), id=p.stem) for p in set_files(ROOT / "questions")),
]


# --- TOML -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SET_PATHS, ids=lambda p: p.name)
def test_toml_round_trip_gives_back_the_validated_set(path: Path):
    misc = load_misconceptions(path.parent / "misconceptions.toml")
    data = parse_file(path, misc)
    assert round_trip(data, misc) == data


def test_special_characters_round_trip_through_toml_exactly():
    data = special()
    assert round_trip(data) == data
    assert data["questions"][0]["stem"].startswith("[plain] ~ = # { } : \\")


def test_control_characters_round_trip_through_toml():
    raw = mini_raw()
    raw["questions"][0]["explanation"] = "tab\there, cr\r\nlf, bell\x07, del\x7f, esc\x1b end"
    data = validate(raw, "control.toml", MISC)
    assert round_trip(data) == data


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: r.update(description=""), id="empty-description"),
        pytest.param(lambda r: r.pop("description"), id="no-description"),
        pytest.param(lambda r: r.update(published=False), id="unpublished"),
        pytest.param(lambda r: r.update(kind="check", check_forms=[]), id="check-form"),
        pytest.param(lambda r: r.update(guide={}), id="empty-guide"),
        pytest.param(lambda r: r.pop("guide"), id="no-guide"),
        pytest.param(lambda r: r["guide"].pop("prompts"), id="guide-without-prompts"),
        pytest.param(
            lambda r: r["article"].update(date=tomllib.loads("d = 2022-02-15")["d"]), id="toml-date"
        ),
        pytest.param(lambda r: r["article"].update(url="https://example.org/x"), id="url"),
        pytest.param(lambda r: r["questions"][0].update(teacher_note=""), id="empty-note"),
        pytest.param(lambda r: r["questions"][5].update(reason=False), id="cer-reason-false"),
        pytest.param(lambda r: r["questions"][5].update(confidence=True), id="cer-confidence"),
    ],
)
def test_toml_round_trip_keeps_defaults_and_empty_values(change):
    raw = mini_raw()
    change(raw)
    data = validate(raw, "variant.toml", MISC)
    assert round_trip(data) == data


def test_toml_starts_with_a_comment_and_reads_like_a_set_file():
    text = to_toml(mini())
    first = text.splitlines()[0]
    assert first.startswith("# ") and "Lateral" in first
    assert text.index("format = 1") < text.index('id = "mini-set"') < text.index("[article]")
    assert text.index("[article]") < text.index("[guide]") < text.index("[[guide.prompts]]")
    assert text.index("[[guide.prompts]]") < text.index("[[questions]]")
    assert text.count("[[questions]]") == 6
    assert text.count("[[questions.options]]") == 15


def test_toml_leaves_out_derived_and_empty_fields():
    raw = tomllib.loads(to_toml(mini()))
    assert "url" not in raw["article"]
    assert "published" not in raw and "kind" not in raw
    by_id = {q["id"]: q for q in raw["questions"]}
    passage = by_id["pick-number"]
    assert all("text" not in o and "passage" in o for o in passage["options"])
    assert "reason" not in by_id["cer-withdrawal"]
    assert by_id["video"]["reason"] is True and by_id["video"]["confidence"] is True
    assert "teacher_note" not in by_id["sources"] and "confidence" not in by_id["sources"]
    assert all(
        "misconception" not in o
        for q in raw["questions"]
        for o in q["options"]
        if o["id"] in q["key"]
    )


# --- GIFT -----------------------------------------------------------------------------

# Escaped characters become private-use placeholders, as Moodle's importer does.
PLACEHOLDER = {c: chr(0xE000 + i) for i, c in enumerate("\\~=#{}:n")}
RESTORE = {v: ("\n" if k == "n" else k) for k, v in PLACEHOLDER.items()}


def protect(text: str) -> str:
    """Replace each GIFT escape by a placeholder; no other backslash may remain."""
    out = re.sub(r"\\(.)", lambda m: PLACEHOLDER[m.group(1)], text, flags=re.S)
    assert "\\" not in out
    return out


def decode(gift: str) -> str:
    """A GIFT text back to the plain text: unescape GIFT, then the HTML layer."""
    restored = "".join(RESTORE.get(c, c) for c in gift.strip())
    return html.unescape(restored.replace("<br>\n", "\n"))


def parse_gift(text: str) -> list[dict]:
    """Split GIFT into questions and answers the way Moodle's importer does."""
    questions = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        comments = " ".join(ln for ln in lines if ln.strip().startswith("//"))
        body = protect("\n".join(ln for ln in lines if not ln.strip().startswith("//")).strip())
        if not body:
            continue
        assert body.startswith("::")
        name, rest = body[2:].split("::", 1)
        assert rest.startswith("[html]")
        rest = rest[len("[html]") :]
        question = {
            "name": decode(name),
            "tags": re.findall(r"\[tag:([^\]]+)\]", comments),
            "answers": [],
        }
        questions.append(question)
        if "{" not in rest and "}" not in rest:
            question.update(kind="description", stem=rest)
            continue
        stem, _, answers = rest.partition("{")
        assert answers.endswith("}") and "{" not in answers and answers.count("}") == 1
        answers, sep, general = answers[:-1].rpartition("####")
        assert sep, "general feedback missing"
        question.update(stem=decode(stem), general=decode(general))
        if "~" not in answers and "->" in answers:
            question["kind"] = "match"
            for part in filter(str.strip, answers.split("=")):
                item, arrow, position = part.partition("->")
                assert arrow
                question["answers"].append({"text": decode(item), "position": position.strip()})
            continue
        question["kind"] = "choice"
        for part in filter(str.strip, re.split(r"(?=[~=])", answers)):
            part = part.strip()
            mark, rest = part[0], part[1:]
            weight = None
            if rest.startswith("%"):
                weight, rest = rest[1:].split("%", 1)
            text, sep, feedback = rest.partition("#")
            assert sep and "#" not in feedback
            question["answers"].append(
                {"mark": mark, "weight": weight, "text": decode(text), "feedback": decode(feedback)}
            )
    return questions


def lms_questions(parsed: list[dict]) -> list[dict]:
    """The parsed questions without the article description."""
    return [q for q in parsed if q["kind"] != "description"]


def option_text(q: dict, o: dict) -> str:
    return f"Passage {o['passage']}: {o['text']}" if q["type"] == "passage" else o["text"]


def is_multi(q: dict) -> bool:
    return q["type"] == "multiple" or (q["type"] == "passage" and len(q["key"]) > 1)


def test_gift_starts_with_a_comment_naming_the_set_and_its_source():
    first = to_gift(mini()).splitlines()[0]
    assert first.startswith("// ")
    for part in ("Mini test set", "Test article (headline not known)", "Test outlet", "2022-02-15"):
        assert part in first


def test_gift_has_one_block_per_question_named_by_id_after_the_article():
    data = mini()
    parsed = parse_gift(to_gift(data))
    assert parsed[0]["kind"] == "description" and parsed[0]["name"] == "mini-set-article"
    assert [q["name"] for q in lms_questions(parsed)] == [q["id"] for q in data["questions"]]


@pytest.mark.parametrize("make", SETS)
def test_gift_gives_back_every_stem_option_and_feedback_exactly(make):
    data = make()
    for q, g in zip(data["questions"], lms_questions(parse_gift(to_gift(data))), strict=True):
        assert g["stem"] == q["stem"]
        if q["type"] == "order":
            assert [a["text"] for a in g["answers"]] == [o["text"] for o in q["options"]]
            continue
        assert [a["text"] for a in g["answers"]] == [option_text(q, o) for o in q["options"]]
        assert [a["feedback"] for a in g["answers"]] == [o["feedback"] for o in q["options"]]


def test_gift_article_carries_every_passage():
    data = special()
    article = decode(parse_gift(to_gift(data))[0]["stem"])
    for passage in data["article"]["passages"]:
        assert passage in article


@pytest.mark.parametrize("make", SETS)
def test_gift_marks_right_and_wrong_options_by_the_key(make):
    data = make()
    for q, g in zip(data["questions"], lms_questions(parse_gift(to_gift(data))), strict=True):
        if q["type"] == "order" or is_multi(q):
            continue
        marks = [a["mark"] for a in g["answers"]]
        assert marks == ["=" if o["id"] in q["key"] else "~" for o in q["options"]]
        assert all(a["weight"] is None for a in g["answers"])


@pytest.mark.parametrize("make", SETS)
def test_gift_select_all_weights_add_up_to_100_and_score_like_lateral(make):
    data = make()
    for q, g in zip(data["questions"], lms_questions(parse_gift(to_gift(data))), strict=True):
        if not is_multi(q):
            continue
        assert "=" not in [a["mark"] for a in g["answers"]]
        weights = {
            o["id"]: float(a["weight"]) for o, a in zip(q["options"], g["answers"], strict=True)
        }
        assert sum(weights[k] for k in q["key"]) == pytest.approx(100, abs=1e-3)
        assert all(weights[o["id"]] < 0 for o in q["options"] if o["id"] not in q["key"])
        ids = [o["id"] for o in q["options"]]
        for chosen in chain.from_iterable(combinations(ids, n) for n in range(len(ids) + 1)):
            moodle = min(1.0, max(0.0, sum(weights[c] for c in chosen) / 100))
            assert moodle == pytest.approx(select_all(list(chosen), q["key"]), abs=1e-4)


def test_gift_weight_for_a_third_is_a_moodle_fraction():
    gift = to_gift(three_right())
    assert "~%33.33333%" in gift and "~%-33.33333%" in gift


@pytest.mark.parametrize("make", SETS)
def test_gift_general_feedback_is_the_explanation(make):
    data = make()
    for q, g in zip(data["questions"], lms_questions(parse_gift(to_gift(data))), strict=True):
        if q["type"] in ("order", "cer"):
            assert g["general"].startswith(q["explanation"] + "\n\n")
        else:
            assert g["general"] == q["explanation"]


def test_gift_order_question_matches_each_item_to_its_position():
    data = special()
    q = next(q for q in data["questions"] if q["type"] == "order")
    g = next(g for g in parse_gift(to_gift(data)) if g["name"] == q["id"])
    assert g["kind"] == "match"
    position = {oid: str(n) for n, oid in enumerate(q["key"], start=1)}
    assert [a["position"] for a in g["answers"]] == [position[o["id"]] for o in q["options"]]
    for o in q["options"]:
        assert o["feedback"] in g["general"]


def test_gift_cer_keeps_the_evidence_part_in_the_general_feedback():
    data = mini()
    q = next(q for q in data["questions"] if q["type"] == "cer")
    g = next(g for g in parse_gift(to_gift(data)) if g["name"] == q["id"])
    assert g["general"].endswith("Evidence: passage 2. " + q["evidence_feedback"])


@pytest.mark.parametrize("make", SETS)
def test_gift_tags_each_question_with_its_skills(make):
    data = make()
    for q, g in zip(data["questions"], lms_questions(parse_gift(to_gift(data))), strict=True):
        assert g["tags"] == q["skills"]


def test_gift_escapes_every_special_character_in_texts():
    gift = to_gift(special())
    texts = "\n".join(ln for ln in gift.splitlines() if not ln.startswith("//"))
    assert "<script>" not in texts and "&lt;script&gt;" in texts
    # Outside the escapes, only the markup GIFT needs is left: one { and } per question.
    for block in gift.split("\n\n")[2:]:
        body = protect("\n".join(ln for ln in block.split("\n") if not ln.startswith("//")))
        assert body.count("{") == body.count("}") == 1
        assert body.count("::") == 2
        assert "\n" not in body.split("{")[0]


# --- Moodle XML -----------------------------------------------------------------------


def from_html(text: str | None) -> str:
    return html.unescape((text or "").replace("<br>\n", "\n"))


def moodle(data: dict) -> tuple[str, ET.Element]:
    xml = to_moodle_xml(data)
    return xml, ET.fromstring(xml.encode("utf-8"))


def xml_questions(root: ET.Element) -> list[ET.Element]:
    return [q for q in root.findall("question") if q.get("type") not in ("category", "description")]


def test_moodle_xml_starts_with_the_declaration_and_a_category_named_after_the_set():
    data = special()
    xml, root = moodle(data)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert root.tag == "quiz"
    first = root.find("question")
    assert first.get("type") == "category"
    expected = " ".join(data["title"].split()).replace("/", "//")
    assert first.findtext("category/text") == expected


def test_moodle_xml_has_the_article_then_one_question_per_lateral_question():
    data = special()
    _, root = moodle(data)
    article = root.findall("question")[1]
    assert article.get("type") == "description"
    text = from_html(article.findtext("questiontext/text"))
    for passage in data["article"]["passages"]:
        assert passage in text
    questions = xml_questions(root)
    assert [q.findtext("name/text") for q in questions] == [q["id"] for q in data["questions"]]
    types = [q.get("type") for q in questions]
    assert types == ["multichoice"] * 4 + ["matching", "multichoice"]


@pytest.mark.parametrize("make", SETS)
def test_moodle_xml_fractions_follow_the_key(make):
    data = make()
    _, root = moodle(data)
    for q, x in zip(data["questions"], xml_questions(root), strict=True):
        if q["type"] == "order":
            continue
        fractions = {
            o["id"]: float(a.get("fraction"))
            for o, a in zip(q["options"], x.findall("answer"), strict=True)
        }
        right = [fractions[k] for k in q["key"]]
        wrong = [f for oid, f in fractions.items() if oid not in q["key"]]
        if is_multi(q):
            assert x.findtext("single") == "false"
            assert sum(right) == pytest.approx(100, abs=1e-3)
            assert all(f < 0 for f in wrong)
        else:
            assert x.findtext("single") == "true"
            assert right == [100] and all(f == 0 for f in wrong)


@pytest.mark.parametrize("make", SETS)
def test_moodle_xml_gives_back_every_text_and_feedback(make):
    data = make()
    _, root = moodle(data)
    for q, x in zip(data["questions"], xml_questions(root), strict=True):
        assert x.find("questiontext").get("format") == "html"
        assert from_html(x.findtext("questiontext/text")) == q["stem"]
        general = from_html(x.findtext("generalfeedback/text"))
        if q["type"] in ("order", "cer"):
            assert general.startswith(q["explanation"] + "\n\n")
        else:
            assert general == q["explanation"]
        assert [t.text for t in x.findall("tags/tag/text")] == q["skills"]
        if q["type"] == "order":
            position = {oid: str(n) for n, oid in enumerate(q["key"], start=1)}
            subs = x.findall("subquestion")
            assert [from_html(s.findtext("text")) for s in subs] == [
                o["text"] for o in q["options"]
            ]
            assert [s.findtext("answer/text") for s in subs] == [
                position[o["id"]] for o in q["options"]
            ]
            continue
        answers = x.findall("answer")
        assert [from_html(a.findtext("text")) for a in answers] == [
            option_text(q, o) for o in q["options"]
        ]
        assert [from_html(a.findtext("feedback/text")) for a in answers] == [
            o["feedback"] for o in q["options"]
        ]


def test_moodle_xml_never_lets_script_in_a_stem_become_markup():
    data = special()
    xml, root = moodle(data)
    assert "<script" not in xml
    assert not any(el.tag == "script" for el in root.iter())
    stem = xml_questions(root)[0].findtext("questiontext/text")
    assert "&lt;script&gt;" in stem
    assert "<script>alert('x')</script>" in from_html(stem)


def test_exports_do_not_change_the_set():
    data = special()
    before = copy.deepcopy(data)
    to_toml(data), to_gift(data), to_moodle_xml(data)
    assert data == before


# --- What LMS exports leave out (written answers, images) -------------------------------


def shipped_main() -> dict:
    path = ROOT / "questions" / "russia-troops-feb-2022.toml"
    return parse_file(path, load_misconceptions(path.parent / "misconceptions.toml"))


def test_gift_and_moodle_xml_say_they_leave_out_written_answers_and_images():
    data = shipped_main()
    written = [q for q in data["questions"] if q["type"] == "open"]
    images = len(data["article"]["images"]) + sum("image" in q for q in data["questions"])
    gift = to_gift(data)
    xml, root = moodle(data)
    for text in (gift, html.unescape(xml)):
        assert "Left out: question 7 (“Find the Russian defence ministry’s own statement" in text
        assert f"Images are left out ({images})" in text
    assert len(lms_questions(parse_gift(gift))) == len(data["questions"]) - len(written)
    assert len(xml_questions(root)) == len(data["questions"]) - len(written)
    assert not any(q["stem"] in gift for q in written)
