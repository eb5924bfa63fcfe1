"""One class's results on one A4 page: the lesson, the class, a chart of each question's
share of right answers before and after, the overall change, the two questions most
missed after the session with what to revisit (the lesson's own explanations), and the 3018."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from ..context import Session, make_context
from ..flowables import Paragraph
from ..pages import Metadata, footer_height, footer_markup, layout, render_pdf
from ..schema import Lesson
from ..documents import help_blocks, parts
from ..text import format_date_fr
from .aggregate import MIN_ANSWERS, ClassResult, Tally
from .charts import before_after_chart, percent, points, share_label
from .vector import ChartSlot, Placements, place_charts

LABEL = "Résultats du quiz avant / après"
REVISIT = 2  # questions to revisit, the most missed after the session
PROMPT_CHARACTERS = 95  # a question's words on the chart's axis, shortened beyond


def short(text: str, limit: int = PROMPT_CHARACTERS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def class_report(result: ClassResult, lesson: Lesson, theme=None) -> bytes:
    """The class report as PDF bytes (A4, fonts embedded, the same bytes for the same counts)."""
    session = Session(school=result.school, class_name=result.class_name, date=result.date)
    ctx = make_context(lesson, session=session, theme=theme)
    title = ctx.text.plain(lesson.title)
    footer = footer_markup(ctx.helpline, f"{LABEL} – {result.class_name} – {title}", ctx.text.thin)
    width = layout("a4", "a4", ctx.styles.body_size).frame_width
    ctx.page = layout("a4", "a4", ctx.styles.body_size, footer_height(footer, ctx.styles, width))
    placements = Placements()
    story = _story(ctx, result, lesson, placements)
    meta = Metadata(title=f"{LABEL} – {result.school} – {result.class_name} – {title}",
                    subject=f"{LABEL} · {result.class_name} · leçon {lesson.id}")
    pdf = render_pdf(story, ctx.page, meta, footer, ctx.styles)
    return place_charts(pdf.data, placements)


def _story(ctx, result: ClassResult, lesson: Lesson, placements: Placements) -> list:
    questions = [(n, lesson.quiz[n - 1], result.questions[n]) for n in sorted(result.questions)]
    total = result.total
    story = [Paragraph(ctx.inline(lesson.title), ctx.styles["title"]),
             ctx.label(f"{LABEL} · {ctx.level_name}", "subtitle"),
             parts.form_lines(ctx, [("Classe", result.class_name),
                                    ("Date", format_date_fr(result.date) if result.date else "non donnée"),
                                    ("Établissement", result.school)])]
    story.append(ctx.label(
        f"{result.pupils} élève(s) ont répondu. Bonnes réponses, toutes questions réunies : "
        f"{share_label(total.before, total.answered)} avant la séance, "
        f"{share_label(total.after, total.answered)} après, soit {points(total.change)}.", "body"))
    if result.small:
        story.append(ctx.label(f"Moins de {MIN_ANSWERS} élèves ont répondu : ces chiffres "
                               "disent peu de chose et ne comptent pas dans les moyennes "
                               "du district.", "label"))
    labels = [f"{n}. {short(ctx.text.plain(q.prompt))}" for n, q, _ in questions]
    chart = before_after_chart(labels, [t for _, _, t in questions], parts.content_width(ctx),
                               "Part de bonnes réponses, question par question",
                               [f"question {n}" for n, _, _ in questions])
    story += [Spacer(1, ctx.styles.size(0.4)), ChartSlot(chart, placements)]
    story += _revisit(ctx, questions)
    section = [ctx.label("Ces chiffres décrivent les réponses de la classe ce jour-là ; ils ne "
                         "mesurent pas à eux seuls ce que chacun a retenu.", "small")]
    story.append(KeepTogether([*section, Spacer(1, ctx.styles.size(0.5)),
                               help_blocks.compact_helpline(ctx, for_adults=True)]))
    return story


def _revisit(ctx, questions) -> list:
    """The questions most missed after the session, with the right answer and why."""
    missed = sorted((q for q in questions if q[2].answered),
                    key=lambda q: (-(q[2].missed_after / q[2].answered), q[0]))[:REVISIT]
    if not missed:
        return []
    story = [parts.heading(ctx, "À revoir avec la classe", level=2)]
    for number, question, tally in missed:
        why = f" {ctx.inline(question.explanation)}" if question.explanation else ""
        story.append(Paragraph(
            f"<b>{number}. {ctx.inline(question.prompt)}</b> "
            f"{ctx.typeset(_missed(tally))} Réponse : <b>{ctx.inline(question.answer)}</b>.{why}",
            ctx.styles["bullet"], bulletText="•"))
    return story


def _missed(tally: Tally) -> str:
    share = tally.missed_after / tally.answered
    return (f"Encore {percent(share)} de réponses fausses ou sans réponse après la séance "
            f"({tally.missed_after}/{tally.answered}).")
