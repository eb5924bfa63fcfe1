"""Charte de classe: the commitments the class agrees on at the end of the session,
numbered, with the 3018 and a grid of boxes where each student signs."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Table

from ..context import RenderContext
from ..flowables import Paragraph
from . import help_blocks, parts

CLASS_SIZE = 35  # signature boxes when the session does not say how many students
COLUMNS = 5
CELL_HEIGHT = 12 * mm  # room for a CM1 pupil's first name and signature


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
    # The help box follows the commitments (never alone on a page); the grid comes last.
    story[-1:] = [help_blocks.help_box(ctx, story[-1:], full=False), signature_grid(ctx)]
    return story


def signature_grid(ctx: RenderContext) -> KeepTogether:
    """One empty box per student under « Nos signatures (prénom et signature) »: the
    boxes are the pupils' handwriting room, at least 12 mm high in every edition
    (a header row, repeated if the grid goes on onto another page; a box never splits)."""
    count = ctx.session.students or CLASS_SIZE
    cells = [""] * (count + (-count % COLUMNS))
    rows = [cells[i:i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
    head = [parts.heading(ctx, "Nos signatures (prénom et signature)", level=2)] + [""] * (COLUMNS - 1)
    width = parts.content_width(ctx) / COLUMNS
    grid = Table([head, *rows], colWidths=[width] * COLUMNS, repeatRows=1, hAlign="LEFT",
                 rowHeights=[None] + [max(CELL_HEIGHT, ctx.styles.size(2.0))] * len(rows))
    grid.setStyle(parts.table_style(ctx, [
        ("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (-1, 0), 0),
        ("GRID", (0, 1), (-1, -1), 0.8, ctx.styles.color("ink")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([grid])  # the heading never ends a page without its boxes
