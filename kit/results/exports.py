"""The district's figures for its own tools (CSV in French Excel's dialect, JSON) and as
an accessible web page: real headings, each chart with its text alternative and its
data as a table, the 3018 as a link."""
from __future__ import annotations

import base64
import csv
import io
import json


from ..batch.report import neutralise
from ..helpline import load_helpline
from ..html import environment, qr_data_uri, render_template
from ..lessons import Library
from ..session import plain_title
from .aggregate import MIN_ANSWERS, District, grade, grade_order, reading_order
from .charts import percent, points, share_label
from .district_report import HONEST, LABEL, LISTED, plain_title_of

HTML_TEMPLATE = "results-district.html"


def _decimal(share: float | None) -> str:
    """A percentage with one decimal and a comma, as a French spreadsheet reads it."""
    return "" if share is None else f"{100 * share:.1f}".replace(".", ",")


def _csv(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise("" if c is None else c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_files(report: District, library: Library) -> dict[str, bytes]:
    """File name -> content: classes, lessons, questions, schools, planned without results."""
    classes = [[c.school, c.class_name, c.date.isoformat() if c.date else "", c.lesson,
                grade(c.class_name, library.get(c.lesson).level), c.pupils, t.before, t.after,
                t.answered, _decimal(t.share_before), _decimal(t.share_after),
                "" if t.change is None else f"{t.change:.1f}".replace(".", ","),
                "oui" if c.small else "non"]
               for c in report.classes for t in [c.total]]
    lessons = [[i, plain_title(library.get(i)), s.classes, s.small, s.tally.before, s.tally.after,
                s.tally.answered, _decimal(s.tally.share_before), _decimal(s.tally.share_after),
                *(_points(v) for v in ((s.tally.change,) + _spread_values(s.spread)))]
               for i, s in report.lessons.items()]
    questions = [[q.lesson, q.number,
                  plain_title_of(library.get(q.lesson), library.get(q.lesson).quiz[q.number - 1].prompt),
                  q.classes, q.tally.before, q.tally.after, q.tally.answered,
                  _decimal(q.tally.missed_after / q.tally.answered if q.tally.answered else None)]
                 for q in report.questions]
    schools = sorted(set(report.by_school) | set(report.planned_by_school), key=reading_order)
    return {
        "district-classes.csv": _csv(
            ["établissement", "classe", "date", "séance", "niveau", "élèves", "justes avant",
             "justes après", "réponses", "% justes avant", "% justes après", "évolution (points)",
             f"moins de {MIN_ANSWERS} élèves (hors moyennes)"], classes),
        "district-seances.csv": _csv(
            ["séance", "titre", "classes", f"classes de moins de {MIN_ANSWERS} élèves",
             "justes avant", "justes après", "réponses", "% justes avant", "% justes après",
             "évolution (points)", "évolution minimale", "premier quartile", "médiane",
             "troisième quartile", "évolution maximale"], lessons),
        "district-questions.csv": _csv(
            ["séance", "question", "intitulé", "classes", "justes avant", "justes après",
             "réponses", "% fausses après"], questions),
        "district-etablissements.csv": _csv(
            ["établissement", "séances avec résultats", "prévues sans résultats"],
            [[s, report.by_school.get(s, 0), report.planned_by_school.get(s, 0)] for s in schools]),
        "district-prevues-sans-resultats.csv": _csv(
            ["établissement", "classe", "séance"], [list(p) for p in report.planned]),
    }


def _points(value) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def _spread_values(spread) -> tuple:
    if spread is None:
        return (None,) * 5
    return (spread.low, spread.q1, spread.median, spread.q3, spread.high)


def json_file(report: District, library: Library) -> bytes:
    """Every aggregate in one JSON document (shares from 0 to 1, changes in points)."""
    def tally(t):
        return {"right_before": t.before, "right_after": t.after, "answers": t.answered,
                "share_before": t.share_before, "share_after": t.share_after,
                "change_points": t.change}
    data = {
        "min_answers": MIN_ANSWERS,
        "sessions": len(report.classes), "pupils_counted": report.pupils,
        "small_classes": report.small, "total": tally(report.total),
        "by_school": by_school(report.by_school),
        "planned_without_results_by_school": by_school(report.planned_by_school),
        "by_level": dict(sorted(report.by_level.items(), key=lambda item: grade_order(item[0]))),
        "by_month": dict(sorted(report.by_month.items())),
        "lessons": [{"lesson": i, "title": plain_title(library.get(i)), "classes": s.classes,
                     "small_classes": s.small, **tally(s.tally),
                     "spread_points": None if s.spread is None else {
                         "classes": s.spread.count, "min": s.spread.low, "q1": s.spread.q1,
                         "median": s.spread.median, "q3": s.spread.q3, "max": s.spread.high}}
                    for i, s in report.lessons.items()],
        "questions": [{"lesson": q.lesson, "question": q.number, "classes": q.classes,
                       **tally(q.tally)} for q in report.questions],
        "most_missed": [{"lesson": q.lesson, "question": q.number,
                         "missed_after": q.tally.missed_after, "answers": q.tally.answered}
                        for q in report.missed],
        "planned_without_results": [{"school": s, "class": c, "lesson": l}
                                    for s, c, l in report.planned],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")


def html_page(report: District, library: Library, charts: dict) -> bytes:
    """The report as one standalone page: charts as SVG images with their text alternative,
    followed by the same figures as tables."""
    helpline = load_helpline()
    figures = {name: {"src": "data:image/svg+xml;base64,"
                             + base64.b64encode(chart.svg()).decode("ascii"),
                      "alt": chart.alt} for name, chart in charts.items()}
    total = report.total
    names = {
        "label": LABEL, "honest": HONEST, "min_answers": MIN_ANSWERS, "report": report,
        "helpline": helpline, "qr": qr_data_uri(helpline.web), "figures": figures,
        "total": {"before": share_label(total.before, total.answered),
                  "after": share_label(total.after, total.answered),
                  "change": points(total.change)},
        "lessons": [{"title": plain_title(library.get(i)), "summary": s,
                     "before": share_label(s.tally.before, s.tally.answered),
                     "after": share_label(s.tally.after, s.tally.answered),
                     "change": points(s.tally.change),
                     "spread": None if s.spread is None else {
                         k: points(getattr(s.spread, k)) for k in ("low", "q1", "median", "q3", "high")}}
                    for i, s in report.lessons.items()],
        "missed": [{"lesson": plain_title(library.get(q.lesson)), "number": q.number,
                    "prompt": plain_title_of(library.get(q.lesson),
                                             library.get(q.lesson).quiz[q.number - 1].prompt),
                    "missed": f"{percent(q.tally.missed_after / q.tally.answered)} "
                              f"({q.tally.missed_after}/{q.tally.answered})",
                    "before": share_label(q.tally.before, q.tally.answered), "classes": q.classes}
                   for q in report.missed],
        "schools": sorted(set(report.by_school) | set(report.planned_by_school), key=reading_order),
        "months": sorted(report.by_month),
        "planned": report.planned[:LISTED], "planned_more": max(len(report.planned) - LISTED, 0),
    }
    page = render_template(lambda: environment().get_template(HTML_TEMPLATE), names)
    return page.encode("utf-8")


def by_school(counts: dict[str, int]) -> dict[str, int]:
    """Counts per school in the order a reader looks them up (JSON keeps it)."""
    return {school: counts[school] for school in sorted(counts, key=reading_order)}
