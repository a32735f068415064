"""What the GIFT and Moodle XML exports share: texts as HTML, option texts, the general
feedback, Moodle's grade fractions and the article as a description question.

See the package docstring for what the two formats carry and what they cannot.
"""

from __future__ import annotations

import html

from ...play.answering import takes_several

# Moodle's grade fractions, in percent, as Moodle writes them.
FRACTIONS = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40",
    "33.33333", "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5",
)  # fmt: skip


def html_text(text: str) -> str:
    """Plain text as HTML: escaped, each line break kept as <br> plus a newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text, quote=False).replace("\n", "<br>\n")


def option_text(q: dict, option: dict) -> str:
    """The option as an LMS shows it (a passage option names its passage)."""
    if q["type"] == "passage":
        return f"Passage {option['passage']}: {option['text']}"
    return option["text"]


def general_feedback(q: dict) -> str:
    """The explanation, plus what the LMS question cannot show otherwise (plain text)."""
    parts = [q["explanation"]]
    if q["type"] == "order":
        by_id = {o["id"]: o for o in q["options"]}
        parts.append(
            "\n".join(
                f"{n}. {by_id[oid]['text']}: {by_id[oid]['feedback']}"
                for n, oid in enumerate(q["key"], start=1)
            )
        )
    elif q["type"] == "cer":
        keyed = q.get("evidence_key") or []
        label = "Evidence: passage" + ("s" if len(keyed) > 1 else "")
        numbers = ", ".join(str(n) for n in keyed)
        parts.append(f"{label} {numbers}. {q.get('evidence_feedback') or ''}".rstrip())
    return "\n\n".join(parts)


def weight(percent: float) -> str:
    """Snap a percentage to the nearest grade fraction Moodle accepts (sign kept)."""
    best = min(FRACTIONS, key=lambda f: abs(float(f) - abs(percent)))
    return best if percent >= 0 else f"-{best}"


def fractions(q: dict) -> dict[str, str]:
    """Option id → Moodle fraction in percent, consistent with Lateral's scoring."""
    key = set(q["key"])
    if not takes_several(q):
        return {o["id"]: "100" if o["id"] in key else "0" for o in q["options"]}
    share = 100 / len(key)
    return {o["id"]: weight(share if o["id"] in key else -share) for o in q["options"]}


def article_html(data: dict) -> str:
    art = data["article"]
    out = [
        f"<h3>{html_text(art['title'])}</h3>",
        f"<p>{html_text(art['outlet'])}, {html_text(art['date'])}</p>",
    ]
    if art.get("translation_note"):
        out.append(f"<p><em>{html_text(art['translation_note'])}</em></p>")
    if art.get("url"):
        href = html.escape(art["url"], quote=True)
        out.append(f'<p><a href="{href}">{html_text(art["url"])}</a></p>')
    out.append("<ol>" + "".join(f"<li>{html_text(p)}</li>" for p in art["passages"]) + "</ol>")
    return "\n".join(out)


def one_line(text: str) -> str:
    return " ".join(str(text).split())
