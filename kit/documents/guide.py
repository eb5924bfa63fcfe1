"""Guide de l'animateur: objectives, the timed plan, step-by-step instructions with the
expected answers, the disclosure protocol, resources and sources."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Paragraph

from ..context import RenderContext, guide_texts
from ..text import format_date_fr
from . import parts
from .base import DocumentType


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def build(ctx: RenderContext) -> list:
    lesson = ctx.lesson
    story = [*parts.title_block(ctx, DOCUMENT.label)]
    if not ctx.session.is_blank():
        story.append(parts.session_form(ctx, with_student_name=False, where_and_when=True))
    if lesson.summary:
        story += ctx.paragraphs(lesson.summary)
    story += [parts.heading(ctx, "Objectifs"), *parts.bullet_list(ctx, lesson.objectives)]
    story += [parts.heading(ctx, "Déroulé"), plan_table(ctx)]
    if lesson.materials:
        story += [parts.heading(ctx, "Matériel"), *parts.bullet_list(ctx, lesson.materials)]
    story += [parts.heading(ctx, "Pas à pas")]
    start = 0
    for activity in lesson.activities:
        title = f"{clock(start)} · {ctx.text.plain(activity.title)} ({activity.minutes} min)"
        story += [parts.heading(ctx, title, level=2), *ctx.paragraphs(activity.instructions)]
        if activity.student:
            story += answer_key(ctx, activity.student.questions)
            for scenario in activity.student.scenarios:
                story += scenario_notes(ctx, scenario)
        start += activity.minutes
    if lesson.quiz:
        story += [parts.heading(ctx, "Quiz avant / après : corrigé"), *answer_key(ctx, lesson.quiz)]
    if lesson.timings:
        story += [parts.heading(ctx, "Adapter la durée"), *timings(ctx)]
    story += [parts.heading(ctx, "Messages clés"), *parts.bullet_list(ctx, lesson.key_messages)]
    disclosure = "disclosure_parents" if ctx.lesson.level == "parents" else "disclosure"
    for key in (disclosure, "safe_session"):
        section = guide_texts()[key]
        story += [parts.heading(ctx, section["title"]), *ctx.paragraphs(section["text"])]
    story += [parts.helpline_block(ctx, for_adults=True, title="Ressources"),
              *parts.contacts_list(ctx)]
    story += [parts.heading(ctx, "Sources"), *sources(ctx)]
    return story


def plan_table(ctx: RenderContext):
    rows, start = [], 0
    for activity in ctx.lesson.activities:
        rows.append([ctx.typeset(f"{clock(start)} – {clock(start + activity.minutes)}"),
                     ctx.inline(activity.title), ctx.typeset(f"{activity.minutes} min")])
        start += activity.minutes
    width = parts.content_width(ctx)
    return parts.table(ctx, ["Horaire", "Activité", "Durée"], rows,
                       [width * 0.2, width * 0.65, width * 0.15])


def answer_key(ctx: RenderContext, questions) -> list:
    items = []
    for number, question in enumerate(questions, 1):
        block = [Paragraph(f"<b>{number}.</b> {ctx.inline(question.prompt)}", ctx.styles["body"]),
                 Paragraph(f"<b>{ctx.typeset('Réponse attendue :')}</b> {ctx.inline(question.answer)}",
                           ctx.styles["answer"])]
        if question.explanation:
            block.append(Paragraph(f"<b>{ctx.typeset('Pourquoi :')}</b> "
                                   f"{ctx.inline(question.explanation)}", ctx.styles["answer"]))
        items.append(KeepTogether(block))
    return items


def scenario_notes(ctx: RenderContext, scenario) -> list:
    notes = [Paragraph(f"<b>{ctx.typeset('Scénario :')} {ctx.inline(scenario.title)}</b> – "
                       f"{ctx.inline(scenario.question)}", ctx.styles["body"])]
    if scenario.discussion:
        notes += ctx.paragraphs(scenario.discussion, "answer")
    return notes


def timings(ctx: RenderContext) -> list:
    lesson, items = ctx.lesson, []
    titles = {a.id: ctx.text.plain(a.title) for a in lesson.activities}
    for timing in lesson.timings:
        changes = [f"{titles[i]} : {m} min" if m else f"{titles[i]} : supprimée"
                   for i, m in timing.minutes.items()]
        text = f"<b>{ctx.typeset(f'En {timing.duration} min')}</b> : {ctx.typeset('; '.join(changes))}."
        items.append(Paragraph(text, ctx.styles["bullet"], bulletText="•"))
        if timing.note:
            items += ctx.paragraphs(timing.note, "answer")
    return items


def sources(ctx: RenderContext) -> list:
    return [Paragraph(f"{ctx.inline(s.title)} – {ctx.typeset(s.address, typeset=False)} "
                      f"({ctx.typeset('consulté le ' + format_date_fr(s.consulted))})",
                      ctx.styles["bullet"], bulletText="•") for s in ctx.lesson.sources]


DOCUMENT = DocumentType("guide", "Guide de l'animateur", "guide-animateur", "a4", build,
                        for_adults=True)
