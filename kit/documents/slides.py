"""Diaporama: the session on the classroom projector, one 16:9 slide per page.

Type is read from the back of the room (body 28 pt at least), so a text too long
for one slide never shrinks: it continues on the next slide, titled « (suite) ».
The facilitator's instructions stay in the guide; slides show what the class sees:
every question (then its answer, unless the lesson says `answer_slides: false`),
every scenario, and what an activity puts on the board (rules, gestures, steps).
"""
from __future__ import annotations

from reportlab.platypus import Table

from ..context import RenderContext
from ..errors import RenderError
from ..flowables import Paragraph
from ..messages import say
from ..schema import Activity, Board, Question, Scenario
from ..wording import wording
from . import help_blocks, parts

SESSION_DETAILS = ("school", "class", "date")
LETTERS = "ABCDEFGH"


def build(ctx: RenderContext) -> list:
    lesson = ctx.lesson
    slides = title_slide(ctx)
    for number, activity in enumerate(lesson.activities, 1):
        slides += activity_slides(ctx, number, activity)
    messages = parts.bullet_list(ctx, lesson.key_messages, "slide-bullet")
    slides += paginate(ctx, ctx.typeset("À retenir"), messages)
    slides += closing_slides(ctx)
    return slides


def title_slide(ctx: RenderContext) -> list[parts.PageBox]:
    lesson = ctx.lesson
    session = ctx.session.placeholders()
    known = [session[name] for name in SESSION_DETAILS if session[name]]
    body = [ctx.label(f"{ctx.level_name} · {lesson.duration} min", "slide-body")]
    body += [ctx.label(" · ".join(str(v) for v in known), "slide-body")] if known else []
    return paginate(ctx, ctx.inline(lesson.title), body, valign="middle")


def activity_slides(ctx: RenderContext, number: int, activity: Activity) -> list[parts.PageBox]:
    """The activity's own slide (its intro, board or writing prompt), then one slide per
    question (and its answer) and per scenario, in the lesson's order."""
    lead = f"Activité {number} sur {len(ctx.lesson.activities)}"
    title = ctx.inline(activity.title)
    student = activity.student
    body = [*opening(ctx, activity)]
    slides = paginate(ctx, title, body, caption=f"{lead} · {activity.minutes} min",
                      valign="top" if body else "middle")
    if student is None:
        return slides
    count = len(student.questions)
    for index, question in enumerate(student.questions, 1):
        caption = f"{lead} · Question {index} sur {count}"
        slides += paginate(ctx, title, question_view(ctx, question), caption=caption)
        if ctx.lesson.answer_slides:
            slides += paginate(ctx, title, answer_view(ctx, question),
                               caption=f"{caption} · Réponse")
    count = len(student.scenarios)
    for index, scenario in enumerate(student.scenarios, 1):
        slides += paginate(ctx, title, scenario_view(ctx, scenario),
                           caption=f"{lead} · Situation {index} sur {count}")
    if student.write_prompt and (student.questions or student.scenarios):
        slides += paginate(ctx, title, slide_text(ctx, student.write_prompt), caption=lead)
    return slides


def opening(ctx: RenderContext, activity: Activity) -> list:
    """What the activity's first slide shows: the intro, the boards, and the writing
    prompt when there is no question or scenario to show it after."""
    student, body = activity.student, []
    if student and student.intro:
        body += slide_text(ctx, student.intro)
    for board in activity.boards:
        body += board_view(ctx, board)
    if student and student.write_prompt and not (student.questions or student.scenarios):
        body += slide_text(ctx, student.write_prompt)
    return body


def board_view(ctx: RenderContext, board: Board) -> list:
    """The board's title and its items, numbered when their order matters."""
    items = [Paragraph(ctx.inline(item), ctx.styles["slide-bullet"],
                       bulletText=f"{n}." if board.numbered else "•")
             for n, item in enumerate(board.items, 1)]
    return [Paragraph(ctx.inline(board.title), ctx.styles["slide-heading"]), *items]


def question_view(ctx: RenderContext, question: Question) -> list:
    return [Paragraph(ctx.inline(question.prompt), ctx.styles["slide-heading"]),
            *[Paragraph(ctx.inline(choice), ctx.styles["slide-bullet"], bulletText=f"{letter}.")
              for letter, choice in zip(LETTERS, question.choices)]]


