"""Affiche 3018: the helpline for the classroom or corridor wall, on one A4 or A3 page.

The number is sized to the page so it reads from five metres; every word about the
helpline comes from assets/helpline.yaml. Rules, not tints, so it prints in black and white.
"""
from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import HRFlowable, Table

from ..context import RenderContext
from ..flowables import Paragraph
from . import DOCUMENT_TYPES, help_blocks, parts

DOCUMENT = DOCUMENT_TYPES["poster"]

NUMBER_MAX_WIDTH = 0.8  # of the frame: room to breathe on either side of the number


# (number size, QR code side) as shares of their largest: the number and the QR code
# shrink before any word about the helpline is left out
FITS = ((1.0, 0.27), (0.85, 0.22), (0.7, 0.18), (0.55, 0.15), (0.45, 0.13))


def build(ctx: RenderContext) -> list:
    variants = [content(ctx, number, qr) for number, qr in FITS]
    return [parts.whole_page(ctx, variants, DOCUMENT.label, "the 3018's details",
                             valign="spread")]


def content(ctx: RenderContext, number_share: float, qr_share: float) -> list:
    """Its purpose, the number, the key words and hours (the largest words after the
    number), its days, for whom, how to reach it and who runs it."""
    h, cap = ctx.helpline, parts.capitalised
    purpose, _, cases = ctx.purpose().partition(":")  # words fit for the lesson's level
    return [line(ctx, cap(purpose.strip()), "poster-title"),
            Paragraph(ctx.typeset(h.phone), number_style(ctx, number_share)),
            line(ctx, " · ".join(cap(p) for p in h.promises), "poster-key"),
            rule(ctx), line(ctx, cap(h.hours), "poster-key"),
            line(ctx, cap(h.days), "poster-body"),
            line(ctx, f"{cap(cases.strip())}. "
                      f"{ctx.words.fill(ctx.words.poster_for, audience=h.audience)}", "poster-body"),
            rule(ctx), channels(ctx, qr_share),
            Paragraph(ctx.operated(), style(ctx, "poster-small"))]


def line(ctx: RenderContext, text: str, style_name: str) -> Paragraph:
    """The helpline's own words in a poster style."""
    return Paragraph(ctx.typeset(text), style(ctx, style_name))


def page_scale(ctx: RenderContext) -> float:
    """How much larger than A4 the page is: A3 is 1.41 times A4."""
    return ctx.page.size[0] / A4[0]


def style(ctx: RenderContext, name: str) -> ParagraphStyle:
    """A poster style grown with the page, so an A3 poster is an enlarged A4 one."""
    base, scale = ctx.styles[name], page_scale(ctx)
    return ParagraphStyle(f"{name}-{ctx.paper}", parent=base, fontSize=base.fontSize * scale,
                          leading=base.leading * scale, spaceBefore=base.spaceBefore * scale,
                          spaceAfter=base.spaceAfter * scale, leftIndent=base.leftIndent * scale,
                          bulletIndent=base.bulletIndent * scale)


def number_style(ctx: RenderContext, share: float = 1.0) -> ParagraphStyle:
    """poster-number grown with the page (times `share`), and never wider than most of it."""
    base = style(ctx, "poster-number")
    one_point = stringWidth(ctx.helpline.phone, base.fontName, 1)
    widest = NUMBER_MAX_WIDTH * ctx.page.frame_width / one_point
    size = round(min(base.fontSize, widest) * share, 1)
    return ParagraphStyle(base.name, parent=base, fontSize=size, leading=size)


def channels(ctx: RenderContext, qr_share: float) -> Table:
    """How to reach the helpline, each channel with its details, and a QR code to its
    site beside them, `qr_share` of the page wide."""
    colon = " :" if ctx.text.french else ":"
    item = style(ctx, "poster-item")
    items = [Paragraph(f"<b>{ctx.typeset(c.label)}</b>{colon} {ctx.typeset(c.detail)}",
                       item, bulletText="•") for c in ctx.helpline.channels]
    side = round(ctx.page.frame_width * qr_share)
    # the column fits the address too: it is wider than the smaller codes
    column = max(side, help_blocks.address_width(ctx, item)) + ctx.styles.size(2)
    return help_blocks.qr_panel(ctx, items, side, item, column, width=ctx.page.frame_width,
                                valign="MIDDLE")


def rule(ctx: RenderContext) -> HRFlowable:
    return HRFlowable(width="100%", thickness=1.5, color=ctx.styles.color("ink"),
                      spaceBefore=ctx.styles.size(0.3), spaceAfter=ctx.styles.size(0.3))
