"""Lettre aux familles: one A4 page a student takes home, what the class worked on, what
to talk about and watch for, the 3018, and a slip the parents sign and send back."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepInFrame, Spacer, Table
from reportlab.platypus.flowables import TopPadder

from ..context import RenderContext
from ..flowables import Paragraph
from . import DOCUMENT_TYPES, help_blocks, parts
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
        self.label_box = available_width * 0.8
        _, self.label_height = self.label.wrap(self.label_box, available_height)
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
        # right-to-left text sits at the right of the width it was wrapped to
        shift = (self.label_box - self.label_width) if getattr(self.label, "right_aligned", False) else 0
        self.label.drawOn(self.canv, text_left - shift, middle - self.label_height / 2)


class Unbroken(KeepInFrame):
    """Blocks laid out together by ReportLab's KeepInFrame that never split: when the
    page has no room left they move whole to the next one. KeepInFrame itself would
    shrink, cut, overflow or raise there; this one tells the frame its full height."""

    def __init__(self, content: list):
        super().__init__(0, 0, content)

    def wrap(self, available_width, available_height):
        return super().wrap(available_width, 0xffffff)  # measured, never shrunk

    def split(self, available_width, available_height):
        return []  # never cut the slip from its cut line


def at_foot_of_page(content: list) -> TopPadder:
    """The content at the bottom of the frame, where a tear-off slip belongs (ReportLab's
    TopPadder); whole on the next page when this one has no room left for it."""
    return TopPadder(Unbroken(content))


def build(ctx: RenderContext) -> list:
    return letter(ctx, DOCUMENT, "after")


def letter(ctx: RenderContext, document: DocumentType, when: str) -> list:
    """The letter before the session (« information préalable ») or after it: the same
    lesson data, told ahead of the session or as what the class did; every fixed word
    in the context's language (assets/languages/)."""
    lesson, words = ctx.lesson, ctx.words.letter
    fill = ctx.words.fill
    label = (words.label_before if when == "before" else words.label) if ctx.translated \
        else document.label
    intro = words.intro_before if when == "before" else words.intro_after
    story = [Paragraph(ctx.typeset(label), ctx.styles["title"]),
             ctx.label(fill(words.session, level=ctx.level_name, minutes=lesson.duration),
                       "subtitle"),
             parts.form_lines(ctx, [(words.school, ctx.session_value("school")),
                                    (words.class_, ctx.session_value("class")),
                                    (words.date, ctx.session_value("date")),
                                    (words.facilitator, ctx.session_value("facilitator")),
                                    *parts.given_details(ctx, [(words.time, "time")])],
                              wide=(words.school,)),
             ctx.label(words.greeting, "letter-greeting"),
             Paragraph(f"{ctx.typeset(intro)} {quoted(ctx, lesson.title)}.", ctx.styles["body"])]
    if when == "before":
        story += [*ctx.paragraphs(lesson.family.before), *worked_on(ctx, when),
                  *ctx.paragraphs(words.before_close)]
    else:  # after the session: what to watch for too, now that the topic was raised
        story += worked_on(ctx, when)
        story += [parts.heading(ctx, words.talk_about, level=2),
                  *parts.bullet_list(ctx, lesson.family.talk_about)]
        if lesson.family.signs:
            story += [parts.heading(ctx, words.signs, level=2),
                      *parts.bullet_list(ctx, lesson.family.signs)]
    # the help box goes on with the last item before it, never alone at the top of a page
    story[-1:] = [help_blocks.help_box(ctx, story[-1:], full=False, brief=True)]
    story += [*closing(ctx), at_foot_of_page(slip(ctx))]
    return story


def quoted(ctx: RenderContext, source: str) -> str:
    """Lesson text between the language's quotes (« » held by non-breaking spaces in French)."""
    opening, closing_ = ctx.words.quotes
    inside = ctx.text.thin if ctx.text.french else ""
    return f"{ctx.typeset(opening, False)}{inside}{ctx.inline(source)}{inside}" \
           f"{ctx.typeset(closing_, False)}"


def worked_on(ctx: RenderContext, when: str = "after") -> list:
    """After the session, the summary when the lesson has one; before it, or without a
    summary, its objectives."""
    lesson = ctx.lesson
    if lesson.summary and when == "after":
        return ctx.paragraphs(lesson.summary)
    words = ctx.words.letter
    lead = words.will_learn if when == "before" else words.learned
    return [ctx.label(lead), *parts.bullet_list(ctx, lesson.objectives)]


def closing(ctx: RenderContext) -> list:
    """Who to ask at school, then a polite close signed by the facilitator when known."""
    lines, words = [], ctx.words.letter
    referent = ctx.session.referent
    if referent:
        lines.append(ctx.label(ctx.words.fill(words.referent, referent=referent), "letter-close"))
    signature = (ctx.words.fill(words.team_signed, facilitator=ctx.session.facilitator)
                 if ctx.session.facilitator else words.team)
    lines.append(Paragraph(f"{ctx.typeset(words.close)}"
                           f"<br/><b>{ctx.typeset(signature)}</b>", ctx.styles["letter-close"]))
    return lines


def slip(ctx: RenderContext) -> list:
    """The coupon below the cut line: acknowledgment, names and signature (mirrored in a
    right-to-left language: the class on the left)."""
    words = ctx.words.letter
    before, _, after = words.slip.partition("{title}")
    date = ctx.session_value("date")
    title = Paragraph(f"{ctx.typeset(ctx.words.fill(before, date=date))}"
                      f"{quoted(ctx, ctx.lesson.title)}"
                      f"{ctx.typeset(ctx.words.fill(after, date=date))}", ctx.styles["slip-text"])
    cut = CutLine(ctx.label(words.cut, "small"), ctx.styles.color("ink"), ctx.styles.size(0.4))
    width = parts.content_width(ctx)
    student = Table([ctx.mirrored([field_line(ctx, words.pupil_name, width * 0.64),
                                   field_line(ctx, words.class_, width * 0.36,
                                              ctx.session.class_name)])],
                    colWidths=ctx.mirrored([width * 0.64, width * 0.36]))
    student.setStyle(parts.table_style(ctx, [("TOPPADDING", (0, 0), (-1, -1), ctx.styles.size(0.6)),
                                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [cut, title, student,
            field_line(ctx, words.parent_name, width),
            ctx.label(words.signature, "slip-field"), Spacer(1, SIGNATURE_ROOM)]


def field_line(ctx: RenderContext, label: str, width: float, value: str | None = None) -> Paragraph:
    """`Label : value`, or the label followed by a line to write on up to `width`."""
    style = ctx.styles["slip-field"]
    text = f"{label} : " if ctx.text.french else f"{label}: "
    if value is None:
        room = width - stringWidth(text, style.fontName, style.fontSize) - style.fontSize
        text += "_" * max(4, int(room / stringWidth("_", style.fontName, style.fontSize)))
    else:
        text += value
    return ctx.label(text, "slip-field")