def answer_view(ctx: RenderContext, question: Question) -> list:
    """The question again, its answer (with its letter) and why, for the facilitator to reveal."""
    letter = (f"{LETTERS[question.choices.index(question.answer)]}. "
              if question.answer in question.choices else "")
    body = [Paragraph(ctx.inline(question.prompt), ctx.styles["slide-body"]),
            Paragraph(f"<b>{ctx.typeset('Réponse :')} {ctx.typeset(letter)}"
                      f"{ctx.inline(question.answer)}</b>", ctx.styles["slide-body"])]
    if question.explanation:
        body += slide_text(ctx, question.explanation)
    return body


def scenario_view(ctx: RenderContext, scenario: Scenario) -> list:
    return [Paragraph(ctx.inline(scenario.title), ctx.styles["slide-heading"]),
            *slide_text(ctx, scenario.text),
            Paragraph(f"<b>{ctx.typeset(your_turn(ctx))}</b> {ctx.inline(scenario.question)}",
                      ctx.styles["slide-body"])]


def your_turn(ctx: RenderContext) -> str:
    """One address form per deck: « tu » for pupils, « vous » for adults."""
    return ctx.addressed(wording().your_turn)


def slide_text(ctx: RenderContext, source: str) -> list[Paragraph]:
    """Lesson text in slide type; list items keep their bullet or number."""
    return ctx.paragraphs(source, "slide-body", "slide-bullet")


def paginate(ctx: RenderContext, title: str, body: list, caption: str | None = None,
             valign: str = "top") -> list[parts.PageBox]:
    """A title and its blocks on as many slides as they need: a block longer than the
    room left is split between two lines and the rest goes on a slide « (suite) »;
    a continuation never holds a lone list item."""
    slides, queue, placed = [new_slide(ctx, title, caption, valign)], list(body), 0
    while queue:
        slide, item = slides[-1], queue.pop(0)
        rest = place(slide, item)
        if rest is None:
            placed += 1
            continue
        if rest is item and not placed:
            raise RenderError(say("render.slide_block", id=ctx.lesson.id, title=ctx.text.plain(title)))
        queue.insert(0, rest)
        slides.append(new_slide(ctx, title, caption, valign, more=True))
        carry_heading(slide, slides[-1])
        placed = 0
    if len(slides) > 1:
        rebalance(slides[-2], slides[-1])
    return slides


def body_of(slide: parts.PageBox) -> list:
    return slide.content[slide.content.index(slide.head) + 1:]


def rebalance(previous: parts.PageBox, last: parts.PageBox) -> None:
    """A continuation holding one list item takes the item before it too, when the
    previous slide keeps something of its own and both still fit."""
    body, kept = body_of(last), body_of(previous)
    if len(body) != 1 or not getattr(body[0], "bulletText", None) or len(kept) < 2:
        return
    moved = previous.content.pop()
    last.content.insert(last.content.index(last.head) + 1, moved)
    if not last.fits():
        last.content.remove(moved)
        previous.content.append(moved)


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
    body = body_of(previous)
    if len(body) > 1 and getattr(getattr(body[-1], "style", None), "keepWithNext", 0):
        slide.content.append(previous.content.pop())


def new_slide(ctx: RenderContext, title: str, caption, valign: str,
              more: bool = False) -> parts.PageBox:
    head = Paragraph(title + (ctx.typeset(" (suite)") if more else ""), ctx.styles["slide-title"])
    content = ([ctx.label(caption, "slide-small")] if caption else []) + [head]
    slide = parts.PageBox(content, ctx.page.frame_width, ctx.page.frame_height, valign=valign)
    slide.head = head  # what a continuation repeats, never carried over
    return slide


def closing_slides(ctx: RenderContext) -> list[parts.PageBox]:
    """The 3018 in large type with its promises, hours, channels and a QR code to its
    site; what the larger types cannot fit goes on a slide « (suite) », never left out."""
    h = ctx.helpline
    channels = ctx.label(" · ".join(c.label for c in h.channels), "slide-body")
    return paginate(ctx, ctx.typeset("Besoin d'aide ?"), [help_panel(ctx, 0.42), channels],
                    valign="middle")


def help_panel(ctx: RenderContext, qr_share: float) -> Table:
    """The number, promises, hours and days beside a QR code `qr_share` of the slide high."""
    h = ctx.helpline
    text = [ctx.label(h.phone, "slide-number"),
            Paragraph(f"<b>{ctx.typeset(parts.capitalised(h.promises_text))}</b>",
                      ctx.styles["slide-body"]),
            ctx.label(parts.capitalised(h.hours), "slide-body"),
            ctx.label(parts.capitalised(h.days), "slide-body")]
    qr_side = round(ctx.page.frame_height * qr_share)
    return help_blocks.qr_panel(ctx, text, qr_side, ctx.styles["slide-small"],
                                qr_side + ctx.styles.size(2), width=ctx.page.frame_width)
