"""Build a draft set from questions read out of another tool's file.

Each importer reads its format into `Item`s (a question, a description, or
something left out) and hands them to a `Draft` in file order. The draft maps
them onto Lateral's question types and scoring, numbers them, and writes the
report: one line per source item, plus what changed on the way.

Mapping (the same for GIFT, Moodle XML and spreadsheets):
- one right answer → `single`; several right answers (weights) → `multiple`;
  true/false, or two options "True"/"False" → `true_false`;
- matching whose answers are the numbers 1…n → `order` (that is how Lateral's own
  exports write an order question); any other matching is left out;
- "Passage N: …" options that quote passage N of the article → `passage`, and a
  general feedback ending "Evidence: passages 4, 18. …" → `cer` (Lateral's exports);
- description → article passages; per-answer feedback → option feedback; general
  feedback → explanation. What Lateral needs and the file lacks (skills, difficulty,
  evidence quotes) stays empty for the teacher to fill in, never guessed.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from . import parts
from .credit import multiple_credit, right, single_credit
from .items import Item
from .lateral import MAX_STEM, QID, SKILLS, empty_set, slugify
from .report import ImportResult, ReportLine, UnreadableFile, short

MAX_QUESTIONS = 200  # source items in one file
MAX_OPTIONS = 8
OPTION_IDS = "abcdefgh"

_EVIDENCE = re.compile(r"^Evidence: passages? (\d+(?:, \d+)*)\.(?:\s+(.*))?$", re.S)
_PASSAGE = re.compile(r"^Passage (\d+): (.*)$", re.S)
_ITEM_LINE = re.compile(r"^(\d+)\. (.*)$", re.S)


class Draft:
    """Collect items into a draft set and its report."""

    def __init__(self, title: str) -> None:
        title = " ".join((title or "").split())[:200] or str(_l("Imported questions"))
        self.raw = empty_set(slugify(title), title)
        self.report: list[ReportLine] = []
        self.items = 0
        self.lateral = False  # the file is one of Lateral's own exports
        self.pending: list[str] = []  # comments waiting for the next item

    @property
    def questions(self) -> list[dict]:
        return self.raw["questions"]

    @property
    def passages(self) -> list[str]:
        return self.raw["article"]["passages"]

    def line(self, code: str, **params: Any) -> None:
        self.report.append(ReportLine(code, params))

    def mark_lateral(self) -> None:
        """Note once that the file is one of Lateral's own exports."""
        if not self.lateral:
            self.lateral = True
            self.line("lateral_export")

    def comment(self, text: str) -> None:
        """Keep a comment of the file for the report line of the next item."""
        text = " ".join(text.split())
        if text:
            self.pending.append(text)

    def category(self, name: str) -> None:
        self.line("category", name=short(name, 120))

    def add(self, item: Item) -> None:
        """Map one item onto the draft and report what it became."""
        self.items += 1
        if self.items > MAX_QUESTIONS:
            raise UnreadableFile("too_many_questions", limit=MAX_QUESTIONS)
        for text in self.pending:
            self.line("comment", source=item.source, text=short(text, 200))
        self.pending = []
        if item.kind == "description":
            self._description(item)
        elif item.kind == "left":
            self.line(item.left, source=item.source, **item.params)
        elif item.kind == "matching" and not _is_order(item.pairs):
            self.line("left_matching", source=item.source, stem=short(item.stem))
        elif not 2 <= len(item.choices or item.pairs) <= MAX_OPTIONS:
            count = len(item.choices or item.pairs)
            code = "left_one_option" if count == 1 else "left_options"
            self.line(code, source=item.source, stem=short(item.stem), count=count)
        else:
            self._question(item)

    def result(self) -> ImportResult:
        """Return the draft and its report; what every question lacks is said once."""
        for text in self.pending:
            self.line("comment_end", text=short(text, 200))
        self.pending = []
        needs = [line for line in self.report if line.code == "needs"]
        common = (
            [f for f in needs[0].params["fields"] if all(f in n.params["fields"] for n in needs)]
            if needs
            else []
        )
        report = []
        for line in self.report:
            if line.code != "needs":
                report.append(line)
            elif rest := [f for f in line.params["fields"] if f not in common]:
                report.append(ReportLine("needs", {**line.params, "fields": rest}))
        if len(needs) > 1 and common:
            report.append(ReportLine("all_need", {"fields": common}))
        elif common:
            report.append(ReportLine("needs", {"number": 1, "fields": common}))
        if not self.questions:
            report.append(ReportLine("nothing_imported"))
        return ImportResult(self.raw, report)

    # Descriptions ----------------------------------------------------------------

    def _description(self, item: Item) -> None:
        if item.article and not self.passages:
            self.mark_lateral()
            article = self.raw["article"]
            article.update({k: v for k, v in item.article.items() if v})
            self.passages.extend(item.passages)
            title = article.get("title") or ""
            self.line("article", source=item.source, title=short(title), count=len(self.passages))
            return
        first = len(self.passages) + 1
        self.passages.extend(item.passages)
        for code, params in item.notes:
            if code.startswith("text_image"):
                self.line("passage_image", source=item.source, alt=params["alt"])
        if not item.passages:
            self.line("passage_empty", source=item.source)
        elif len(item.passages) == 1:
            self.line("passage_one", source=item.source, first=first)
        else:
            self.line("passage_many", source=item.source, first=first, last=len(self.passages))

    # Questions -------------------------------------------------------------------

    def _question(self, item: Item) -> None:
        number = len(self.questions) + 1
        q: dict = {
            "id": self._qid(item.name, number),
            "type": "single",
            "skills": [],
            "difficulty": item.difficulty,
            "stem": item.stem,
            "evidence": item.evidence,
            "key": [],
            "explanation": item.feedback,
            "options": [],
        }
        if item.teacher_note:
            q["teacher_note"] = item.teacher_note
        notes: list[tuple[str, dict]] = []
        if item.kind == "matching":
            notes += self._order(q, item)
        elif item.kind == "order":
            q["type"] = "order"
            q["options"] = [
                {"id": OPTION_IDS[i], "text": c.text, "feedback": c.feedback}
                for i, c in enumerate(item.choices)
            ]
            q["key"] = [o["id"] for o in q["options"]]
        else:
            notes += self._choices(q, item)
            notes += self._recover(q)
        notes += self._skills(q, item.tags)
        self.questions.append(q)
        self.line(
            "imported", source=item.source, number=number, kind=q["type"], stem=short(q["stem"])
        )
        for code, params in notes + item.notes:
            self.line(code, number=number, **params)
        for fmt, fields in item.formats.items():
            self.line("text_format", number=number, fields=fields, fmt=fmt)
        self.line("needs", number=number, fields=_needs(q))  # tidied in result()

    def _qid(self, name: str, number: int) -> str:
        taken = {q["id"] for q in self.questions}
        for candidate in (name, slugify(name).rsplit("-", 1)[0] if name else "", f"q{number}"):
            candidate = candidate[:60].strip("-_")
            if candidate and QID.match(candidate) and candidate not in taken:
                return candidate
        n = number
        while f"q{n}" in taken:
            n += 1
        return f"q{n}"

    def _choices(self, q: dict, item: Item) -> list[tuple[str, dict]]:
        options = [
            {"id": OPTION_IDS[i], "text": c.text, "feedback": c.feedback}
            for i, c in enumerate(item.choices)
        ]
        q["options"] = options
        texts = sorted(c.text.strip().lower() for c in item.choices)
        if item.kind == "truefalse" or (not item.multi and texts == ["false", "true"]):
            q["type"] = "true_false"
            for o in options:
                o["id"] = "true" if o["text"].strip().lower() == "true" else "false"
            q["key"] = [o["id"] for o, c in zip(options, item.choices, strict=True) if right(c)][:1]
            return [] if q["key"] else [("credit_no_key", {})]
        if item.multi:
            q["type"] = "multiple"
            return multiple_credit(q, item)
        return single_credit(q, item)

    def _order(self, q: dict, item: Item) -> list[tuple[str, dict]]:
        q["type"] = "order"
        q["options"] = [
            {"id": OPTION_IDS[i], "text": left, "feedback": ""}
            for i, (left, _) in enumerate(item.pairs)
        ]
        position = {OPTION_IDS[i]: int(right) for i, (_, right) in enumerate(item.pairs)}
        q["key"] = sorted(position, key=position.get)
        # Lateral's export appends "N. item: feedback" lines, in order, to the explanation.
        explanation, _, last = q["explanation"].rpartition("\n\n")
        by_id = {o["id"]: o for o in q["options"]}
        lines = last.split("\n")
        feedback = {}
        for oid, line in zip(q["key"], lines, strict=False):
            match = _ITEM_LINE.match(line)
            prefix = f"{by_id[oid]['text']}: "
            if match and int(match[1]) == len(feedback) + 1 and match[2].startswith(prefix):
                feedback[oid] = match[2][len(prefix) :]
        if len(feedback) == len(lines) == len(q["key"]):
            for oid, text in feedback.items():
                by_id[oid]["feedback"] = text
            q["explanation"] = explanation
        notes = [("recovered_order", {"count": len(q["key"])})]
        if not self.lateral:
            notes.append(("credit_order", {}))
        return notes

    def _recover(self, q: dict) -> list[tuple[str, dict]]:
        """Give back the passage and cer types that Lateral's exports flatten."""
        notes = []
        numbers = [_passage_number(o["text"], self.passages) for o in q["options"]]
        if (
            q["type"] in ("single", "multiple")
            and all(numbers)
            and len(set(numbers)) == len(numbers)
        ):
            q["type"] = "passage"
            ids = {o["id"]: f"p{n}" for o, n in zip(q["options"], numbers, strict=True)}
            q["key"] = [ids[k] for k in q["key"]]
            for o, n in zip(q["options"], numbers, strict=True):
                o.update(id=f"p{n}", passage=n)
                del o["text"]
            notes.append(("recovered_passage", {}))
        explanation, _, last = q["explanation"].rpartition("\n\n")
        match = _EVIDENCE.match(last or q["explanation"])
        keyed = [int(n) for n in match[1].split(", ")] if match else []
        if q["type"] == "single" and keyed and max(keyed) <= len(self.passages):
            q["type"] = "cer"
            q["explanation"] = explanation
            q["evidence_choices"] = list(range(1, len(self.passages) + 1))
            q["evidence_key"] = keyed
            q["evidence_feedback"] = (match[2] or "").strip()
            notes.append(("recovered_cer", {"passages": keyed}))
        return notes

    def _skills(self, q: dict, tags: list[str]) -> list[tuple[str, dict]]:
        skills = [t.upper() for t in tags if t.upper() in SKILLS]
        q["skills"] = list(dict.fromkeys(skills))[:2]
        others = [t for t in tags if t.upper() not in q["skills"]]
        return [("tags", {"tags": "”, “".join(others)})] if others else []


