"""Building blocks several documents share: headings, form lines, answer space,
choices with boxes to tick, ruled boxes, contact lists, tables, one-page boxes.
The 3018's blocks are in help.py.
"""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepInFrame, KeepTogether, Spacer, Table, TableStyle

from ..context import RenderContext
from ..errors import RenderError
from ..flowables import Paragraph
from ..messages import say
from ..schema import Question
from ..text import BLANK, NBSP


class AnswerLines(Flowable):
    """Ruled lines to write on; their spacing grows with the edition's body size."""

    def __init__(self, count: int, gap: float, color):
        super().__init__()
        self.count, self.gap, self.color = count, gap, color

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.count * self.gap

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(0.5)
        for i in range(self.count):
            y = self.gap * (self.count - i - 1) + 2
            self.canv.line(0, y, self.width, y)


def content_width(ctx: RenderContext) -> float:
    """The width of the text frame on this document's page."""
    return ctx.page.frame_width


def title_block(ctx: RenderContext, document_label: str) -> list:
    lesson = ctx.lesson
    subtitle = f"{document_label} · {ctx.level_name} · {lesson.duration} min"
    return [Paragraph(ctx.inline(lesson.title), ctx.styles["title"]),
            ctx.label(subtitle, "subtitle")]


def heading(ctx: RenderContext, text: str, level: int = 1, markup: bool = False) -> Paragraph:
    style = ctx.styles["h1" if level == 1 else "h2"]
    return Paragraph(text if markup else ctx.typeset(text), style)


def bullet_list(ctx: RenderContext, items: list[str], style: str = "bullet") -> list:
    return [Paragraph(ctx.inline(item), ctx.styles[style], bulletText="•") for item in items]


def boards(ctx: RenderContext, boards) -> list:
    """What activities put on the board (rules, gestures, steps): a bold title kept
    with its items, bulleted or numbered."""
    story = []
    for board in boards:
        items = [Paragraph(ctx.inline(item), ctx.styles["bullet"],
                           bulletText=f"{n}." if board.numbered else "•")
                 for n, item in enumerate(board.items, 1)]
        story.append(KeepTogether([Paragraph(f"<b>{ctx.inline(board.title)}</b>",
                                             ctx.styles["body"]), items[0]]))
        story += items[1:]
    return story


def answer_lines(ctx: RenderContext, count: int) -> AnswerLines:
    return AnswerLines(count, ctx.styles.size(2.4), ctx.styles.color("rule"))


def form_lines(ctx: RenderContext, names: list[tuple[str, str]], columns: int = 2,
               wide: tuple[str, ...] = ("Établissement",)) -> Table:
    """`Classe : 5e B` or `Classe : ______`, laid out in columns; a `wide` detail (a
    school's name is long) has a row of its own. A blank fills its cell and never
    leaves its label (« Prénom : » and its line stay together)."""
    width = content_width(ctx)
    narrow = [(label, value) for label, value in names if label not in wide]
    cells = [form_cell(ctx, label, value, width / columns) for label, value in narrow]
    cells += [""] * (-len(cells) % columns)  # the last row filled out with empty cells
    rows = [ctx.mirrored(cells[i:i + columns]) for i in range(0, len(cells), columns)]
    spans = []
    for label, value in names:
        if label in wide:
            spans.append(("SPAN", (0, len(rows)), (-1, len(rows))))
            rows.append([form_cell(ctx, label, value, width)] + [""] * (columns - 1))
    table = Table(rows, colWidths=[width / columns] * columns, hAlign="LEFT")
    table.setStyle(table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), ctx.styles.size(0.5)),
                               *spans]))
    return table


def form_cell(ctx: RenderContext, label: str, value: str, width: float) -> Paragraph:
    """One detail; a blank (BLANK) becomes a line to the cell's end, held to its label."""
    style = ctx.styles["body"]
    colon = " :" if ctx.text.french else ":"  # French puts a space before the colon
    if value != BLANK:
        return ctx.label(f"{label}{colon} {value}")
    head = ctx.typeset(f"{label}{colon}")
    used = stringWidth(ctx.text.plain(f"{label}{colon} "), style.fontName, style.fontSize)
    room = width - used - ctx.styles.size(1.5)  # the cell's padding and a little air
    count = max(4, int(room / stringWidth("_", style.fontName, style.fontSize)))
    return Paragraph(f"{head}{NBSP}{'_' * count}", style)


