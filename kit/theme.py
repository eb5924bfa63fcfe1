"""A user's theme: an association's colours, style sizes, logo and HTML templates,
from a folder they name (`--theme DIR`), over the bundled ones.

A theme comes from anyone, so it is validated like a lesson: known colour and
style names only, hex colours, bounded sizes, a logo that is a real PNG or JPEG
inside the folder. Fonts are not themable: they come from installed packages.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from .errors import AssetError, LessonError
from .schema import Model
from .styledata import Hex, known_names
from .validation import Origin, did_you_mean
from .yamlfile import display_name, load_yaml

LOGO_NAMES = ("logo.png", "logo.jpg", "logo.jpeg")
LOGO_MAX_BYTES = 2 * 1024 * 1024
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
        return folder if folder.is_dir() else None


def load_theme(folder: Path | str | None) -> Theme | None:
    """The theme in `folder` (or KIT_THEME), or None when no theme is named."""
    folder = folder or os.environ.get("KIT_THEME")
    if not folder:
        return None
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise AssetError(f"{display_name(folder)}: no such theme folder")
    colors, styles = _styles(folder)
    return Theme(folder, colors, styles, _logo(folder))


def _styles(folder: Path):
    path = folder / "styles.yaml"
    if not path.is_file():
        return (), ()
    data, positions = load_yaml(path)
    origin = Origin(display_name(path), positions)
    sheet = origin.validate(ThemeStyles, data)
    colours, style_names = known_names()
    colour_hint = f"themable colours: {', '.join(colours)}"
    problems = [origin.problem(("colors", name), f"no colour named '{name}'; {colour_hint}")
                for name in sheet.colors if name not in colours]
    for name, override in sheet.styles.items():
        if name not in style_names:
            close = did_you_mean(name, style_names)
            hint = f"did you mean '{close}'?" if close else "the kit's assets/styles.yaml lists them"
            problems.append(origin.problem(("styles", name), f"no style named '{name}'; {hint}"))
        elif override.color and override.color not in colours:
            problems.append(origin.problem(("styles", name, "color"),
                                           f"no colour named '{override.color}'; {colour_hint}"))
    if problems:
        raise LessonError(problems)
    return (tuple(sorted(sheet.colors.items())),
            tuple((name, tuple(sorted(o.model_dump(exclude_none=True).items())))
                  for name, o in sorted(sheet.styles.items())))


def _logo(folder: Path) -> Path | None:
    for name in LOGO_NAMES:
        path = folder / name
        if not path.exists():
            continue
        real = path.resolve()
        if not real.is_relative_to(folder) or not real.is_file():
            raise AssetError(f"{display_name(path)}: the logo must be a file inside the theme folder")
        if real.stat().st_size > LOGO_MAX_BYTES:
            raise AssetError(f"{display_name(path)}: the logo is over 2 MiB; save a smaller picture")
        head = real.read_bytes()[:8]
        if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
            raise AssetError(f"{display_name(path)}: not a PNG or JPEG picture; save the logo as PNG")
        return real
    return None
