"""Read filled results sheets (.csv as `kit batch` accepts them, or .xlsx), one row at a
time, into checked `ResultRow`s; a bad row is reported with its spreadsheet row number
and the others still count. A file that cannot be read at all, or that holds personal
data, is refused whole (RosterError, exit 2)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..batch.plan import LessonFinder
from ..batch.roster import (MAX_CELL, MAX_ROSTER_BYTES, _cell, _text, normalise, parse_date,
                            table_rows)
from ..errors import Problem, RosterError, excerpt
from ..files import FileRefused, read_limited
from ..lessons import Library
from ..messages import say
from ..yamlfile import display_name
from . import columns, privacy

_QUESTION = re.compile(r"(?:q|question|n°|no)?\s*(\d{1,2})\.?", re.I)


@dataclass(frozen=True)
class ResultRow:
    """One class's counts for one question of one lesson (no pupil in it, only numbers)."""

    file: str
    number: int
    school: str
    class_name: str
    date: dt.date | None
    lesson: str  # the lesson's id
    question: int  # from 1
    before: int
    after: int
    answered: int


class Header:
    """Which column holds what; unknown columns are watched for personal data."""

    def __init__(self, path: Path, number: int, cells: list):
        self.path, self.columns, self.unknown = path, {}, {}
        for index, cell in enumerate(cells):
            header = _text(cell).strip()
            name = columns.BY_HEADER.get(normalise(header))
            if name and name not in self.columns.values():
                self.columns[index] = name
            elif header and privacy.personal_header(header):
                raise RosterError(say("results.personal_column", file=display_name(path),
                                      row=number, header=excerpt(header)))
            elif header:
                self.unknown[index] = [header, 0]
        missing = [columns.HEADER_OF[n] for n in columns.REQUIRED if n not in self.columns.values()]
        if missing:
            raise RosterError(say("results.missing_columns", file=display_name(path), row=number,
                                  missing=", ".join(missing),
                                  headers=" ; ".join(h for _, h in columns.HEADERS)))

    def watch(self, number: int, cells: list) -> None:
        """RosterError once an unknown column has held a few cells that read like names."""
        for index, seen in self.unknown.items():
            if privacy.name_like(_cell(cells, index)):
                seen[1] += 1
                if seen[1] >= privacy.NAME_LIKE_CELLS:
                    raise RosterError(say("results.names_in_column", file=display_name(self.path),
                                          row=number, header=excerpt(seen[0])))


def read_results(paths, library: Library, problems: list[Problem]) -> Iterator[ResultRow]:
    """Every good row of every file, in order; each bad row adds a Problem to `problems`."""
    finder = LessonFinder(library)
    finder.with_quiz = {l.id for l in library.lessons.values() if "quiz" in l.offered_documents}
    for path in map(Path, paths):
        yield from _read_file(path, finder, problems)


def _read_file(path: Path, finder: LessonFinder, problems: list[Problem]) -> Iterator[ResultRow]:
    if not path.exists():
        raise RosterError(say("results.no_file", file=display_name(path)))
    try:
        data = read_limited(path, MAX_ROSTER_BYTES, what="files.rosters")
    except FileRefused as error:
        raise RosterError(say("roster.refused", file=display_name(path), why=error)) from None
    rows = table_rows(path, data)
    header, name = None, display_name(path)
    for number, cells in rows:
        if header is None:
            if any(_text(c).strip() for c in cells):
                header = Header(path, number, cells)
            continue
        header.watch(number, cells)
        values = {name: _cell(cells, i) for i, name in header.columns.items()}
        if not any(v not in (None, "") for v in values.values()):
            continue
        row, errors = checked_row(name, number, values, finder)
        if errors:
            problems.append(Problem(name, " ; ".join(errors), line=number))
        else:
            yield row
    if header is None:
        raise RosterError(say("results.empty", file=display_name(path)))


def checked_row(file: str, number: int, values: dict, finder: LessonFinder):
    """(ResultRow, []) or (None, what is wrong with the row); `finder.with_quiz` are the
    ids of the lessons that offer the quiz."""
    errors = []
    texts = {k: _text(values.get(k)).strip() for k in ("school", "class_name", "lesson")}
    for name, text in texts.items():
        if not text:
            errors.append(say("roster.empty_cell", column=columns.HEADER_OF[name]))
        elif len(text) > MAX_CELL:
            errors.append(say("roster.cell_too_long", column=columns.HEADER_OF[name],
                              size=len(text), limit=MAX_CELL))
    lesson = finder.find(texts["lesson"]) if texts["lesson"] else None
    if texts["lesson"] and lesson is None:
        errors.append(finder.not_found(excerpt(texts["lesson"])))
    elif lesson is not None and lesson.id not in finder.with_quiz:
        errors.append(say("results.no_quiz", id=lesson.id))
        lesson = None
    question = _question(values.get("question"), lesson, errors)
    counts = {name: _count(values.get(name), name, errors) for name in columns.COUNTS}
    for name in ("before", "after"):
        if None not in (counts[name], counts["answered"]) and counts[name] > counts["answered"]:
            errors.append(say("results.more_right_than_answers", column=columns.HEADER_OF[name],
                              right=counts[name], answered=counts["answered"]))
    date = None
    if values.get("date") not in (None, ""):
        try:
            date = parse_date(values["date"])
        except ValueError as error:
            errors.append(str(error))
    if errors:
        return None, errors
    return ResultRow(file, number, texts["school"], texts["class_name"], date,
                     lesson.id, question, counts["before"], counts["after"],
                     counts["answered"]), []


def _question(value, lesson, errors: list) -> int | None:
    """The question's number, from 1, among the lesson's quiz questions."""
    text = _text(value).strip()
    match = _QUESTION.fullmatch(text)
    if not match:
        errors.append(say("results.not_a_question", text=excerpt(text) or "vide"))
        return None
    number = int(match.group(1))
    if lesson is not None and not 1 <= number <= len(lesson.quiz):
        errors.append(say("results.no_such_question", id=lesson.id, number=number,
                          count=len(lesson.quiz)))
        return None
    return number


def _count(value, name: str, errors: list) -> int | None:
    """A count of pupils: a whole number from 0, written in figures."""
    header = columns.HEADER_OF[name]
    if isinstance(value, bool) or value is None or value == "":
        errors.append(say("results.no_count", column=header))
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        number = int(value)
    elif re.fullmatch(r"-?\d{1,6}", str(value).strip()):
        number = int(str(value).strip())
    else:
        errors.append(say("results.not_a_count", column=header, text=excerpt(value)))
        return None
    if number < 0:
        errors.append(say("results.negative_count", column=header, text=number))
        return None
    return number
