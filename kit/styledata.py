"""assets/styles.yaml as validated data: fonts, colours, editions and styles.

Validated like a lesson (pydantic, `file:line: field: message` and a did-you-mean
for an unknown key), so a typo in the stylesheet is an error at its line, not an
internal error at the first page drawn. No ReportLab here: `kit check` needs the
fonts' characters, not the styles; kit/styles.py turns this into ReportLab styles.
"""
from __future__ import annotations

import functools
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from . import cache, paths
from .documents import EDITIONS
from .errors import AssetError, LessonError
from .messages import say
from .fonts import characters, font_folder
from .schema import Model
from .validation import Origin, did_you_mean, expected_for
from .yamlfile import display_name, load_yaml, read_text

Hex = Annotated[str, StringConstraints(pattern=expected_for(r"^#[0-9a-fA-F]{6}$",
                                                            "pattern.colour"))]
HELPLINE_STYLES = ("footer", "helpline-number")  # the 3018's own text: a theme never shrinks it
Factor = Annotated[float, Field(gt=0, le=40, strict=False)]
Space = Annotated[float, Field(ge=0, le=10, strict=False)]


class FontFiles(Model):
    """A packaged font family: the Python package that ships it and its four files."""

    package: str
    regular: str
    bold: str
    italic: str
    bold_italic: str


class StyleSpec(Model):
    """One paragraph style; sizes are multiples of the edition's body size."""

    parent: str | None = None
    size: Factor | None = None
    leading: Factor | None = None
    bold: bool | None = None
    color: str | None = None
    align: Literal["left", "center", "justify"] | None = None
    space_before: Space | None = None
    space_after: Space | None = None
    indent: Space | None = None
    bullet_indent: Space | None = None
    keep_with_next: bool | None = None


class EditionSpec(Model):
    """One printed edition: its font, body size in points, spacing and style changes."""

    font: str
    body: Annotated[float, Field(ge=6, le=40, strict=False)]
    leading: Annotated[float, Field(ge=1, le=3, strict=False)]
    space: Annotated[float, Field(gt=0, le=5, strict=False)] = 1.0
    italic_as_bold: bool = False
    superscripts: bool = True
    styles: dict[str, StyleSpec] = Field(default_factory=dict)


class LanguageSpec(Model):
    """How one language prints: its font in every edition, its direction, a body at least
    this large (easy-to-read French) and its leading."""

    font: str | None = None
    direction: Literal["ltr", "rtl"] = "ltr"
    body: Annotated[float, Field(ge=6, le=40, strict=False)] | None = None
    leading: Annotated[float, Field(ge=1, le=3, strict=False)] | None = None


class StyleSheetFile(Model):
    fonts: dict[str, FontFiles]
    colors: dict[str, Hex]
    editions: dict[str, EditionSpec]
    styles: dict[str, StyleSpec]
    languages: dict[str, LanguageSpec] = Field(default_factory=dict)


# A name the sheet uses that it does not define: (message, message with a guess), by kind.
UNKNOWN_NAME = {"font": ("styles.no_font", "styles.no_font_guess"),
                "style": ("styles.no_style", "styles.no_style_guess"),
                "colour": ("styles.no_colour", "styles.no_colour_guess")}


def _names(origin: Origin, sheet: StyleSheetFile) -> list:
    """Every name a part of the sheet uses must exist: fonts, colours, parents, editions."""
    problems = []

    def unknown(path, kind, name, known):
        close = did_you_mean(name, known)
        problems.append(origin.problem(path, say(UNKNOWN_NAME[kind][bool(close)], name=name,
                                                 guess=close, known=", ".join(known))))

    for edition in EDITIONS:
        if edition not in sheet.editions:
            problems.append(origin.problem(("editions",), say("styles.edition_missing",
                                                              edition=edition)))
    for name, edition in sheet.editions.items():
        if edition.font not in sheet.fonts:
            unknown(("editions", name, "font"), "font", edition.font, list(sheet.fonts))
        for style in edition.styles:
            if style not in sheet.styles:
                unknown(("editions", name, "styles", style), "style", style, list(sheet.styles))
    for name, language in sheet.languages.items():
        if language.font is not None and language.font not in sheet.fonts:
            unknown(("languages", name, "font"), "font", language.font, list(sheet.fonts))
    for name, style in sheet.styles.items():
        if style.parent is not None and style.parent not in sheet.styles:
            unknown(("styles", name, "parent"), "style", style.parent, list(sheet.styles))
        if style.color is not None and style.color not in sheet.colors:
            unknown(("styles", name, "color"), "colour", style.color, list(sheet.colors))
    return problems


def load_sheet(path) -> dict:
    """A stylesheet file, validated, as plain data (keys left out stay out)."""
    text = read_text(path)
    return cache.remember("asset-styles", (display_name(path), text), lambda: _sheet(path, text))


def _sheet(path, text: str) -> dict:
    data, positions = load_yaml(path, text)
    origin = Origin(display_name(path), positions)
    sheet = origin.validate(StyleSheetFile, data)
    problems = _names(origin, sheet)
    if problems:
        raise LessonError(problems)
    return sheet.model_dump(exclude_unset=True)


@functools.cache
def sheet() -> dict:
    """The kit's assets/styles.yaml (read once per process); AssetError if it is invalid."""
    try:
        return load_sheet(paths.asset("styles.yaml"))
    except LessonError as error:
        raise AssetError(say("assets.invalid", file="assets/styles.yaml") + "\n" + str(error)) from None


def known_names() -> tuple[list[str], list[str]]:
    """The colour and style names a theme may override."""
    return list(sheet()["colors"]), list(sheet()["styles"])


def kit_colors() -> dict[str, str]:
    return dict(sheet()["colors"])


def kit_style_attrs(name: str) -> dict:
    """A style's own attributes and those it inherits, as the kit defines them."""
    styles = sheet()["styles"]
    chain, current = [], name
    while current and current not in chain:
        chain.append(current)
        current = styles.get(current, {}).get("parent")
    attrs: dict = {}
    for link in reversed(chain):
        attrs.update(styles.get(link, {}))
    attrs.pop("parent", None)
    return attrs


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def font_files(family: str) -> dict:
    spec = sheet()["fonts"].get(family)
    if spec is None:
        raise AssetError(say("styles.no_font_asset", name=family))
    folder = font_folder(spec["package"])
    return {face: folder / spec[face] for face in ("regular", "bold", "italic", "bold_italic")}


@functools.cache
def edition_charset(edition: str, language: str | None = None) -> frozenset[int]:
    """What every text of an edition may contain: the characters of its regular and bold
    faces (the italic falls back to bold where an edition has no italics); in another
    language, those of the language's font."""
    spec = sheet()["editions"].get(edition)
    if spec is None:
        raise AssetError(say("styles.no_edition", name=edition, known=", ".join(sheet()["editions"])))
    files = font_files(language_spec(language).get("font") or spec["font"])
    return characters(files["regular"]) & characters(files["bold"])


def language_spec(language: str | None) -> dict:
    """styles.yaml's `languages:` entry of a language ({} for French or a language without one)."""
    return dict(sheet().get("languages", {}).get(language or "", {}))
