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

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..sets.vocabulary import MINIMUM_ANSWERS, TOO_FEW, TOO_FEW_SHORT
from ..web.formatting import percent
from .svg import (
    BAND,
    BAND_LINE,
    BAR,
    BEFORE,
    GRID,
    MUTED,
    SHORT_LABEL_CHARS,
    document,
    length,
    num,
    rect,
    short,
    slug,
    text,
    vline,
)

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


def _pct(value: float | None) -> str:
    return percent(value, none=TEXTS["no answers"])


def _empty(chart_id: str, title: str, message: str) -> str:
    return document(chart_id, title, message, 3, [text("50%", "1.9em", message, anchor="middle")])


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
    chart_id = chart_id or f"chart-{slug(title)}"
    number = _pct if percent else (lambda v: TEXTS["no answers"] if v is None else num(v))

    def fmt(value: float | str | None) -> str:
        return value if isinstance(value, str) else number(value)

    if desc is None:
        desc = "; ".join(f"{label}: {fmt(value)}" for label, value in rows) or TEXTS["no data"]
    if not rows:
        return _empty(chart_id, title, TEXTS["no data yet"])
    labels = [short(label) for label, _value in rows]
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
        mid = length(y + bar_y + bar_h * 0.8, "em")
        if beside:
            body.append(text(length(x0 - 2, "%"), mid, label, anchor="end"))
        else:
            body.append(text("0", length(y + 1.05, "em"), label))
        if value is None or isinstance(value, str):
            body.append(text(length(x0, "%"), mid, fmt(value), fill=MUTED, dx="0.3em"))
            continue
        w = max(0.0, min(value, max_value)) * scale
        body.append(
            rect(length(x0, "%"), length(y + bar_y, "em"), length(w, "%"), length(bar_h, "em"), BAR)
        )
        body.append(text(length(x0 + w, "%"), mid, fmt(value), weight="700", dx="0.4em"))
    return document(chart_id, title, desc, bottom + 1.7, body)


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
    body = [vline(length(x0 + t * scale, "%"), top, bottom) for t in ticks]
    for t in ticks:
        anchor = "start" if t == 0 and not beside else "middle"
        body.append(
            text(
                length(x0 + t * scale, "%"),
                length(bottom + 1.2, "em"),
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
    body = _calibration_grid(left, bottom, plot)
    col = (100 - left) / len(rows)
    for i, r in enumerate(rows):
        body += _calibration_column(r, left + col * (i + 0.5), col, (top, bottom), minimum)
    legend = bottom + 3.6
    body += _calibration_legend(legend)
    return document(chart_id, title, desc, legend + 3.1, body)


def _calibration_grid(left: float, bottom: float, plot: float) -> list[str]:
    """The share-right axis: a line and a label at every quarter."""
    body = [text("0", "1em", TEXTS["share right"], fill=MUTED)]
    for t in (0, 0.25, 0.5, 0.75, 1):
        y = length(bottom - t * plot, "em")
        body.append(
            f'<line x1="{length(left, "%")}" y1="{y}" x2="100%" y2="{y}" '
            f'stroke="{GRID}" stroke-width="2"/>'
        )
        body.append(text("0", length(bottom - t * plot + 0.35, "em"), _pct(t), fill=MUTED))
    return body


def _calibration_legend(top: float) -> list[str]:
    """The ideal range's dashed box and the bar's colour, each with its words."""
    dashed = f' stroke="{BAND_LINE}" stroke-width="2" stroke-dasharray="8 5"'
    return [
        rect("0", length(top, "em"), "1.6em", "1.1em", BAND, dashed),
        text("2.2em", length(top + 0.9, "em"), TEXTS["ideal"]),
        rect("0", length(top + 1.6, "em"), "1.6em", "1.1em", BAR),
        text("2.2em", length(top + 2.5, "em"), TEXTS["share right"]),
    ]


def _calibration_column(
    r: dict, cx: float, col: float, span: tuple[float, float], minimum: int
) -> list[str]:
    """One confidence level: its ideal range, its share right and its labels."""
    top, bottom = span
    plot = bottom - top
    low, high = r["band"]
    out = [
        rect(
            length(cx - col * 0.4, "%"),
            length(bottom - high * plot, "em"),
            length(col * 0.8, "%"),
            length((high - low) * plot, "em"),
            BAND,
            f' stroke="{BAND_LINE}" stroke-width="2" stroke-dasharray="8 5"',
        )
    ]
    share = r["share_right"]
    centre = length(cx, "%")
    if share is not None and r["n"] >= minimum:
        h = share * plot
        out.append(
            rect(
                length(cx - col * 0.2, "%"),
                length(bottom - h, "em"),
                length(col * 0.4, "%"),
                length(h, "em"),
                BAR,
            )
        )
        value_y = max(bottom - h - 0.3, top - 0.2)
        out.append(text(centre, length(value_y, "em"), _pct(share), anchor="middle", weight="700"))
    else:
        words = TEXTS["no answers"] if share is None else TOO_FEW_SHORT
        out.append(text(centre, length(bottom - 0.4, "em"), words, anchor="middle"))
    out.append(text(centre, length(bottom + 1.3, "em"), r["label"], anchor="middle"))
    out.append(
        text(
            centre,
            length(bottom + 2.5, "em"),
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
    body = [vline(length(t * span, "%"), top, bottom - 0.6) for t in (0, 0.5, 1)]
    for t in (0, 0.5, 1):
        anchor = "start" if t == 0 else "middle"
        x, y = length(t * span, "%"), length(bottom + 0.6, "em")
        body.append(text(x, y, _pct(t), anchor=anchor, fill=MUTED))
    for i, (label, before, after) in enumerate(rows):
        y = top + i * row
        body.append(text("0", length(y + 1.05, "em"), short(label)))
        for j, (name, value, colour) in enumerate(
            ((TEXTS["before"], before, BEFORE), (TEXTS["after"], after, BAR))
        ):
            by = y + 1.4 + j * (bar_h + 0.25)
            text_y = length(by + bar_h * 0.8, "em")
            if value is None:
                body.append(text("0", text_y, f"{name}: {TEXTS['no answers']}"))
                continue
            w = max(0.0, min(value, 1.0)) * span
            body.append(rect("0", length(by, "em"), length(w, "%"), length(bar_h, "em"), colour))
            body.append(text(length(w, "%"), text_y, f"{name} {_pct(value)}", dx="0.4em"))
    return document(chart_id, title, desc, bottom + 1.2, body)


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
