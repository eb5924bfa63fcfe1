"""`kit check ROSTER`: a roster's problems before a batch is run, one line per row,
as `kit check` reports a lesson's (a Sunday date is a warning, a bad row an error)."""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..lessons import Library
from ..yamlfile import display_name
from .plan import LessonFinder, date_warning
from .roster import read_roster


def roster_problems(path: Path, library: Library) -> list[Problem]:
    """Every row that `kit batch` would fail, and every date to look at again."""
    table = read_roster(Path(path))
    name, finder, problems = display_name(path), LessonFinder(library), []
    for row in table.rows:
        errors = list(row.errors)
        if row.lesson and finder.find(row.lesson) is None:
            errors.append(finder.not_found(row.lesson))
        problems += [Problem(name, error, row.number) for error in errors]
        if row.session is not None and (warning := date_warning(row.session)):
            problems.append(Problem(name, warning, row.number, severity="warning"))
    return problems
