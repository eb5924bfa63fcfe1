"""What the pupils and families get, as neutral blocks: worksheet, quiz, charter, scenario
cards and the family letters. Each follows its PDF builder in kit/documents/ block for
block, from the same lesson data and wording."""
from __future__ import annotations

from ..documents import DOCUMENT_TYPES
from ..text import BLANK, NBSP
from ..languages import FRENCH, language_words
from ..wording import wording
from . import parts
from .blocks import AnswerLines, Box, CutLine, Heading, Item, Para, Question, Run, Table
from .writer import Writer, bold

QUIZ_ROUNDS = ("avant", "après")
CLASS_SIZE, SIGNATURE_COLUMNS = 35, 5  # as the PDF charter


def worksheet(w: Writer) -> list:
    lesson = w.lesson
    blocks = [*parts.title_block(w, DOCUMENT_TYPES["worksheet"].label_for(lesson)),
              parts.session_form(w)]
    with_student_part = [a for a in lesson.activities if a.student]
    for number, activity in enumerate(with_student_part, 1):
        student = activity.student
        blocks += [Heading(w.label(f"{number}. {w.plain(activity.title)}")),
                   *w.paragraphs(student.intro)]
        blocks += [Question(n, w.inline(q.prompt), tuple(map(w.inline, q.choices)))
                   for n, q in enumerate(student.questions, 1)]
        blocks += [scenario_box(w, scenario) for scenario in student.scenarios]
        if student.write_prompt or student.write_lines:
            blocks += [*w.paragraphs(student.write_prompt), AnswerLines(student.write_lines or 3)]
    if lesson.exit_ticket:
        title = getattr(wording().exit_ticket_title, w.audience)
        blocks.append(Box((Para(bold(w.label(title))), Para(w.inline(lesson.exit_ticket)),
                           AnswerLines(3))))
    if lesson.glossary:
        blocks += [Heading(w.label(getattr(wording().glossary_title, w.audience))),
                   *[Item((*bold(w.inline(e.term)), *w.label(" : "), *w.inline(e.definition)))
                     for e in lesson.glossary]]
    blocks += [parts.heading(w, "À retenir"), *w.bullets(lesson.key_messages),
               parts.helpline_box(w)]
    if w.local_contacts:
        blocks += [parts.heading(w, getattr(wording().near_you, w.audience), 2),
                   *parts.contacts_list(w, national=False)]
    return blocks


def scenario_box(w: Writer, scenario) -> Box:
    return Box((Para(bold(w.inline(scenario.title))), *w.paragraphs(scenario.text),
                Para((*bold(w.label(parts.your_turn(w))), Run(" "), *w.inline(scenario.question))),
                AnswerLines(3)))


def quiz(w: Writer) -> list:
    """The same questions before and after the session, one box each time; no answers."""
    blocks = [*parts.title_block(w, DOCUMENT_TYPES["quiz"].label), parts.session_form(w),
              Para(w.inline(getattr(wording().quiz_instructions, w.audience)))]
    blocks += [Question(n, w.inline(q.prompt), tuple(map(w.inline, q.choices)), rounds=QUIZ_ROUNDS)
               for n, q in enumerate(w.lesson.quiz, 1)]
    count, h = len(w.lesson.quiz), w.helpline
    blocks += [parts.heading(w, "Mon score après la correction", 2),
               parts.form_line(w, [("Avant", f"____ / {count}"), ("Après", f"____ / {count}")]),
               Para((*w.help_call(), *w.label(f" {h.phone} ({h.promises_text}).")), "lead")]
    return blocks


def charter(w: Writer) -> list:
    """The class's commitments, numbered, the 3018, and a box per pupil to sign in."""
    lesson = w.lesson
    blocks = [Heading(w.label("Nous nous engageons" if w.adults else "Notre classe s'engage"), 0),
              Para(w.label(f"{w.plain(lesson.title)} · {w.level_name}"), "subtitle"),
              parts.form_line(w, [("Classe", w.session_value("class")),
                                  ("Date", w.session_value("date")),
                                  ("Établissement", w.session_value("school"))])]
    blocks += [Item(w.inline(item), numbered=True) for item in lesson.charter]
    blocks.append(parts.helpline_box(w, brief=True))  # short, as the PDF's: the grid follows
    count = w.session.students or CLASS_SIZE
    cells = [()] * (count + (-count % SIGNATURE_COLUMNS))
    rows = tuple(tuple(cells[i:i + SIGNATURE_COLUMNS]) for i in range(0, len(cells), SIGNATURE_COLUMNS))
    blocks += [parts.heading(w, "Nos signatures (prénom et signature)", 2),
               Table((), rows, cell_height=14)]
    return blocks


