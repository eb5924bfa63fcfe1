"""Quiz avant / après: the same questions answered at the start and again at the end of
the session, side by side, so the class sees what it learned. No answers here: the
key with its explanations is in the guide."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer, Table

from ..context import RenderContext
from ..flowables import Paragraph
from ..schema import Question
from ..wording import wording
from . import DOCUMENT_TYPES, parts

DOCUMENT = DOCUMENT_TYPES["quiz"]

ROUNDS = ("avant", "après")


def build(ctx: RenderContext) -> list:
    questions = ctx.lesson.quiz
    story = [*parts.title_block(ctx, DOCUMENT.label), parts.session_form(ctx),
             Paragraph(ctx.inline(ctx.addressed(wording().quiz_instructions)),
                       ctx.styles["quiz-intro"])]
    for number, question in enumerate(questions, 1):
        story += [Spacer(1, ctx.styles.size(0.8)),
                  KeepTogether(question_block(ctx, number, question))]
    story.append(KeepTogether([parts.heading(ctx, "Mon score après la correction", level=2),
                               score_line(ctx, len(questions)), reminder(ctx)]))
    return story


def question_block(ctx: RenderContext, number: int, question: Question) -> Table:
    """The prompt heads a grid: one row per choice, a box under « avant » and under « après »."""
    prompt = Paragraph(f"<b>{number}.</b> {ctx.inline(question.prompt)}", ctx.styles["quiz-prompt"])
    heads = [ctx.label(name, "quiz-head") for name in ROUNDS]
    width = parts.content_width(ctx)
    if question.choices:
        column = ctx.styles.size(5)
        rows = [[Paragraph(ctx.inline(choice), ctx.styles["quiz-choice"]), parts.tick_box(ctx),
                 parts.tick_box(ctx)] for choice in question.choices]
        return grid(ctx, [[prompt, *heads], *rows], [width - 2 * column, column, column])
    # without choices: lines to write on, once before and once after
    rows = [[heads[0], heads[1]], [parts.answer_lines(ctx, 2), parts.answer_lines(ctx, 2)]]
    return grid(ctx, [[prompt, ""], *rows], [width / 2, width / 2], span_prompt=True)


def grid(ctx: RenderContext, rows: list, widths: list, span_prompt: bool = False) -> Table:
    """Ruled, with the prompt row on a light tint: the rules, not the tint, carry the layout."""
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    style = [("BOX", (0, 0), (-1, -1), 0.8, ctx.styles.color("accent")),
             ("INNERGRID", (0, 0), (-1, -1), 0.4, ctx.styles.color("rule")),
             ("LINEBELOW", (0, 0), (-1, 0), 0.8, ctx.styles.color("accent")),
             ("BACKGROUND", (0, 0), (-1, 0), ctx.styles.color("tint")),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("ALIGN", (1, 1), (-1, -1), "CENTER"),
             ("TOPPADDING", (0, 0), (-1, -1), ctx.styles.size(0.35)),
             ("BOTTOMPADDING", (0, 0), (-1, -1), ctx.styles.size(0.45))]
    if span_prompt:
        style += [("SPAN", (0, 0), (-1, 0)), ("ALIGN", (0, 1), (-1, -1), "LEFT")]
    table.setStyle(parts.table_style(ctx, style))
    return table


def score_line(ctx: RenderContext, count: int) -> Table:
    blank = "_" * 4
    return parts.form_lines(ctx, [("Avant", f"{blank} / {count}"), ("Après", f"{blank} / {count}")])


def reminder(ctx: RenderContext) -> Paragraph:
    """Where to turn, in the words of the lesson's topic: a quiz may stir something up."""
    h = ctx.helpline
    text = f"{ctx.help_call()} {ctx.typeset(f'{h.phone} ({h.promises_text}).')}"
    return Paragraph(text, ctx.styles["quiz-reminder"])
