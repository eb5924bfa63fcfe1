"""The facilitator guide as neutral blocks, and the guide's words for each slide's notes.

The same data as kit/documents/guide.py: objectives, the timed plan, instructions with
expected answers, the disclosure protocol from assets/guide.yaml, resources, sources.
"""
from __future__ import annotations

from ..documents import DOCUMENT_TYPES
from ..plan import clock, minutes_text, reporting_minutes, steps, timing_change_texts
from ..text import format_date_fr
from ..wording import guide_texts, wording
from . import parts
from .blocks import Heading, Item, Para, Run, Table
from .writer import Writer, bold


def guide(w: Writer) -> list:
    lesson = w.lesson
    blocks = [*parts.title_block(w, DOCUMENT_TYPES["guide"].label)]
    if not w.session.is_blank():
        blocks.append(parts.session_form(w, with_name=False, where_and_when=True))
    blocks += w.paragraphs(lesson.summary)
    blocks += [parts.heading(w, "Objectifs"), *w.bullets(lesson.objectives), *curriculum(w)]
    blocks += [parts.heading(w, "Déroulé"), plan_table(w)]
    if lesson.materials:
        blocks += [parts.heading(w, "Matériel"), *w.bullets(lesson.materials)]
    blocks.append(parts.heading(w, "Pas à pas"))
    for step in steps(lesson):
        if step.activity is None:
            continue
        activity = step.activity
        title = f"{clock(step.start)} · {w.plain(activity.title)} ({activity.minutes} min)"
        blocks += [Heading(w.label(title), 2), *activity_notes(w, activity)]
    if lesson.quiz:
        blocks += [parts.heading(w, "Quiz avant / après : corrigé"), *answer_key(w, lesson.quiz)]
    if lesson.exit_ticket:
        blocks += [parts.heading(w, "Ticket de sortie"),
                   Para(w.label("Avant de sortir, chaque élève répond sur sa fiche à cette question :")),
                   Para(bold(w.inline(lesson.exit_ticket)), "answer")]
    if lesson.timings:
        blocks += [parts.heading(w, "Adapter la durée"), *timings(w)]
    blocks += [parts.heading(w, "Messages clés"), *w.bullets(lesson.key_messages)]
    texts = guide_texts()
    for section in (texts.protocols[lesson.disclosure_protocol], texts.after_disclosure,
                    texts.safe_session):
        blocks += [parts.heading(w, w.plain(section.title)), *w.paragraphs(section.text)]
    blocks += [parts.heading(w, "Ressources"), parts.helpline_box(w, adults=True),
               *parts.contacts_list(w)]
    blocks += [parts.heading(w, "Sources"),
               *[Item((*w.inline(s.title), *w.label(f" – {s.address} (consulté le "
                                                     f"{format_date_fr(s.consulted)})")))
                 for s in lesson.sources]]
    return blocks


def activity_notes(w: Writer, activity, with_questions: bool = True) -> list:
    """What the facilitator does: group work, instructions, boards, expected answers."""
    blocks = [*group_work(w, activity), *w.paragraphs(activity.instructions)]
    for board in activity.boards:
        blocks += [Para(bold(w.inline(board.title))),
                   *[Item(w.inline(item), board.numbered) for item in board.items]]
    if activity.student and with_questions:
        blocks += answer_key(w, activity.student.questions)
        for scenario in activity.student.scenarios:
            blocks += scenario_notes(w, scenario)
    return blocks


def group_work(w: Writer, activity) -> list:
    groups = activity.groups
    if not groups:
        return []
    text = (f"Travail en groupes : {groups.count} groupes ; préparation {groups.prepare} min, puis "
            f"{minutes_text(groups.report)} min par groupe pour présenter "
            f"({minutes_text(reporting_minutes(groups))} min sur {activity.minutes}).")
    return [Para(bold(w.label(text)))]


def curriculum(w: Writer) -> list:
    lesson, items = w.lesson, []
    if lesson.curriculum:
        items += [Item((*bold(w.label(label)), *w.label(" : "), *w.inline(entry)))
                  for label, entries in (("EMC", lesson.curriculum.emc),
                                         ("CRCN / Pix", lesson.curriculum.crcn))
                  for entry in entries]
    if not w.adults:
        items.append(Item((Run("pHARe", bold=True), *w.label(" : "),
                           *w.inline(wording().phare_hours))))
    return [parts.heading(w, "Dans les programmes"), *items] if items else []


def plan_table(w: Writer) -> Table:
    rows = []
    for step in steps(w.lesson):
        title = w.inline(step.title)
        if (step.activity and step.activity.quiz and "quiz" in w.lesson.offered_documents
                and "quiz" not in step.title.lower()):  # said once, as in the PDF's plan
            moment = "avant" if step.activity.quiz == "before" else "après"
            title += w.label(f" + quiz « {moment} »")
        if step.activity and step.activity.groups:
            title += w.label(f" ({step.activity.groups.count} groupes)")
        rows.append((w.label(f"{clock(step.start)} – {clock(step.end)}"), title,
                     w.label(f"{step.minutes} min")))
    return Table(("Horaire", "Activité", "Durée"), tuple(rows), (0.22, 0.58, 0.2))


def answer_key(w: Writer, questions) -> list:
    blocks = []
    for number, question in enumerate(questions, 1):
        blocks += [Para((Run(f"{number}. ", bold=True), *w.inline(question.prompt))),
                   *expected(w, question)]
    return blocks


def expected(w: Writer, question) -> list:
    """« Réponse attendue : … » and « Pourquoi : … »."""
    blocks = [Para((*bold(w.label("Réponse attendue :")), Run(" "), *w.inline(question.answer)),
                   "answer")]
    if question.explanation:
        blocks.append(Para((*bold(w.label("Pourquoi :")), Run(" "), *w.inline(question.explanation)),
                           "answer"))
    return blocks


def scenario_notes(w: Writer, scenario) -> list:
    return [Para((*bold(w.label("Scénario : ")), *bold(w.inline(scenario.title)), Run(" – "),
                  *w.inline(scenario.question))), *w.paragraphs(scenario.discussion, "answer")]


def timings(w: Writer) -> list:
    lesson, blocks = w.lesson, []
    for timing in lesson.timings:
        changes = timing_change_texts(lesson, timing, w.plain)
        blocks.append(Item((*bold(w.label(f"En {timing.duration} min")),
                            *w.label(f" : {'; '.join(changes)}."))))
        blocks += w.paragraphs(timing.note, "answer")
    return blocks
