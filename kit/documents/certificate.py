"""Diplôme (cycle 3): one page (landscape; upright in the larger types) a child takes home after the session, with
the first name left blank to write in, what they now know, and the 3018.

A double rule frames the page: it prints well in black and white, with no tint.
"""
from __future__ import annotations

import re

from reportlab.graphics.shapes import PolyLine
from reportlab.lib.units import mm
from reportlab.platypus import Table

from ..context import RenderContext
from ..flowables import Paragraph
from ..messages import say
from . import DOCUMENT_TYPES, parts

DOCUMENT = DOCUMENT_TYPES["certificate"]

SIGNATURE_ROOM = 14 * mm  # a hand-written signature is the same size in every edition
TITLE = "Diplôme de citoyenneté numérique"
# A capital starting a word in lower case: "Le ...", but not "CPE", "3018" or a {{ placeholder }}
_CAPITAL_WORD = re.compile(r"^([^\w{]*)([A-ZÀ-Ý])(?=[a-zà-ÿ])")


def build(ctx: RenderContext) -> list:
    """Every key message, in one column or two; never one left out."""
    messages = ctx.lesson.key_messages
    variants = [page(ctx, messages, columns, compact) for compact in (False, True)
                for columns in (1, 2)]
    upright = ctx.page.size[0] < ctx.page.size[1]
    padding = ctx.page.margin * (0.3 if upright else 0.7)  # the text grows, not the frame
    return [parts.whole_page(ctx, variants, DOCUMENT.label,
                             say("render.certificate_items", count=len(messages)),
                             valign="spread", padding=padding, border=ctx.styles.color("accent"))]


def page(ctx: RenderContext, messages: list[str], columns: int = 1,
         compact: bool = False) -> list:
    """The page; `compact` sets the items at body size and the name line beside its label."""
    lesson = ctx.lesson
    awarded = ([name_line(ctx, "décerné à")] if compact
               else [ctx.label("décerné à", "certificate-body"), name_line(ctx)])
    return [Paragraph(ctx.typeset(TITLE), ctx.styles["certificate-title"]),
            Paragraph(f"{ctx.typeset('pour la séance « ')}{ctx.inline(lesson.title)}"
                      f"{ctx.typeset(' »')}", ctx.styles["certificate-small"]),
            *awarded,
            ctx.label("Je sais que…", "certificate-body"),
            known(ctx, messages, columns,
                  "certificate-item-compact" if compact else "certificate-item"),
            reminder(ctx),
            signatures(ctx)]


def lowercase_start(message: str) -> str:
    """A key message made to follow « Je sais que » (`Le harcèlement` -> `le harcèlement`)."""
    return _CAPITAL_WORD.sub(lambda m: m.group(1) + m.group(2).lower(), message, count=1)


def known(ctx: RenderContext, messages: list[str], columns: int = 1,
          style_name: str = "certificate-item") -> Table:
    """The key messages, each ticked, following « Je sais que… », read row by row."""
    style = ctx.styles[style_name]
    side = style.fontSize
    cells = [[tick(ctx, side), Paragraph(ctx.inline(lowercase_start(m)), style)] for m in messages]
    cells += [["", ""]] * (-len(cells) % columns)
    rows = [sum(cells[i:i + columns], []) for i in range(0, len(cells), columns)]
    text_width = ctx.page.frame_width * 0.9 / columns - side * 1.8
    items = Table(rows, colWidths=[side * 1.8, text_width] * columns)
    items.setStyle(parts.table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("TOPPADDING", (0, 0), (-1, -1), side * 0.1),
                                           ("BOTTOMPADDING", (0, 0), (-1, -1), side * 0.1)]))
    return items


def tick(ctx: RenderContext, side: float):
    """A drawn tick: a glyph might be missing from the dys edition's font."""
    mark = parts.drawing(ctx, side, side)
    mark.add(PolyLine([0, side * 0.45, side * 0.35, side * 0.1, side, side * 0.85],
                      strokeColor=ctx.styles.color("accent"), strokeWidth=side * 0.14))
    return mark


def name_line(ctx: RenderContext, label: str | None = None) -> Table:
    """A ruled line, half the page wide, for the child to write their first name on
    (with its label before it, when given)."""
    width = ctx.page.frame_width * 0.5
    if label is None:
        line = Table([[""]], colWidths=[width], rowHeights=[ctx.styles.size(2.6)])
    else:
        text = ctx.label(label, "certificate-body")
        label_width = ctx.page.frame_width * 0.25
        line = Table([[text, ""]], colWidths=[label_width, width],
                     rowHeights=[ctx.styles.size(2.0)])
        line.setStyle(parts.table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                              ("ALIGN", (0, 0), (0, 0), "RIGHT")]))
    line.setStyle(parts.table_style(ctx, [("LINEBELOW", (-1, 0), (-1, 0), 1,
                                           ctx.styles.color("ink"))]))
    return line


def reminder(ctx: RenderContext) -> Paragraph:
    h = ctx.helpline
    text = (f"Si j'ai besoin d'aide, j'en parle à un adulte de confiance ou j'appelle le "
            f"{h.phone} : {h.promises_text}, {h.hours_short}.")
    return Paragraph(ctx.typeset(text).replace(h.phone, f"<b>{h.phone}</b>", 1),
                     ctx.styles["certificate-small"])


def signatures(ctx: RenderContext) -> Table:
    """Date and school (filled when known), and room for the teacher's signature."""
    width = ctx.page.frame_width - 2 * ctx.styles.size(4)
    left = [ctx.label(f"Le {ctx.session_value('date')}", "body"),
            ctx.label(f"École : {ctx.session_value('school')}", "body")]
    right = [ctx.label("Signature :", "body")]
    grid = Table([[left, right]], colWidths=[width * 0.55, width * 0.45],
                 rowHeights=[max(ctx.styles.size(2.6), SIGNATURE_ROOM)])
    grid.setStyle(parts.table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return grid
