"""The Moodle GIFT export (see the package docstring for what GIFT carries)."""

from __future__ import annotations

from ...play.answering import takes_several
from ..left_out import closed_questions, gift_note
from .lms import article_html, fractions, general_feedback, html_text, one_line, option_text

GIFT_SPECIAL = "\\~=#{}:"


def to_gift(data: dict) -> str:
    """Write the set as Moodle GIFT: one block per question, blank lines between.

    Every text is HTML (`[html]` before each stem) and GIFT-escaped. `single`,
    `true_false`, the `cer` verdict and one-key `passage` questions are `=right` /
    `~wrong` with `#feedback`; `multiple` and several-key `passage` questions use
    `~%w%` weights (see the module docstring). `order` questions are GIFT matching
    questions (`=item -> position`), chosen over a description because students can
    still answer them and Moodle still marks them. The general feedback (`####`) is the
    explanation (plus item feedback for `order`, the evidence part for `cer`).
    """
    art = data["article"]
    header = (
        f"// Lateral set: {one_line(data['title'])}; source: {one_line(art['title'])}, "
        f"{one_line(art['outlet'])}, {art['date']}"
    )
    blocks = [header + gift_note(data), _gift_article(data)]
    blocks.extend(_gift_question(q) for q in closed_questions(data))
    return "\n\n".join(blocks) + "\n"


def _gift_escape(text: str) -> str:
    """Escape GIFT's special characters and line breaks."""
    out = []
    for ch in text:
        if ch in GIFT_SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


def _gift_html(markup: str) -> str:
    """GIFT-escape HTML; a leading % or [ becomes a character reference.

    Moodle would read a leading `%…%` as an answer weight and a leading `[…]` as a
    text format, so those two characters are written as `&#37;` and `&#91;`.
    """
    if markup[:1] in ("%", "["):
        markup = f"&#{ord(markup[0])};" + markup[1:]
    return _gift_escape(markup)


def _gift_text(text: str) -> str:
    return _gift_html(html_text(text))


def _gift_article(data: dict) -> str:
    name = _gift_escape(f"{data['id']}-article")
    return f"::{name}::[html]{_gift_html(article_html(data))}"


def _gift_question(q: dict) -> str:
    lines = []
    if q.get("skills"):
        lines.append("// " + " ".join(f"[tag:{s}]" for s in q["skills"]))
    lines.append(f"::{_gift_escape(q['id'])}::[html]{_gift_text(q['stem'])}{{")
    if q["type"] == "order":
        by_id = {o["id"]: o for o in q["options"]}
        position = {oid: n for n, oid in enumerate(q["key"], start=1)}
        for oid, o in by_id.items():
            lines.append(f"\t={_gift_text(o['text'])} -> {position[oid]}")
    else:
        weights = fractions(q)
        multi = takes_several(q)
        for o in q["options"]:
            if multi:
                mark = f"~%{weights[o['id']]}%"
            else:
                mark = "=" if weights[o["id"]] == "100" else "~"
            text = _gift_text(option_text(q, o))
            lines.append(f"\t{mark}{text}#{_gift_text(o['feedback'])}")
    lines.append(f"\t####{_gift_text(general_feedback(q))}")
    lines.append("}")
    return "\n".join(lines)
