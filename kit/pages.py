"""The page template: page sizes, margins, metadata and the 3018 footer on every page.

Every document goes through `render_pdf`, so no document can forget the helpline,
the A4 margins a school printer needs, or the metadata a library catalogue reads.
"""
from __future__ import annotations

import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from . import __version__
from .errors import RenderError
from .flowables import Paragraph
from .messages import say
from .helpline import Helpline
from .styles import Stylesheet
from .text import french_typography

_A85_LOCK = threading.Lock()
_A85_USERS = [0, None]  # documents being written, ReportLab's setting before the first


@contextmanager
def binary_streams():
    """Flate-only streams while the kit writes a PDF: ASCII85 would make every PDF a
    quarter larger and slower to write, for 7-bit mail transports nobody prints from.
    ReportLab reads this as a global, so it is set around our documents only (counted,
    for batch threads) and given back as it was: a program using the kit keeps its own."""
    with _A85_LOCK:
        if _A85_USERS[0] == 0:
            _A85_USERS[1] = rl_config.useA85
            rl_config.useA85 = 0
        _A85_USERS[0] += 1
    try:
        yield
    finally:
        with _A85_LOCK:
            _A85_USERS[0] -= 1
            if _A85_USERS[0] == 0:
                rl_config.useA85 = _A85_USERS[1]

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


FOOTER_GAP = 7 * mm      # from the frame's bottom to the footer's first line
PRINTER_MARGIN = 10.0    # below the footer's last line: school printers do not print the edge
PAGE_NUMBER_ROOM = 1.0   # body sizes between the footer's label and « page 12 / 14 »


def layout(kind: str, paper: str = "a4", edition_body: float = 10.5,
           footer_height: float = 0.0) -> PageLayout:
    """`a4` for printed documents, `slides` for the projector, `poster` (A4 or A3);
    the bottom margin grows to fit the footer (three lines in large print)."""
    footer_room = max(14 * mm + edition_body * 1.2, footer_height + FOOTER_GAP + PRINTER_MARGIN)
    if kind == "slides":
        return PageLayout("slides", SLIDE, 30.0, max(30.0 + edition_body * 1.8, footer_room))
    size = A3 if paper == "a3" else A4
    if kind == "landscape":
        size = landscape(size)
    return PageLayout(kind, size, 16 * mm, footer_room)


@dataclass(frozen=True)
class Footer:
    """The footer of every page: the 3018 (its own lines, wrapped if need be), then one
    line with the document's label, shortened with an ellipsis rather than wrapped,
    and « page N / M » at its right unless the document is a single sheet (poster)."""

    help_markup: str
    label: str          # plain text: « Fiche élève – Mon titre »
    numbered: bool = True


def footer_height(footer: Footer, stylesheet: Stylesheet, width: float) -> float:
    """The footer's height, so the frame leaves room for it."""
    return _help_paragraph(footer, stylesheet, width).height + stylesheet["footer"].leading


def _help_paragraph(footer: Footer, stylesheet: Stylesheet, width: float) -> Paragraph:
    """The helpline's lines, laid out once per document (re-wrapping them on every page
    was a tenth of a build)."""
    paragraph = Paragraph(footer.help_markup, stylesheet["footer"])
    paragraph.wrap(width, 10_000)
    return paragraph


