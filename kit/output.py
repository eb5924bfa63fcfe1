"""Writing files safely: inside the output folder only, atomically, never through a
symbolic link, and never over a file the kit did not make (someone's own PDF or notes)."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import OutputError
from .messages import os_reason, say
from .yamlfile import display_name

KIT_MARK = b"/Creator (kit3018"  # in the Info dictionary of every PDF the kit writes
MAX_SCAN = 64 * 1024 * 1024
MAX_NAME_BYTES = 255  # what Linux, macOS and Windows file systems allow in one name
PART = ".part"


def inside(root: Path, *parts: str) -> Path:
    """`root/parts...`, refusing any path that would land outside root. The last part is
    not resolved: a link of that name is replaced by the file, never written through."""
    root = Path(root).resolve()
    joined = root.joinpath(*parts)
    target = joined.parent.resolve() / joined.name
    if joined.name in ("", ".", "..") or not target.is_relative_to(root):
        raise OutputError(say("output.outside", target=target, root=root))
    return target


def made_by_kit(path: Path) -> bool:
    """Whether `path` is a PDF (by its content) carrying the kit's Creator mark; a link,
    a device or anything else is not the kit's."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return False
        with os.fdopen(os.dup(handle), "rb") as file:
            data = file.read(MAX_SCAN)
        return (data.startswith(b"%PDF") and KIT_MARK in data) or _editable_by_kit(data)
    except OSError:
        return False
    finally:
        os.close(handle)


def _editable_by_kit(data: bytes) -> bool:
    """A .docx or .pptx the kit wrote, not saved again since (kit/formats)."""
    if not data.startswith(b"PK"):
        return False
    from .formats import made_by_kit as office_made_by_kit  # zip reading only when needed
    return office_made_by_kit(data)


def _is_pdf(path: Path) -> bool:
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with open(path, "rb") as file:
            return file.read(4) == b"%PDF"
    except OSError:
        return False


def check_replaceable(path: Path, pdf: bool = True) -> None:
    """OutputError if writing `path` (a PDF when `pdf`) would replace a PDF, or any file
    with a PDF, that the kit did not make."""
    if (path.exists() or path.is_symlink()) and (pdf or _is_pdf(path)) and not made_by_kit(path):
        raise OutputError(say("output.not_ours", file=display_name(path)))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes, force: bool = False) -> Path:
    """Write to a temporary file beside `path`, then rename it into place.

    An interrupted run leaves no truncated file under the final name (and its `.part`
    file is removed by the next run: see `remove_stale_parts`). A PDF, .docx or .pptx
    never replaces a file the kit did not make, nor does anything replace such a PDF,
    unless `force`.
    The rename replaces a link of that name; it never writes where the link points.
    """
    path = Path(path)
    if len(path.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise OutputError(say("output.name_too_long", file=display_name(path)[:80],
                              size=len(path.name.encode("utf-8", "surrogateescape")),
                              limit=MAX_NAME_BYTES))
    if not force:
        check_replaceable(path, data.startswith(b"%PDF") or _editable_by_kit(data))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # the process id in the name tells a later run whose leftover this is
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name[:100]}.{os.getpid()}.",
                                             suffix=PART, dir=path.parent)
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
        raise OutputError(say("output.cannot_write", file=display_name(path),
                              why=os_reason(error))) from None
    return path


def remove_stale_parts(folder: Path) -> int:
    """Remove the `.part` files of kit runs that were killed (their process is gone);
    those of a run still going (another batch into the same folder) are left alone."""
    removed = 0
    for directory, _, names in os.walk(folder):  # links to folders are not followed
        for name in names:
            pieces = name.split(".")
            if not (name.startswith(".") and name.endswith(PART) and len(pieces) >= 5
                    and pieces[-3].isdigit() and not alive(int(pieces[-3]))):
                continue
            path = Path(directory) / name
            try:
                if stat.S_ISREG(path.lstat().st_mode):
                    path.unlink()
                    removed += 1
            except OSError:
                continue  # gone already, or not ours to remove
    return removed


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
