"""Diaporama: the session on the classroom projector, one 16:9 slide per page.

Type is read from the back of the room (body 28 pt at least), so a text too long
for one slide never shrinks: it continues on the next slide, titled « (suite) ».
The facilitator's instructions stay in the guide; slides show what the class sees.
"""
from __future__ import annotations

from reportlab.platypus import Paragraph, Table

from ..context import RenderContext
from ..errors import RenderError
from ..schema import Activity
from . import parts

SESSION_DETAILS = ("school", "class", "date")


def build(ctx: RenderContext) -> list:
    lesson = ctx.lesson
    slides = title_slide(ctx)
    for number, activity in enumerate(lesson.activities, 1):
        slides += activity_slides(ctx, number, activity)
    messages = parts.bullet_list(ctx, lesson.key_messages, "slide-bullet")
    slides += paginate(ctx, ctx.typeset("À retenir"), messages)
    slides.append(closing_slide(ctx))
    return slides


def title_slide(ctx: RenderContext) -> list[parts.PageBox]:
    lesson = ctx.lesson
    session = ctx.session.placeholders()
    known = [session[name] for name in SESSION_DETAILS if session[name]]
    body = [ctx.label(f"{ctx.level_name} · {lesson.duration} min", "slide-body")]
    body += [ctx.label(" · ".join(str(v) for v in known), "slide-body")] if known else []
    return paginate(ctx, ctx.inline(lesson.title), body, valign="middle")


def activity_slides(ctx: RenderContext, number: int, activity: Activity) -> list[parts.PageBox]:
    """The activity's title and what students see first: a scenario, a question or what to write."""
    caption = f"Activité {number} sur {len(ctx.lesson.activities)} · {activity.minutes} min"
    body = student_view(ctx, activity)
    return paginate(ctx, ctx.inline(activity.title), body, caption=caption,
                    valign="top" if body else "middle")


def student_view(ctx: RenderContext, activity: Activity) -> list:
    student = activity.student
    if student is None:
        return []
    if student.scenarios:
        scenario = student.scenarios[0]
        return [Paragraph(ctx.inline(scenario.title), ctx.styles["slide-heading"]),
                *slide_text(ctx, scenario.text),
                Paragraph(f"<b>{ctx.typeset('À vous :')}</b> {ctx.inline(scenario.question)}",
                          ctx.styles["slide-body"])]
    if student.questions:
        question = student.questions[0]
        return [Paragraph(ctx.inline(question.prompt), ctx.styles["slide-heading"]),
                *[Paragraph(ctx.inline(choice), ctx.styles["slide-bullet"], bulletText=f"{letter}.")
                  for letter, choice in zip("ABCDEFGH", question.choices)]]
    return slide_text(ctx, student.write_prompt or student.intro or "")


def slide_text(ctx: RenderContext, source: str) -> list[Paragraph]:
    """Lesson text in slide type; list items keep their bullet or number."""
    return ctx.paragraphs(source, "slide-body", "slide-bullet")


def paginate(ctx: RenderContext, title: str, body: list, caption: str | None = None,
             valign: str = "top") -> list[parts.PageBox]:
    """A title and its blocks on as many slides as they need: a block longer than the
    room left is split between two lines and the rest goes on a slide « (suite) »."""
    slides, queue, placed = [new_slide(ctx, title, caption, valign)], list(body), 0
    while queue:
        slide, item = slides[-1], queue.pop(0)
        rest = place(slide, item)
        if rest is None:
            placed += 1
            continue
        if rest is item and not placed:
            raise RenderError(f"a block of the slide « {ctx.text.plain(title)} » is too large "
                              "for one slide; shorten it")
        queue.insert(0, rest)
        slides.append(new_slide(ctx, title, caption, valign, more=True))
        carry_heading(slide, slides[-1])
        placed = 0
    return slides


def place(slide: parts.PageBox, item):
    """Put `item` on the slide; return what is left for the next one (None if nothing)."""
    slide.content.append(item)
    if slide.fits():
        return None
    slide.content.pop()
    gap = max(slide.content[-1].getSpaceAfter(), item.getSpaceBefore())
    pieces = item.split(slide.inner_width, slide.room() - gap)
    if len(pieces) != 2:
        return item
    slide.content.append(pieces[0])
    if slide.fits():
        return pieces[1]
    slide.content.pop()
    return item


def carry_heading(previous: parts.PageBox, slide: parts.PageBox) -> None:
    """A heading left last on a slide moves to the next one, with its text."""
    body = previous.content[previous.content.index(previous.head) + 1:]
    if len(body) > 1 and getattr(getattr(body[-1], "style", None), "keepWithNext", 0):
        slide.content.append(previous.content.pop())


def new_slide(ctx: RenderContext, title: str, caption, valign: str,
              more: bool = False) -> parts.PageBox:
    head = Paragraph(title + (ctx.typeset(" (suite)") if more else ""), ctx.styles["slide-title"])
    content = ([ctx.label(caption, "slide-small")] if caption else []) + [head]
    slide = parts.PageBox(content, ctx.page.frame_width, ctx.page.frame_height, valign=valign)
    slide.head = head  # what a continuation repeats, never carried over
    return slide


def closing_slide(ctx: RenderContext) -> parts.PageBox:
    """The 3018 in large type with its promises, hours and a QR code to its site."""
    h = ctx.helpline
    qr_side = round(ctx.page.frame_height * 0.42)
    left = [ctx.label(h.phone, "slide-number"),
            Paragraph(f"<b>{ctx.typeset(parts.capitalised(h.promises_text))}</b>",
                      ctx.styles["slide-body"]),
            ctx.label(parts.capitalised(h.hours), "slide-body"),
            ctx.label(parts.capitalised(h.days), "slide-body")]
    right = [parts.qr_code(ctx, qr_side), ctx.label(h.web_short, "slide-small")]
    qr_column = qr_side + ctx.styles.size(2)
    panel = Table([[left, right]], colWidths=[ctx.page.frame_width - qr_column, qr_column])
    panel.setStyle(parts.table_style(ctx, [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    title = ctx.label("Besoin d'aide ?", "slide-title")
    channels = ctx.label(" · ".join(c.label for c in h.channels), "slide-body")
    return parts.first_that_fits(ctx, [[title, panel, channels], [title, panel]], valign="middle")
