"""The district report as PDF: a one-page summary first, then sessions per school, level
and month, each lesson's change before → after with its spread across classes, the
questions most often missed, the classes planned without results, and the 3018."""
from __future__ import annotations

from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from ..context import make_context
from ..documents import help_blocks, parts
from ..flowables import Paragraph
from ..lessons import Library
from ..pages import Metadata, footer_height, footer_markup, layout, render_pdf
from ..session import plain_title
from .aggregate import MIN_ANSWERS, District, grade_order, reading_order
from .charts import before_after_chart, count_chart, percent, points, share_label, spread_chart
from .class_report import short
from .vector import ChartSlot, Placements, place_charts

LABEL = "Résultats des quiz avant / après – bilan"
LISTED = 60  # rows of a long list in the PDF; the CSV files have them all
HONEST = ("Ces chiffres décrivent les réponses données aux mêmes questions avant et après "
          "chaque séance. Ils ne prouvent pas à eux seuls un effet de la séance : pas de "
          "groupe de comparaison, et les élèves revoient des questions qu'ils connaissent. "
          f"Les classes de moins de {MIN_ANSWERS} élèves sont montrées mais pas comptées "
          "dans les moyennes.")


def district_report(report: District, library: Library, charts: dict, theme=None) -> bytes:
    """The district report as PDF bytes; `charts` from `district_charts`."""
    lesson = library.get(next(iter(report.lessons)))  # the 3018's wording, for adults
    ctx = make_context(lesson, theme=theme)
    footer = footer_markup(ctx.helpline, LABEL, ctx.text.thin)
    width = layout("a4", "a4", ctx.styles.body_size).frame_width
    ctx.page = layout("a4", "a4", ctx.styles.body_size, footer_height(footer, ctx.styles, width))
    placements = Placements()
    story = [*_summary(ctx, report, library, charts, placements), PageBreak(),
             *_sessions(ctx, report, charts, placements), *_lessons(ctx, report, library, charts,
                                                                     placements),
             *_missed(ctx, report, library), *_small(ctx, report), *_planned(ctx, report),
             KeepTogether([parts.heading(ctx, "Besoin d’aide ?"),
                           help_blocks.compact_helpline(ctx, for_adults=True)])]
    meta = Metadata(title=LABEL, subject=f"{len(report.classes)} séance(s) avec résultats")
    return place_charts(render_pdf(story, ctx.page, meta, footer, ctx.styles).data, placements)


def lesson_name(library: Library, lesson_id: str) -> str:
    return plain_title(library.get(lesson_id))


def district_charts(report: District, library: Library, width: float) -> dict:
    """The report's charts (the same for the PDF and the HTML page)."""
    names = [lesson_name(library, i) for i in report.lessons]
    labels = [short(n, 70) for n in names]
    summaries = list(report.lessons.values())
    months = sorted(report.by_month)
    return {
        "lessons": before_after_chart(labels, [s.tally for s in summaries], width,
                                      "Part de bonnes réponses avant et après, par séance", names,
                                      row_height=30 if len(labels) > 6 else 40),
        "spread": spread_chart([short(n, 40) for n in names], [s.spread for s in summaries],
                               width, "Évolution d’une classe à l’autre, par séance", names),
        "months": count_chart(months, [report.by_month[m] for m in months], width,
                              "Séances avec résultats, par mois"),
    }


def _summary(ctx, report: District, library, charts, placements) -> list:
    total = report.total
    dates = sorted(c.date for c in report.classes if c.date)
    period = f" du {dates[0]:%d/%m/%Y} au {dates[-1]:%d/%m/%Y}" if dates else ""
    lines = [
        f"{len(report.classes)} séance(s) avec résultats{period}, dans {len(report.by_school)} "
        f"établissement(s), {len(report.lessons)} séance(s) différente(s).",
        f"{report.pupils} élève(s) comptés dans les moyennes. Bonnes réponses, toutes séances "
        f"réunies : {share_label(total.before, total.answered)} avant, "
        f"{share_label(total.after, total.answered)} après, soit {points(total.change)}.",
        f"{report.small} classe(s) de moins de {MIN_ANSWERS} élèves, montrée(s) mais pas "
        "comptée(s) dans les moyennes.",
        f"{len(report.planned)} classe(s) prévue(s) sans résultats.",
    ]
    story = [ctx.label(LABEL, "title"), ctx.label("Synthèse", "subtitle")]
    story += [Paragraph(ctx.typeset(line), ctx.styles["bullet"], bulletText="•") for line in lines]
    story += [Spacer(1, ctx.styles.size(0.4)), ChartSlot(charts["lessons"], placements)]
    if report.missed:
        story.append(parts.heading(ctx, "Les questions les plus manquées après la séance", level=2))
        for question in report.missed[:3]:
            story.append(Paragraph(ctx.typeset(_missed_line(library, question)),
                                         ctx.styles["bullet"], bulletText="•"))
    story.append(ctx.label(HONEST, "small"))
    return story


def _missed_line(library, question) -> str:
    lesson = library.get(question.lesson)
    prompt = plain_title_of(lesson, lesson.quiz[question.number - 1].prompt)
    tally = question.tally
    return (f"{plain_title(lesson)}, question {question.number} « {short(prompt, 90)} » : "
            f"{percent(tally.missed_after / tally.answered)} de réponses fausses après "
            f"({tally.missed_after}/{tally.answered}).")


