"""Fiche de résultats du quiz: the facilitator's counts, question by question (right
before, right after, pupils who answered), to copy into `kit results template`'s sheet.
Counts only: there is no line for a pupil's name."""
from __future__ import annotations

from reportlab.platypus import Spacer, Table

from ..context import RenderContext
from ..flowables import Paragraph
from . import DOCUMENT_TYPES, parts

DOCUMENT = DOCUMENT_TYPES["results-sheet"]
HEADS = ("N°", "Question", "Bonne réponse", "Justes avant", "Justes après", "Élèves ayant répondu")
WIDTHS = (0.06, 0.46, 0.12, 0.12, 0.12, 0.12)  # shares of the text width


def build(ctx: RenderContext) -> list:
    intro = ("Après la correction du quiz, comptez pour chaque question les élèves qui ont "
             "bien répondu avant la séance, puis après, et combien ont répondu. Seulement des "
             "nombres : aucun nom d’élève. Recopiez-les ensuite dans le tableau de "
             "« kit results template » (une ligne par question).")
    return [*parts.title_block(ctx, DOCUMENT.label),
            parts.session_form(ctx, with_student_name=False),
            ctx.label(intro, "body"), Spacer(1, ctx.styles.size(0.5)), counts_table(ctx),
            Spacer(1, ctx.styles.size(1)),
            parts.form_lines(ctx, [("Élèves présents à la séance", "_" * 6),
                                   ("Quiz rendus", "_" * 6)])]


def counts_table(ctx: RenderContext) -> Table:
    """A row per question, with room to write three numbers by hand."""
    width = parts.content_width(ctx)
    head = [ctx.label(h, "cell-head") for h in HEADS]
    rows = [[ctx.label(str(number), "cell"),
             Paragraph(ctx.inline(question.prompt), ctx.styles["cell"]),
             Paragraph(ctx.inline(question.answer), ctx.styles["cell"]), "", "", ""]
            for number, question in enumerate(ctx.lesson.quiz, 1)]
    table = Table([head, *rows], colWidths=[w * width for w in WIDTHS], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(parts.table_style(ctx, [
        ("BACKGROUND", (0, 0), (-1, 0), ctx.styles.color("accent")),
        ("GRID", (0, 0), (-1, -1), 0.6, ctx.styles.color("ink")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), ctx.styles.size(0.9)),
        ("BOTTOMPADDING", (0, 1), (-1, -1), ctx.styles.size(0.9))]))
    return table
