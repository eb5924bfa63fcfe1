"""Neutral blocks -> a Word document (python-docx) a teacher can change before printing.

Real heading styles (the navigation pane lists them), lists as Word lists, tables as
tables, answer lines as ruled empty paragraphs and tick boxes as characters (each one
kept or deleted like text), the 3018 line in every page's footer, A4 with margins a
school printer does not cut, the edition's font named with its sizes from
assets/styles.yaml and a sans-serif fallback declared for readers without it.
"""
from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from . import finish, font_name, palette, qr_png, set_properties, style
from ..docmodel.blocks import (AnswerLines, Box, CutLine, Document, Heading, Item, PageBreak,
                               Para, Qr, Question, Run, Table)

TICK_BOX = "☐"
MARGIN = Mm(20)  # printer-safe on every school printer (the PDF keeps 16 mm)
TEXT_WIDTH = Mm(210) - 2 * MARGIN
BOX_PADDING = Mm(5)  # a table cell's own margins, with room to spare
# model style -> (Word style, styles.yaml style); the Word names are the built-in ones
PARA_STYLES = {"body": ("Normal", "body"), "subtitle": ("Subtitle", "subtitle"),
               "small": ("Kit Small", "small"), "answer": ("Kit Answer", "answer"),
               "lead": ("Kit Lead", "label"), "box-title": ("Kit Box Title", "box-title"),
               "number": ("Kit Helpline Number", "helpline-number"), "form": ("Kit Form", "body")}
# what follows w:pBdr in a paragraph's properties (ECMA-376 CT_PPrBase)
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
HEADINGS = {0: ("Title", "title"), 1: ("Heading 1", "h1"), 2: ("Heading 2", "h2")}


def render(doc: Document) -> bytes:
    """The document as .docx bytes: the same bytes for the same document."""
    word = new_document()
    _drop_thumbnail(word)
    _page(word, doc)
    colors = doc.colors or palette()
    _styles(word, doc.edition, colors)
    _Writer(word, doc.edition, colors).blocks(word, doc.blocks)
    set_properties(word.core_properties, doc)
    out = io.BytesIO()
    word.save(out)
    return finish(out.getvalue())


def _drop_thumbnail(word) -> None:
    """python-docx's template carries its own picture as the file's thumbnail: not ours."""
    rels = word.part.package.rels
    for key in [k for k, rel in rels.items() if rel.reltype.endswith("/thumbnail")]:
        rels.pop(key)


def _page(word, doc: Document) -> None:
    """A4, printer-safe margins, and the 3018 line (with « page N / M ») in the footer."""
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.footer_distance = Mm(10)
    footer = section.footer.paragraphs[0]
    footer.style = word.styles["Footer"]
    footer.add_run(f"{doc.footer} · {doc.title} · page ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_font(rpr_owner, name: str) -> None:
    """Name the font for every script, dropping the theme's fonts that would win over it."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.endswith("Theme"):
            del fonts.attrib[key]
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), name)


def _styles(word, edition: str, colors: dict) -> None:
    """The kit's styles for this edition: font, sizes, colours, spacing; French language."""
    family = font_name(edition)
    defaults = word.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr_default.findall(qn("w:lang")):
        rpr_default.remove(old)
    lang = OxmlElement("w:lang")
    for key in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(key), "fr-FR")
    rpr_default.append(lang)
    _declare_font(word, family)
    for word_name, kit_name in [*PARA_STYLES.values(), *HEADINGS.values(), ("Footer", "footer"),
                                ("List Bullet", "bullet"), ("List Bullet 2", "bullet"),
                                ("List Number", "bullet"), ("List Number 2", "bullet")]:
        _style(word, word_name, style(edition, kit_name, colors), family)
    word.styles["Kit Answer"].paragraph_format.left_indent = Mm(8)
    word.styles["Kit Box Title"].paragraph_format.keep_with_next = True
    for name in ("Kit Answer Line", "Kit Choice", "Kit Cut"):
        _style(word, name, style(edition, "body", colors), family)
    _answer_line_style(word.styles["Kit Answer Line"], style(edition, "body"))
    word.styles["Kit Choice"].paragraph_format.left_indent = Mm(6)
    word.styles["Kit Choice"].paragraph_format.space_after = Pt(2)


