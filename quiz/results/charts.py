"""Charts for the facilitator's report, as SVG strings made on the server.

Every chart is one self-contained ``<svg>``: ``role="img"``, a ``<title>`` and a
``<desc>`` (which lists the figures, so the chart has a text alternative of its own), a
``viewBox`` and ``width="100%"`` so it scales to a projector or a phone. Text is at least
18 units high in an 800-unit-wide picture (18px and up when the chart is shown 800px
wide), colours come from the app's palette and meet WCAG AA against white, and values
are written beside the bars, so nothing depends on colour alone. There are no scripts,
no external references and no ``style`` attributes (the page's CSP forbids inline
styles): colours and fonts are SVG presentation attributes. Every text passes through
html.escape.
"""

from __future__ import annotations

import re
from html import escape

from ..web.formatting import percent

WIDTH = 800
FONT = 20
SMALL = 18
INK = "#1d2433"  # text, 15:1 on white
MUTED = "#4a5468"  # axis labels, 7.6:1
BAR = "#1f5fa8"  # main bars, 6.4:1
BEFORE = "#6b7385"  # "before" bars, 4.8:1
GRID = "#d5d9e0"
BAND = "#e7f4ec"  # ideal range fill
BAND_LINE = "#1b6b3a"  # ideal range outline, 6.6:1
LABEL_CHARS = 30
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif"


def _e(value) -> str:
    return escape(str(value), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "chart"


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _pct(value: float | None) -> str:
    return percent(value, none="no answers")


def _num(value: float) -> str:
    return f"{value:g}"


def _text(x, y, content, *, size=FONT, anchor="start", fill=INK, weight=None) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{_e(content)}</text>'
    )


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> str:
    cid = _e(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
        f'viewBox="0 0 {WIDTH} {height:g}" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{_e(FONT_FAMILY)}">'
        f'<title id="{cid}-title">{_e(title)}</title>'
        f'<desc id="{cid}-desc">{_e(desc)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:g}" fill="#ffffff"/>'
        + "".join(body)
        + "</svg>"
    )


def _empty(chart_id: str, title: str, message: str) -> str:
    return _svg(chart_id, title, message, 80, [_text(WIDTH / 2, 48, message, anchor="middle")])


def bar_chart(
    title: str,
    rows: list[tuple[str, float | None]],
    *,
    desc: str | None = None,
    chart_id: str | None = None,
    max_value: float = 1.0,
    percent: bool = True,
) -> str:
    """Horizontal bars, one per (label, value); values are shares 0..1 by default.

    With ``percent=False`` values are counts drawn against ``max_value``. A value of
    None draws no bar and reads "no answers".
    """
    chart_id = chart_id or f"chart-{_slug(title)}"
    fmt = _pct if percent else (lambda v: "no answers" if v is None else _num(v))
    if desc is None:
        desc = "; ".join(f"{label}: {fmt(value)}" for label, value in rows) or "No data."
    if not rows:
        return _empty(chart_id, title, "No data yet.")
    labels = [_short(label) for label, _ in rows]
    label_w = min(360, max(60, 11 * max(len(s) for s in labels)))
    x0, x1 = label_w + 20, WIDTH - 110
    row_h, bar_h, top = 44, 28, 12
    scale = (x1 - x0) / (max_value or 1)
    body = []
    if percent:
        ticks = (0, 0.5, 1)
    else:  # counts: whole-number ticks only
        ticks = tuple(
            sorted({0, max_value / 2, max_value} if max_value % 2 == 0 else {0, max_value})
        )
    bottom = top + row_h * len(rows)
    for t in ticks:
        x = x0 + t * scale
        body.append(
            f'<line x1="{x:g}" y1="{top}" x2="{x:g}" y2="{bottom:g}" stroke="{GRID}" '
            f'stroke-width="2"/>'
        )
        body.append(_text(x, bottom + 26, fmt(t), size=SMALL, anchor="middle", fill=MUTED))
    for i, (label, (_, value)) in enumerate(zip(labels, rows, strict=True)):
        y = top + i * row_h
        mid = y + row_h / 2 + 7
        body.append(_text(label_w + 8, mid, label, anchor="end"))
        if value is None:
            body.append(_text(x0 + 8, mid, "no answers", fill=MUTED))
            continue
        w = max(0.0, min(value, max_value)) * scale
        body.append(
            f'<rect x="{x0}" y="{y + (row_h - bar_h) / 2:g}" width="{w:g}" height="{bar_h}" '
            f'fill="{BAR}"/>'
        )
        body.append(_text(x0 + w + 8, mid, fmt(value), weight="700"))
    return _svg(chart_id, title, desc, bottom + 40, body)