def shortened(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut at a word and ended with « … » if it is wider than `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(" ,;:–-·") + "…"
        if stringWidth(candidate, font, size) <= width:
            return candidate
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Metadata:
    title: str
    subject: str
    author: str = "Kit 3018 - Association e-Enfance et contributeurs"
    keywords: str = "3018, e-Enfance, harcèlement, numérique"


def footer_markup(helpline: Helpline, label: str, thin: str, numbered: bool = True) -> Footer:
    """The 3018, its promises, hours and address; then the document's name."""
    def safe(text: str) -> str:  # typeset first: escaping first would split `&amp;`
        return escape(french_typography(text, thin))
    details = f" : {helpline.promises_text}, {helpline.hours_short}, {helpline.web_short} et l'appli {helpline.phone}"
    return Footer(f"{safe('Besoin d’aide ? ')}<b>{safe(helpline.phone)}</b>{safe(details)}",
                  french_typography(label, thin), numbered)


class _CountingCanvas(Canvas):
    """Keeps each page until the last is drawn, so every footer can say « page 2 / 5 »
    in one pass (the output stays byte-identical for identical input)."""

    def __init__(self, *args, number_pages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []
        self._number_pages = number_pages

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            if self._number_pages is not None:
                self._number_pages(self, self._pageNumber, total)
            super().showPage()
        super().save()


class _DocTemplate(BaseDocTemplate):
    def __init__(self, buffer, page: PageLayout, meta: Metadata, footer: Footer,
                 stylesheet: Stylesheet, logo: Path | None = None):
        super().__init__(buffer, pagesize=page.size, leftMargin=page.margin,
                         rightMargin=page.margin, topMargin=page.margin,
                         bottomMargin=page.bottom, title=meta.title, author=meta.author,
                         subject=meta.subject, keywords=meta.keywords, lang="fr-FR",
                         creator=f"kit3018 {__version__}", invariant=1,
                         initialFontName=stylesheet.face(), initialFontSize=stylesheet.body_size,
                         displayDocTitle=1)
        self.layout = page
        self._footer = _help_paragraph(footer, stylesheet, page.frame_width)
        self._label, self._numbered = footer.label, footer.numbered
        self._number_gap = stylesheet.size(PAGE_NUMBER_ROOM)
        self._style = stylesheet["footer"]
        self._rule = stylesheet.color("rule")
        frame = Frame(page.margin, page.bottom, page.frame_width, page.frame_height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self._logo = ImageReader(str(logo)) if logo else None
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._draw_logo,
                                            onPageEnd=self._draw_footer)])

    def _draw_logo(self, canvas, doc) -> None:
        """A theme's logo, top right of the first page, inside the top margin."""
        if self._logo is None or doc.page != 1:
            return
        width, height = self._logo.getSize()
        tall = min(12 * mm, self.layout.margin - 3 * mm)
        wide = min(tall * width / height, 45 * mm)
        tall = wide * height / width
        right = self.layout.size[0] - self.layout.margin
        top = self.layout.size[1] - (self.layout.margin - tall) / 2
        canvas.drawImage(self._logo, right - wide, top - tall, wide, tall, mask="auto")

    def _draw_footer(self, canvas, doc) -> None:
        """Drawn after the page's content, so text is read in order: content, then help."""
        canvas.saveState()
        top = self._footer_top()
        canvas.setStrokeColor(self._rule)
        canvas.setLineWidth(0.6)
        canvas.line(self.layout.margin, top, self.layout.size[0] - self.layout.margin, top)
        self._footer.drawOn(canvas, self.layout.margin, top - 2 * mm - self._footer.height)
        canvas.restoreState()
        if not self._numbered:
            self._draw_label(canvas, "")

    def _footer_top(self) -> float:
        return self.layout.bottom - FOOTER_GAP + 2 * mm

    def _draw_label(self, canvas, number: str) -> None:
        """The footer's last line: the label (shortened to its room) and the page number."""
        style = self._style
        right = self.layout.size[0] - self.layout.margin
        baseline = (self._footer_top() - 2 * mm - self._footer.height - style.leading
                    + style.fontSize * 0.2)
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        canvas.setFont(style.fontName, style.fontSize)
        room = self.layout.frame_width
        if number:
            room -= stringWidth(number, style.fontName, style.fontSize) + self._number_gap
        canvas.drawString(self.layout.margin, baseline,
                          shortened(self._label, style.fontName, style.fontSize, room))
        if number:
            canvas.drawRightString(right, baseline, number)
        canvas.restoreState()

    def number_pages(self, canvas, page: int, total: int) -> None:
        if self._numbered:
            self._draw_label(canvas, f"page {page} / {total}")


@dataclass(frozen=True)
class Pdf:
    """A rendered document: its bytes and how many pages it has."""

    data: bytes
    pages: int


def render_pdf(flowables: list, page: PageLayout, meta: Metadata, footer: Footer,
               stylesheet: Stylesheet, logo: Path | None = None) -> Pdf:
    """Lay the flowables out on the template (with a theme's logo on the first page)."""
    buffer = io.BytesIO()
    document = _DocTemplate(buffer, page, meta, footer, stylesheet, logo)

    def canvas(*args, **kwargs):
        return _CountingCanvas(*args, number_pages=document.number_pages, **kwargs)
    try:
        with binary_streams():
            document.build(flowables, canvasmaker=canvas)
    except LayoutError:
        raise RenderError(say("render.block_too_large", title=meta.title[:80])) from None
    except ValueError:  # ReportLab's word for "no room": a cell narrower than nothing
        raise RenderError(say("render.cannot_lay_out", title=meta.title[:80])) from None
    return Pdf(buffer.getvalue(), document.page)
