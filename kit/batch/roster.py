"""Read a district roster (.csv as Excel/LibreOffice save it in France, or .xlsx)
into validated rows; a bad row is kept with its reasons, the others go on.

Row numbers are the ones the spreadsheet shows (the header is usually row 1).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..session import Session
from ..errors import RosterError, excerpt
from ..files import FileRefused, read_limited
from ..messages import say
from .slugs import ascii_fold

log = logging.getLogger("kit")

# Each column's accepted headers, compared without case, accents, spaces or punctuation.
COLUMNS = {
    "school": ("etablissement", "ecole", "school", "college", "lycee", "nom etablissement"),
    "city": ("ville", "commune", "city", "town"),
    "class_name": ("classe", "class", "groupe"),
    "lesson": ("seance", "lecon", "lesson", "session", "module"),
    "date": ("date", "jour", "day"),
    "facilitator": ("intervenant", "intervenante", "animateur", "animatrice", "facilitator"),
    "students": ("effectif", "eleves", "nombre eleves", "students", "headcount"),
    "referent": ("referent", "referente", "contact", "referent etablissement"),
    "room": ("salle", "room"),
    "time": ("horaire", "heure", "time", "hour"),
    # the family letter also in these languages (kit/translations.py): « ar, uk »
    "languages": ("langues", "langue", "languages", "language", "langues des familles"),
}
REQUIRED = ("school", "class_name", "lesson")
LABELS = {"school": "établissement", "class_name": "classe", "lesson": "séance"}
HEADINGS = {**{name: aliases[0] for name, aliases in COLUMNS.items()}, **LABELS}
MAX_CELL = 200  # characters in one cell: a school's full name is far shorter
MAX_ROSTER_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # what a workbook may unpack to: no zip bomb
DELIMITERS = ";,\t"
_DATE_PATTERNS = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})"), ("d", "m", "yy")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?"), ("y", "m", "d")),
)


@dataclass
class RosterRow:
    """One roster line: its cells by column, the session it describes, and what is wrong."""

    number: int
    cells: dict[str, str]
    session: Session | None = None
    lesson: str = ""
    errors: list[str] = field(default_factory=list)
    languages: tuple[str, ...] = ()  # the family letter also in these languages


@dataclass
class Roster:
    path: Path
    rows: list[RosterRow]
    warnings: list[str]


def normalise(text: str) -> str:
    """`  Établissement ` -> `etablissement`: headers and titles compared loosely
    (`l’image` and `l'image`, `cœur` and `coeur` are the same)."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_fold(str(text)).lower()).split())


_ALIASES = {normalise(a): name for name, aliases in COLUMNS.items() for a in aliases}


def read_roster(path: Path) -> Roster:
    """The roster's rows, validated one by one; RosterError if it cannot be read at all."""
    path = Path(path)
    if not path.exists():
        raise RosterError(say("roster.no_file", file=path))
    try:
        data = read_limited(path, MAX_ROSTER_BYTES, what="files.rosters")
    except FileRefused as error:
        raise RosterError(say("roster.refused", file=path, why=error)) from None
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    table = _read_xlsx(path, data) if xlsx else _read_csv(path, data)
    header_at, columns, warnings = _header(path, table)
    rows, seen = [], {}
    for number, cells in table[header_at + 1:]:
        values = {name: _cell(cells, i) for i, name in columns.items()}
        if not any(values.values()):
            continue
        row = validate(RosterRow(number, {k: _text(v) for k, v in values.items()}), values)
        fingerprint = tuple(sorted(row.cells.items()))
        if fingerprint in seen:
            row.errors.append(say("roster.duplicate_row", row=seen[fingerprint]))
        seen.setdefault(fingerprint, number)
        rows.append(row)
    for warning in warnings:
        log.warning(warning)
    return Roster(path, rows, warnings)


def _cell(cells: list, index: int):
    """A cell's value; text loses control characters (a pasted tab, a stray NUL) and edge spaces."""
    value = cells[index] if index < len(cells) else None
    if not isinstance(value, str):
        return value
    # NFC: « Collège » typed on a Mac (e + combining accent) is the same school as on Windows
    value = unicodedata.normalize("NFC", value)
    if value.isprintable():  # most cells: no control character to look for, one by one
        return " ".join(value.split())
    return " ".join("".join(c if unicodedata.category(c) != "Cc" else " " for c in value).split())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header(path: Path, table: list) -> tuple[int, dict[int, str], list[str]]:
    """The first non-empty row, matched to the columns we know; RosterError if any required is missing."""
    for position, (number, cells) in enumerate(table):
        if any(_text(c).strip() for c in cells):
            break
    else:
        raise RosterError(say("roster.empty", file=path))
    columns, warnings = {}, []
    headers = [_text(cell).strip() for cell in cells]
    for index, header in enumerate(headers):
        name = _ALIASES.get(normalise(header))
        if name and name not in columns.values():
            columns[index] = name
        elif header:
            warnings.append(say("roster.second_column" if name else "roster.unknown_column",
                                file=path.name, row=number, header=excerpt(header)))
    missing = [LABELS[r] for r in REQUIRED if r not in columns.values()]
    if missing:
        found = ", ".join(f"'{excerpt(header)}'" for header in headers[:20] if header)
        raise RosterError(say("roster.missing_columns", file=path, row=number,
                              missing=", ".join(missing), found=found))
    return position, columns, warnings