def calibration_chart(rows: list[dict], *, chart_id: str = "chart-calibration") -> str:
    """Share right at each confidence level, over the ideal range for that level.

    ``rows``: ``{label, n, share_right, band: (low, high)}`` for confidence 1, 2, 3 (as in
    ``report.build()["confidence"]["calibration"]``). The ideal ranges come from
    certainty-based marking: each level pays best when that share of its answers is right.
    """
    title = "Confidence against correctness"
    if not any(r["n"] for r in rows):
        return _empty(chart_id, title, "No one rated their confidence yet.")
    desc = "Share of answers fully right at each confidence level, with the ideal range. " + (
        "; ".join(
            f"{r['label']}: {_pct(r['share_right'])} right of {r['n']} answers "
            f"(ideal {_pct(r['band'][0])} to {_pct(r['band'][1])})"
            for r in rows
        )
    )
    left, right_edge, top, plot_h = 90, WIDTH - 20, 56, 300
    bottom = top + plot_h
    body = []
    for t in (0, 0.25, 0.5, 0.75, 1):
        y = bottom - t * plot_h
        body.append(
            f'<line x1="{left}" y1="{y:g}" x2="{right_edge}" y2="{y:g}" stroke="{GRID}" '
            f'stroke-width="2"/>'
        )
        body.append(_text(left - 10, y + 6, _pct(t), size=SMALL, anchor="end", fill=MUTED))
    col = (right_edge - left) / len(rows)
    for i, r in enumerate(rows):
        body += _calibration_column(r, left + col * (i + 0.5), col, (top, bottom))
    legend_y = bottom + 90
    body.append(
        f'<rect x="{left}" y="{legend_y - 18}" width="28" height="22" fill="{BAND}" '
        f'stroke="{BAND_LINE}" stroke-width="2" stroke-dasharray="8 5"/>'
    )
    body.append(_text(left + 38, legend_y, "Ideal range for this confidence", size=SMALL))
    body.append(f'<rect x="{left + 400}" y="{legend_y - 18}" width="28" height="22" fill="{BAR}"/>')
    body.append(_text(left + 438, legend_y, "Share fully right", size=SMALL))
    body.insert(0, _text(left, 30, "Share fully right", size=SMALL, fill=MUTED))
    return _svg(chart_id, title, desc, legend_y + 20, body)


def _calibration_column(r: dict, cx: float, col: float, span: tuple[int, int]) -> list[str]:
    """One confidence level: its ideal range, its share right and its labels."""
    top, bottom = span
    plot_h = bottom - top
    low, high = r["band"]
    out = [
        f'<rect x="{cx - col * 0.4:g}" y="{bottom - high * plot_h:g}" width="{col * 0.8:g}" '
        f'height="{(high - low) * plot_h:g}" fill="{BAND}" stroke="{BAND_LINE}" '
        f'stroke-width="2" stroke-dasharray="8 5"/>'
    ]
    share = r["share_right"]
    if share is not None:
        h = share * plot_h
        out.append(
            f'<rect x="{cx - col * 0.2:g}" y="{bottom - h:g}" width="{col * 0.4:g}" '
            f'height="{h:g}" fill="{BAR}"/>'
        )
        value_y = max(bottom - h - 10, top - 8)
        out.append(_text(cx, value_y, _pct(share), anchor="middle", weight="700"))
    else:
        out.append(_text(cx, bottom - 10, "no answers", size=SMALL, anchor="middle"))
    out.append(_text(cx, bottom + 30, r["label"], anchor="middle"))
    out.append(_text(cx, bottom + 54, f"n = {r['n']}", size=SMALL, anchor="middle", fill=MUTED))
    return out


