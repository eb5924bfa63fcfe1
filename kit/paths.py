"""Where the kit's own files are: the bundled lessons and assets beside the package."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import AssetError

ROOT = Path(os.environ.get("KIT_HOME") or Path(__file__).resolve().parent.parent)


def assets() -> Path:
    folder = ROOT / "assets"
    if not folder.is_dir():
        raise AssetError(f"the kit's assets folder is missing ({folder}); install the kit "
                         "from its source folder with `pip install -e .`, or set KIT_HOME")
    return folder


def asset(name: str) -> Path:
    path = assets() / name
    if not path.is_file():
        raise AssetError(f"assets/{name} is missing; restore it from the kit's repository")
    return path


def bundled_lessons() -> Path:
    return ROOT / "lessons"
