"""What was read and validated before (lessons, the kit's YAML assets, the characters
of its fonts), kept between runs so that a command does not do it again: as Python
keeps its .pyc files, and for the same reason.

An entry is found by a digest of everything its value is made from: the file's name
and text, the kit's code, and the versions of Python, PyYAML and pydantic. Only
files that loaded without a problem are kept, so every message is said as before.

Entries live in KIT_CACHE_DIR, else $XDG_CACHE_HOME/kit3018, else ~/.cache/kit3018;
KIT_CACHE_DIR set empty turns the cache off. An entry is a pickle, so a folder that
another user could write to is not used; an entry that cannot be read is made again.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

MAX_ENTRIES = 1000  # past this, the older half goes (each entry is a lesson: ~30 KB)
_UNREADABLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError,
               TypeError, ValueError)  # what a truncated or outdated pickle raises


def folder() -> Path | None:
    """The cache folder, made if needed; None when off or not safe to use."""
    configured = os.environ.get("KIT_CACHE_DIR")
    if configured == "":
        return None
    where = Path(configured) if configured else \
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kit3018"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = where.stat()
    except OSError:
        return None
    owner = getattr(os, "getuid", None)
    if owner is not None and (info.st_uid != owner() or info.st_mode & 0o022):
        return None
    return where


@functools.lru_cache(maxsize=None)
def code_key() -> str:
    """The kit's code (each module's size and time) and the libraries that read lessons."""
    import pydantic
    import yaml
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}|{yaml.__version__}".encode())
    for module in sorted(package.rglob("*.py")):
        info = module.stat()
        digest.update(f"{module.relative_to(package)}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()


def key(kind: str, *parts: str) -> str:
    """The entry's name: its kind, the kit's code and every part its value is made from."""
    digest = hashlib.sha256(code_key().encode())
    for part in (kind, *parts):
        digest.update(len(part).to_bytes(8, "big") + part.encode("utf-8", "surrogatepass"))
    return f"{kind}-{digest.hexdigest()[:40]}"


def remember(kind: str, parts, make):
    """`make()`, kept under `kind` and `parts` (every string its result is made from);
    what `make` raises is not kept, so a mistake is said again the same way next time."""
    name = key(kind, *parts)
    value = get(name)
    if value is None:
        value = make()
        put(name, value)
    return value


def file_parts(path: Path) -> tuple[str, str]:
    """A file the kit ships (a font, an asset) by its place, size and time: cheaper
    than its bytes, and changed by any install or edit."""
    info = Path(path).stat()
    return str(Path(path).resolve()), f"{info.st_size}:{info.st_mtime_ns}"


def get(name: str):
    """The value kept under `name`, or None."""
    where = folder()
    if where is None:
        return None
    try:
        data = (where / f"{name}.pickle").read_bytes()
    except OSError:
        return None
    try:
        return pickle.loads(data)
    except _UNREADABLE:
        return None


def put(name: str, value) -> None:
    """Keep `value` under `name`, written whole or not at all; a failure is ignored."""
    where = folder()
    if where is None:
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, where / f"{name}.pickle")
    except (OSError, pickle.PicklingError):
        Path(temporary).unlink(missing_ok=True)
        return
    _prune(where)


def _prune(where: Path) -> None:
    """Past MAX_ENTRIES, remove the older half (by last write)."""
    try:
        entries = [e for e in os.scandir(where) if e.name.endswith(".pickle")]
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for entry in entries[:len(entries) // 2]:
            os.unlink(entry.path)
    except OSError:
        return
