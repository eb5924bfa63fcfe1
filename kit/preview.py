"""`kit preview`: PNG pictures of a document's pages, drawn by pdfium (a PyPI wheel),
so a facilitator sees the result without a PDF viewer or a system tool."""
from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium

from . import api
from .errors import RenderError
from .messages import say
from .output import inside, write_atomic
from .render import file_name, render_document
from .theme import load_theme

PREVIEW_DPI = 100  # sharp enough to read body text on a screen, small enough to open fast


def preview(lesson_ref: str, document: str = "worksheet", out: Path = Path("preview"), *,
            page: int | None = None, edition: str = "standard", lesson_dirs=(),
            contacts=None, theme=None) -> list[Path]:
    """Render one document and write its pages (or one page) as PNG files into `out`."""
    lesson, profile = api.prepare(lesson_ref, lesson_dirs, contacts)
    pdf = render_document(lesson, document, edition=edition, local_contacts=profile,
                          theme=load_theme(theme))
    stem = file_name(lesson.id, document, edition).removesuffix(".pdf")
    return page_pictures(pdf.data, Path(out), stem, page)


def page_pictures(pdf: bytes, out: Path, stem: str, page: int | None = None,
                  dpi: int = PREVIEW_DPI) -> list[Path]:
    """`out/<stem>-p<N>.png` for each page (or only page `page`, counted from 1)."""
    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document)
        if page is not None and not 1 <= page <= count:
            raise RenderError(say("render.no_page", page=page, count=count))
        written = []
        for number in [page] if page else range(1, count + 1):
            image = document[number - 1].render(scale=dpi / 72).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            written.append(write_atomic(inside(out, f"{stem}-p{number}.png"), buffer.getvalue()))
        return written
    finally:
        document.close()