def session_form(ctx: RenderContext, with_student_name: bool = True,
                 where_and_when: bool = False) -> Table:
    """Who fills the sheet in, and the session's details; adults have a name and no class.
    `where_and_when` adds the time and room a roster gives (the facilitator's cover)."""
    adults = ctx.adult_audience
    names = [("Nom" if adults else "Prénom", BLANK)] if with_student_name else []
    if not adults:
        names.append(("Classe", ctx.session_value("class")))
    names += [("Date", ctx.session_value("date")), ("Établissement", ctx.session_value("school"))]
    if where_and_when:
        names += given_details(ctx, (("Horaire", "time"), ("Salle", "room")))
    return form_lines(ctx, names)


def given_details(ctx: RenderContext, wanted) -> list[tuple[str, str]]:
    """(label, value) for the session details the roster gives; none is printed blank."""
    return [(label, ctx.session_value(name)) for label, name in wanted
            if ctx.session.placeholders()[name] is not None]


def table_style(ctx: RenderContext, commands: list) -> TableStyle:
    """Table commands, with the kit's font as the cells' base (ReportLab's is Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), ctx.styles.face()), *commands])


def drawing(ctx: RenderContext, width: float, height: float, **options) -> Drawing:
    """A vector drawing whose state starts in the kit's font (not an unembedded Helvetica)."""
    picture = Drawing(width, height, **options)
    picture.initialFontName = ctx.styles.face()
    return picture


def tick_box(ctx: RenderContext) -> Drawing:
    side = ctx.styles.size(1.0)
    box = drawing(ctx, side, side)
    box.add(Rect(0, 0, side, side, strokeColor=ctx.styles.color("ink"), strokeWidth=0.8,
                 fillColor=None))
    return box


def choices(ctx: RenderContext, question: Question) -> Table:
    """A question's choices, each with a box to tick."""
    rows = [[tick_box(ctx), Paragraph(ctx.inline(choice), ctx.styles["cell"])]
            for choice in question.choices]
    table = Table(rows, colWidths=[ctx.styles.size(1.8), None], hAlign="LEFT")
    table.setStyle(table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), ctx.styles.size(0.3))]))
    return table


def boxed(ctx: RenderContext, content: list, shaded: bool = False, width=None) -> Table:
    """Content inside a ruled box; the rule, not the tint, marks it out in black and white."""
    table = Table([[content]], colWidths=[width], hAlign="LEFT")
    style = [("BOX", (0, 0), (-1, -1), 1.2, ctx.styles.color("accent")),
             ("LEFTPADDING", (0, 0), (-1, -1), ctx.styles.size(0.9)),
             ("RIGHTPADDING", (0, 0), (-1, -1), ctx.styles.size(0.9)),
             ("TOPPADDING", (0, 0), (-1, -1), ctx.styles.size(0.7)),
             ("BOTTOMPADDING", (0, 0), (-1, -1), ctx.styles.size(0.7))]
    if shaded:
        style.append(("BACKGROUND", (0, 0), (-1, -1), ctx.styles.color("tint")))
    table.setStyle(table_style(ctx, style))
    return table


def contacts_list(ctx: RenderContext, national: bool = True) -> list:
    """Other people to call after the 3018: local contacts first, then national numbers."""
    items = []
    for contact in (ctx.help_contacts() if national else ctx.local_contacts):
        reach = " · ".join(x for x in (contact.phone, contact.web, contact.address) if x)
        items.append(Paragraph(f"<b>{ctx.typeset(contact.name)}</b> ({ctx.typeset(contact.role)}) : "
                               f"{ctx.typeset(reach, typeset=False)}",
                               ctx.styles["bullet"], bulletText="•"))
    return items


