"""The sessions a district planned: read back from a batch's report.csv (or from packs'
print files), to fill the results template and to show classes without results."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ..batch.roster import MAX_ROSTER_BYTES, _cell, _text, normalise, parse_date, table_rows
from ..errors import RosterError
from ..files import FileRefused, read_limited
from ..messages import say
from ..yamlfile import display_name

REPORT_NAME = "report.csv"
PACK_KEY = "/KitSession"  # the session's details in a pack's PDF (kit/pack.py writes them)
_REPORT_COLUMNS = {"etablissement": "school", "classe": "class_name", "seance": "lesson",
                   "statut": "status", "date": "date"}
FAILED = "erreur"  # a row kit batch could not make: no packet, no session


@dataclass(frozen=True)
class PlannedSession:
    school: str
    class_name: str
    lesson: str
    date: dt.date | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.school, self.class_name, self.lesson)


def sessions_from(sources) -> list[PlannedSession]:
    """Every session of batch output folders (their report.csv), report.csv files and
    packs' print files (.pdf), in the order given."""
    found = []
    for source in map(Path, sources):
        if source.is_dir() and (source / REPORT_NAME).is_file():
            found += from_report(source / REPORT_NAME)
        elif source.is_dir():
            packs = sorted(source.glob("seance-*.pdf"))
            if not packs:
                raise RosterError(say("results.no_sessions_in", file=display_name(source)))
            found += [from_pack(p) for p in packs]
        elif source.suffix.lower() == ".pdf":
            found.append(from_pack(source))
        else:
            found += from_report(source)
    return found


def from_report(path: Path) -> list[PlannedSession]:
    """The rows of a batch's report.csv that made a packet (status ok or unchanged)."""
    data = _read(path)
    rows = table_rows(path, data)
    columns = None
    sessions = []
    for number, cells in rows:
        if columns is None:
            columns = {i: _REPORT_COLUMNS[normalise(_text(c))] for i, c in enumerate(cells)
                       if normalise(_text(c)) in _REPORT_COLUMNS}
            if not {"school", "class_name", "lesson"} <= set(columns.values()):
                raise RosterError(say("results.not_a_report", file=display_name(path)))
            continue
        values = {name: _text(_cell(cells, i)).strip() for i, name in columns.items()}
        if values.get("status") == FAILED or not values.get("school"):
            continue
        sessions.append(PlannedSession(values["school"], values["class_name"], values["lesson"],
                                       _date(values.get("date"))))
    return sessions


def from_pack(path: Path) -> PlannedSession:
    """The session a pack's print file was made for (its details, kept in its metadata)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        info = PdfReader(path).metadata or {}
        details = json.loads(str(info.get(PACK_KEY)))
        return PlannedSession(details.get("school") or "", details.get("class") or "",
                              details["lesson"], _date(details.get("date")))
    except (OSError, PdfReadError, ValueError, TypeError, KeyError, AttributeError):
        raise RosterError(say("results.not_a_pack", file=display_name(path))) from None


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise RosterError(say("results.no_file", file=display_name(path)))
    try:
        return read_limited(path, MAX_ROSTER_BYTES, what="files.rosters")
    except FileRefused as error:
        raise RosterError(say("roster.refused", file=display_name(path), why=error)) from None


def _date(text: str | None) -> dt.date | None:
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None