def _style(word, name: str, spec: dict, family: str):
    try:
        target = word.styles[name]
    except KeyError:
        target = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        target.base_style = word.styles["Normal"]
        target.quick_style = True
    _set_font(target.element, family)
    target.font.size = Pt(spec["size"])
    target.font.bold = spec["bold"]
    target.font.italic = False
    target.font.color.rgb = RGBColor.from_string(spec["color"][1:])
    fmt = target.paragraph_format
    fmt.line_spacing = spec["leading"] if name != "Footer" else 1.0
    fmt.space_before, fmt.space_after = Pt(spec["space_before"]), Pt(spec["space_after"])
    if name.startswith(("Heading", "Title")):
        fmt.keep_with_next = True
        _no_border(target)
    return target


def _no_border(target) -> None:
    """The template's Title is underlined by a border in its theme's blue: the kit's is plain."""
    ppr = target.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _answer_line_style(target, spec: dict) -> None:
    """A line to write on: a tab to the right margin drawn as a rule (an underscore leader),
    as tall as a handwritten line; one paragraph per line, so each is deleted on its own."""
    fmt = target.paragraph_format
    fmt.line_spacing = Pt(round(spec["size"] * 2.4))
    fmt.space_before = fmt.space_after = Pt(0)


def _border(ppr, side: str, kind: str, hex_colour: str, size: int) -> None:
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:  # in the schema's order: Word refuses a pPr with its children shuffled
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *PPR_AFTER_BORDER)
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", kind), ("w:sz", str(size)), ("w:space", "1"),
                       ("w:color", hex_colour[1:])):
        line.set(qn(key), value)
    borders.append(line)


