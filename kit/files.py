"""Reading files that come from anyone: a theme, a contacts profile, a lessons folder,
a roster. Regular files only, really inside the folder they come from, and no more
than a size cap, so a symbolic link to /etc/shadow, /dev/zero or a named pipe can
neither be read nor make the kit hang."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Protocol

from .messages import os_reason, say

CHUNK = 64 * 1024


class FileRefused(ValueError):
    """Raised when a file may not be read; the message says why, the caller names the file."""


def within(path: Path, root: Path) -> bool:
    """Whether `path`, every link followed, is inside `root` (every link followed too)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


def _open_regular(path: Path, follow: bool = True) -> int:
    """A handle on a regular file; FileRefused for a device, a pipe, a folder (or a link,
    unless `follow`). O_NONBLOCK: opening a named pipe must not wait for a writer."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags if follow else flags | os.O_NOFOLLOW)
    except OSError as error:
        raise FileRefused(say("files.unreadable", why=os_reason(error))) from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise FileRefused(say("files.not_regular"))
    return handle


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a regular file (for a glance at what it is)."""
    handle = _open_regular(path)
    try:
        return os.read(handle, size)
    finally:
        os.close(handle)


def digest_folder(digest: Digest, folder: Path) -> None:
    """Feed every regular file really inside `folder` (name, then bytes) to `digest`;
    a link out of the folder, a device or a pipe is left out, never read."""
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and within(p, folder)):
        try:
            handle = _open_regular(path)
        except FileRefused:
            continue
        try:
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            while chunk := os.read(handle, CHUNK):
                digest.update(chunk)
        finally:
            os.close(handle)


def read_limited(path: Path, max_bytes: int, root: Path | None = None,
                 what: str = "files.kit_files", follow: bool = True) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, inside `root` when given;
    with `follow` False, a link is refused (a file the kit itself wrote in OUT).
    `what` names the kind of file (a message id: files.kit_files, files.rosters...)."""
    if root is not None and not within(path, root):
        raise FileRefused(say("files.link_outside"))
    handle = _open_regular(path, follow)
    try:
        info = os.fstat(handle)
        if info.st_size > max_bytes:
            raise FileRefused(_too_big(info.st_size, max_bytes, what))
        chunks, size = [], 0
        while size <= max_bytes:  # the size may grow while we read: the cap holds anyway
            chunk = os.read(handle, CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise FileRefused(_too_big(size, max_bytes, what))
        return b"".join(chunks)
    except OSError as error:
        raise FileRefused(say("files.unreadable", why=os_reason(error))) from None
    finally:
        os.close(handle)


def _too_big(size: int, max_bytes: int, what: str) -> str:
    return say("files.too_big", size=size // 1024, what=say(what), limit=file_size(max_bytes))


def file_size(count: int) -> str:
    """`2 Mio`, `512 Kio`: a size as a French reader writes it."""
    return say("files.mib" if count >= 1024 * 1024 else "files.kib",
               count=count // (1024 * 1024) if count >= 1024 * 1024 else count // 1024)
