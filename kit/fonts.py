"""The characters each packaged font can draw, read from its files' `cmap` table.

`kit check` must say which character no font can print without loading ReportLab
(a tenth of a second at every start); this reads the same table ReportLab reads,
for the one thing the checks need. A test keeps both in agreement.
"""
from __future__ import annotations

import functools
import importlib
import struct
from pathlib import Path

from . import cache
from .errors import AssetError
from .messages import say


def font_folder(package: str) -> Path:
    try:
        return Path(importlib.import_module(package).__file__).parent / "files"
    except ImportError:
        raise AssetError(say("styles.font_package", package=package)) from None


@functools.cache
def characters(path: Path) -> frozenset[int]:
    """Every code point the font file maps to a glyph (its Unicode cmap subtables)."""
    return cache.remember("charset", cache.file_parts(path), lambda: _characters(path))


def _characters(path: Path) -> frozenset[int]:
    data = Path(path).read_bytes()
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack(">II", data[20 + 16 * i:28 + 16 * i])
              for i in range(struct.unpack(">H", data[4:6])[0])}
    if b"cmap" not in tables:
        raise AssetError(say("styles.not_a_font", file=path.name))
    base = tables[b"cmap"][0]
    found: set[int] = set()
    for i in range(struct.unpack(">H", data[base + 2:base + 4])[0]):
        platform, encoding, offset = struct.unpack(">HHI", data[base + 4 + 8 * i:base + 12 + 8 * i])
        if (platform, encoding) in ((3, 1), (3, 10), (0, 3), (0, 4)):
            found |= _subtable(data, base + offset)
    return frozenset(found)


def _subtable(data: bytes, at: int) -> set[int]:
    kind = struct.unpack(">H", data[at:at + 2])[0]
    codes: set[int] = set()
    if kind == 4:
        count = struct.unpack(">H", data[at + 6:at + 8])[0] // 2
        ends = struct.unpack(f">{count}H", data[at + 14:at + 14 + 2 * count])
        starts_at = at + 16 + 2 * count
        starts = struct.unpack(f">{count}H", data[starts_at:starts_at + 2 * count])
        deltas = struct.unpack(f">{count}h", data[starts_at + 2 * count:starts_at + 4 * count])
        ranges_at = starts_at + 4 * count
        offsets = struct.unpack(f">{count}H", data[ranges_at:ranges_at + 2 * count])
        for n, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets)):
            end = min(end, 0xFFFE)  # U+FFFF is not a character
            if end < start:
                continue
            if offset == 0:
                glyphs = [(code + delta) & 0xFFFF for code in range(start, end + 1)]
            else:
                where = ranges_at + 2 * n + offset
                raw = struct.unpack(f">{end - start + 1}H", data[where:where + 2 * (end - start + 1)])
                glyphs = [(g + delta) & 0xFFFF if g else 0 for g in raw]
            codes.update(code for code, glyph in zip(range(start, end + 1), glyphs) if glyph)
    elif kind == 12:
        groups = struct.unpack(">I", data[at + 12:at + 16])[0]
        for g in range(groups):
            start, end, glyph = struct.unpack(">III", data[at + 16 + 12 * g:at + 28 + 12 * g])
            codes.update(range(start + (glyph == 0), end + 1))
    return codes