def _is_order(pairs: list[tuple[str, str]]) -> bool:
    """Whether a matching question's answers number its items 1…n (an order)."""
    answers = [right.strip() for _, right in pairs]
    return (
        len(pairs) >= 2
        and all(left.strip() for left, _ in pairs)
        and all(a.isdigit() for a in answers)
        and sorted(int(a) for a in answers) == list(range(1, len(pairs) + 1))
    )


def _passage_number(text: str, passages: list[str]) -> int | None:
    match = _PASSAGE.match(text or "")
    if match and 1 <= int(match[1]) <= len(passages) and passages[int(match[1]) - 1] == match[2]:
        return int(match[1])
    return None


def _needs(q: dict) -> list[str]:
    """What the teacher still has to write before the question can be published, as
    codes (quiz.authoring.interchange.parts.NEEDS)."""
    needs = []
    if not q["skills"]:
        needs.append("skills")
    if not q["difficulty"]:
        needs.append("difficulty")
    if not q["evidence"]:
        needs.append("evidence")
    if not q["explanation"]:
        needs.append("explanation")
    if not q["key"]:
        needs.append("key")
    if len(q["stem"]) > MAX_STEM:
        needs.append(parts.code("shorter_stem", MAX_STEM))
    if not q["stem"]:
        needs.append("stem")
    lacking = [str(n) for n, o in enumerate(q["options"], start=1) if not o["feedback"]]
    if lacking:
        name = "option_feedback" if len(lacking) == 1 else "options_feedback"
        needs.append(parts.code(name, ",".join(lacking)))
    return needs
