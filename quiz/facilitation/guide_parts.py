"""What a set's guide shows of its images and its written answers: each image once,
with where it is used and its note for teachers; each written question (the check
forms' too) with its rubric and, for a lateral-reading task, where to look."""

from __future__ import annotations

from sqlite_utils import Database

from ..sets.images import every_image
from ..storage import queries


def parts(db: Database, body: dict, questions: list[dict], checks: list[dict]) -> dict:
    """Return ``images`` (each with ``passages`` and ``questions`` it is used on) and
    ``written`` (each with the title of the form it is on, None in the main set)."""
    data = {"article": body["article"], "questions": questions}
    numbers = {q["id"]: q["position"] for q in questions}
    images: dict[str, dict] = {}
    for qid, _where, img in every_image(data):
        seen = images.setdefault(
            img.get("sha256") or img["file"], {**img, "passages": [], "questions": []}
        )
        if qid is None:
            seen["passages"].append(img["passage"])
        else:
            seen["questions"].append(numbers[qid])
    written = [{**q, "form": None} for q in questions if q["type"] == "open"]
    for check in checks:
        written += [
            {**q, "form": check["title"]}
            for q in queries.questions_of(db, check["id"])
            if q["type"] == "open"
        ]
    return {"images": list(images.values()), "written": written}
