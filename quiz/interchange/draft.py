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
from dataclasses import dataclass, field

from .lateral import MAX_STEM, QID, SKILLS, TYPE_LABELS, empty_set, slugify
from .report import ImportResult, ReportLine, UnreadableFile, short
from .text import FORMAT_NAMES, html_blocks, to_plain

MAX_FILE = 512 * 1024  # bytes, as for an uploaded set file
MAX_QUESTIONS = 200  # source items in one file
MAX_TEXT = 10_000  # characters in one text after conversion
MAX_OPTIONS = 8
OPTION_IDS = "abcdefgh"
FULL = 99.99  # a fraction at or above this is full marks (Moodle writes 100)

_EVIDENCE = re.compile(r"^Evidence: passages? (\d+(?:, \d+)*)\.(?:\s+(.*))?$", re.S)
_PASSAGE = re.compile(r"^Passage (\d+): (.*)$", re.S)
_ITEM_LINE = re.compile(r"^(\d+)\. (.*)$", re.S)


@dataclass
class Choice:
    """An answer option; `fraction` is Moodle's grade in percent (None: right or not)."""

    text: str
    feedback: str = ""
    right: bool = False
    fraction: float | None = None


@dataclass
class Item:
    """One thing read from a file, in the file's order."""

    source: str  # how the teacher finds it in the file: "Question 3", "Row 12"
    kind: str = "choice"  # choice, truefalse, matching, order, description, left
    stem: str = ""
    name: str = ""
    choices: list[Choice] = field(default_factory=list)
    multi: bool = False  # students may choose several options
    feedback: str = ""  # general feedback
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching
    passages: list[str] = field(default_factory=list)  # description
    article: dict | None = None  # a Lateral export's article details
    tags: list[str] = field(default_factory=list)
    left: str = ""  # the report code of a left-out item
    params: dict = field(default_factory=dict)  # for the left-out line
    notes: list[tuple[str, dict]] = field(default_factory=list)  # need the number
    formats: dict[str, list[str]] = field(default_factory=dict)  # format → fields
    kahoot: bool = False
    difficulty: str = ""
    evidence: list[str] = field(default_factory=list)
    teacher_note: str = ""

    def plain(self, text: str, fmt: str, where: str) -> str:
        """Convert one text of this item to plain text, noting what was lost."""
        converted = to_plain(text or "", fmt)
        if len(converted.text) > MAX_TEXT:
            raise UnreadableFile(
                "text_too_long",
                where=f"{where.capitalize()} of {self.source.lower()}",
                length=len(converted.text),
                limit=MAX_TEXT,
            )
        if converted.formatted:
            self.formats.setdefault(FORMAT_NAMES.get(fmt, fmt), []).append(where)
        for alt in converted.images:
            code = "text_image" if alt else "text_image_no_alt"
            self.notes.append((code, {"field": where, "alt": short(alt)}))
        for href in converted.links:
            self.notes.append(("text_link", {"field": where, "href": href}))
        return converted.text

    def leave_out(self, code: str, **params) -> Item:
        """Mark the item as left out, with the report template saying why."""
        self.kind, self.left, self.params = "left", code, params
        return self


