"""Diplôme (cycle 3): one landscape page a child takes home after the session, with
the first name left blank to write in, what they now know, and the 3018.

A double rule frames the page: it prints well in black and white, with no tint.
"""
from __future__ import annotations

import re

from reportlab.graphics.shapes import PolyLine
from reportlab.platypus import Paragraph, Table

from ..context import RenderContext
from . import parts
from .base import DocumentType

MAX_MESSAGES = 3
TITLE = "Diplôme de citoyen·ne du numérique"
# A capital starting a word in lower case: "Le ...", but not "CPE", "3018" or a {{ placeholder }}
_CAPITAL_WORD = re.compile(r"^([^\w{]*)([A-ZÀ-Ý])(?=[a-zà-ÿ])")


def build(ctx: RenderContext) -> list:
    messages = ctx.lesson.key_messages[:MAX_MESSAGES]
    variants = [page(ctx, messages[:count]) for count in range(len(messages), 0, -1)]
    padding = ctx.page.margin * 0.7  # the same on every edition: the text grows, not the frame
    return [parts.first_that_fits(ctx, variants, valign="spread", padding=padding,
                                  border=ctx.styles.color("accent"))]


def page(ctx: RenderContext, messages: list[str]) -> list:
    lesson = ctx.lesson
    return [Paragraph(ctx.typeset(TITLE), ctx.styles["certificate-title"]),
            Paragraph(f"{ctx.typeset('pour la séance « ')}{ctx.inline(lesson.title)}"
                      f"{ctx.typeset(' »')}", ctx.styles["certificate-small"]),
            ctx.label("décerné à", "certificate-body"),
            name_line(ctx),
            ctx.label("Je sais que…", "certificate-body"),
            known(ctx, messages),
            reminder(ctx),
            signatures(ctx)]


def lowercase_start(message: str) -> str:
    """A key message made to follow « Je sais que » (`Le harcèlement` -> `le harcèlement`)."""
    return _CAPITAL_WORD.sub(lambda m: m.group(1) + m.group(2).lower(), message, count=1)


def known(ctx: RenderContext, messages: list[str]) -> Table:
    """The key messages, each ticked, following « Je sais que… »."""
    style = ctx.styles["certificate-item"]
    side = style.fontSize
    rows = [[tick(ctx, side), Paragraph(ctx.inline(lowercase_start(m)), style)] for m in messages]
    items = Table(rows, colWidths=[side * 1.8, ctx.page.frame_width * 0.8])
    items.setStyle(parts.table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("TOPPADDING", (0, 0), (-1, -1), side * 0.2)]))
    return items


def tick(ctx: RenderContext, side: float):
    """A drawn tick: a glyph might be missing from the dys edition's font."""
    mark = parts.drawing(ctx, side, side)
    mark.add(PolyLine([0, side * 0.45, side * 0.35, side * 0.1, side, side * 0.85],
                      strokeColor=ctx.styles.color("accent"), strokeWidth=side * 0.14))
    return mark


def name_line(ctx: RenderContext) -> Table:
    """A ruled line, half the page wide, for the child to write their first name on."""
    line = Table([[""]], colWidths=[ctx.page.frame_width * 0.5], rowHeights=[ctx.styles.size(2.6)])
    line.setStyle(parts.table_style(ctx, [("LINEBELOW", (0, 0), (-1, -1), 1,
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
    right = [ctx.label("Signature de l'enseignant·e :", "body")]
    grid = Table([[left, right]], colWidths=[width * 0.55, width * 0.45],
                 rowHeights=[ctx.styles.size(3.5)])
    grid.setStyle(parts.table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return grid


DOCUMENT = DocumentType("certificate", "Diplôme", "diplome", "landscape", build)
