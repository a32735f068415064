"""Problems found in set data, and the checker that collects them while walking it.

A `Problem` names the file, the question and the field; `InvalidSet` carries every
problem of a file that was refused; `Checker` collects them and checks the plain text
and flag fields. The checks themselves are in sets.validation (the set, its article and
guide) and sets.question_checks (each question, its options and key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .messages import MESSAGES, label

MAX_TEXT = 2000


@dataclass(frozen=True)
class Problem:
    """One error or warning, naming the file, the question and the field.

    ``field`` is the field's path in the set file (``options[a].feedback``) and
    ``message`` says what is wrong in set-file terms; ``plain`` says it in the
    teacher's words, naming the field as the editor shows it; ``number`` is the
    question's place in the set (1 for the first), None for the set as a whole.
    """

    file: str
    question: str | None
    field: str
    message: str
    plain: str = ""
    number: int | None = None

    @classmethod
    def of(cls, file: str, field: str, code: str, **params: Any) -> Problem:
        """Return a problem of the whole file from its message code (quiz.sets.messages)."""
        technical, plain = MESSAGES[code]
        return cls(file, None, field, technical.format(**params), plain.format(**params))

    def __str__(self) -> str:
        where = self.file
        if self.question:
            where += f": question '{self.question}'"
        return f"{where}: field '{self.field}': {self.message}"


class InvalidSet(Exception):
    """A set file with errors; nothing of it was loaded."""

    def __init__(self, problems: list[Problem], raw: Any = None):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        self.raw = raw if isinstance(raw, dict) else {}  # the data, when it was read


@dataclass
class Checker:
    """Collect problems for one file while walking its data."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    number: int | None = None  # the question being checked, None for the set

    def add(self, question: str | None, field_: str, code: str, **params: Any) -> None:
        """Record a problem by its message code (quiz.sets.messages.MESSAGES).

        The image and rubric checks (sets.images, sets.rubrics, sets.cues,
        sets.material) still pass their set-file message itself rather than a code;
        it is then the message in both registers (no plain wording of its own yet).
        """
        if code in MESSAGES:
            technical, plain = MESSAGES[code]
        else:
            technical, plain = code.replace("{", "{{").replace("}", "}}"), ""
        self.problems.append(
            Problem(
                self.file,
                question,
                field_,
                technical.format(**params),
                plain.format(**params),
                self.number,
            )
        )

    def text(
        self,
        data: dict,
        key: str,
        q: str | None,
        *,
        required=True,
        limit=MAX_TEXT,
        field: str | None = None,
        name: str | None = None,
        **params: Any,
    ):
        """Check a text field; ``field`` is its path (``key`` by default) and ``name``
        its entry in messages.FIELDS (``field`` by default)."""
        path = field or key
        shown = label(name or path, **params)
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(
                    q,
                    path,
                    "option_missing" if name == "option.text" else "missing",
                    label=shown,
                    **params,
                )
            return None
        if not isinstance(value, str):
            self.add(q, path, "not_text", label=shown)
            return None
        if len(value) > limit:
            self.add(q, path, "too_long", label=shown, limit=limit)
            return None
        return value.strip()

    def flag(self, data: dict, key: str, q: str | None) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.add(q, key, "not_flag", label=label(key))
            return False
        return value
