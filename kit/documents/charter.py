"""Charte de classe: the commitments the class agrees on at the end of the session,
numbered, with the 3018 and a grid of boxes where each student signs."""
from __future__ import annotations

from reportlab.platypus import Paragraph, Table

from ..context import RenderContext
from . import parts
from .base import DocumentType

CLASS_SIZE = 30  # signature boxes when the session does not say how many students
COLUMNS = 5


def build(ctx: RenderContext) -> list:
    lesson = ctx.lesson
    story = [ctx.label("Nous nous engageons" if ctx.adult_audience else "Notre classe s'engage",
                       "title"),
             ctx.label(f"{ctx.text.plain(lesson.title)} · {ctx.level_name}", "subtitle"),
             parts.form_lines(ctx, [("Classe", ctx.session_value("class")),
                                    ("Date", ctx.session_value("date")),
                                    ("Établissement", ctx.session_value("school"))])]
    story += [Paragraph(ctx.inline(item), ctx.styles["charter-item"], bulletText=f"{n}.")
              for n, item in enumerate(lesson.charter, 1)]
    story += [signature_grid(ctx), parts.helpline_block(ctx)]
    return story


def signature_grid(ctx: RenderContext) -> Table:
    """One box per student, « Prénom / signature », under the heading « Nos signatures »
    (a header row, repeated if the grid goes on onto another page; a box never splits)."""
    count = ctx.session.students or CLASS_SIZE
    label = ctx.label("Prénom / signature", "signature-label")
    cells = [label] * count + [""] * (-count % COLUMNS)
    rows = [cells[i:i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
    head = [parts.heading(ctx, "Nos signatures")] + [""] * (COLUMNS - 1)
    width = parts.content_width(ctx) / COLUMNS
    grid = Table([head, *rows], colWidths=[width] * COLUMNS, repeatRows=1, hAlign="LEFT",
                 rowHeights=[None] + [ctx.styles.size(3.0)] * len(rows))
    grid.setStyle(parts.table_style(ctx, [
        ("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (-1, 0), 0),
        ("GRID", (0, 1), (-1, -1), 0.8, ctx.styles.color("ink")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 1), (-1, -1), 2)]))
    return grid


DOCUMENT = DocumentType("charter", "Charte de classe", "charte", "a4", build)
