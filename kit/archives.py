"""The zip archives the kit writes (packs, editable copies, spreadsheets, results,
district packets) have fixed dates and permissions: the same content is the same
bytes, whatever the day it was made."""
from __future__ import annotations

import io
import zipfile

ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def entry(name: str, compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A member called `name`, dated ZIP_DATE, readable by all."""
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = compress_type
    info.external_attr = 0o644 << 16
    return info


def members(package: bytes) -> list[tuple[str, bytes]]:
    """Each member's name and bytes, in the package's order."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        return [(info.filename, source.read(info)) for info in source.infolist()]


def written(parts) -> bytes:
    """A zip of (name, bytes) members, in that order, with fixed dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            target.writestr(entry(name), data)
    return out.getvalue()


def fixed_dates(package: bytes) -> bytes:
    """A package an office library wrote (.xlsx, .docx, .pptx), dated as the kit dates."""
    return written(members(package))
