"""The stylesheet: loads assets/styles.yaml and the packaged fonts, once per process.

Builders never choose a font, size or colour; they ask for a style by name here.
A missing style is an error, not a silent fallback.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from . import styledata
from .documents import EDITIONS  # noqa: F401 (kit.styles.EDITIONS)
from .errors import AssetError
from .styledata import HELPLINE_STYLES, edition_charset, font_files, known_names, language_spec  # noqa: F401 (kit.styles.known_names)
from .messages import say

if TYPE_CHECKING:
    from .theme import Theme

SPACING = ("size", "leading", "space_before", "space_after", "indent")
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "justify": TA_JUSTIFY}
FACES = ("regular", "bold", "italic", "bold_italic")


@functools.cache
def register_font(family: str, italic_as_bold: bool = False) -> str:
    """Register a packaged font family with ReportLab; return its name."""
    files = font_files(family)
    name = f"Kit{family.title()}{'-NoItalic' if italic_as_bold else ''}"
    faces = {}
    for face in FACES:
        file_face = "bold" if italic_as_bold and face in ("italic", "bold_italic") else face
        faces[face] = f"{name}-{face}"
        pdfmetrics.registerFont(TTFont(faces[face], str(files[file_face])))
    pdfmetrics.registerFontFamily(name, normal=faces["regular"], bold=faces["bold"],
                                  italic=faces["italic"], boldItalic=faces["bold_italic"])
    return name


@dataclass(frozen=True)
class Stylesheet:
    """The styles of one edition (standard, dys, large-print), ready for ReportLab."""

    edition: str
    font: str
    charset: frozenset[int]
    body_size: float
    styles: dict
    palette: dict
    superscripts: bool = True  # ordinals as 6<sup>e</sup>; off where nothing may be smaller than the body

    def __getitem__(self, name: str) -> ParagraphStyle:
        try:
            return self.styles[name]
        except KeyError:
            raise AssetError(say("styles.no_style_asset", name=name)) from None

    def color(self, name: str) -> colors.Color:
        try:
            return self.palette[name]
        except KeyError:
            raise AssetError(say("styles.no_colour_asset", name=name)) from None

    def face(self, bold: bool = False) -> str:
        return f"{self.font}-{'bold' if bold else 'regular'}"

    def size(self, factor: float) -> float:
        """A length proportional to the body size: answer lines and gaps grow with the edition."""
        return round(self.body_size * factor, 2)


@functools.cache
def stylesheet(edition: str = "standard", theme: Theme | None = None,
               language: str | None = None) -> Stylesheet:
    """The styles of one edition; a theme's colours and styles apply over the bundled
    ones, and the edition's own sizes over both, so large print stays large. A language
    (styles.yaml, `languages:`) may bring its own font, direction and a larger body."""
    sheet = styledata.sheet()
    charset = edition_charset(edition, language)  # AssetError for an unknown edition
    spec = dict(sheet["editions"][edition])
    own = language_spec(language)
    if own.get("body", 0) > spec["body"]:
        spec.update(body=own["body"], leading=max(spec["leading"], own.get("leading", 0)))
    font = register_font(own.get("font") or spec["font"], bool(spec.get("italic_as_bold")))
    themed_colors = dict(theme.colors) if theme else {}
    palette = {k: colors.HexColor(themed_colors.get(k, v)) for k, v in sheet["colors"].items()}
    themed = {name: dict(attrs) for name, attrs in theme.styles} if theme else {}
    overrides = spec.get("styles", {})

    def resolver(themed: dict):
        resolved: dict[str, dict] = {}

        def resolve(name: str, trail=()) -> dict:
            if name in resolved:
                return resolved[name]
            if name not in sheet["styles"] or name in trail:
                raise AssetError(say("styles.inherits_itself", name=name))
            own = {**sheet["styles"][name], **themed.get(name, {}), **overrides.get(name, {})}
            parent = own.pop("parent", None)
            resolved[name] = {**(resolve(parent, trail + (name,)) if parent else {}), **own}
            return resolved[name]
        return resolve

    resolve, kit_own = resolver(themed), resolver({})
    accessible = spec.get("body", 0) > sheet["editions"]["standard"]["body"]
    built = {}
    for name in sheet["styles"]:
        attrs = dict(resolve(name))
        if accessible or name in HELPLINE_STYLES:  # a theme may enlarge, never shrink
            attrs = _never_smaller(attrs, kit_own(name), spec["leading"])
        size = round(spec["body"] * attrs.get("size", 1.0), 2)
        space = spec.get("space", 1.0) * spec["body"]
        built[name] = ParagraphStyle(
            name, fontName=f"{font}-{'bold' if attrs.get('bold') else 'regular'}",
            fontSize=size, leading=round(size * attrs.get("leading", spec["leading"]), 2),
            textColor=palette[attrs.get("color", "ink")], alignment=ALIGN[attrs.get("align", "left")],
            spaceBefore=round(attrs.get("space_before", 0) * space, 2),
            spaceAfter=round(attrs.get("space_after", 0) * space, 2),
            leftIndent=round(attrs.get("indent", 0) * size, 2),
            bulletIndent=round(attrs.get("bullet_indent", 0) * size, 2),
            keepWithNext=int(attrs.get("keep_with_next", False)),
            bulletFontName=f"{font}-regular", bulletFontSize=size, splitLongWords=1, allowWidows=0, allowOrphans=0,
            hyphenationLang=None, embeddedHyphenation=0, uriWasteReduce=0.3,
            wordWrap="RTL" if own.get("direction") == "rtl" else None)  # kit/rtl.py draws it
    return Stylesheet(edition, font, charset, spec["body"], built, palette,
                      spec.get("superscripts", True))


def _never_smaller(attrs: dict, kit: dict, leading: float) -> dict:
    """The themed attributes, each at least the kit's (for accessible editions and the 3018)."""
    defaults = {"size": 1.0, "leading": leading, "space_before": 0, "space_after": 0, "indent": 0}
    for key in SPACING:
        attrs[key] = max(attrs.get(key, defaults[key]), kit.get(key, defaults[key]))
    return attrs
