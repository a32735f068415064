"""Check an image file before Lateral stores or serves it: type, size, dimensions, and
for SVG a strict sanitiser that refuses rather than repairs.

``inspect(content, name)`` returns what the file is (``Picture``: its sha256, MIME type,
width and height) or raises ``ImageRefused`` naming the rule it broke, in words a
teacher can act on. Nothing here touches Flask or the database.

- Types: PNG, JPEG, WebP and SVG, told by their first bytes (never by the name alone);
  the name's extension must agree with the content.
- At most ``MAX_BYTES``; each side at most ``MAX_SIDE`` pixels and at most ``MAX_PIXELS``
  in all, read from the file's header (PNG IHDR, JPEG SOF, WebP VP8/VP8L/VP8X, SVG
  width/height or viewBox), so nothing is decoded.
- SVG is parsed by defusedxml (no DTD, no entities, no external references) and
  refused if anything in it could run or reach out: a ``<script>``, an event attribute
  (``onload``…), ``<foreignObject>``, any element outside a list of static drawing
  elements, a link (``href``, ``xlink:href``) that does not start with ``#``, ``url()``
  to anything but ``#id``, ``@import``, ``javascript:``, a processing instruction
  (``<?xml-stylesheet …?>``).
"""

from __future__ import annotations

import hashlib
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import XMLParser
from flask_babel import gettext as _

MAX_BYTES = 1024 * 1024  # 1 MB
MAX_SIDE = 4096
MAX_PIXELS = 16_000_000
MAX_SVG_ELEMENTS = 20_000

TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "svg": "image/svg+xml",
}
EXTENSIONS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "webp": "webp", "svg": "svg"}
# What a stored image's URL ends with, by its MIME type.
SUFFIX = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/svg+xml": "svg"}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Static drawing only: shapes, text, grouping, paint servers, clipping, filters.
SVG_ELEMENTS = frozenset(
    """svg g defs title desc metadata symbol use switch path rect circle ellipse line
    polyline polygon text tspan textPath linearGradient radialGradient stop pattern
    clipPath mask marker style filter feBlend feColorMatrix feComponentTransfer
    feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight
    feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge
    feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight
    feTile feTurbulence""".split()
)
URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
LOCAL_URL = re.compile(r"#[A-Za-z_][\w.:-]*")
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class ImageRefused(ValueError):
    """An image Lateral will not store: ``rule`` names the limit, ``message`` says why."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class Picture:
    """A checked image: its content hash, MIME type and size in pixels and bytes."""

    sha256: str
    type: str
    width: int
    height: int
    size: int


def inspect(content: bytes, name: str) -> Picture:
    """Check an image file's bytes; return what it is or raise ImageRefused."""
    if not content:
        raise ImageRefused("empty", _("%(name)s is empty.", name=name))
    if len(content) > MAX_BYTES:
        raise ImageRefused(
            "size",
            _(
                "%(name)s is %(size)s MB; images may be at most 1 MB.",
                name=name,
                size=f"{len(content) / 1024 / 1024:.1f}",
            ),
        )
    kind = sniff(content)
    if kind is None:
        raise ImageRefused("type", _("%(name)s is not a PNG, JPEG, WebP or SVG image.", name=name))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if EXTENSIONS.get(extension) != kind:
        raise ImageRefused(
            "extension",
            _(
                "%(name)s holds a %(upper)s image: its name must end in .%(value)s.",
                name=name,
                upper=kind.upper(),
                value=SUFFIX[TYPES[kind]],
            ),
        )
    width, height = DIMENSIONS[kind](content, name)
    if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE) or width * height > MAX_PIXELS:
        raise ImageRefused(
            "dimensions",
            _(
                "%(name)s is %(width)s × %(height)s pixels; each side may be at most %(max_side)s.",
                name=name,
                width=width,
                height=height,
                max_side=MAX_SIDE,
            ),
        )
    digest = hashlib.sha256(content).hexdigest()
    return Picture(digest, TYPES[kind], width, height, len(content))


