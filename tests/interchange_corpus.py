"""Helpers shared by the interchange tests: the corpus files and what an import made."""

from __future__ import annotations

from pathlib import Path

from quiz.sets.files import load_misconceptions, parse_file, to_raw

ROOT = Path(__file__).parent.parent
CORPUS = Path(__file__).parent / "data" / "interchange"
SEED = ROOT / "questions" / "russia-troops-feb-2022.toml"


def corpus(*parts: str) -> bytes:
    """The bytes of one corpus file."""
    return CORPUS.joinpath(*parts).read_bytes()


def seed() -> dict:
    """The shipped article set, validated, as LMS exports carry it: without its written
    answers and images, which GIFT, Moodle XML and QTI leave out (and say so)."""
    data = parse_file(SEED, load_misconceptions(SEED.parent / "misconceptions.toml"))
    return carried(data)


def carried(data: dict) -> dict:
    """A validated set without what LMS exports leave out: written answers, images."""
    article = {k: v for k, v in data["article"].items() if k != "images"}
    questions = [
        {k: v for k, v in q.items() if k != "image"}
        for q in data["questions"]
        if q["type"] != "open"
    ]
    return {**data, "article": article, "questions": questions}


def by_stem(result, start: str) -> dict:
    """The imported question whose stem starts with `start`."""
    found = [q for q in result.raw["questions"] if q["stem"].startswith(start)]
    assert len(found) == 1, [q["stem"] for q in result.raw["questions"]]
    return found[0]


def options(q: dict) -> list[tuple]:
    """A question's options as (id, text, feedback)."""
    return [(o["id"], o.get("text"), o["feedback"]) for o in q["options"]]


def comparable(q: dict) -> dict:
    """What an LMS export carries of a question: the fields a round trip must keep.

    Option ids are not in GIFT or Moodle XML, so options are compared by position
    (and passage number) and the key as positions, in the key's order.
    """
    ids = [o["id"] for o in q["options"]]
    return {
        "id": q["id"],
        "type": q["type"],
        "skills": q["skills"],
        "stem": q["stem"],
        "key": [ids.index(k) for k in q["key"]],
        "explanation": q["explanation"],
        "options": [
            (None if o.get("passage") else o["text"], o.get("passage"), o["feedback"])
            for o in q["options"]
        ],
        "evidence_key": q.get("evidence_key"),
        "evidence_feedback": q.get("evidence_feedback"),
    }


def completed(imported: dict, original: dict) -> dict:
    """An imported draft with what the export leaves out copied back from the original."""
    raw = to_raw(original)
    by_id = {q["id"]: q for q in raw["questions"]}
    draft = dict(imported, id=raw["id"], language=raw["language"], audience=raw["audience"])
    draft["article"] = dict(imported["article"], language=raw["article"]["language"])
    draft["questions"] = []
    for q in imported["questions"]:
        source = by_id[q["id"]]
        filled = dict(q, difficulty=source["difficulty"], evidence=source["evidence"])
        for key in ("teacher_note", "confidence", "reason", "discernment", "evidence_choices"):
            if key in source:
                filled[key] = source[key]
        # Option ids and misconception labels are not exported: copy them by position.
        ids = {o["id"]: s["id"] for o, s in zip(q["options"], source["options"], strict=True)}
        filled["key"] = [ids[k] for k in q["key"]]
        filled["options"] = [
            dict(o, **{k: s[k] for k in ("id", "misconception") if k in s})
            for o, s in zip(q["options"], source["options"], strict=True)
        ]
        draft["questions"].append(filled)
    for key in ("description", "guide", "check_forms"):
        if key in raw:
            draft[key] = raw[key]
    return draft


def reported(result, *sentences: str) -> None:
    """Assert that the import report says each sentence, word for word."""
    missing = [s for s in sentences if s not in result.lines]
    assert not missing, (missing, result.lines)
