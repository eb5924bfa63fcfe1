"""Writing files safely: inside the output folder only, atomically, and never over
a file the kit did not make (someone's own PDF or notes)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError
from .yamlfile import display_name

KIT_MARK = b"/Creator (kit3018"  # in the Info dictionary of every PDF the kit writes
MAX_SCAN = 64 * 1024 * 1024


def inside(root: Path, *parts: str) -> Path:
    """`root/parts...`, refusing any path that would land outside root."""
    root = Path(root).resolve()
    target = root.joinpath(*parts).resolve()
    if not target.is_relative_to(root):
        raise OutputError(f"refusing to write {target}: it is outside the output folder {root}")
    return target


def made_by_kit(path: Path) -> bool:
    """Whether a PDF carries the kit's Creator mark (ReportLab may place it anywhere)."""
    try:
        with open(path, "rb") as file:
            return KIT_MARK in file.read(MAX_SCAN)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes, force: bool = False) -> Path:
    """Write to a temporary file beside `path`, then rename it into place.

    An interrupted run leaves no truncated file under the final name. An existing
    file the kit did not make is kept unless `force` is given.
    """
    path = Path(path)
    if path.exists() and not force and path.suffix == ".pdf" and not made_by_kit(path):
        raise OutputError(f"{display_name(path)} exists and was not made by the kit; "
                          "choose another name with -o, or add --force to replace it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                             dir=path.parent)
        try:
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide files from colleagues
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"cannot write {display_name(path)} ({error.strerror}); check the "
                          "folder exists, is writable and the disk is not full") from None
    return path