def sniff(content: bytes) -> str | None:
    """Tell an image's type from its first bytes (None when it is none of the four)."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE")) and b"<svg" in content[:4096]:
        return "svg"
    return None


def _bad(name: str, what: str) -> ImageRefused:
    return ImageRefused(
        "corrupt",
        _("%(name)s could not be read as %(what)s: the file may be damaged.", name=name, what=what),
    )


def _png(content: bytes, name: str) -> tuple[int, int]:
    if len(content) < 24 or content[12:16] != b"IHDR":
        raise _bad(name, "a PNG image")
    return struct.unpack(">II", content[16:24])


def _jpeg(content: bytes, name: str) -> tuple[int, int]:
    at = 2
    while at + 9 < len(content):
        if content[at] != 0xFF:
            raise _bad(name, "a JPEG image")
        marker = content[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            at += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        # Start-of-frame markers carry the size: C0–CF but DHT (C4), JPG (C8), DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise _bad(name, "a JPEG image")


def _webp(content: bytes, name: str) -> tuple[int, int]:
    chunk = content[12:16]
    body = content[20:]
    if chunk == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(body) >= 10:
        width = int.from_bytes(body[4:7], "little") + 1
        height = int.from_bytes(body[7:10], "little") + 1
        return width, height
    raise _bad(name, "a WebP image")


def _svg(content: bytes, name: str) -> tuple[int, int]:
    root = _parse_svg(content, name)
    refuse_unsafe_svg(root, name)
    return _svg_size(root, name)


class _Builder(ET.TreeBuilder):
    """A tree builder that notes processing instructions, wherever they stand."""

    def __init__(self) -> None:
        super().__init__()
        self.instructions: list[str] = []

    def pi(self, target: str, text: str | None = None) -> ET.Element:
        self.instructions.append(target)
        return super().pi(target, text)


def _parse_svg(content: bytes, name: str) -> ET.Element:
    builder = _Builder()
    parser = XMLParser(target=builder, forbid_dtd=True)
    try:
        parser.feed(content)
        root = parser.close()
    except DefusedXmlException:
        raise ImageRefused(
            "svg-dtd",
            _("%(name)s declares a DTD or entities; an SVG may not have them.", name=name),
        ) from None
    except ET.ParseError as exc:
        raise ImageRefused(
            "svg-syntax", _("%(name)s is not well-formed SVG: %(exc)s.", name=name, exc=exc)
        ) from None
    if builder.instructions:
        raise ImageRefused(
            "svg-instruction",
            _(
                "%(name)s has a processing instruction (<?%(value)s …?>); an SVG may not load "
                "stylesheets or anything else.",
                name=name,
                value=builder.instructions[0],
            ),
        )
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageRefused(
            "svg-root", _("%(name)s does not start with an <svg> element.", name=name)
        )
    return root


def refuse_unsafe_svg(root: ET.Element, name: str) -> None:
    """Raise ImageRefused for anything in an SVG tree that could run or load."""
    for count, element in enumerate(root.iter(), start=1):
        if count > MAX_SVG_ELEMENTS:
            raise ImageRefused(
                "svg-size",
                _(
                    "%(name)s has more than %(most)s elements.",
                    name=name,
                    most=f"{MAX_SVG_ELEMENTS:,}",
                ),
            )
        namespace, _sep, local = element.tag[1:].partition("}")
        if namespace != SVG_NS or local not in SVG_ELEMENTS:
            raise ImageRefused(
                "svg-element",
                _(
                    "%(name)s has a <%(value)s> element; only static drawing elements are allowed "
                    "(no script, foreignObject, image, animation or links).",
                    name=name,
                    value=local or element.tag,
                ),
            )
        for key, value in element.attrib.items():
            _refuse_attribute(key, value, local, name)
        if local == "style":
            _refuse_css(element.text or "", name, "<style>")


def _refuse_attribute(key: str, value: str, element: str, name: str) -> None:
    local = key.rpartition("}")[2]
    if local.lower().startswith("on"):
        raise ImageRefused(
            "svg-event",
            _(
                "%(name)s has an event attribute (%(local)s on <%(element)s>).",
                name=name,
                local=local,
                element=element,
            ),
        )
    if local == "href" and not value.strip().startswith("#"):
        raise ImageRefused(
            "svg-link",
            _(
                "%(name)s links to %(value)s from <%(element)s>; an SVG may only refer to its own "
                "parts (#id).",
                name=name,
                value=f"{value.strip()[:60]!r}",
                element=element,
            ),
        )
    if "javascript:" in value.lower().replace(" ", ""):
        raise ImageRefused(
            "svg-script",
            _("%(name)s has a javascript: address on <%(element)s>.", name=name, element=element),
        )
    _refuse_css(
        value, name, _("the %(local)s attribute of <%(element)s>", local=local, element=element)
    )


def _refuse_css(text: str, name: str, where: str) -> None:
    lowered = text.lower()
    if "@import" in lowered or "expression(" in lowered:
        raise ImageRefused(
            "svg-style",
            _("%(name)s imports or computes styles in %(where)s.", name=name, where=where),
        )
    for _quote, target in URL.findall(text):
        if not LOCAL_URL.fullmatch(target.strip()):
            raise ImageRefused(
                "svg-url",
                _(
                    "%(name)s uses url(%(value)s) in %(where)s; only url(#id) to its own parts is "
                    "allowed.",
                    name=name,
                    value=target.strip()[:60],
                    where=where,
                ),
            )


def _svg_size(root: ET.Element, name: str) -> tuple[int, int]:
    sizes = [LENGTH.match(root.get(k, "")) for k in ("width", "height")]
    if all(sizes):
        return tuple(max(1, round(float(m.group(1)))) for m in sizes)  # type: ignore[return-value]
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        width, height = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        raise ImageRefused(
            "svg-size",
            _("%(name)s gives no size: add width and height in pixels, or a viewBox.", name=name),
        ) from None
    return max(1, round(width)), max(1, round(height))


DIMENSIONS = {"png": _png, "jpeg": _jpeg, "webp": _webp, "svg": _svg}