def _declare_font(word, family: str) -> None:
    """The font table names a common sans-serif fallback and the family's kind, so a reader
    without the kit's font gets a sans-serif of the same role, not Times."""
    part = next(rel.target_part for rel in word.part.rels.values()
                if rel.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    font = OxmlElement("w:font")
    font.set(qn("w:name"), family)
    for tag, value in (("w:altName", "Arial"), ("w:family", "swiss"), ("w:pitch", "variable")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        font.append(child)
    root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class _Writer:
    """Draws blocks into a container (the body, or a table cell for a box)."""

    def __init__(self, word, edition: str, colors: dict):
        self.word, self.edition, self.colors = word, edition, colors
        self.italic_as_bold = style(edition, "body")["italic_as_bold"]
        self.width = TEXT_WIDTH - Mm(1)  # where a line to write on ends
        self.style_ids = {}  # python-docx looks a style up by scanning them all: once each
        self.previous = None

    def blocks(self, container, blocks) -> None:
        for block in blocks:
            if not isinstance(block, Item):
                self.previous = None
            getattr(self, "_" + type(block).__name__.lower())(container, block)

    def paragraph(self, container, style_name: str, text: str = ""):
        """A new paragraph in the named style (its id looked up once per document)."""
        if style_name not in self.style_ids:
            self.style_ids[style_name] = self.word.styles[style_name].style_id
        paragraph = container.add_paragraph(text)
        if style_name != "Normal":
            paragraph._p.style = self.style_ids[style_name]
        return paragraph

    def runs(self, paragraph, text, bold: bool = False) -> None:
        for run in text:
            self.run(paragraph, run, bold)

    def run(self, paragraph, run: Run, bold: bool = False):
        pieces = run.text.split("\n")
        for index, piece in enumerate(pieces):
            made = paragraph.add_run(piece)
            if index:  # the line break goes before this piece's text
                made._r.insert(0, OxmlElement("w:br"))
            made.bold = True if (run.bold or bold or (run.italic and self.italic_as_bold)) else None
            made.italic = True if run.italic and not self.italic_as_bold else None
            made.font.superscript = True if run.superscript else None
        return paragraph

    def _heading(self, container, block: Heading) -> None:
        name = HEADINGS[min(block.level, 2)][0]
        self.runs(self.paragraph(container, name), block.text)

    def _para(self, container, block: Para) -> None:
        self.runs(self.paragraph(container, PARA_STYLES[block.style][0]), block.text)

    def _item(self, container, block: Item) -> None:
        kind = "Number" if block.numbered else "Bullet"
        name = f"List {kind}{' 2' if block.depth else ''}"
        paragraph = self.paragraph(container, name)
        if block.numbered and block.depth == 0 and not (self.previous and self.previous.numbered):
            self.numbering = self._restart(name)
        if block.numbered and block.depth == 0:
            _use_numbering(paragraph, self.numbering)
        self.runs(paragraph, block.text)
        self.previous = block

    def _restart(self, style_name: str) -> int:
        """A new numbering instance of the style's list, so each list starts at 1."""
        numbering = self.word.part.numbering_part.element
        num_id = self.word.styles[style_name].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(num_id).abstractNumId.val
        new = numbering.add_num(abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        new.append(override)
        return new.numId

    def _question(self, container, block: Question) -> None:
        if block.rounds:
            return self._quiz_question(container, block)
        prompt = self.paragraph(container, "Normal")
        prompt.paragraph_format.keep_with_next = True
        self.run(prompt, Run(f"{block.number}. ", bold=True))
        self.runs(prompt, block.prompt)
        for index, choice in enumerate(block.choices):
            line = self.paragraph(container, "Kit Choice")
            line.paragraph_format.keep_with_next = index < len(block.choices) - 1
            self.run(line, Run(f"{TICK_BOX} "))
            self.runs(line, choice)
        if not block.choices:
            self._answerlines(container, AnswerLines(block.lines))

    def _quiz_question(self, container, block: Question) -> None:
        """The prompt over a grid: a row per choice, a box to tick « avant » and « après »."""
        rows = [(choice, (Run(TICK_BOX),), (Run(TICK_BOX),)) for choice in block.choices] or [
            ((), (), ())]
        prompt = ((Run(f"{block.number}. ", bold=True), *block.prompt),
                  *[(Run(r, bold=True),) for r in block.rounds])
        self._table(container, Table((), (prompt, *rows), (0.7, 0.15, 0.15),
                                     cell_height=0 if block.choices else 18), header_shade=True)
        self.paragraph(container, "Normal")

    def _answerlines(self, container, block: AnswerLines) -> None:
        for _ in range(block.count):
            line = self.paragraph(container, "Kit Answer Line", "\t")
            line.paragraph_format.tab_stops.add_tab_stop(self.width, WD_TAB_ALIGNMENT.RIGHT,
                                                         WD_TAB_LEADER.LINES)

    def _box(self, container, block: Box) -> None:
        table = container.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _widths(table, [self.width])
        cell = table.cell(0, 0)
        _cell_borders(cell, self.colors["accent"], 10)
        if block.shaded:
            _shade(cell, self.colors["tint"])
        first = cell.paragraphs[0]
        self.width, outer = self.width - BOX_PADDING, self.width
        self.blocks(cell, block.blocks)
        self.width = outer
        first._p.getparent().remove(first._p)
        self.paragraph(container, "Normal")

    def _table(self, container, block: Table, header_shade: bool = False) -> None:
        columns = len(block.header) or max(len(row) for row in block.rows)
        table = container.add_table(rows=0, cols=columns)
        table.style = self.word.styles["Table Grid"]
        width = TEXT_WIDTH
        shares = block.widths or (1 / columns,) * columns
        if block.header:
            cells = table.add_row().cells
            _repeat_header(table.rows[0])
            for cell, text in zip(cells, block.header):
                _shade(cell, self.colors["accent"])
                paragraph = cell.paragraphs[0]
                self.run(paragraph, Run(text, bold=True)).runs[-1].font.color.rgb = RGBColor(255, 255, 255)
        for index, row in enumerate(block.rows):
            cells = table.add_row().cells
            if block.cell_height:
                table.rows[-1].height = Mm(block.cell_height)
            for cell, text in zip(cells, row):
                self.runs(cell.paragraphs[0], text)
                if header_shade and index == 0:
                    _shade(cell, self.colors["tint"])
        _widths(table, [int(width * share) for share in shares])

    def _qr(self, container, block: Qr) -> None:
        paragraph = self.paragraph(container, "Normal")
        picture = paragraph.add_run().add_picture(io.BytesIO(qr_png(block.address)),
                                                  width=Mm(block.size))
        picture._inline.docPr.set("descr", f"QR code : {block.caption}")  # for screen readers
        self._para(container, Para((Run(block.caption),), "small"))

    def _cutline(self, container, block: CutLine) -> None:
        paragraph = self.paragraph(container, "Kit Cut")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _border(paragraph._p.get_or_add_pPr(), "top", "dashed", self.colors["ink"], 8)
        if block.label:
            self.run(paragraph, Run(f"✂ {block.label}"))

    def _pagebreak(self, container, block: PageBreak) -> None:
        container.add_page_break()


def _widths(table, widths: list[int]) -> None:
    """Fixed column widths, in the grid and in every cell (LibreOffice reads the grid,
    Word the cells)."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _use_numbering(paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


def _shade(cell, hex_colour: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", hex_colour[1:])):
        shading.set(qn(key), value)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell_borders(cell, hex_colour: str, size: int) -> None:
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:color", hex_colour[1:])):
            line.set(qn(key), value)
        borders.append(line)
    cell._tc.get_or_add_tcPr().append(borders)


def _repeat_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(marker)

