"""The deck as neutral slides: the PDF deck's slides (kit/documents/slides.py), each with
the guide's words for it as speaker notes. The PDF continues a long text on a slide
« (suite) »; an editable slide keeps it whole and its text box shrinks it to fit."""
from __future__ import annotations

from ..plan import clock, steps
from . import parts
from .blocks import Item, Para, Qr, Run, Slide
from .guide import activity_notes, expected
from .writer import Writer, bold

LETTERS = "ABCDEFGH"
SESSION_DETAILS = ("school", "class", "date")


def slides(w: Writer) -> list[Slide]:
    lesson = w.lesson
    deck = [title_slide(w)]
    starts = {step.activity.id: step for step in steps(lesson) if step.activity}
    for number, activity in enumerate(lesson.activities, 1):
        deck += activity_slides(w, number, activity, starts[activity.id])
    deck.append(Slide(w.label("À retenir"), w.bullets(lesson.key_messages),
                      notes=[Para(w.label("Relire les messages clés avec la classe."))]))
    deck.append(closing_slide(w))
    return deck


def title_slide(w: Writer) -> Slide:
    lesson = w.lesson
    session = w.session.placeholders()
    known = [str(session[name]) for name in SESSION_DETAILS if session[name]]
    body = [Para(w.label(f"{w.level_name} · {lesson.duration} min"))]
    body += [Para(w.label(" · ".join(known)))] if known else []
    notes = [*w.paragraphs(lesson.summary), Para(w.label("Objectifs :")), *w.bullets(lesson.objectives)]
    return Slide(w.inline(lesson.title), body, notes=notes, centred=True)


def activity_slides(w: Writer, number: int, activity, step) -> list[Slide]:
    """The activity's slide, then a slide per question (and its answer) and per scenario."""
    lead = f"Activité {number} sur {len(w.lesson.activities)}"
    title, student = w.inline(activity.title), activity.student
    timing = Para(bold(w.label(f"{clock(step.start)} – {clock(step.end)} · {activity.minutes} min")))
    deck = [Slide(title, opening(w, activity), f"{lead} · {activity.minutes} min",
                  [timing, *activity_notes(w, activity, with_questions=False)])]
    if student is None:
        return deck
    count = len(student.questions)
    for index, question in enumerate(student.questions, 1):
        caption = f"{lead} · Question {index} sur {count}"
        deck.append(Slide(title, question_view(w, question), caption, expected(w, question)))
        if w.lesson.answer_slides:
            deck.append(Slide(title, answer_view(w, question), f"{caption} · Réponse",
                              expected(w, question)))
    count = len(student.scenarios)
    for index, scenario in enumerate(student.scenarios, 1):
        notes = w.paragraphs(scenario.discussion) or [Para(w.inline(scenario.question))]
        deck.append(Slide(title, scenario_view(w, scenario),
                          f"{lead} · Situation {index} sur {count}", notes))
    if student.write_prompt and (student.questions or student.scenarios):
        deck.append(Slide(title, w.paragraphs(student.write_prompt), lead,
                          [Para(w.label("Laisser le temps d'écrire sur la fiche."))]))
    return deck


def opening(w: Writer, activity) -> list:
    student, body = activity.student, []
    if student and student.intro:
        body += w.paragraphs(student.intro)
    for board in activity.boards:
        body += [Para(bold(w.inline(board.title)), "lead"),
                 *[Item(w.inline(item), board.numbered) for item in board.items]]
    if student and student.write_prompt and not (student.questions or student.scenarios):
        body += w.paragraphs(student.write_prompt)
    return body


def question_view(w: Writer, question) -> list:
    return [Para(w.inline(question.prompt), "lead"),
            *[Para((Run(f"{letter}. ", bold=True), *w.inline(choice)))
              for letter, choice in zip(LETTERS, question.choices)]]


def answer_view(w: Writer, question) -> list:
    letter = (f"{LETTERS[question.choices.index(question.answer)]}. "
              if question.answer in question.choices else "")
    body = [Para(w.inline(question.prompt)),
            Para(bold((*w.label("Réponse : "), Run(letter), *w.inline(question.answer))))]
    return body + w.paragraphs(question.explanation)


def scenario_view(w: Writer, scenario) -> list:
    return [Para(w.inline(scenario.title), "lead"), *w.paragraphs(scenario.text),
            Para((*bold(w.label(parts.your_turn(w))), Run(" "), *w.inline(scenario.question)))]


def closing_slide(w: Writer) -> Slide:
    """The 3018 in large type, its promises, hours and channels, and the QR code."""
    h = w.helpline
    body = [Para((Run(h.phone, bold=True),), "number"),
            Para(bold(w.label(parts.capitalised(h.promises_text)))),
            Para(w.label(f"{parts.capitalised(h.hours)}, {h.days}")),
            Para(w.label(" · ".join(c.label for c in h.channels))),
            Qr(h.web, h.web_short, 55)]
    notes = [Para(w.label(f"Le {h.phone} :")), *[Item(w.label(x)) for x in h.help_offered],
             Para(w.label("Autres contacts :")), *parts.contacts_list(w)]
    return Slide(w.label("Besoin d'aide ?"), body, notes=notes)

