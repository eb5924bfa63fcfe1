"""A user's theme: an association's colours, style sizes, logo and HTML templates,
from a folder they name (`--theme DIR`), over the bundled ones.

A theme comes from anyone, so it is validated like a lesson: known colour and
style names only, hex colours, bounded sizes, a logo that is a real PNG or JPEG
inside the folder. Fonts are not themable: they come from installed packages.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from .errors import AssetError, LessonError, excerpt
from .files import FileRefused, read_limited, within
from .messages import say
from .schema import Model
from .styledata import HELPLINE_STYLES, Hex, contrast, kit_colors, kit_style_attrs, known_names
from .validation import Origin, did_you_mean, number
from .yamlfile import display_name, load_yaml

LOGO_NAMES = ("logo.png", "logo.jpg", "logo.jpeg")
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000  # checked from the header, before a pixel is decoded
MIN_CONTRAST = 4.5  # WCAG AA for text
PAGE = "#ffffff"  # paper
TEMPLATES = Path("templates") / "html"


class StyleOverride(Model):
    """What a theme may change in one style: sizes are multiples of the body size."""

    size: Annotated[float, Field(gt=0.3, le=20, strict=False)] | None = None
    leading: Annotated[float, Field(ge=1.0, le=3.0, strict=False)] | None = None
    bold: bool | None = None
    color: str | None = None
    align: Literal["left", "center"] | None = None
    space_before: Annotated[float, Field(ge=0, le=5, strict=False)] | None = None
    space_after: Annotated[float, Field(ge=0, le=5, strict=False)] | None = None


class ThemeStyles(Model):
    colors: dict[str, Hex] = Field(default_factory=dict)
    styles: dict[str, StyleOverride] = Field(default_factory=dict)


@dataclass(frozen=True)
class Theme:
    """A validated theme; hashable, so stylesheets are built once per theme and edition."""

    folder: Path
    colors: tuple[tuple[str, str], ...] = ()
    styles: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    logo: Path | None = None

    @property
    def templates(self) -> Path | None:
        folder = self.folder / TEMPLATES
        if not folder.is_dir():
            return None
        if not within(folder, self.folder):
            raise AssetError(say("theme.templates_outside", folder=display_name(folder)))
        return folder


def load_theme(folder: Path | str | None) -> Theme | None:
    """The theme in `folder` (or KIT_THEME), or None when no theme is named."""
    folder = folder or os.environ.get("KIT_THEME")
    if not folder:
        return None
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise AssetError(say("theme.no_folder", folder=display_name(folder)))
    colors, styles = _styles(folder)
    return Theme(folder, colors, styles, _logo(folder))


def _styles(folder: Path):
    path = folder / "styles.yaml"
    if not path.is_file():
        return (), ()
    data, positions = load_yaml(path, root=folder)
    origin = Origin(display_name(path), positions)
    sheet = origin.validate(ThemeStyles, data)
    colours, style_names = known_names()
    colour_names = ", ".join(colours)
    problems = [origin.problem(("colors", name), say("theme.no_colour", name=excerpt(name),
                                                     colours=colour_names))
                for name in sheet.colors if name not in colours]
    for name, override in sheet.styles.items():
        if name not in style_names:
            close = did_you_mean(name, style_names)
            problems.append(origin.problem(("styles", name), say(
                "theme.no_style_guess" if close else "theme.no_style", name=excerpt(name), guess=close)))
        elif override.color and override.color not in colours:
            problems.append(origin.problem(("styles", name, "color"), say(
                "theme.no_colour", name=excerpt(override.color), colours=colour_names)))
    if problems:
        raise LessonError(problems)
    problems = _helpline_guarantees(sheet, origin) + _contrast_problems(sheet, origin)
    if problems:
        raise LessonError(problems)
    return (tuple(sorted(sheet.colors.items())),
            tuple((name, tuple(sorted(o.model_dump(exclude_none=True).items())))
                  for name, o in sorted(sheet.styles.items())))


def _helpline_guarantees(sheet: ThemeStyles, origin: Origin) -> list:
    """The 3018's footer and number are never smaller than the kit makes them."""
    problems = []
    for name in HELPLINE_STYLES:
        size = sheet.styles[name].size if name in sheet.styles else None
        smallest = kit_style_attrs(name).get("size", 1.0)
        if size is not None and size < smallest:
            problems.append(origin.problem(("styles", name, "size"), say(
                "theme.helpline_smaller", smallest=number(smallest))))
    return problems


def _contrast_problems(sheet: ThemeStyles, origin: Origin) -> list:
    """Every text colour against the paper and the tint of the helpline box, and the
    table heads' text against their accent fill: at least WCAG AA (4.5:1)."""
    palette = {**kit_colors(), **sheet.colors}
    problems = []
    for name in known_names()[1]:
        override = sheet.styles.get(name)
        colour_name = (override.color if override and override.color else None) \
            or kit_style_attrs(name).get("color", "ink")
        grounds = ({"accent": palette["accent"]} if name == "cell-head"
                   else {say("theme.white_page"): PAGE, "tint": palette["tint"]})
        for ground, value in grounds.items():
            ratio = contrast(palette[colour_name], value)
            if ratio < MIN_CONTRAST:
                written = [c for c in (colour_name, "accent" if name == "cell-head" else "tint")
                           if c in sheet.colors]
                where = (("styles", name, "color") if override and override.color
                         else ("colors", written[0]) if written else ("colors",))
                problems.append(origin.problem(where, say(
                    "theme.contrast", name=name, colour=f"{colour_name} {palette[colour_name]}",
                    ground=ground, ratio=number(round(ratio, 1)), minimum=number(MIN_CONTRAST))))
                break
    unique = {(p.line, p.field): p for p in problems}  # one problem per colour written
    return list(unique.values())


def _logo(folder: Path) -> Path | None:
    for name in LOGO_NAMES:
        path = folder / name
        if not path.exists() and not path.is_symlink():
            continue
        try:
            data = read_limited(path, LOGO_MAX_BYTES, root=folder, what="files.logos")
        except FileRefused as error:
            raise AssetError(say("theme.logo_refused", file=display_name(path), why=error)) from None
        if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
            raise AssetError(say("theme.logo_not_picture", file=display_name(path)))
        _check_picture(path, data)
        return path.resolve()
    return None


def _check_picture(path: Path, data: bytes) -> None:
    """Decode the logo once here, so a damaged or enormous picture is a clear error now
    rather than a failure in the middle of a build; the pixel count is read from the
    header and capped before anything is decoded (a small file can unpack to gigabytes)."""
    from PIL import Image
    too_big = say("theme.logo_too_many_pixels", file=display_name(path))
    try:
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            if width * height > LOGO_MAX_PIXELS:
                raise AssetError(too_big)
            picture.load()
    except Image.DecompressionBombError:
        raise AssetError(too_big) from None
    except (OSError, SyntaxError, ValueError):
        raise AssetError(say("theme.logo_unreadable", file=display_name(path))) from None
