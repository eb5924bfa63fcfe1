"""Neutral slides -> a PowerPoint deck (python-pptx): 16:9, real text boxes, speaker notes.

Every slide has its title in the title placeholder (the outline and screen readers list
it), its text in an editable text box, the guide's words in the notes and the 3018 line
in a footer box. Type comes from assets/styles.yaml (slide-title, slide-body); a body
too long for the slide is set smaller up front (a rough measure, never below the
edition's floor) and what does not fit even then goes on a slide « (suite) », as in the
PDF deck. Body boxes do not shrink their text themselves: LibreOffice's shrink-on-overflow
makes it smaller than needed, so the size is chosen here, with room for wide fallback fonts.
"""
from __future__ import annotations

import io
import math
from dataclasses import replace

from lxml import etree
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from . import finish, font_name, palette, qr_png, set_properties, style
from ..docmodel.blocks import Document, Item, Para, Qr, Run, Slide

WIDTH, HEIGHT = Pt(960), Pt(540)  # the PDF deck's page: 13.33 x 7.5 inches
MARGIN = Pt(36)
CAPTION_TOP, TITLE_TOP, TITLE_HEIGHT = Pt(18), Pt(44), Pt(96)
FOOTER_HEIGHT = Pt(30)
BODY_TOP = TITLE_TOP + TITLE_HEIGHT + Pt(6)
MIN_BODY = 18  # points: still read from the back of a classroom
ACCESSIBLE_FLOOR = 0.75  # dys and large print: never below this share of their slide body
CONTINUED = " (suite)"
TITLE_ONLY = 5  # the default template's « Title Only » layout
AVERAGE_WIDTH = 0.6  # a character's mean width in ems, with the room lost at line ends: wide fallback fonts (DejaVu Sans) included
NOTES_SIZE = 12


def render(doc: Document) -> bytes:
    """The deck as .pptx bytes: the same bytes for the same document."""
    deck = Presentation()
    _widen(deck)
    drawer = _Drawer(deck, doc)
    for slide in doc.slides:
        for page in drawer.pages(slide):
            drawer.slide(page)
    set_properties(deck.core_properties, doc)
    out = io.BytesIO()
    deck.save(out)
    return finish(out.getvalue())


def _widen(deck) -> None:
    """16:9: python-pptx's template is 4:3 (10 x 7.5 in); its master's and layouts'
    placeholders are stretched too, so a slide a teacher adds is laid out for the width."""
    stretch = WIDTH / deck.slide_width
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    for owner in (deck.slide_master, *deck.slide_layouts):
        for shape in owner.shapes:  # only a position of its own: an inherited one is stretched once
            properties = getattr(shape._element, "spPr", None)
            if properties is not None and properties.find(qn("a:xfrm")) is not None:
                shape.left, shape.width = round(shape.left * stretch), round(shape.width * stretch)


