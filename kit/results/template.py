"""The results sheet to fill in: one row per class and quiz question, the session's
school, class, date and lesson already there, three counts to write (right before, right
after, pupils who answered). Written as .xlsx (counts checked by the spreadsheet) and as
.csv (`;`, UTF-8 with BOM, as Excel in France opens it)."""
from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from ..archives import fixed_dates
from ..batch.report import neutralise
from ..errors import OutputError
from ..lessons import Library
from ..messages import say
from ..output import inside, write_atomic
from ..yamlfile import display_name
from .columns import HEADERS
from .district_report import plain_title_of
from .planned import PlannedSession

log = logging.getLogger("kit")
NAME = "resultats-a-remplir"
WIDTHS = (30, 10, 12, 34, 9, 60, 13, 13, 20)  # characters, one per column of HEADERS


def template_rows(sessions: list[PlannedSession], library: Library) -> list[list]:
    """One row per session and question, in the order the sessions were given."""
    rows, seen = [], set()
    for session in sessions:
        lesson = library.lessons.get(session.lesson)
        if lesson is None or "quiz" not in lesson.offered_documents:
            log.warning(say("results.template_no_quiz", school=session.school,
                            class_name=session.class_name, lesson=session.lesson))
            continue
        if (session.key, session.date) in seen:
            continue
        seen.add((session.key, session.date))
        for number, question in enumerate(lesson.quiz, 1):
            rows.append([session.school, session.class_name, session.date, lesson.id, number,
                         plain_title_of(lesson, question.prompt), None, None, None])
    return rows


def sheet_bytes(sessions: list[PlannedSession], library: Library) -> tuple[bytes, bytes]:
    """The sheet as .xlsx and as .csv bytes (`kit serve` sends the first)."""
    rows = template_rows(sessions, library)
    return _xlsx(rows), _csv(rows)


def write_template(sessions: list[PlannedSession], library: Library, out: Path,
                   force: bool = False) -> list[Path]:
    """`out/resultats-a-remplir.xlsx` and `.csv`; never over an existing file without `force`."""
    xlsx, text = sheet_bytes(sessions, library)
    targets = [inside(out, f"{NAME}.xlsx"), inside(out, f"{NAME}.csv")]
    for target in targets:
        if not force and (target.exists() or target.is_symlink()):
            raise OutputError(say("results.template_exists", file=display_name(target)))
    return [write_atomic(targets[0], xlsx, force=True), write_atomic(targets[1], text, force=True)]


def _csv(rows: list[list]) -> bytes:
    import csv
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for _, header in HEADERS])
    for row in rows:
        cells = [f"{c:%d/%m/%Y}" if isinstance(c, dt.date) else ("" if c is None else c) for c in row]
        writer.writerow([neutralise(c) for c in cells])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    book = Workbook()
    sheet = book.active
    sheet.title = "Résultats"
    sheet.append([header for _, header in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(c) if isinstance(c, str) else c for c in row])
        if row[2] is not None:
            sheet.cell(sheet.max_row, 3).number_format = "DD/MM/YYYY"
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                            allow_blank=True, showErrorMessage=True,
                            errorTitle="Un nombre d'élèves",
                            error="Écrivez un nombre entier d'élèves, 0 ou plus (aucun nom).")
    sheet.add_data_validation(counts)
    if rows:
        counts.add(f"G2:I{len(rows) + 1}")
    book.properties.creator = "kit3018"
    fixed = dt.datetime(2026, 1, 1)
    book.properties.created = book.properties.modified = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_dates(buffer.getvalue())  # openpyxl dates each member with the time