def table(ctx: RenderContext, header: list[str], rows: list[list], widths: list) -> Table:
    """A data table with a dark header row; body cells are Paragraphs so text wraps."""
    head = [ctx.label(h, "cell-head") for h in header]
    body = [[c if not isinstance(c, str) else Paragraph(c, ctx.styles["cell"]) for c in row]
            for row in rows]
    grid = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    grid.setStyle(table_style(ctx, [
        ("BACKGROUND", (0, 0), (-1, 0), ctx.styles.color("accent")),
        ("GRID", (0, 0), (-1, -1), 0.5, ctx.styles.color("rule")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return grid


class PageBox(KeepInFrame):
    """One page's content (a slide, a poster, a scenario card) in a box of fixed size:
    it never splits and never spills onto another page. ReportLab's KeepInFrame draws
    the blocks (the larger of two neighbours' spacing between them, each block's own
    alignment) and shrinks content still too tall (mode 'shrink': laid out wider, then
    scaled, which keeps the type larger than scaling the box down whole did). Builders
    check `fits()` first (a slide goes on to the next one, a one-page document takes a
    smaller version or stops), so only a scenario card too long for a page shrinks.

    What KeepInFrame lacks, added here: the box fills its fixed size (the frame, or the
    card's cell) with `padding` inside and `border` (a double rule) round it; `valign`
    places the content top, middle or spread (the spare height shared between the
    blocks); `fits()`/`room()` measure each block once, for builders that fit a page
    block by block (KeepInFrame measures the whole again only for content too tall)."""

    def __init__(self, content: list, width: float, height: float, valign: str = "top",
                 border=None, padding: float = 0):
        super().__init__(width - 2 * padding, height - 2 * padding, list(content), mode="shrink")
        self.size = self.width, self.height = width, height
        self.valign, self.border, self.padding = valign, border, padding
        self._measured: dict[int, tuple] = {}  # id(block) -> (block, its size); holding the
        # block keeps its id from being reused by another while this box lives

    @property
    def content(self) -> list:
        """The blocks, top to bottom: builders add and remove them while fitting a page."""
        return self._content

    @property
    def inner_width(self) -> float:
        return self.maxWidth

    def wrap(self, available_width, available_height):
        return self.size

    def split(self, available_width, available_height):
        return []

    def _sizes(self) -> list[tuple[float, float]]:
        """Each block's size, measured once per block (builders add and remove blocks
        while fitting a page; wrapping is the costly part of drawing). So a block must
        not change size once in the box: put a new one in its place."""
        for item in self.content:
            if id(item) not in self._measured:
                self._measured[id(item)] = (item, item.wrap(self.inner_width, self.maxHeight))
        return [self._measured[id(item)][1] for item in self.content]

    def _gaps(self) -> list[float]:
        """The space above each block: the larger of the two neighbours' spacing."""
        return [0.0] + [max(a.getSpaceAfter(), b.getSpaceBefore())
                        for a, b in zip(self.content, self.content[1:])]

    def content_height(self) -> float:
        return sum(h for _, h in self._sizes()) + sum(self._gaps())

    def room(self) -> float:
        """The height left under the content."""
        return self.maxHeight - self.content_height()

    def fits(self) -> bool:
        return self.room() >= 0

    def drawOn(self, canvas, x, y, _sW=0):
        if self.border is not None:
            self._draw_border(canvas, x, y)
        blocks, height = self._content, self.content_height()
        self.__dict__.pop("_scale", None)  # set by KeepInFrame.wrap only when it shrinks
        if not self.fits():
            self.canv = canvas
            height = KeepInFrame.wrap(self, self.maxWidth, self.maxHeight)[1]
            del self.canv
        elif self.valign == "spread":  # a spacer between blocks makes their spacing
            share = self.room() / (len(blocks) + 1)  # up to the same share of the room
            self._content = [blocks[0]]
            for block, below in zip(blocks, blocks[1:]):
                extra = share - min(block.getSpaceAfter(), below.getSpaceBefore())
                self._content += [Spacer(1, extra), below] if extra > 0 else [below]
                height += share if extra > 0 else 0
        # top, or the height left split above and below (middle, spread)
        above = 0.0 if self.valign == "top" else max(0.0, self.maxHeight - height) / 2
        self.width, self.height = self.maxWidth, height  # what KeepInFrame draws in
        try:
            top = y + self.size[1] - self.padding - above
            KeepInFrame.drawOn(self, canvas, x + self.padding, top - height)
        finally:
            self._content, (self.width, self.height) = blocks, self.size

    def _draw_border(self, canvas, x, y):
        width, height = self.size
        canvas.saveState()
        canvas.setStrokeColor(self.border)
        canvas.setLineWidth(2.4)
        canvas.rect(x, y, width, height)
        canvas.setLineWidth(0.8)
        inset = self.padding / 4
        canvas.rect(x + inset, y + inset, width - 2 * inset, height - 2 * inset)
        canvas.restoreState()


def capitalised(text: str) -> str:
    """`gratuit, anonyme` -> `Gratuit, anonyme`: a helpline phrase at the start of a line."""
    return text[:1].upper() + text[1:]


def whole_page(ctx: RenderContext, variants, document: str, what: str, **options) -> PageBox:
    """The first version of a one-page document that holds all its content; if none
    does, a RenderError naming the lesson, the document and what did not fit: content
    is never dropped and never shrunk below the edition's size."""
    for content in variants:
        box = PageBox(content, ctx.page.frame_width, ctx.page.frame_height, **options)
        if box.fits():
            return box
    edition = "" if ctx.edition == "standard" else " " + say("render.edition", edition=ctx.edition)
    raise RenderError(say("render.one_page", id=ctx.lesson.id, document=document, edition=edition,
                          what=what))