def before_after_chart(
    rows: list[tuple[str, float | None, float | None]],
    *,
    title: str = "Check forms: before and after",
    chart_id: str = "chart-before-after",
) -> str:
    """Paired bars per (label, before, after) share; each bar is labelled in words."""
    if not rows:
        return _empty(chart_id, title, "No check forms in this session.")
    desc = "Mean score on the check form before and after the set. " + "; ".join(
        f"{label}: before {_pct(b)}, after {_pct(a)}" for label, b, a in rows
    )
    labels = [_short(label) for label, _, _ in rows]
    label_w = min(340, max(80, 11 * max(len(s) for s in labels)))
    x0, x1 = label_w + 20, WIDTH - 190
    bar_h, gap, top = 26, 22, 12
    row_h = 2 * bar_h + 6 + gap
    scale = x1 - x0
    body = []
    bottom = top + row_h * len(rows)
    for t in (0, 0.5, 1):
        x = x0 + t * scale
        body.append(
            f'<line x1="{x:g}" y1="{top}" x2="{x:g}" y2="{bottom - gap:g}" stroke="{GRID}" '
            f'stroke-width="2"/>'
        )
        body.append(_text(x, bottom + 6, _pct(t), size=SMALL, anchor="middle", fill=MUTED))
    for i, (label, (_, before, after)) in enumerate(zip(labels, rows, strict=True)):
        y = top + i * row_h
        body.append(_text(label_w + 8, y + bar_h + 10, label, anchor="end"))
        for j, (name, value, colour) in enumerate(
            (("Before", before, BEFORE), ("After", after, BAR))
        ):
            by = y + j * (bar_h + 6)
            if value is None:
                body.append(_text(x0 + 8, by + bar_h - 6, f"{name}: no answers", size=SMALL))
                continue
            w = max(0.0, min(value, 1.0)) * scale
            body.append(
                f'<rect x="{x0}" y="{by:g}" width="{w:g}" height="{bar_h}" fill="{colour}"/>'
            )
            body.append(_text(x0 + w + 8, by + bar_h - 6, f"{name} {_pct(value)}", size=SMALL))
    return _svg(chart_id, title, desc, bottom + 20, body)


def charts_for(r: dict) -> dict[str, str]:
    """Return the report's charts by key: facility, skills, misconceptions, calibration,
    before_after. A key's value is "" when the report has nothing to draw for it."""
    questions = r["questions"]
    charts = {
        "facility": bar_chart(
            "Facility: share of marks per question",
            [(f"Question {q['number']}", q["facility"]) for q in questions],
            chart_id="chart-facility",
        )
        if questions
        else "",
        "skills": bar_chart(
            "Group results per skill",
            [(s["name"], s["mean"]) for s in r["skills"]],
            chart_id="chart-skills",
        )
        if r["skills"]
        else "",
        "misconceptions": "",
        "calibration": "",
        "before_after": "",
    }
    overall = r["misconceptions"]["overall"]
    if overall:
        charts["misconceptions"] = bar_chart(
            "Misconceptions: times chosen",
            [(m["label"], m["count"]) for m in overall],
            chart_id="chart-misconceptions",
            max_value=max(m["count"] for m in overall),
            percent=False,
        )
    if r["confidence"]["rated"]:
        charts["calibration"] = calibration_chart(r["confidence"]["calibration"])
    learning = r.get("learning")
    if learning:
        rows = [("All questions", learning["before"]["mean"], learning["after"]["mean"])]
        rows += [(s["name"], s["before"], s["after"]) for s in learning["skills"]]
        charts["before_after"] = before_after_chart(rows)
    return charts
