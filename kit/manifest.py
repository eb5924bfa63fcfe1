"""What `kit build` made, and from what: `OUT/.kit-build.json`.

Each file the build writes is keyed by a digest of everything it is made from (the
lesson after `extends`, the assets and theme it uses, the local contacts, the kit's
own code and version, the options). A re-run remakes a file only when its key
changed or the file is gone, so a re-run with nothing changed writes nothing.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, paths
from .files import read_limited
from .output import inside, write_atomic

MANIFEST = ".kit-build.json"
MAX_MANIFEST = 64 * 1024 * 1024
FORMAT = 1
KIT_SOURCE = Path(__file__).resolve().parent
# assets a PDF does not depend on: the HTML templates; the guide's sections only for the guide
HTML_ONLY = ("templates",)
GUIDE_ONLY = ("guide.yaml",)


def digest(*parts) -> str:
    """A short, stable digest of JSON-able parts."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _files_digest(folder: Path, skip=()) -> dict[str, str]:
    """Every file under `folder` (but those under `skip`) -> a digest of its bytes."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(tuple(skip)) and "__pycache__" not in relative:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    return found


@functools.cache
def _assets() -> dict[str, str]:
    return _files_digest(paths.assets())


@functools.cache
def kit_digest() -> str:
    """The kit's version and code, and the versions of the libraries that lay pages out."""
    from importlib.metadata import PackageNotFoundError, version
    libraries = {}
    for name in ("reportlab", "pypdfium2", "font-source-sans-pro", "fontpkg-atkinson-hyperlegible"):
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = None
    return digest(__version__, _files_digest(KIT_SOURCE), libraries)


def assets_digest(document: str | None) -> str:
    """The assets a document's PDFs are made from (`None`: every asset, for HTML pages)."""
    assets = _assets()
    if document is not None:
        assets = {name: value for name, value in assets.items() if not name.startswith(HTML_ONLY)
                  and (document == "guide" or name not in GUIDE_ONLY)}
    return digest(assets)


def theme_digest(theme) -> str | None:
    return digest(_files_digest(theme.folder)) if theme is not None else None


@dataclass(frozen=True)
class Inputs:
    """What every file of one build depends on besides its lesson and document."""

    local_contacts: tuple = ()
    paper: str = "a4"
    theme: object = None

    @functools.cached_property
    def common(self) -> str:
        contacts = [c.model_dump_json() for c in self.local_contacts]
        return digest(kit_digest(), contacts, theme_digest(self.theme))

    @functools.cached_property
    def _assets(self) -> dict:
        return {}

    def assets(self, document: str | None) -> str:
        """assets_digest, once per document for this build (it is asked for every file)."""
        if document not in self._assets:
            self._assets[document] = assets_digest(document)
        return self._assets[document]

    def pdf_key(self, lesson_digest: str, document: str, edition: str) -> str:
        return digest(self.common, self.assets(document), lesson_digest, document, edition,
                      self.paper)

    def html_key(self, lesson_digest: str, document: str, pdf_keys) -> str:
        return digest(self.common, self.assets(None), lesson_digest, document, list(pdf_keys))

    def check_key(self, lesson_digest: str) -> str:
        """What the text checks of a lesson depend on (not the date: sources age daily)."""
        return digest(self.common, self.assets(None), lesson_digest)


def lesson_digest(lesson) -> str:
    return digest(lesson.model_dump_json())


@dataclass
class Manifest:
    """The files made (relative path -> key and size), the text checks passed, and what
    the index shows of each lesson and document, for lessons not built this time."""

    files: dict[str, dict] = field(default_factory=dict)
    checked: dict[str, list[str]] = field(default_factory=dict)  # lesson id -> [check key]
    lessons: dict[str, dict] = field(default_factory=dict)       # lesson id -> index entry
    documents: dict[str, dict] = field(default_factory=dict)     # "id/document" -> its files
    built_on: str | None = None

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The previous build's manifest; an unreadable one counts as none (all is remade)."""
        try:  # a regular file the kit wrote: not a link, not a pipe, not a device
            data = json.loads(read_limited(Path(out) / MANIFEST, MAX_MANIFEST, follow=False))
            if data.get("format") != FORMAT:
                return cls()
            return cls(data["files"], data["checked"], data["lessons"], data["documents"],
                       data.get("built_on"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # FileRefused too
            return cls()

    def as_json(self) -> bytes:
        data = {"format": FORMAT, "built_on": self.built_on, "files": self.files,
                "checked": self.checked, "lessons": self.lessons, "documents": self.documents}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    def fresh(self, out: Path, relative: str, key: str) -> bool:
        """Whether `relative` was made from `key` and is still there, as it was written."""
        known = self.files.get(relative)
        if not known or known.get("key") != key:
            return False
        try:
            return (Path(out) / relative).stat().st_size == known.get("size")
        except OSError:
            return False

    def record(self, out: Path, relative: str, key: str) -> None:
        self.files[relative] = {"key": key, "size": (Path(out) / relative).stat().st_size}

    def save(self, out: Path) -> None:
        """Written only when it changed: a re-run with nothing to do writes no file."""
        self.built_on = self.built_on or dt.date.today().isoformat()
        write_if_changed(inside(out, MANIFEST), self.as_json())


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` atomically unless the file already holds exactly it."""
    try:
        if os.path.getsize(path) == len(data) and Path(path).read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data, force=True)
    return True
