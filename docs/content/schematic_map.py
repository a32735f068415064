"""Write the schematic map questions/media/schematic-map-crimea-border.svg.

Run from the repository root: .venv/bin/python docs/content/schematic_map.py

The outlines are a few dozen points picked by hand from an atlas (longitude,
latitude, rounded to about a tenth of a degree) and projected flat, with east-west
distances shrunk by cos 48° so shapes look roughly right. It is a schematic, not a
survey: coastlines and borders are simplified, small islands, lagoons and spits are
left out, and it shows no troop positions, no front lines and no 2014–2022 line of
contact. The SVG uses no scripts, no external references and only the generic
sans-serif font, so it is safe to serve and to print.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "questions" / "media" / "schematic-map-crimea-border.svg"

WEST, EAST, SOUTH, NORTH = 22.0, 41.0, 43.6, 54.2
KY = 56.0  # pixels per degree of latitude
KX = KY * 0.669  # cos 48°: degrees of longitude are shorter here
TOP = 78.0  # room for the title inside the image
WIDTH = round((EAST - WEST) * KX) + 20
HEIGHT = round(TOP + (NORTH - SOUTH) * KY + 104)

# Borders shared by two shapes, west to east or north to south.
BELARUS_UKRAINE = [
    (23.6, 51.6), (24.4, 51.9), (25.6, 51.95), (26.6, 51.85), (27.7, 51.55),
    (28.7, 51.5), (29.6, 51.5), (30.4, 51.3), (30.6, 51.6), (30.9, 52.05), (31.8, 52.1),
]  # fmt: skip
RUSSIA_UKRAINE = [
    (31.8, 52.1), (32.4, 52.3), (33.2, 52.35), (34.1, 51.95), (34.4, 51.7), (35.1, 51.2),
    (35.5, 50.5), (36.2, 50.4), (37.4, 50.35), (38.1, 49.95), (38.8, 49.9), (40.1, 49.6),
    (40.2, 49.2), (39.8, 48.6), (39.95, 48.3), (39.8, 47.85), (38.9, 47.8), (38.25, 47.1),
]  # fmt: skip
BELARUS_RUSSIA = [
    (31.8, 52.1), (31.6, 52.6), (32.3, 53.1), (32.75, 53.35), (32.3, 53.7), (31.6, 54.0),
    (31.1, 54.2),
]  # fmt: skip
UKRAINE_WEST = [  # Moldova, Romania, Hungary, Slovakia, Poland: south to north
    (28.25, 45.45), (28.9, 46.0), (29.5, 46.4), (30.1, 46.45), (29.9, 46.8), (29.6, 47.3),
    (29.2, 47.9), (28.2, 48.2), (27.5, 48.45), (26.6, 48.25), (25.0, 47.75), (24.0, 47.95),
    (22.9, 47.95), (22.15, 48.4), (22.5, 49.1), (22.9, 49.6), (23.5, 50.3), (24.1, 50.65),
    (24.0, 51.1), (23.6, 51.6),
]  # fmt: skip
UKRAINE_SOUTH = [  # the Azov and Black Sea coasts, east to west, to the Danube
    (37.55, 47.05), (36.8, 46.75), (35.9, 46.6), (35.3, 46.35), (34.8, 46.2), (34.2, 46.15),
    (33.75, 46.2), (33.5, 46.18), (33.0, 46.1), (32.2, 46.35), (31.6, 46.55), (30.73, 46.48),
    (30.2, 46.1), (29.9, 45.7), (29.7, 45.25),
]  # fmt: skip
CRIMEA = [
    (33.5, 46.18), (33.75, 46.2), (34.3, 45.98), (34.9, 45.7), (35.45, 45.3), (36.0, 45.45),
    (36.6, 45.45), (36.45, 45.1), (35.4, 45.05), (35.0, 44.85), (34.4, 44.65), (33.8, 44.4),
    (33.5, 44.6), (33.55, 44.95), (33.35, 45.2), (32.5, 45.35), (33.0, 45.75),
]  # fmt: skip
RUSSIA_COAST = [  # Black Sea and Azov coasts, south-east to north-west
    (39.6, 43.6), (39.1, 44.1), (37.8, 44.7), (37.3, 44.9), (36.7, 45.2), (36.65, 45.4),
    (37.2, 45.35), (38.0, 46.1), (38.3, 46.7), (39.1, 47.0), (38.9, 47.25), (38.25, 47.1),
]  # fmt: skip
WEST_COAST = [(29.7, 45.25), (29.0, 44.8), (28.65, 44.2), (28.6, 43.6)]  # Romania

UKRAINE = BELARUS_UKRAINE + RUSSIA_UKRAINE[1:] + UKRAINE_SOUTH + UKRAINE_WEST[:-1]
RUSSIA = (
    [(31.1, NORTH), (EAST, NORTH), (EAST, SOUTH)]
    + RUSSIA_COAST
    + RUSSIA_UKRAINE[::-1][1:]
    + BELARUS_RUSSIA[1:]
)
BELARUS = (
    [(23.5, NORTH)]
    + BELARUS_RUSSIA[::-1][:-1]
    + BELARUS_UKRAINE[::-1]
    + [(23.2, 52.25), (23.9, 53.2), (23.5, 53.9)]
)
NEIGHBOURS = (
    [(WEST, NORTH), (23.5, NORTH), (23.5, 53.9), (23.9, 53.2), (23.2, 52.25)]
    + UKRAINE_WEST[::-1]
    + WEST_COAST
    + [(WEST, SOUTH)]
)

PLACES = [  # (longitude, latitude, label, text-anchor)
    (30.52, 50.45, "Kyiv", "start"),
    (27.56, 53.9, "Minsk", "start"),
]
REGIONS = [  # Ukrainian regions on the border with Russia
    (31.7, 51.2, "Chernihiv"),
    (34.2, 50.95, "Sumy"),
    (36.25, 49.75, "Kharkiv"),
    (39.1, 48.9, "Luhansk"),
    (37.75, 48.15, "Donetsk"),
]
COLOURS = {
    "sea": "#cfe3f2",
    "ukraine": "#f4e7b8",
    "crimea": "#f9f1d6",
    "russia": "#e3e3e3",
    "belarus": "#ececec",
    "neighbours": "#f2f2f2",
    "ink": "#1a1a1a",
    "russia-border": "#a0301f",
    "belarus-border": "#3a5a8c",
}


def xy(lon: float, lat: float) -> tuple[float, float]:
    return round(10 + (lon - WEST) * KX, 1), round(TOP + (NORTH - lat) * KY, 1)


def points(shape: list[tuple[float, float]]) -> str:
    return " ".join("{},{}".format(*xy(lon, lat)) for lon, lat in shape)


def polygon(shape, fill: str, extra: str = "") -> str:
    return f'<polygon points="{points(shape)}" fill="{fill}" stroke="#777" {extra}/>'


def line(shape, colour: str, width: float, extra: str = "") -> str:
    return (
        f'<polyline points="{points(shape)}" fill="none" stroke="{colour}" '
        f'stroke-width="{width}" stroke-linejoin="round" {extra}/>'
    )


def text(lon, lat, words, size=14, anchor="middle", extra="") -> str:
    x, y = xy(lon, lat)
    return f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" {extra}>{words}</text>'


def shapes() -> list[str]:
    c = COLOURS
    out = [
        '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{c["crimea"]}"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#d8c98f" stroke-width="3"/></pattern></defs>',
        f'<rect x="10" y="{TOP}" width="{WIDTH - 20}" height="{(NORTH - SOUTH) * KY:.0f}" '
        f'fill="{c["sea"]}"/>',
        polygon(NEIGHBOURS, c["neighbours"]),
        polygon(BELARUS, c["belarus"]),
        polygon(RUSSIA, c["russia"]),
        polygon(UKRAINE, c["ukraine"]),
        polygon(CRIMEA, "url(#hatch)"),
        line(CRIMEA[:2], "#555", 2, 'stroke-dasharray="4 3"'),
        line(RUSSIA_UKRAINE, c["russia-border"], 4),
        line(BELARUS_UKRAINE, c["belarus-border"], 4),
    ]
    return out


def labels() -> list[str]:
    out = [
        text(31.0, 49.2, "UKRAINE", 22, extra='font-weight="bold" letter-spacing="3"'),
        text(38.3, 52.6, "RUSSIA", 22, extra='font-weight="bold" letter-spacing="3"'),
        text(27.6, 52.9, "BELARUS", 20, extra='font-weight="bold" letter-spacing="3"'),
        text(34.4, 45.35, "Crimea", 15, extra='font-weight="bold"'),
        text(30.3, 44.3, "Black Sea", 17, extra='font-style="italic"'),
        text(37.0, 46.25, "Sea of", 12, extra='font-style="italic"'),
        text(37.0, 46.0, "Azov", 12, extra='font-style="italic"'),
        text(25.6, 46.6, "Romania", 12, extra='fill="#555"'),
        text(28.85, 47.15, "Moldova", 12, extra='fill="#555"'),
        text(22.9, 51.2, "Poland", 12, extra='fill="#555"'),
        text(37.6, 54.0, "Moscow is further north ↑", 12, extra='fill="#555"'),
    ]
    for lon, lat, name, anchor in PLACES:
        x, y = xy(lon, lat)
        out.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{COLOURS["ink"]}"/>')
        out.append(text(lon + 0.25, lat - 0.08, name, 13, anchor))
    for lon, lat, name in REGIONS:
        out.append(text(lon, lat, name, 12, extra='font-style="italic"'))
    return out


def frame() -> list[str]:
    row = [TOP + (NORTH - SOUTH) * KY + 22 + 20 * n for n in range(4)]
    russia, belarus = COLOURS["russia-border"], COLOURS["belarus-border"]
    return [
        f'<text x="{WIDTH / 2}" y="34" font-size="24" font-weight="bold" '
        'text-anchor="middle">Schematic map, not to scale</text>',
        f'<text x="{WIDTH / 2}" y="60" font-size="14" text-anchor="middle">Ukraine, its '
        "borders with Russia and Belarus, and Crimea. Positions are approximate.</text>",
        f'<text x="{WIDTH - 30}" y="{TOP + 30}" font-size="14" font-weight="bold" '
        'text-anchor="middle">N ↑</text>',
        f'<line x1="14" y1="{row[0] - 5}" x2="44" y2="{row[0] - 5}" stroke="{russia}" '
        'stroke-width="4"/>',
        f'<text x="50" y="{row[0]}" font-size="12">Ukraine–Russia border</text>',
        f'<line x1="220" y1="{row[0] - 5}" x2="250" y2="{row[0] - 5}" stroke="{belarus}" '
        'stroke-width="4"/>',
        f'<text x="256" y="{row[0]}" font-size="12">Ukraine–Belarus border</text>',
        f'<rect x="14" y="{row[1] - 11}" width="30" height="14" fill="url(#hatch)" stroke="#777"/>',
        f'<text x="50" y="{row[1]}" font-size="12">Crimea: part of Ukraine in '
        "international law; under Russian control since 2014</text>",
        f'<text x="14" y="{row[2]}" font-size="12">Names in italics: Ukrainian regions on the '
        "border with Russia. No troop positions or front lines are shown.</text>",
        f'<text x="14" y="{row[3]}" font-size="12" fill="#444">Drawn for Lateral · '
        "CC BY 4.0 · outlines simplified from an atlas</text>",
    ]


def svg() -> str:
    body = "\n  ".join(shapes() + labels() + frame())
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" \
width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="map-title map-desc" \
font-family="sans-serif" fill="{COLOURS["ink"]}">
  <title id="map-title">Schematic map, not to scale: Ukraine, Crimea, Belarus and the \
Russian border</title>
  <desc id="map-desc">Drawn for Lateral. Ukraine in the centre; Belarus to the north; Russia \
to the north-east and east; the Black Sea to the south, with Crimea, a peninsula joined to \
southern Ukraine by a narrow strip of land, and the Sea of Azov to its east. Ukrainian \
regions on the border with Russia, from north to south-east: Chernihiv, Sumy, Kharkiv, \
Luhansk, Donetsk. Kyiv and Minsk are marked. Outlines are simplified and positions \
approximate; no troop positions are shown.</desc>
  {body}
</svg>
"""


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(svg(), encoding="utf-8")


if __name__ == "__main__":
    main()
