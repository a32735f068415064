"""Drawing primitives for the report's server-made SVG charts (quiz.results.charts).

Lengths are in percentages of the chart's width and in ``em`` of the page's text, so a
chart's text is the body text's size everywhere; every text passes through html.escape;
colours are presentation attributes (the CSP forbids inline styles) and meet WCAG AA.
"""

from __future__ import annotations

import re
from html import escape

INK = "#1d2433"  # text, 15:1 on white
MUTED = "#4a5468"  # axis labels, 7.6:1
BAR = "#1f5fa8"  # main bars, 6.4:1
BEFORE = "#6b7385"  # "before" bars, 4.8:1
GRID = "#d5d9e0"
BAND = "#e7f4ec"  # ideal range fill
BAND_LINE = "#1b6b3a"  # ideal range outline, 6.6:1
LABEL_CHARS = 36  # a label on its own line: about a phone's width of body text
SHORT_LABEL_CHARS = 6  # labels this short go beside their bars
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif"


def escaped(value: object) -> str:
    return escape(str(value), quote=True)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "chart"


def short(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def num(value: float) -> str:
    return f"{value:g}"


def length(value: float, unit: str) -> str:
    """A length for an SVG attribute: 12.5 and "em" give "12.5em"."""
    return f"{round(value, 3):g}{unit}"


def text(x: str, y: str, content, *, anchor="start", fill=INK, weight=None, dx=None) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    if dx:
        extra += f' dx="{dx}"'
    attributes = f'x="{x}" y="{y}" text-anchor="{anchor}" fill="{fill}"{extra}'
    return f"<text {attributes}>{escaped(content)}</text>"


def rect(x: str, y: str, width: str, height: str, fill: str, extra: str = "") -> str:
    return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}"{extra}/>'


def vline(x: str, top: float, bottom: float) -> str:
    return (
        f'<line x1="{x}" y1="{length(top, "em")}" x2="{x}" y2="{length(bottom, "em")}" '
        f'stroke="{GRID}" stroke-width="2"/>'
    )


def document(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> str:
    """One chart: ``height`` in em, the width the page's."""
    cid = escaped(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
        f'height="{length(height, "em")}" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family="{escaped(FONT_FAMILY)}">'
        f'<title id="{cid}-title">{escaped(title)}</title>'
        f'<desc id="{cid}-desc">{escaped(desc)}</desc>'
        f'<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )
