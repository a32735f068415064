"""Charts for the facilitator's report, as SVG strings made on the server.

Every chart is one self-contained ``<svg>``: ``role="img"``, a ``<title>`` and a
``<desc>`` (which lists the figures, so the chart has a text alternative of its own).
There is no ``viewBox``: a chart is laid out in percentages of its width and in ``em``
of the page's text, and its text carries no size of its own, so it is the size of the
body text on a phone, a laptop or paper alike (a viewBox scales text with the width:
8px on a phone, 28px on a projector). Long labels sit on their own line above their
bar, so a phone's width is enough. Colours come from the app's palette and meet WCAG
AA against white, and values are written beside the bars, so nothing depends on colour
alone. There are no scripts, no external references and no ``style`` attributes (the
page's CSP forbids inline styles): colours are SVG presentation attributes. Every text
passes through html.escape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..sets.vocabulary import MINIMUM_ANSWERS, TOO_FEW, TOO_FEW_SHORT
from ..web.formatting import percent

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
# The chart's own words (the rest are the report's labels and figures).
TEXTS = {
    "no answers": _l("no answers"),
    "no data": _l("No data."),
    "no data yet": _l("No data yet."),
    "no ratings": _l("No one rated their confidence yet."),
    "no checks": _l("No check forms in this session."),
    "question": _l("Q{number}"),
    "ideal": _l("Ideal range for this confidence"),
    "share right": _l("Share fully right"),
    "before": _l("Before"),
    "after": _l("After"),
    "n": "n = {n}",
}


def _e(value) -> str:
    return escape(str(value), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "chart"


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _pct(value: float | None) -> str:
    return percent(value, none=TEXTS["no answers"])


def _num(value: float) -> str:
    return f"{value:g}"


def _len(value: float, unit: str) -> str:
    """A length for an SVG attribute: 12.5 and "em" give "12.5em"."""
    return f"{round(value, 3):g}{unit}"


def _text(x: str, y: str, content, *, anchor="start", fill=INK, weight=None, dx=None) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    if dx:
        extra += f' dx="{dx}"'
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}" fill="{fill}"{extra}>{_e(content)}</text>'


def _rect(x: str, y: str, width: str, height: str, fill: str, extra: str = "") -> str:
    return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}"{extra}/>'


def _vline(x: str, top: float, bottom: float) -> str:
    return (
        f'<line x1="{x}" y1="{_len(top, "em")}" x2="{x}" y2="{_len(bottom, "em")}" '
        f'stroke="{GRID}" stroke-width="2"/>'
    )


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> str:
    """One chart: ``height`` in em, the width the page's."""
    cid = _e(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
        f'height="{_len(height, "em")}" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family="{_e(FONT_FAMILY)}">'
        f'<title id="{cid}-title">{_e(title)}</title>'
        f'<desc id="{cid}-desc">{_e(desc)}</desc>'
        f'<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _empty(chart_id: str, title: str, message: str) -> str:
    return _svg(chart_id, title, message, 3, [_text("50%", "1.9em", message, anchor="middle")])


def bar_chart(
    title: str,
    rows: list[tuple[str, float | str | None]],
    *,
    desc: str | None = None,
    chart_id: str | None = None,
    max_value: float = 1.0,
    percent: bool = True,
) -> str:
    """Horizontal bars, one per (label, value); values are shares 0..1 by default.

    With ``percent=False`` values are counts drawn against ``max_value``. A value of
    None draws no bar and reads "no answers"; a string draws no bar and reads itself
    ("too few"). Short labels ("Q12") go beside their bars, longer ones on a line above.
    """
    chart_id = chart_id or f"chart-{_slug(title)}"
    number = _pct if percent else (lambda v: TEXTS["no answers"] if v is None else _num(v))

    def fmt(value: float | str | None) -> str:
        return value if isinstance(value, str) else number(value)

    if desc is None:
        desc = "; ".join(f"{label}: {fmt(value)}" for label, value in rows) or TEXTS["no data"]
    if not rows:
        return _empty(chart_id, title, TEXTS["no data yet"])
    labels = [_short(label) for label, _value in rows]
    beside = max(len(s) for s in labels) <= SHORT_LABEL_CHARS
    # Where bars start and how far the longest reaches, in % of the width; the rest is
    # room for the value written after it. Rows and their parts are in em.
    x0, span = (16, 62) if beside else (0, 75)
    row, bar_y, bar_h = (1.9, 0.35, 1.2) if beside else (3.1, 1.45, 1.15)
    top = 0.4
    bottom = top + row * len(rows)
    scale = span / (max_value or 1)
    body = _axis(_ticks(percent, max_value), fmt, x0, scale, top, bottom, beside)
    for i, (label, (_name, value)) in enumerate(zip(labels, rows, strict=True)):
        y = top + i * row
        mid = _len(y + bar_y + bar_h * 0.8, "em")
        if beside:
            body.append(_text(_len(x0 - 2, "%"), mid, label, anchor="end"))
        else:
            body.append(_text("0", _len(y + 1.05, "em"), label))
        if value is None or isinstance(value, str):
            body.append(_text(_len(x0, "%"), mid, fmt(value), fill=MUTED, dx="0.3em"))
            continue
        w = max(0.0, min(value, max_value)) * scale
        body.append(
            _rect(_len(x0, "%"), _len(y + bar_y, "em"), _len(w, "%"), _len(bar_h, "em"), BAR)
        )
        body.append(_text(_len(x0 + w, "%"), mid, fmt(value), weight="700", dx="0.4em"))
    return _svg(chart_id, title, desc, bottom + 1.7, body)


def _ticks(percent: bool, max_value: float) -> tuple[float, ...]:
    """Where the grid lines go: 0, 50 % and 100 %, or whole-number counts only."""
    if percent:
        return (0, 0.5, 1)
    return tuple(sorted({0, max_value / 2, max_value} if max_value % 2 == 0 else {0, max_value}))


def _axis(
    ticks: tuple[float, ...],
    fmt: Callable[[float], str],
    x0: float,
    scale: float,
    top: float,
    bottom: float,
    beside: bool,
) -> list[str]:
    """The grid lines (from ``top`` to ``bottom`` em) and their values below them."""
    body = [_vline(_len(x0 + t * scale, "%"), top, bottom) for t in ticks]
    for t in ticks:
        anchor = "start" if t == 0 and not beside else "middle"
        body.append(
            _text(
                _len(x0 + t * scale, "%"),
                _len(bottom + 1.2, "em"),
                fmt(t),
                anchor=anchor,
                fill=MUTED,
            )
        )
    return body


def calibration_chart(
    rows: list[dict], *, chart_id: str = "chart-calibration", minimum: int | None = None
) -> str:
    """Share right at each confidence level, over the ideal range for that level.

    ``rows``: ``{label, n, share_right, band: (low, high)}`` for confidence 1, 2, 3 (as in
    ``report.build()["confidence"]["calibration"]``). The ideal ranges come from
    certainty-based marking: each level pays best when that share of its answers is right.
    A level with fewer than ``minimum`` answers draws no bar ("too few").
    """
    title = _("Confidence against correctness")
    if minimum is None:
        minimum = MINIMUM_ANSWERS["calibration"]
    if not any(r["n"] for r in rows):
        return _empty(chart_id, title, TEXTS["no ratings"])

    def said(r: dict) -> str:
        if r["n"] < minimum:
            return TOO_FEW.format(n=r["n"], minimum=minimum)
        return _("%(share)s right of %(count)s answers", share=_pct(r["share_right"]), count=r["n"])

    desc = (
        _("Share of answers fully right at each confidence level, with the ideal range.")
        + " "
        + "; ".join(
            _(
                "%(label)s: %(said)s (ideal %(low)s to %(high)s)",
                label=r["label"],
                said=said(r),
                low=_pct(r["band"][0]),
                high=_pct(r["band"][1]),
            )
            for r in rows
        )
    )
    left, top, plot = 14.0, 1.6, 10.0  # the plot: from 14% of the width, 10em high
    bottom = top + plot
    body = [_text("0", "1em", TEXTS["share right"], fill=MUTED)]
    for t in (0, 0.25, 0.5, 0.75, 1):
        y = bottom - t * plot
        body.append(
            f'<line x1="{_len(left, "%")}" y1="{_len(y, "em")}" x2="100%" y2="{_len(y, "em")}" '
            f'stroke="{GRID}" stroke-width="2"/>'
        )
        body.append(_text("0", _len(y + 0.35, "em"), _pct(t), fill=MUTED))
    col = (100 - left) / len(rows)
    for i, r in enumerate(rows):
        body += _calibration_column(r, left + col * (i + 0.5), col, (top, bottom), minimum)
    legend = bottom + 3.6
    body.append(
        _rect(
            "0",
            _len(legend, "em"),
            "1.6em",
            "1.1em",
            BAND,
            f' stroke="{BAND_LINE}" stroke-width="2" stroke-dasharray="8 5"',
        )
    )
    body.append(_text("2.2em", _len(legend + 0.9, "em"), TEXTS["ideal"]))
    body.append(_rect("0", _len(legend + 1.6, "em"), "1.6em", "1.1em", BAR))
    body.append(_text("2.2em", _len(legend + 2.5, "em"), TEXTS["share right"]))
    return _svg(chart_id, title, desc, legend + 3.1, body)


def _calibration_column(
    r: dict, cx: float, col: float, span: tuple[float, float], minimum: int
) -> list[str]:
    """One confidence level: its ideal range, its share right and its labels."""
    top, bottom = span
    plot = bottom - top
    low, high = r["band"]
    out = [
        _rect(
            _len(cx - col * 0.4, "%"),
            _len(bottom - high * plot, "em"),
            _len(col * 0.8, "%"),
            _len((high - low) * plot, "em"),
            BAND,
            f' stroke="{BAND_LINE}" stroke-width="2" stroke-dasharray="8 5"',
        )
    ]
    share = r["share_right"]
    centre = _len(cx, "%")
    if share is not None and r["n"] >= minimum:
        h = share * plot
        out.append(
            _rect(
                _len(cx - col * 0.2, "%"),
                _len(bottom - h, "em"),
                _len(col * 0.4, "%"),
                _len(h, "em"),
                BAR,
            )
        )
        value_y = max(bottom - h - 0.3, top - 0.2)
        out.append(_text(centre, _len(value_y, "em"), _pct(share), anchor="middle", weight="700"))
    else:
        words = TEXTS["no answers"] if share is None else TOO_FEW_SHORT
        out.append(_text(centre, _len(bottom - 0.4, "em"), words, anchor="middle"))
    out.append(_text(centre, _len(bottom + 1.3, "em"), r["label"], anchor="middle"))
    out.append(
        _text(
            centre,
            _len(bottom + 2.5, "em"),
            TEXTS["n"].format(n=r["n"]),
            anchor="middle",
            fill=MUTED,
        )
    )
    return out


def before_after_chart(
    rows: list[tuple[str, float | None, float | None]],
    *,
    title: str = _l("Check forms: before and after"),
    chart_id: str = "chart-before-after",
) -> str:
    """Paired bars per (label, before, after) share; each bar is labelled in words."""
    if not rows:
        return _empty(chart_id, title, TEXTS["no checks"])
    desc = (
        _("Mean score on the check form before and after the set.")
        + " "
        + "; ".join(
            _(
                "%(label)s: before %(before)s, after %(after)s",
                label=label,
                before=_pct(b),
                after=_pct(a),
            )
            for label, b, a in rows
        )
    )
    span, bar_h, row, top = 60.0, 1.1, 4.6, 0.4  # bars reach 60%: room for "Before 100%"
    bottom = top + row * len(rows)
    body = [_vline(_len(t * span, "%"), top, bottom - 0.6) for t in (0, 0.5, 1)]
    for t in (0, 0.5, 1):
        anchor = "start" if t == 0 else "middle"
        body.append(
            _text(_len(t * span, "%"), _len(bottom + 0.6, "em"), _pct(t), anchor=anchor, fill=MUTED)
        )
    for i, (label, before, after) in enumerate(rows):
        y = top + i * row
        body.append(_text("0", _len(y + 1.05, "em"), _short(label)))
        for j, (name, value, colour) in enumerate(
            ((TEXTS["before"], before, BEFORE), (TEXTS["after"], after, BAR))
        ):
            by = y + 1.4 + j * (bar_h + 0.25)
            text_y = _len(by + bar_h * 0.8, "em")
            if value is None:
                body.append(_text("0", text_y, f"{name}: {TEXTS['no answers']}"))
                continue
            w = max(0.0, min(value, 1.0)) * span
            body.append(_rect("0", _len(by, "em"), _len(w, "%"), _len(bar_h, "em"), colour))
            body.append(_text(_len(w, "%"), text_y, f"{name} {_pct(value)}", dx="0.4em"))
    return _svg(chart_id, title, desc, bottom + 1.2, body)


def charts_for(r: dict) -> dict[str, str]:
    """Return the report's charts by key: facility, skills, misconceptions, calibration,
    before_after. A key's value is "" when the report has nothing to draw for it."""
    questions = r["questions"]
    minimum = MINIMUM_ANSWERS["facility"]
    facility = [
        (q, q["facility"] if q["enough"] or not q["answered"] else str(TOO_FEW_SHORT))
        for q in questions
    ]
    charts = {
        "facility": bar_chart(
            _("Facility: share of marks per question"),
            [(TEXTS["question"].format(number=q["number"]), value) for q, value in facility],
            desc="; ".join(
                _(
                    "Question %(number)s: %(value)s",
                    number=q["number"],
                    value=TOO_FEW.format(n=q["answered"], minimum=minimum)
                    if value == TOO_FEW_SHORT
                    else _pct(value),
                )
                for q, value in facility
            ),
            chart_id="chart-facility",
        )
        if questions
        else "",
        "skills": bar_chart(
            _("Group results per skill"),
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
            _("Misconceptions: times chosen"),
            [(m["label"], m["count"]) for m in overall],
            chart_id="chart-misconceptions",
            max_value=max(m["count"] for m in overall),
            percent=False,
        )
    if r["confidence"]["rated"]:
        charts["calibration"] = calibration_chart(r["confidence"]["calibration"])
    learning = r.get("learning")
    if learning:
        rows = [(_("All questions"), learning["before"]["mean"], learning["after"]["mean"])]
        rows += [(s["name"], s["before"], s["after"]) for s in learning["skills"]]
        charts["before_after"] = before_after_chart(rows)
    return charts