def scenario_cards(w: Writer) -> list:
    """One card per scenario, between cut lines: number, title, situation, the question
    to discuss and the 3018 (never the facilitator's discussion notes)."""
    label, h = DOCUMENT_TYPES["scenario-cards"].label, w.helpline
    blocks = [*parts.title_block(w, label),
              Para(w.label("À découper le long des pointillés, une carte par groupe."), "small")]
    for number, scenario in enumerate(w.lesson.scenarios, 1):
        blocks += [CutLine(), Box((Para(w.label(f"Carte {number}"), "box-title"),
                                   Heading(w.inline(scenario.title), 2),
                                   *w.paragraphs(scenario.text),
                                   Para((*w.label("À discuter : "), *w.inline(scenario.question)), "lead"),
                                   Para(w.label(f"Besoin d’aide ? {h.phone} : {h.promises_text}"),
                                        "small")))]
    return blocks + [CutLine()]


def family_letter(w: Writer, when: str = "after") -> list:
    """The letter before the session (« information préalable ») or after it."""
    lesson = w.lesson
    name = "family-letter" if when == "after" else "family-letter-before"
    letter = language_words(FRENCH).letter  # the letter's fixed words (assets/languages/fr.yaml)
    intro = letter.intro_before if when == "before" else letter.intro_after
    blocks = [Heading(w.label(DOCUMENT_TYPES[name].label), 0),
              Para(w.label(f"{w.level_name} · séance de {lesson.duration} min"), "subtitle"),
              parts.form_line(w, [("Établissement", w.session_value("school")),
                                  ("Classe", w.session_value("class")),
                                  ("Date", w.session_value("date")),
                                  ("Animée par", w.session_value("facilitator")),
                                  *parts.given_details(w, [("Horaire", "time")])]),
              Para(w.label("Madame, Monsieur,")),
              Para((*w.inline(intro), Run(" "), *quoted(w, lesson.title), Run(".")))]
    if when == "before":
        blocks += [*w.paragraphs(lesson.family.before), *worked_on(w, when),
                   *w.paragraphs(letter.before_close)]
    else:
        blocks += [*worked_on(w, when), parts.heading(w, "À aborder à la maison", 2),
                   *w.bullets(lesson.family.talk_about)]
        if lesson.family.signs:
            blocks += [parts.heading(w, "Des signes qui peuvent alerter", 2),
                       *w.bullets(lesson.family.signs)]
    blocks += [parts.helpline_box(w, adults=True, brief=True), *closing(w), *slip(w)]
    return blocks


def family_letter_before(w: Writer) -> list:
    return family_letter(w, "before")


def quoted(w: Writer, source: str) -> tuple:
    return (Run(f"«{NBSP}"), *w.inline(source), Run(f"{NBSP}»"))


def worked_on(w: Writer, when: str) -> list:
    lesson = w.lesson
    if lesson.summary and when == "after":
        return w.paragraphs(lesson.summary)
    lead = "Les élèves apprendront à :" if when == "before" else "Les élèves ont appris à :"
    return [Para(w.label(lead)), *w.bullets(lesson.objectives)]


def closing(w: Writer) -> list:
    blocks = []
    if w.session.referent:
        blocks.append(Para(w.label(f"Pour en parler avec l’établissement, vous pouvez contacter "
                                   f"{w.session.referent}.")))
    signature = (f"{w.session.facilitator}, pour l’équipe éducative" if w.session.facilitator
                 else "L’équipe éducative")
    return blocks + [Para(w.label("Nous restons à votre écoute. Bien cordialement,")),
                     Para(bold(w.label(signature)))]


def slip(w: Writer) -> list:
    """The coupon under the cut line: acknowledgment, names, date and signature."""
    lesson, blank = w.lesson, BLANK * 2
    return [CutLine("à découper et à rapporter à l’établissement"),
            Para((*w.label("J’ai pris connaissance de la séance "), *quoted(w, lesson.title),
                  *w.label(f" du {w.session_value('date')}."))),
            parts.form_line(w, [("Nom et prénom de l’élève", blank),
                                ("Classe", w.session.class_name or BLANK)]),
            parts.form_line(w, [("Nom et prénom du parent ou responsable", blank)]),
            Para(w.label("Date et signature :"), "form"), AnswerLines(2)]