class _Drawer:
    def __init__(self, deck, doc: Document):
        self.deck, self.doc = deck, doc
        self.colors = doc.colors or palette()
        self.font = font_name(doc.edition)
        self.title_style = style(doc.edition, "slide-title", self.colors)
        self.body_style = style(doc.edition, "slide-body")
        self.italic_as_bold = self.body_style["italic_as_bold"]
        accessible = doc.edition != "standard"
        self.floor = (round(self.body_style["size"] * ACCESSIBLE_FLOOR) if accessible
                      else MIN_BODY)

    def pages(self, model: Slide) -> list[Slide]:
        """The slide, or it and its continuations « (suite) » when its text does not fit at
        the smallest size the edition allows (as the PDF deck, type is never made tiny)."""
        text = [b for b in model.body if not isinstance(b, Qr)]
        width, height = self.body_area(model)
        if self.measure(text, width, self.floor) <= height:
            return [model]
        pages, current = [], []
        for block in text:
            if current and self.measure([*current, block], width, self.floor) > height:
                pages.append(current)
                current = []
            current.append(block)
        pages.append(current)
        pictures = [b for b in model.body if isinstance(b, Qr)]
        return [replace(model, body=body + (pictures if not index else []),
                        title=model.title + ((Run(CONTINUED),) if index else ()))
                for index, body in enumerate(pages)]

    def body_area(self, model: Slide) -> tuple[int, int]:
        """The text box's width and height: under the title, above the footer, left of a QR code."""
        pictures = [b for b in model.body if isinstance(b, Qr)]
        height = HEIGHT - BODY_TOP - FOOTER_HEIGHT - Pt(12)
        width = WIDTH - 2 * MARGIN - (Pt(pictures[0].size * 72 / 25.4) + Pt(24) if pictures else 0)
        return width, height

    def slide(self, model: Slide) -> None:
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[TITLE_ONLY])
        width = WIDTH - 2 * MARGIN
        if model.caption:
            self.text_box(slide, MARGIN, CAPTION_TOP, width, Pt(26),
                          [Para((Run(model.caption),))], size=14, colour=self.colors["muted"])
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = MARGIN, TITLE_TOP, width, TITLE_HEIGHT
        self.fill(title.text_frame, [Para(model.title)], self.title_style["size"],
                  colour=self.title_style["color"], bold=True)
        title.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        title.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER if model.centred else PP_ALIGN.LEFT
        title.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        pictures = [b for b in model.body if isinstance(b, Qr)]
        text = [b for b in model.body if not isinstance(b, Qr)]
        room, height = self.body_area(model)
        if text:
            size = self.body_size(text, room, height)
            box = self.text_box(slide, MARGIN, BODY_TOP, room, height, text, size=size)
            if model.centred:
                box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
                for paragraph in box.text_frame.paragraphs:
                    paragraph.alignment = PP_ALIGN.CENTER
        for qr in pictures:
            self.qr(slide, qr, MARGIN + room + Pt(24), BODY_TOP)
        self.text_box(slide, MARGIN, HEIGHT - FOOTER_HEIGHT - Pt(6), width, FOOTER_HEIGHT,
                      [Para((Run(self.doc.footer),))], size=14, colour=self.colors["ink"])
        self.notes(slide, model.notes)

    def body_size(self, blocks, width, height) -> float:
        """The slide-body size, or smaller until the text would fit (never below the floor)."""
        size = self.body_style["size"]
        while size > self.floor and self.measure(blocks, width, size) > height:
            size -= 1
        return max(size, self.floor)

    def measure(self, blocks, width, size: float) -> float:
        per_line = max(1, int(width / Pt(size * AVERAGE_WIDTH)))
        lines = sum(max(1, math.ceil(len("".join(r.text for r in b.text)) / per_line))
                    + "".join(r.text for r in b.text).count("\n") for b in blocks)
        spacing = self.body_style["space_after"] * size / self.body_style["size"]
        return Pt(lines * size * self.body_style["leading"] + len(blocks) * spacing)

    def text_box(self, slide, left, top, width, height, blocks, size, colour=None):
        box = slide.shapes.add_textbox(left, top, width, height)
        box.text_frame.word_wrap = True
        self.fill(box.text_frame, blocks, size, colour)
        return box

    def fill(self, frame, blocks, size, colour=None, bold=False) -> None:
        """Paragraphs with their runs; list items with a real bullet or number."""
        frame.clear()
        for index, block in enumerate(blocks):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            scale = 1.0
            if isinstance(block, Para) and block.style == "number":
                scale = style(self.doc.edition, "slide-number")["size"] / self.body_style["size"]
            if isinstance(block, Item):
                _bullet(paragraph, block, size)
            paragraph.space_after = Pt(round(size * 0.35))
            emphasis = bold or (isinstance(block, Para) and block.style in ("lead", "number"))
            tint = self.colors["accent"] if scale != 1.0 else colour
            for run in block.text:
                self.run(paragraph, run, round(size * scale, 1), tint, emphasis)

    def run(self, paragraph, model: Run, size, colour, bold=False) -> None:
        """A run with its font, size, emphasis, colour and language, written as attributes
        (python-pptx's font properties are slow, and a deck has a thousand runs)."""
        for index, piece in enumerate(model.text.split("\n")):
            if index:
                paragraph.add_line_break()
            run = paragraph.add_run()
            run.text = piece
            rpr = run._r.get_or_add_rPr()
            rpr.set("lang", "fr-FR")
            rpr.set("sz", str(int(round(size * 100))))
            if bold or model.bold or (model.italic and self.italic_as_bold):
                rpr.set("b", "1")
            if model.italic and not self.italic_as_bold:
                rpr.set("i", "1")
            if model.superscript:
                rpr.set("baseline", "30000")
            fill = etree.SubElement(etree.SubElement(rpr, qn("a:solidFill")), qn("a:srgbClr"))
            fill.set("val", (colour or self.colors["ink"])[1:])
            etree.SubElement(rpr, qn("a:latin")).set("typeface", self.font)

    def qr(self, slide, qr: Qr, left, top) -> None:
        side = Pt(qr.size * 72 / 25.4)
        picture = slide.shapes.add_picture(io.BytesIO(qr_png(qr.address)), left, top, side, side)
        picture.name = f"QR {qr.caption}"
        _describe(picture, f"QR code : {qr.caption}")
        self.text_box(slide, left, top + side + Pt(4), side, Pt(28),
                      [Para((Run(qr.caption),))], size=16).text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER

    def notes(self, slide, blocks) -> None:
        if not blocks:
            return
        frame = slide.notes_slide.notes_text_frame
        frame.clear()
        for index, block in enumerate(blocks):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            lead = [] if not isinstance(block, Item) else [Run("1. " if block.numbered else "• ")]
            for run in (*lead, *block.text):
                self.run(paragraph, run, NOTES_SIZE, None, isinstance(block, Para) and block.style == "lead")


def _bullet(paragraph, item: Item, size: float) -> None:
    """A real list paragraph: a hanging indent and a bullet (•) or automatic number."""
    ppr = paragraph._p.get_or_add_pPr()
    indent = Emu(Pt(size * (1.6 if item.numbered else 1.1)))  # room for « 10. »
    ppr.set("marL", str(int(indent * (item.depth + 1))))
    ppr.set("indent", str(-int(indent)))
    if item.numbered:
        mark = etree.SubElement(ppr, qn("a:buAutoNum"))
        mark.set("type", "arabicPeriod")
    else:
        mark = etree.SubElement(ppr, qn("a:buChar"))
        mark.set("char", "•")


def _describe(shape, text: str) -> None:
    """The picture's alternative text, for screen readers."""
    shape._element.nvPicPr.cNvPr.set("descr", text)
