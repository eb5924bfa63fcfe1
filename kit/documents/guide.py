"""Guide de l'animateur: objectives, the timed plan, step-by-step instructions with the
expected answers, the disclosure protocol, resources and sources."""
from __future__ import annotations

from reportlab.platypus import KeepTogether

from ..context import RenderContext
from ..flowables import Paragraph
from ..plan import clock, minutes_text, reporting_minutes, steps, timing_change_texts
from ..text import format_date_fr
from ..wording import guide_texts, wording
from . import DOCUMENT_TYPES, help_blocks, parts

DOCUMENT = DOCUMENT_TYPES["guide"]


def build(ctx: RenderContext) -> list:
    lesson = ctx.lesson
    story = [*parts.title_block(ctx, DOCUMENT.label)]
    if not ctx.session.is_blank():
        story.append(parts.session_form(ctx, with_student_name=False, where_and_when=True))
    if lesson.summary:
        story += ctx.paragraphs(lesson.summary)
    story += [parts.heading(ctx, "Objectifs"), *parts.bullet_list(ctx, lesson.objectives)]
    story += curriculum(ctx)
    story += [parts.heading(ctx, "Déroulé"), plan_table(ctx)]
    if lesson.materials:
        story += [parts.heading(ctx, "Matériel"), *parts.bullet_list(ctx, lesson.materials)]
    story += [parts.heading(ctx, "Pas à pas")]
    for step in steps(lesson):
        activity = step.activity
        if activity is None:
            continue
        title = f"{clock(step.start)} · {ctx.text.plain(activity.title)} ({activity.minutes} min)"
        story += [parts.heading(ctx, title, level=2), *group_work(ctx, activity),
                  *ctx.paragraphs(activity.instructions)]
        story += parts.boards(ctx, activity.boards)
        if activity.student:
            story += answer_key(ctx, activity.student.questions)
            for scenario in activity.student.scenarios:
                story += scenario_notes(ctx, scenario)
    if lesson.quiz:
        story += [parts.heading(ctx, "Quiz avant / après : corrigé"), *answer_key(ctx, lesson.quiz)]
    if lesson.exit_ticket:
        story += [parts.heading(ctx, "Ticket de sortie"),
                  ctx.label("Avant de sortir, chaque élève répond sur sa fiche à cette question :"),
                  Paragraph(f"<b>{ctx.inline(lesson.exit_ticket)}</b>", ctx.styles["answer"])]
    if lesson.timings:
        story += [parts.heading(ctx, "Adapter la durée"), *timings(ctx)]
    story += [parts.heading(ctx, "Messages clés"), *parts.bullet_list(ctx, lesson.key_messages)]
    for section in protection_sections(lesson):
        story += [parts.heading(ctx, ctx.text.plain(section.title)), *ctx.paragraphs(section.text)]
    story += [help_blocks.helpline_block(ctx, for_adults=True, title="Ressources"),
              *parts.contacts_list(ctx)]
    story += [parts.heading(ctx, "Sources"), *sources(ctx)]
    return story


def protection_sections(lesson) -> list:
    """The lesson's disclosure protocol, what the school does next, and the session's rules."""
    texts = guide_texts()
    return [texts.protocols[lesson.disclosure_protocol], texts.after_disclosure,
            texts.safe_session]


def curriculum(ctx: RenderContext) -> list:
    """EMC, CRCN / Pix and pHARe: where the session sits in what the class must do."""
    lesson, items = ctx.lesson, []
    if lesson.curriculum:
        items += [(label, entry) for label, entries in (("EMC", lesson.curriculum.emc),
                                                       ("CRCN / Pix", lesson.curriculum.crcn))
                  for entry in entries]
    bullets = [Paragraph(f"<b>{ctx.typeset(label)}</b> : {ctx.inline(entry)}", ctx.styles["bullet"],
                         bulletText="•") for label, entry in items]
    if not ctx.adult_audience:
        bullets.append(Paragraph(f"<b>pHARe</b> : {ctx.inline(wording().phare_hours)}",
                                 ctx.styles["bullet"], bulletText="•"))
    return [parts.heading(ctx, "Dans les programmes"), *bullets] if bullets else []


def group_work(ctx: RenderContext, activity, count: int | None = None) -> list:
    """« 6 groupes : préparation 8 min, puis 1 min chacun pour présenter (14 min) »."""
    groups = activity.groups
    if not groups:
        return []
    count = count or groups.count
    text = (f"Travail en groupes : {count} groupes ; préparation {groups.prepare} min, puis "
            f"{minutes_text(groups.report)} min par groupe pour présenter "
            f"({minutes_text(reporting_minutes(groups, count))} min sur {activity.minutes}).")
    return [Paragraph(f"<b>{ctx.typeset(text)}</b>", ctx.styles["body"])]


def plan_table(ctx: RenderContext):
    rows = []
    for step in steps(ctx.lesson):
        title = ctx.inline(step.title)
        if (step.activity and step.activity.quiz and "quiz" in ctx.lesson.offered_documents
                and "quiz" not in step.title.lower()):  # say it once
            title += ctx.typeset(f" + quiz « {'avant' if step.activity.quiz == 'before' else 'après'} »")
        if step.activity and step.activity.groups:
            title += ctx.typeset(f" ({step.activity.groups.count} groupes)")
        if not step.activity:
            title = f"<i>{title}</i>"
        rows.append([ctx.typeset(f"{clock(step.start)} – {clock(step.end)}"),
                     title, ctx.typeset(f"{step.minutes} min")])
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
    for timing in lesson.timings:
        changes = timing_change_texts(lesson, timing, ctx.text.plain)
        text = f"<b>{ctx.typeset(f'En {timing.duration} min')}</b> : {ctx.typeset('; '.join(changes))}."
        items.append(Paragraph(text, ctx.styles["bullet"], bulletText="•"))
        if timing.note:
            items += ctx.paragraphs(timing.note, "answer")
    return items


def sources(ctx: RenderContext) -> list:
    return [Paragraph(f"{ctx.inline(s.title)} – {ctx.typeset(s.address, typeset=False)} "
                      f"({ctx.typeset('consulté le ' + format_date_fr(s.consulted))})",
                      ctx.styles["bullet"], bulletText="•") for s in ctx.lesson.sources]
