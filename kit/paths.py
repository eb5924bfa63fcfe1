"""Where the kit's own files are: the bundled lessons and assets beside the package."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import AssetError
from .messages import say

ROOT = Path(os.environ.get("KIT_HOME") or Path(__file__).resolve().parent.parent)


def assets() -> Path:
    folder = ROOT / "assets"
    if not folder.is_dir():
        raise AssetError(say("assets.no_folder", folder=folder))
    return folder


def asset(name: str) -> Path:
    path = assets() / name
    if not path.is_file():
        raise AssetError(say("assets.missing", file=f"assets/{name}"))
    return path


def bundled_lessons() -> Path:
    return ROOT / "lessons"
