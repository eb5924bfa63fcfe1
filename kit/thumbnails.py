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


def thumbnail_png(pdf: Path, width: int = THUMBNAIL_WIDTH) -> bytes:
    """The first page of `pdf` as a PNG `width` pixels wide."""
    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as error:
        raise OutputError(say("render.thumbnail", file=pdf)) from None
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=64).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def write_thumbnail(pdf: Path, target: Path) -> Path:
    return write_atomic(target, thumbnail_png(pdf), force=True)
