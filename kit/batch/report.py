"""OUT/report.csv, one line per roster row, and the per-school print files."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfWriter

from .. import __version__
from ..output import inside, write_atomic

# `date` (ISO, last so existing readers keep their columns): `kit results template` fills it in
COLUMNS = ("ligne", "établissement", "classe", "séance", "statut", "message", "fichiers", "date")
STATUS_LABELS = {"ok": "ok", "error": "erreur", "unchanged": "inchangée"}  # as report.csv says them
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MERGE_FOLDER = "impression"


@dataclass
class RowReport:
    row: int
    school: str
    class_name: str
    lesson: str
    status: str  # ok, error, unchanged
    message: str = ""
    files: tuple[str, ...] = ()
    date: str = ""  # the session's date, ISO, when the row gives one


def neutralise(cell) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    text = str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_report(out: Path, reports: list[RowReport]) -> Path:
    """UTF-8 with a byte-order mark and `;`: Excel in France opens it with accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in sorted(reports, key=lambda r: r.row):
        writer.writerow([neutralise(c) for c in (r.row, r.school, r.class_name, r.lesson,
                                                 STATUS_LABELS[r.status], r.message,
                                                 " | ".join(r.files), r.date)])
    return write_atomic(inside(out, "report.csv"), buffer.getvalue().encode("utf-8-sig"),
                        force=True)


def merge_schools(out: Path, schools: dict[str, list[str]], changed: set[str],
                  names: dict[str, str] | None = None) -> list[str]:
    """`OUT/impression/<school>.pdf`: every packet of a school, in roster order, for the print
    shop, titled with the school's name as the roster writes it; remade only when one of
    its packets changed or it is missing."""
    written = []
    for school, files in schools.items():
        target = inside(out, MERGE_FOLDER, f"{school}.pdf")
        if school not in changed and target.exists():
            continue
        writer = PdfWriter()
        for path in files:
            writer.append(str(inside(out, path)))
        title = f"Séances – {(names or {}).get(school, school)}"
        writer.add_metadata({"/Title": title, "/Creator": f"kit3018 {__version__}"})
        buffer = io.BytesIO()
        writer.write(buffer)
        write_atomic(target, buffer.getvalue())  # refuses a PDF of someone else's at that name
        written.append(f"{MERGE_FOLDER}/{school}.pdf")
    return written
