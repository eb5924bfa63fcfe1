"""Fiche élève: what students do and write during the session, and who can help them."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Paragraph, Spacer

from ..context import RenderContext
from . import parts
from .base import DocumentType


def build(ctx: RenderContext) -> list:
    lesson = ctx.lesson
    story = [*parts.title_block(ctx, DOCUMENT.label), parts.session_form(ctx)]
    number = 0
    for activity in lesson.activities:
        if activity.student is None:
            continue
        number += 1
        student = activity.student
        story.append(parts.heading(ctx, f"{number}. {ctx.text.plain(activity.title)}"))
        if student.intro:
            story += ctx.paragraphs(student.intro)
        for q_number, question in enumerate(student.questions, 1):
            block = [Paragraph(f"<b>{q_number}.</b> {ctx.inline(question.prompt)}",
                               ctx.styles["body"])]
            block.append(parts.choices(ctx, question) if question.choices
                         else parts.answer_lines(ctx, 2))
            story.append(KeepTogether(block))
        for scenario in student.scenarios:
            story.append(KeepTogether(scenario_box(ctx, scenario)))
        if student.write_prompt or student.write_lines:
            block = ctx.paragraphs(student.write_prompt) if student.write_prompt else []
            block.append(parts.answer_lines(ctx, student.write_lines or 3))
            story.append(KeepTogether(block))
    story.append(parts.heading(ctx, "À retenir"))
    story += parts.bullet_list(ctx, lesson.key_messages)
    story.append(parts.helpline_block(ctx))
    return story


def scenario_box(ctx: RenderContext, scenario) -> list:
    content = [Paragraph(f"<b>{ctx.inline(scenario.title)}</b>", ctx.styles["box"]),
               *ctx.paragraphs(scenario.text, "box"),
               Paragraph(f"<b>{ctx.typeset('À toi :')}</b> {ctx.inline(scenario.question)}",
                         ctx.styles["box"]),
               parts.answer_lines(ctx, 3)]
    return [Spacer(1, ctx.styles.size(0.4)), parts.boxed(ctx, content)]


DOCUMENT = DocumentType("worksheet", "Fiche élève", "fiche-eleve", "a4", build)
