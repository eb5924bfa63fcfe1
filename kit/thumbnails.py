"""Small pictures of a PDF's first page for the catalogue page, so a teacher sees
what they will print before opening it (pypdfium2: no system tool needed)."""
from __future__ import annotations

import io
from pathlib import Path

import pypdfium2

from .errors import OutputError
from .messages import say
from .output import write_atomic

THUMBNAIL_WIDTH = 120  # pixels: a glance, not a preview


def page_png(pdf: Path | bytes, page: int = 1, width: int = THUMBNAIL_WIDTH,
             colors: int = 64) -> bytes:
    """Page `page` (from 1) of a PDF file or PDF bytes as a PNG `width` pixels wide,
    in `colors` colours (small files); IndexError for a page the PDF does not have."""
    document = pypdfium2.PdfDocument(str(pdf) if isinstance(pdf, Path) else pdf)
    try:
        if not 1 <= page <= len(document):
            raise IndexError(page)
        sheet = document[page - 1]
        image = sheet.render(scale=width / sheet.get_width()).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=colors).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def thumbnail_png(pdf: Path, width: int = THUMBNAIL_WIDTH) -> bytes:
    """The first page of `pdf` as a PNG `width` pixels wide."""
    try:
        return page_png(Path(pdf), 1, width)
    except pypdfium2.PdfiumError:
        raise OutputError(say("render.thumbnail", file=pdf)) from None


def write_thumbnail(pdf: Path, target: Path) -> Path:
    return write_atomic(target, thumbnail_png(pdf), force=True)
