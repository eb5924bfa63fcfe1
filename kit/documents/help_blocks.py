"""The 3018 on a page: its QR code, the text-plus-QR panel every help block is built
on (help boxes, the closing slide, the poster), and the help boxes that close a document.

What differs between the panels (sizes, styles, the words beside the code) is passed
in; the words come from assets/helpline.yaml and assets/wording.yaml (tu or vous, by
the lesson's audience), the QR code stands on the side the lines end (left in Arabic).
"""
from __future__ import annotations

import functools

import reportlab
from reportlab.graphics.shapes import Rect
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from .. import cache
from ..context import RenderContext
from ..flowables import Paragraph
from .parts import boxed, capitalised, content_width, heading, table_style


@functools.lru_cache(maxsize=8)
def _qr_squares(address: str) -> tuple[tuple[float, float, float, float], ...]:
    """The QR code's dark squares on a unit square, encoded once and kept in the cache
    (encoding costs 25 to 70 ms: more than the rest of a one-page worksheet)."""
    return cache.remember("qr", (address, reportlab.Version), lambda: _encoded_qr(address))


def _encoded_qr(address: str) -> tuple[tuple[float, float, float, float], ...]:
    from reportlab.graphics.barcode.qr import QrCodeWidget  # the encoder: only when not kept
    widget = QrCodeWidget(address, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    width, height = x1 - x0, y1 - y0
    return tuple(((r.x - x0) / width, (r.y - y0) / height, r.width / width, r.height / height)
                 for r in widget.draw().contents
                 if isinstance(r, Rect) and r.fillColor == widget.barFillColor)


class QrCode(Flowable):
    """A QR code drawn as one filled path: one PDF operation instead of one per square."""

    def __init__(self, address: str, size: float, color):
        super().__init__()
        self.squares, self.size, self.color = _qr_squares(address), size, color

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        path = self.canv.beginPath()
        for x, y, w, h in self.squares:
            path.rect(x * self.size, y * self.size, w * self.size, h * self.size)
        self.canv.setFillColor(self.color)
        self.canv.drawPath(path, stroke=0, fill=1)


def qr_code(ctx: RenderContext, size: float) -> QrCode:
    """A QR code to the helpline's web address (ReportLab's encoder: no image file)."""
    return QrCode(ctx.helpline.web, size, ctx.styles.color("ink"))


def address_width(ctx: RenderContext, web_style: ParagraphStyle) -> float:
    """How wide the 3018's short web address is in `web_style`."""
    return stringWidth(ctx.helpline.web_short, web_style.fontName, web_style.fontSize)


def qr_panel(ctx: RenderContext, text, qr_side: float, web_style: ParagraphStyle,
             column: float, *, width: float | None = None, valign: str = "TOP",
             centred: bool = False, above=None, below=None) -> Table:
    """`text` beside a QR code to the 3018's site with its short address under it, in
    a column `column` wide (the code and some air); `centred` centres them in it.
    `above` and `below` run across the whole panel (a title, the channels). `width`:
    the panel's, else the room it is given."""
    qr = [qr_code(ctx, qr_side), Paragraph(ctx.typeset(ctx.helpline.web_short), web_style)]
    across = [[item, ""] for item in (above, below) if item is not None]
    middle = int(above is not None)  # the row of the text and the code
    rows = across[:middle] + [ctx.mirrored([text, qr])] + across[middle:]
    qr_column = 0 if ctx.rtl else 1  # the QR code on the side the lines end
    commands = [("VALIGN", (0, 0), (-1, -1), valign),
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                *[("SPAN", (0, row), (1, row)) for row in range(len(rows)) if row != middle]]
    if centred:
        commands.append(("ALIGN", (qr_column, middle), (qr_column, middle), "CENTER"))
    panel = Table(rows, colWidths=ctx.mirrored([None if width is None else width - column, column]))
    panel.setStyle(table_style(ctx, commands))
    return panel


def helpline_block(ctx: RenderContext, for_adults: bool | None = None,
                   title: str | None = None) -> KeepTogether:
    """The full 3018 block with its section heading, if any, kept on the same page."""
    lead = [heading(ctx, title)] if title else [Spacer(1, ctx.styles.size(0.8))]
    return KeepTogether([*lead, full_helpline(ctx, for_adults)])


def full_helpline(ctx: RenderContext, for_adults: bool | None = None) -> Table:
    """The 3018: number, promises, hours, channels and a QR code to the site. It speaks
    to the lesson's audience unless told otherwise."""
    h = ctx.helpline
    text = [Paragraph(ctx.help_call(for_adults), ctx.styles["box-title"]),
            Paragraph(ctx.typeset(h.phone), ctx.styles["helpline-number"]),
            Paragraph(f"<b>{ctx.helpline_line()}</b>", ctx.styles["box"]),
            Paragraph(f"{ctx.helps_with()}.", ctx.styles["box"])]
    text += [Paragraph(f"<b>{ctx.typeset(c.label)}</b> : {ctx.typeset(c.detail)}",
                       ctx.styles["bullet"], bulletText="•") for c in h.channels]
    text.append(Paragraph(ctx.operated(), ctx.styles["small"]))
    # A QR code is no easier to scan for being huge: cap it so large print keeps room for text.
    qr_side = min(ctx.styles.size(8.5), content_width(ctx) * 0.2)
    panel = qr_panel(ctx, text, qr_side, ctx.styles["small"], qr_side + ctx.styles.size(1))
    return boxed(ctx, [panel], shaded=True)


def compact_helpline(ctx: RenderContext, for_adults: bool | None = None,
                     brief: bool = False) -> Table:
    """The 3018 block in fewer lines: a title across the box, its purpose, promises and
    hours beside a smaller QR code, then every channel. It has the full block's words,
    so an edition that uses it loses none; `brief` (a one-page letter, in every
    edition) leaves out the list of harms and who runs the line."""
    h = ctx.helpline
    purpose = ctx.purpose()  # in words fit for the lesson's level
    purpose = purpose.split(" : ")[0] if brief else purpose
    channels = " · ".join(f"<b>{ctx.typeset(c.label)}</b> {ctx.typeset(c.detail)}"
                          for c in h.channels)
    if brief:
        comma = ctx.words.comma
        about = Paragraph(f"{ctx.typeset(ctx.words.fill(ctx.words.helpline_is, phone=h.phone, purpose=purpose))} "
                          f"<b>{ctx.typeset(capitalised(comma.join(h.promises)))}</b>"
                          f"{ctx.typeset(f'{comma}{h.days}{comma}{h.hours}.')}", ctx.styles["box"])
    else:  # the full block's words, in its order
        about = Paragraph(f"<b>{ctx.helpline_line()}</b>. {ctx.typeset(capitalised(purpose))}.",
                          ctx.styles["box"])
    title = Paragraph(f"{ctx.help_call(for_adults)} {ctx.typeset(h.phone)}", ctx.styles["box-title"])
    last = [Paragraph(channels, ctx.styles["box"])] + ([] if brief else [Paragraph(ctx.operated(), ctx.styles["small"])])
    qr_side = ctx.styles.size(4.5)
    panel = qr_panel(ctx, about, qr_side, ctx.styles["small-centered"],
                     qr_side + ctx.styles.size(2.5), centred=True, above=title, below=last)
    return boxed(ctx, [panel], width=content_width(ctx))


class HelpBox(Flowable):
    """The 3018 block in the first of its forms (full, compact) the page has room for;
    it never splits."""

    def __init__(self, *variants):
        super().__init__()
        self.variants, self.chosen = variants, variants[0]
        self.forced = None  # the form a KeepWithHelp is measuring

    def wrap(self, available_width, available_height):
        for variant in ([self.forced] if self.forced else self.variants):
            width, height = variant.wrap(available_width, available_height)
            self.chosen = variant
            if height <= available_height:
                break
        return width, height

    def split(self, available_width, available_height):
        return []

    def getSpaceBefore(self):
        return self.chosen.getSpaceBefore()

    def draw(self):
        self.chosen.drawOn(self.canv, 0, 0)


class KeepWithHelp(KeepTogether):
    """A closing section and the help box after it, on one page: the box never takes a
    page of its own. The box is measured in the form that fits the room left; a section
    too long for any page flows, and its last item goes on with the box."""

    def wrap(self, available_width, available_height):
        box = self._content[-1]
        for variant in box.variants:
            box.forced = variant
            width, _ = super().wrap(available_width, available_height)
            if self._H <= available_height:
                break
        box.forced = None
        return width, 0xffffff

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)  # maybe a frame break first
        frame = getattr(self, "_frame", None)
        section = self._content[:-2]
        if frame is not None and self._H > frame._height and len(section) > 1:
            lead = parts[:len(parts) - len(self._content)]
            return [*lead, *section[:-1], KeepWithHelp([section[-1], *self._content[-2:]])]
        return parts


def help_box(ctx: RenderContext, section: list, full: bool = True,
             brief: bool = False) -> KeepWithHelp:
    """`section` then the 3018, full or compact (only compact on a one-page document,
    and `brief` in the letter), kept on one page."""
    compact = compact_helpline(ctx, for_adults=True if brief else None, brief=brief)
    box = HelpBox(full_helpline(ctx), compact) if full else HelpBox(compact)
    return KeepWithHelp([*section, Spacer(1, ctx.styles.size(0.5)), box])
