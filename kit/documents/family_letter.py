"""Lettre aux familles: one A4 page a student takes home, what the class worked on, what
to talk about and watch for, the 3018, and a slip the parents sign and send back."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from ..context import RenderContext
from ..flowables import Paragraph
from ..wording import wording
from . import DOCUMENT_TYPES, parts
from .base import DocumentType

DOCUMENT = DOCUMENT_TYPES["family-letter"]

SIGNATURE_ROOM = 14 * mm  # a hand-written signature is the same size in every edition


class CutLine(Flowable):
    """A dashed line across the frame with « à découper » in a gap in its middle."""

    def __init__(self, label: Paragraph, color, gap: float):
        super().__init__()
        self.label, self.color, self.gap = label, color, gap

    def wrap(self, available_width, available_height):
        self.width = available_width
        _, self.label_height = self.label.wrap(available_width * 0.8, available_height)
        self.label_width = max(self.label.getActualLineWidths0())
        self.height = self.label_height + 2 * self.gap
        return self.width, self.height

    def draw(self):
        middle = self.height / 2
        text_left = (self.width - self.label_width) / 2
        self.canv.saveState()
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(0.8)
        self.canv.setDash(4, 3)
        self.canv.line(0, middle, text_left - self.gap, middle)
        self.canv.line(text_left + self.label_width + self.gap, middle, self.width, middle)
        self.canv.restoreState()
        self.label.drawOn(self.canv, text_left, middle - self.label_height / 2)


class AtFootOfPage(Flowable):
    """Its content drawn at the bottom of the frame, where a tear-off slip belongs;
    it moves whole to the next page when the page has no room left for it."""

    def __init__(self, content: list):
        super().__init__()
        self.content = content

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.heights = [item.wrap(available_width, available_height)[1] + item.getSpaceBefore()
                        for item in self.content]
        needed = sum(self.heights)
        self.height = available_height if needed <= available_height else needed
        return self.width, self.height

    def split(self, available_width, available_height):
        return []  # never cut the slip from its cut line

    def draw(self):
        y = sum(self.heights)
        for item, height in zip(self.content, self.heights):
            y -= height
            item.drawOn(self.canv, 0, y)


def build(ctx: RenderContext) -> list:
    return letter(ctx, DOCUMENT, "after")


def letter(ctx: RenderContext, document: DocumentType, when: str) -> list:
    """The letter before the session (« information préalable ») or after it: the same
    lesson data, told ahead of the session or as what the class did."""
    lesson = ctx.lesson
    intro = getattr(wording().letter_intro, when)
    story = [Paragraph(ctx.typeset(document.label), ctx.styles["title"]),
             ctx.label(f"{ctx.level_name} · séance de {lesson.duration} min", "subtitle"),
             parts.form_lines(ctx, [("Établissement", ctx.session_value("school")),
                                    ("Classe", ctx.session_value("class")),
                                    ("Date", ctx.session_value("date")),
                                    ("Animée par", ctx.session_value("facilitator")),
                                    *parts.given_details(ctx, [("Horaire", "time")])]),
             ctx.label("Madame, Monsieur,", "letter-greeting"),
             Paragraph(f"{ctx.inline(intro)} {quoted(ctx, lesson.title)}.", ctx.styles["body"])]
    if when == "before":
        story += [*ctx.paragraphs(lesson.family.before), *worked_on(ctx, when),
                  *ctx.paragraphs(wording().letter_before_close)]
    else:  # after the session: what to watch for too, now that the topic was raised
        story += worked_on(ctx, when)
        story += [parts.heading(ctx, "À aborder à la maison", level=2),
                  *parts.bullet_list(ctx, lesson.family.talk_about)]
        if lesson.family.signs:
            story += [parts.heading(ctx, "Des signes qui peuvent alerter", level=2),
                      *parts.bullet_list(ctx, lesson.family.signs)]
    # the help box goes on with the last item before it, never alone at the top of a page
    story[-1:] = [parts.help_box(ctx, story[-1:], full=False, brief=True)]
    story += [*closing(ctx), AtFootOfPage(slip(ctx))]
    return story


def quoted(ctx: RenderContext, source: str) -> str:
    """Lesson text between « », held to it by non-breaking spaces."""
    return f"«{ctx.text.thin}{ctx.inline(source)}{ctx.text.thin}»"


def worked_on(ctx: RenderContext, when: str = "after") -> list:
    """After the session, the summary when the lesson has one; before it, or without a
    summary, its objectives."""
    lesson = ctx.lesson
    if lesson.summary and when == "after":
        return ctx.paragraphs(lesson.summary)
    lead = "Les élèves apprendront à :" if when == "before" else "Les élèves ont appris à :"
    return [ctx.label(lead), *parts.bullet_list(ctx, lesson.objectives)]


def closing(ctx: RenderContext) -> list:
    """Who to ask at school, then a polite close signed by the facilitator when known."""
    lines = []
    referent = ctx.session.referent
    if referent:
        lines.append(ctx.label(f"Pour en parler avec l’établissement, vous pouvez contacter "
                               f"{referent}.", "letter-close"))
    signature = (f"{ctx.session.facilitator}, pour l’équipe éducative" if ctx.session.facilitator
                 else "L’équipe éducative")
    lines.append(Paragraph(f"{ctx.typeset('Nous restons à votre écoute. Bien cordialement,')}"
                           f"<br/><b>{ctx.typeset(signature)}</b>", ctx.styles["letter-close"]))
    return lines


def slip(ctx: RenderContext) -> list:
    """The coupon below the cut line: acknowledgment, names and signature."""
    title = Paragraph(f"{ctx.typeset('J’ai pris connaissance de la séance')} "
                      f"{quoted(ctx, ctx.lesson.title)} "
                      f"{ctx.typeset('du ' + ctx.session_value('date'))}.", ctx.styles["body"])
    cut = CutLine(ctx.label("à découper et à rapporter à l’établissement", "small"),
                  ctx.styles.color("ink"), ctx.styles.size(0.4))
    width = parts.content_width(ctx)
    student = Table([[field_line(ctx, "Nom et prénom de l’élève", width * 0.64),
                      field_line(ctx, "Classe", width * 0.36, ctx.session.class_name)]],
                    colWidths=[width * 0.64, width * 0.36])
    student.setStyle(parts.table_style(ctx, [("TOPPADDING", (0, 0), (-1, -1), ctx.styles.size(0.6)),
                                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [cut, title, student,
            field_line(ctx, "Nom et prénom du parent ou responsable", width),
            ctx.label("Date et signature :", "slip-field"), Spacer(1, SIGNATURE_ROOM)]


def field_line(ctx: RenderContext, label: str, width: float, value: str | None = None) -> Paragraph:
    """`Label : value`, or the label followed by a line to write on up to `width`."""
    style = ctx.styles["slip-field"]
    text = f"{label} : "
    if value is None:
        room = width - stringWidth(text, style.fontName, style.fontSize) - style.fontSize
        text += "_" * max(4, int(room / stringWidth("_", style.fontName, style.fontSize)))
    else:
        text += value
    return ctx.label(text, "slip-field")