def read_text(data: str | bytes) -> str:
    """Return a file's text: UTF-8 (a byte-order mark is dropped), at most MAX_FILE bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    check_size(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("not_utf8") from None
    if not text.strip():
        raise UnreadableFile("empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_size(data: bytes) -> None:
    """Refuse a file larger than MAX_FILE, or an empty one."""
    if not data:
        raise UnreadableFile("empty")
    if len(data) > MAX_FILE:
        raise UnreadableFile("too_big", size=len(data) // 1024, limit=MAX_FILE // 1024)


class Draft:
    """Collect items into a draft set and its report."""

    def __init__(self, title: str):
        title = " ".join((title or "").split())[:200] or "Imported questions"
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

    def line(self, code: str, **params) -> None:
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
            self.line("comment", source=item.source.lower(), text=short(text, 200))
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
                report.append(ReportLine("needs", {**line.params, "fields": _join(rest)}))
        if len(needs) > 1 and common:
            report.append(ReportLine("all_need", {"fields": _join(common)}))
        elif common:
            report.append(ReportLine("needs", {"number": 1, "fields": _join(common)}))
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
                self.line("passage_image", source=item.source, alt=params["alt"] or "none")
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
        kind = TYPE_LABELS.get(q["type"], q["type"]).lower()
        self.line("imported", source=item.source, number=number, kind=kind, stem=short(q["stem"]))
        for code, params in notes + item.notes:
            self.line(code, number=number, **params)
        for fmt, fields in item.formats.items():
            self.line("text_format", number=number, fields=_join(fields), fmt=fmt)
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
            q["key"] = [o["id"] for o, c in zip(options, item.choices, strict=True) if _right(c)][
                :1
            ]
            return [] if q["key"] else [("credit_no_key", {})]
        if item.multi:
            q["type"] = "multiple"
            return _multiple_credit(q, item)
        return _single_credit(q, item)

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
            label = "passage" if len(keyed) == 1 else "passages"
            notes.append(("recovered_cer", {"passages": f"{label} {', '.join(map(str, keyed))}"}))
        return notes

    def _skills(self, q: dict, tags: list[str]) -> list[tuple[str, dict]]:
        skills = [t.upper() for t in tags if t.upper() in SKILLS]
        q["skills"] = list(dict.fromkeys(skills))[:2]
        others = [t for t in tags if t.upper() not in q["skills"]]
        return [("tags", {"tags": "”, “".join(others)})] if others else []


def lateral_article(item: Item, markup: str) -> None:
    """Read the article description of a Lateral export back into its details."""
    blocks = html_blocks(markup)
    passages = [text for tag, text in blocks if tag == "li"]
    head = [text for tag, text in blocks if tag != "li"]
    if not blocks or blocks[0][0] != "h3" or not passages or len(head) < 2:
        return
    outlet, _, date = head[1].rpartition(", ")
    rest = head[2:]
    url = rest[-1] if rest and rest[-1].startswith(("https://", "http://")) else ""
    note = rest[0] if rest and rest[0] != url else ""
    item.passages = passages
    item.article = {
        "title": head[0],
        "outlet": outlet,
        "date": date,
        "translation_note": note,
        "url": url,
    }


def _right(choice: Choice) -> bool:
    return choice.right if choice.fraction is None else choice.fraction >= FULL


def _single_credit(q: dict, item: Item) -> list[tuple[str, dict]]:
    """Key the fully right options; report partial credit the single type drops."""
    notes = []
    q["key"] = [o["id"] for o, c in zip(q["options"], item.choices, strict=True) if _right(c)]
    for c in item.choices:
        if c.fraction is not None and 0 < c.fraction < FULL:
            notes.append(
                (
                    "credit_single_partial",
                    {"option": short(c.text, 60), "percent": _pct(c.fraction)},
                )
            )
    if len(q["key"]) > 1:
        notes.append(("credit_single_many", {"count": len(q["key"])}))
    elif not q["key"]:
        notes.append(("credit_no_key", {}))
    return notes


def _multiple_credit(q: dict, item: Item) -> list[tuple[str, dict]]:
    """Key every option worth something; report where Moodle's weights differ."""
    worth = [c.right if c.fraction is None else c.fraction > 0 for c in item.choices]
    right = [c for c, w in zip(item.choices, worth, strict=True) if w]
    q["key"] = [o["id"] for o, w in zip(q["options"], worth, strict=True) if w]
    if not right:
        return [("credit_no_key", {})]
    if item.kahoot:
        numbers = [str(i + 1) for i, w in enumerate(worth) if w]
        return [("credit_kahoot_multi", {"answers": ", ".join(numbers)})] if len(right) > 1 else []
    share = 100 / len(right)
    weights = [c.fraction for c in right if c.fraction is not None]
    wrong = [
        c.fraction
        for c, w in zip(item.choices, worth, strict=True)
        if not w and c.fraction is not None
    ]
    notes = []
    if any(abs(w - share) > 0.01 for w in weights):
        notes.append(
            (
                "credit_weights",
                {
                    "weights": _join([f"{_pct(w)}%" for w in weights]),
                    "count": len(right),
                    "share": _pct(share),
                },
            )
        )
    if any(w == 0 for w in wrong):
        notes.append(("credit_free_wrong", {"share": _pct(share)}))
    if penalties := sorted({-w for w in wrong if w < 0 and abs(-w - share) > 0.01}):
        notes.append(
            (
                "credit_penalty",
                {"penalty": _join([f"{_pct(p)}%" for p in penalties]), "share": _pct(share)},
            )
        )
    return notes


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
    """What the teacher still has to write before the question can be published."""
    needs = []
    if not q["skills"]:
        needs.append("skills")
    if not q["difficulty"]:
        needs.append("a difficulty")
    if not q["evidence"]:
        needs.append("evidence quotes from the article")
    if not q["explanation"]:
        needs.append("an explanation")
    if not q["key"]:
        needs.append("the right option")
    if len(q["stem"]) > MAX_STEM:
        needs.append(f"a shorter question (at most {MAX_STEM} characters)")
    if not q["stem"]:
        needs.append("the question text")
    lacking = [str(n) for n, o in enumerate(q["options"], start=1) if not o["feedback"]]
    if lacking:
        label = "option" if len(lacking) == 1 else "options"
        needs.append(f"feedback on {label} {_join(lacking)}")
    return needs


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
