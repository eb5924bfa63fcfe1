"""Fiche élève: what students do and write during the session, and who can help them."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from ..context import RenderContext
from ..flowables import Paragraph
from ..wording import wording
from . import DOCUMENT_TYPES, help_blocks, parts

DOCUMENT = DOCUMENT_TYPES["worksheet"]


def build(ctx: RenderContext) -> list:
    lesson = ctx.lesson
    story = [*parts.title_block(ctx, DOCUMENT.label_for(lesson)), parts.session_form(ctx)]
    with_student_part = [a for a in lesson.activities if a.student]
    for number, activity in enumerate(with_student_part, 1):
        blocks = activity_blocks(ctx, activity.student) or [[]]  # an intro alone: no block
        # The heading and intro travel with the first question or box, never alone.
        lead = [parts.heading(ctx, f"{number}. {ctx.text.plain(activity.title)}")]
        if activity.student.intro:
            lead += ctx.paragraphs(activity.student.intro)
        blocks[0] = lead + blocks[0]
        story += [KeepTogether(block) for block in blocks]
    story += exit_ticket(ctx) + glossary(ctx)  # the ticket right after the last activity
    story.append(help_blocks.help_box(ctx, [parts.heading(ctx, "À retenir"),
                                      *parts.bullet_list(ctx, lesson.key_messages)]))
    if ctx.local_contacts:  # the school's own people come right after the 3018
        story += [parts.heading(ctx, ctx.addressed(wording().near_you), level=2),
                  *parts.contacts_list(ctx, national=False)]
    return story


def glossary(ctx: RenderContext) -> list:
    """The lesson's words and what they mean, at the level's reading age."""
    if not ctx.lesson.glossary:
        return []
    title = ctx.addressed(wording().glossary_title)
    return [parts.heading(ctx, title),
            *[Paragraph(f"<b>{ctx.inline(entry.term)}</b> : {ctx.inline(entry.definition)}",
                        ctx.styles["bullet"], bulletText="•") for entry in ctx.lesson.glossary]]


def exit_ticket(ctx: RenderContext) -> list:
    """One question each pupil answers before leaving, in a box of its own."""
    if not ctx.lesson.exit_ticket:
        return []
    title = ctx.addressed(wording().exit_ticket_title)
    content = [Paragraph(f"<b>{ctx.typeset(title)}</b>", ctx.styles["box"]),
               Paragraph(ctx.inline(ctx.lesson.exit_ticket), ctx.styles["box"]),
               parts.answer_lines(ctx, 3)]
    return [KeepTogether([Spacer(1, ctx.styles.size(0.8)), parts.boxed(ctx, content)])]


def activity_blocks(ctx: RenderContext, student) -> list[list]:
    """One unbreakable block per question, scenario and writing space."""
    blocks = []
    for number, question in enumerate(student.questions, 1):
        blocks.append([Paragraph(f"<b>{number}.</b> {ctx.inline(question.prompt)}", ctx.styles["body"]),
                       parts.choices(ctx, question) if question.choices else parts.answer_lines(ctx, 2)])
    blocks += [scenario_box(ctx, scenario) for scenario in student.scenarios]
    if student.write_prompt or student.write_lines:
        block = ctx.paragraphs(student.write_prompt) if student.write_prompt else []
        blocks.append(block + [parts.answer_lines(ctx, student.write_lines or 3)])
    return blocks


def scenario_box(ctx: RenderContext, scenario) -> list:
    content = [Paragraph(f"<b>{ctx.inline(scenario.title)}</b>", ctx.styles["box"]),
               *ctx.paragraphs(scenario.text, "box"),
               Paragraph(f"<b>{ctx.typeset(ctx.addressed(wording().your_turn))}</b> "
                         f"{ctx.inline(scenario.question)}",
                         ctx.styles["box"]),
               parts.answer_lines(ctx, 3)]
    return [Spacer(1, ctx.styles.size(0.4)), parts.boxed(ctx, content)]