def table_rows(path: Path, data: bytes) -> Iterator[tuple[int, list]]:
    """A .csv's or .xlsx's rows (numbered as the spreadsheet shows them), one at a time:
    quiz results of a whole district are read without holding every row."""
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    return _xlsx_rows(path, data) if xlsx else _csv_rows(path, data)


def _read_csv(path: Path, data: bytes) -> list[tuple[int, list]]:
    return list(_csv_rows(path, data))


def _csv_rows(path: Path, data: bytes) -> Iterator[tuple[int, list]]:
    text = _decode(path, data)
    sample = text[:20000]
    first_line = sample.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line or sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, 1)
    except csv.Error:
        raise RosterError(say("roster.not_csv", file=path, row=reader.line_num)) from None


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, Excel's default in France."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise RosterError(say("roster.encoding", file=path)) from None


def _read_xlsx(path: Path, data: bytes) -> list[tuple[int, list]]:
    return list(_xlsx_rows(path, data))


def _xlsx_rows(path: Path, data: bytes) -> Iterator[tuple[int, list]]:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        _refuse_dtd(path, zipfile.ZipFile(io.BytesIO(data)))
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise RosterError(say("roster.bad_xlsx", file=path)) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # a wrong <dimension> must not hide the rows beyond it
        # In read-only mode an empty cell has no row number: take it from any real cell
        # (a row whose first cell is empty is still a row, with its error reported).
        numbered = ((next((c.row for c in row if getattr(c, "row", None)), None), row)
                    for row in sheet.iter_rows())
        yield from ((number, [c.value for c in row]) for number, row in numbered if number)
    finally:
        book.close()


def _refuse_dtd(path: Path, archive) -> None:
    """A spreadsheet never declares a DTD; one that does is an attack (external entities,
    "billion laughs"): refused before any XML parser sees it. openpyxl also parses with
    defusedxml, which refuses entity declarations, should one part slip past."""
    if sum(member.file_size for member in archive.infolist()) > MAX_XLSX_UNPACKED:
        raise RosterError(say("roster.xlsx_too_big", file=path,
                              limit=MAX_XLSX_UNPACKED // (1024 * 1024)))
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as part:
            tail = b""
            while chunk := part.read(64 * 1024):
                if b"<!DOCTYPE" in (tail + chunk).upper() or b"<!ENTITY" in (tail + chunk).upper():
                    raise RosterError(say("roster.xlsx_dtd", file=path,
                                          part=excerpt(member.filename)))
                tail = chunk[-16:]


def validate(row: RosterRow, values: dict) -> RosterRow:
    """Fill `row.session` and `row.lesson`, or say in `row.errors` what is wrong."""
    for name in REQUIRED:
        if not row.cells.get(name):
            row.errors.append(say("roster.empty_cell", column=LABELS[name]))
    for name, text in row.cells.items():
        if len(text) > MAX_CELL:  # no form line holds it: that row's error, not the batch's
            row.errors.append(say("roster.cell_too_long", column=HEADINGS.get(name, name),
                                  size=len(text), limit=MAX_CELL))
    date = _parse(row, values.get("date"), parse_date)
    students = _parse(row, values.get("students"), parse_whole)
    texts = {k: row.cells.get(k) or None
             for k in ("school", "city", "class_name", "facilitator", "referent", "room")}
    time_value = values.get("time")
    texts["time"] = (f"{time_value.hour} h {time_value.minute:02d}"
                     if isinstance(time_value, dt.time) else row.cells.get("time") or None)
    row.lesson = row.cells.get("lesson", "")
    row.languages = _parse(row, row.cells.get("languages"), parse_languages) or ()
    if not row.errors:
        row.session = Session(date=date, students=students, **texts)
    return row


def _parse(row: RosterRow, value, parser):
    """The parsed cell, or None with the parser's reason added to the row's errors."""
    if value is None or value == "":
        return None
    try:
        return parser(value)
    except ValueError as error:
        row.errors.append(str(error))
        return None


def parse_languages(value: str) -> tuple[str, ...]:
    """`ar, uk` or `arabe ; ukrainien` -> ("ar", "uk"); ValueError naming an unknown one."""
    from ..translations import language_code  # the languages' names live in assets/languages/
    codes = []
    for word in re.split(r"[,;/+\s]+", str(value).strip()):
        if word:
            code = language_code(word)
            if code not in codes:
                codes.append(code)
    return tuple(codes)


def parse_date(value) -> dt.date:
    """dd/mm/yyyy, dd/mm/yy, yyyy-mm-dd or a spreadsheet date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, map(int, match.groups())))
            year = parts.get("y") or 2000 + parts["yy"]
            try:
                return dt.date(year, parts["m"], parts["d"])
            except ValueError:
                raise ValueError(say("roster.no_such_date", text=excerpt(text))) from None
    raise ValueError(say("roster.not_a_date", text=excerpt(text)))


def parse_whole(value) -> int:
    """A head count: 28, '28' or 28.0; not 28.5, 'vingt' or -3."""
    if isinstance(value, bool):
        raise ValueError(say("roster.not_a_count", text=value))
    if isinstance(value, (int, float)) and float(value).is_integer() and value >= 0:
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{1,5}", text):
        return int(text)
    raise ValueError(say("roster.not_a_count", text=excerpt(text)))
