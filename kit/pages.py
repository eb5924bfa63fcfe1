"""The page template: page sizes, margins, metadata and the 3018 footer on every page.

Every document goes through `render_pdf`, so no document can forget the helpline,
the A4 margins a school printer needs, or the metadata a library catalogue reads.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import LayoutError

from . import __version__
from .errors import RenderError
from .helpline import Helpline
from .styles import Stylesheet
from .text import french_typography

SLIDE = (960.0, 540.0)  # 16:9, the size of a 13.33 x 7.5 inch presentation slide


@dataclass(frozen=True)
class PageLayout:
    """A page size and its margins; the bottom margin holds the helpline footer."""

    name: str
    size: tuple[float, float]
    margin: float
    bottom: float

    @property
    def frame_width(self) -> float:
        return self.size[0] - 2 * self.margin

    @property
    def frame_height(self) -> float:
        return self.size[1] - self.margin - self.bottom


def layout(kind: str, paper: str = "a4", edition_body: float = 10.5) -> PageLayout:
    """`a4` for printed documents, `slides` for the projector, `poster` (A4 or A3)."""
    footer_room = 14 * mm + edition_body * 1.2
    if kind == "slides":
        return PageLayout("slides", SLIDE, 30.0, 30.0 + edition_body * 1.8)
    size = A3 if paper == "a3" else A4
    if kind == "landscape":
        size = landscape(size)
    return PageLayout(kind, size, 16 * mm, footer_room)


@dataclass(frozen=True)
class Metadata:
    title: str
    subject: str
    author: str = "Kit 3018 - Association e-Enfance et contributeurs"
    keywords: str = "3018, e-Enfance, harcèlement, numérique"


def footer_markup(helpline: Helpline, label: str, thin: str) -> str:
    """One or two lines: the 3018, its promises, hours and address, and the document's name."""
    def safe(text: str) -> str:  # typeset first: escaping first would split `&amp;`
        return escape(french_typography(text, thin))
    details = f" : {helpline.promises_text}, {helpline.hours_short}, {helpline.web_short} et l'appli 3018"
    return (f"{safe('Besoin d’aide ? ')}<b>{safe(helpline.phone)}</b>{safe(details)}"
            f" <font size=\"-1\">· {safe(label)}</font>")


class _DocTemplate(BaseDocTemplate):
    def __init__(self, buffer, page: PageLayout, meta: Metadata, footer: str,
                 stylesheet: Stylesheet):
        super().__init__(buffer, pagesize=page.size, leftMargin=page.margin,
                         rightMargin=page.margin, topMargin=page.margin,
                         bottomMargin=page.bottom, title=meta.title, author=meta.author,
                         subject=meta.subject, keywords=meta.keywords, lang="fr-FR",
                         creator=f"kit3018 {__version__}", invariant=1,
                         initialFontName=stylesheet.face(), initialFontSize=stylesheet.body_size,
                         displayDocTitle=1)
        self.layout = page
        self._footer = footer
        self._style = stylesheet["footer"]
        self._rule = stylesheet.color("rule")
        frame = Frame(page.margin, page.bottom, page.frame_width, page.frame_height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._draw_footer)])

    def _draw_footer(self, canvas, doc) -> None:
        """Drawn after the page's content, so text is read in order: content, then help."""
        canvas.saveState()
        text = f"{self._footer} <font size=\"-1\">· page {doc.page}</font>"
        footer = Paragraph(text, self._style)
        _, height = footer.wrap(self.layout.frame_width, self.layout.bottom)
        top = self.layout.bottom - 5 * mm
        canvas.setStrokeColor(self._rule)
        canvas.setLineWidth(0.6)
        canvas.line(self.layout.margin, top, self.layout.size[0] - self.layout.margin, top)
        footer.drawOn(canvas, self.layout.margin, top - 2 * mm - height)
        canvas.restoreState()


@dataclass(frozen=True)
class Pdf:
    """A rendered document: its bytes and how many pages it has."""

    data: bytes
    pages: int


def render_pdf(flowables: list, page: PageLayout, meta: Metadata, footer: str,
               stylesheet: Stylesheet) -> Pdf:
    """Lay the flowables out on the template."""
    buffer = io.BytesIO()
    document = _DocTemplate(buffer, page, meta, footer, stylesheet)
    try:
        document.build(flowables)
    except LayoutError as error:
        raise RenderError(f"{meta.title}: a block is too large to fit on one page ({error}); "
                          "shorten that text or split it into several items") from None
    return Pdf(buffer.getvalue(), document.page)