def plain_title_of(lesson, text: str) -> str:
    """Lesson text (a quiz prompt) as plain words, placeholders filled."""
    return make_context(lesson).text.plain(text)


def _section(ctx, title: str, room: float = 150) -> list:
    """A section's heading that a long table under it may follow onto the next pages
    (a heading kept with its whole table would leave a page blank first)."""
    return [CondPageBreak(room), Paragraph(ctx.typeset(title), ctx.styles["h1-before-table"])]


def _table(ctx, header, rows, widths) -> list:
    return [parts.table(ctx, header, [[ctx.typeset(str(c)) for c in row] for row in rows],
                        widths)]


def _sessions(ctx, report: District, charts, placements) -> list:
    width = parts.content_width(ctx)
    schools = sorted(set(report.by_school) | set(report.planned_by_school), key=reading_order)
    story = _section(ctx, "Séances par établissement")
    story += _table(ctx, ["Établissement", "Séances avec résultats", "Prévues sans résultats"],
                    [[s, report.by_school.get(s, 0), report.planned_by_school.get(s, 0)]
                     for s in schools], [width * 0.6, width * 0.2, width * 0.2])
    story += _section(ctx, "Séances par niveau")
    story += _table(ctx, ["Niveau", "Séances avec résultats"],
                    [[level, count] for level, count in sorted(report.by_level.items(), key=lambda item: grade_order(item[0]))],
                    [width * 0.6, width * 0.4])
    story += [CondPageBreak(charts["months"].height + 60), parts.heading(ctx, "Séances par mois"),
              ChartSlot(charts["months"], placements)]
    return story


def _lessons(ctx, report: District, library, charts, placements) -> list:
    width = parts.content_width(ctx)
    rows = []
    for lesson_id, summary in report.lessons.items():
        tally, spread = summary.tally, summary.spread
        rows.append([lesson_name(library, lesson_id),
                     f"{summary.classes} (dont {summary.small} de moins de {MIN_ANSWERS})",
                     share_label(tally.before, tally.answered),
                     share_label(tally.after, tally.answered), points(tally.change),
                     (f"médiane {points(spread.median)} ; de {points(spread.q1)} à "
                      f"{points(spread.q3)} pour la moitié des classes ; extrêmes "
                      f"{points(spread.low)} et {points(spread.high)}") if spread else "–"])
    story = [PageBreak(), parts.heading(ctx, "Évolution avant → après, par séance")]
    story += _table(ctx, ["Séance", "Classes", "Justes avant", "Justes après", "Évolution",
                          "D’une classe à l’autre"], rows,
                    [w * width for w in (0.22, 0.13, 0.13, 0.13, 0.11, 0.28)])
    story += [Spacer(1, ctx.styles.size(0.6)), ChartSlot(charts["spread"], placements)]
    return story


def _missed(ctx, report: District, library) -> list:
    width = parts.content_width(ctx)
    rows = []
    for rank, question in enumerate(report.missed, 1):
        lesson = library.get(question.lesson)
        tally = question.tally
        rows.append([rank, f"{plain_title(lesson)} – question {question.number} : "
                           f"{plain_title_of(lesson, lesson.quiz[question.number - 1].prompt)}",
                     f"{percent(tally.missed_after / tally.answered)} "
                     f"({tally.missed_after}/{tally.answered})",
                     share_label(tally.before, tally.answered), question.classes])
    story = _section(ctx, "Les questions les plus manquées", 200)
    story.append(ctx.label("Part de réponses fausses ou absentes après la séance, toutes "
                           "classes comptées réunies.", "small"))
    story += _table(ctx, ["Rang", "Question", "Fausses après", "Justes avant", "Classes"], rows,
                    [w * width for w in (0.07, 0.55, 0.15, 0.13, 0.1)])
    return story


def _small(ctx, report: District) -> list:
    small = [c for c in report.classes if c.small]
    if not small:
        return []
    width = parts.content_width(ctx)
    story = _section(ctx, f"Classes de moins de {MIN_ANSWERS} élèves (pas dans les moyennes)")
    story += _table(ctx, ["Établissement", "Classe", "Séance", "Élèves"],
                    [[c.school, c.class_name, c.lesson, c.pupils] for c in small[:LISTED]],
                    [w * width for w in (0.35, 0.15, 0.38, 0.12)])
    if len(small) > LISTED:
        story.append(ctx.label(f"… et {len(small) - LISTED} autre(s), dans district-classes.csv.",
                               "small"))
    return story


def _planned(ctx, report: District) -> list:
    if not report.planned:
        return []
    width = parts.content_width(ctx)
    story = _section(ctx, "Classes prévues sans résultats")
    story += _table(ctx, ["Établissement", "Classe", "Séance"],
                    [list(p) for p in report.planned[:LISTED]],
                    [w * width for w in (0.4, 0.2, 0.4)])
    if len(report.planned) > LISTED:
        story.append(ctx.label(f"… et {len(report.planned) - LISTED} autre(s), dans "
                               "district-prevues-sans-resultats.csv.", "small"))
    return story
