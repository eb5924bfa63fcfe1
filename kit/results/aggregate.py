"""Adding results up, one row at a time: per class, then per school, level, month, lesson
and question across the district. Only sums are kept per class (a few numbers per
question), so a district's file is counted with memory that does not grow with its rows.

Honest figures: every share comes with its counts; a class where fewer than
`MIN_ANSWERS` pupils answered is shown, marked, and left out of every average; the
spread across classes is given as it is (quartiles), with no claim of significance.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..batch.roster import normalise
from ..lessons import Library
from ..schema import LEVEL_NAMES
from .reading import ResultRow


def reading_order(name: str) -> tuple:
    """Schools as a reader lists them: « Collège n°2 » before « Collège n°10 »."""
    return tuple(int(part) if part.isdigit() else part.casefold()
                 for part in re.split(r"(\d+)", name))

_folded = functools.lru_cache(maxsize=65536)(normalise)  # a school's name comes on many rows
MIN_ANSWERS = 5  # fewer pupils than this in a class: shown, marked, not averaged
MISSED_SHOWN = 10  # questions in the district's « most missed » list
# A class's grade as schools write it: 6e B, 5eA, CM2, 2de 3, 1re G, Tle STMG...
_GRADE = re.compile(r"^\s*(cm1|cm2|6e|5e|4e|3e|2de|2nde|1re|1ère|tle|terminale)", re.I)
_GRADE_NAMES = {"cm1": "CM1", "cm2": "CM2", "6e": "6e", "5e": "5e", "4e": "4e", "3e": "3e",
                "2de": "2de", "2nde": "2de", "1re": "1re", "1ère": "1re", "tle": "Terminale",
                "terminale": "Terminale"}
GRADES = tuple(dict.fromkeys(_GRADE_NAMES.values()))  # in school order: CM1 ... Terminale
NO_MONTH = "date non donnée"


def grade_order(name: str) -> tuple:
    """Grades as schools list them (6e, 5e, 4e, 3e), then anything else by name."""
    return (GRADES.index(name), "") if name in GRADES else (len(GRADES), name)


@dataclass
class Tally:
    """Right answers before and after, out of how many answers."""

    before: int = 0
    after: int = 0
    answered: int = 0

    def add(self, before: int, after: int, answered: int) -> None:
        self.before += before
        self.after += after
        self.answered += answered

    @property
    def share_before(self) -> float | None:
        return self.before / self.answered if self.answered else None

    @property
    def share_after(self) -> float | None:
        return self.after / self.answered if self.answered else None

    @property
    def change(self) -> float | None:
        """After minus before, in percentage points."""
        if not self.answered:
            return None
        return 100 * (self.after - self.before) / self.answered

    @property
    def missed_after(self) -> int:
        return self.answered - self.after


@dataclass
class ClassResult:
    """One class's session of one lesson: its counts per question."""

    school: str
    class_name: str
    date: dt.date | None
    lesson: str
    questions: dict[int, Tally] = field(default_factory=dict)
    rows: dict[int, int] = field(default_factory=dict)  # question -> the row it came from

    @property
    def pupils(self) -> int:
        """How many pupils answered: the most answers any question had."""
        return max((t.answered for t in self.questions.values()), default=0)

    @property
    def small(self) -> bool:
        return self.pupils < MIN_ANSWERS

    @property
    def total(self) -> Tally:
        whole = Tally()
        for tally in self.questions.values():
            whole.add(tally.before, tally.after, tally.answered)
        return whole

    @property
    def month(self) -> str:
        return f"{self.date:%Y-%m}" if self.date else NO_MONTH


def grade(class_name: str, lesson_level: str) -> str:
    """The class's grade (5e, CM2, 2de...), or the lesson's level when the name says none."""
    match = _GRADE.match(class_name)
    return _GRADE_NAMES[match.group(1).lower()] if match else LEVEL_NAMES[lesson_level]


@dataclass
class Spread:
    """How a lesson's change varies across classes, in points (classes averaged only)."""

    count: int
    low: float
    q1: float
    median: float
    q3: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread | None:
        if not values:
            return None
        values = sorted(values)
        if len(values) == 1:
            q1 = median = q3 = values[0]
        else:
            q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        return cls(len(values), values[0], q1, median, q3, values[-1])


@dataclass
class LessonSummary:
    lesson: str
    classes: int = 0
    small: int = 0
    tally: Tally = field(default_factory=Tally)
    spread: Spread | None = None


@dataclass
class QuestionSummary:
    lesson: str
    number: int
    tally: Tally = field(default_factory=Tally)
    classes: int = 0


class Results:
    """Every class's counts, added up as rows come; `duplicate` says when a row repeats one."""

    def __init__(self):
        self.classes: dict[tuple, ClassResult] = {}

    def add(self, row: ResultRow) -> int | None:
        """Count a row; if its class already has this question, count nothing and return
        the row number that gave it first."""
        key = (_folded(row.school), _folded(row.class_name), row.lesson, row.date)
        found = self.classes.get(key)
        if found is None:
            found = self.classes[key] = ClassResult(row.school, row.class_name, row.date, row.lesson)
        if row.question in found.questions:
            return found.rows[row.question]
        found.questions[row.question] = Tally(row.before, row.after, row.answered)
        found.rows[row.question] = row.number
        return None

    def sorted_classes(self) -> list[ClassResult]:
        return sorted(self.classes.values(), key=lambda c: (
            normalise(c.school), normalise(c.class_name), c.lesson, c.date or dt.date.min))


@dataclass
class District:
    """What the district report prints, computed once from every class."""

    classes: list[ClassResult]
    by_school: Counter
    by_level: Counter
    by_month: Counter
    lessons: dict[str, LessonSummary]
    questions: list[QuestionSummary]
    missed: list[QuestionSummary]
    planned: list[tuple[str, str, str]]  # (school, class, lesson) planned without results
    planned_by_school: Counter
    pupils: int  # answers counted in averages (classes of MIN_ANSWERS or more)
    small: int

    @property
    def total(self) -> Tally:
        whole = Tally()
        for summary in self.lessons.values():
            whole.add(summary.tally.before, summary.tally.after, summary.tally.answered)
        return whole


def district(results: Results, library: Library, planned=()) -> District:
    """Sessions per school, level and month; per lesson the pooled change and its spread
    across classes; per question how often it was missed after the session."""
    classes = results.sorted_classes()
    schools = {normalise(c.school): c.school for c in classes}
    by_school = Counter(c.school for c in classes)
    by_level = Counter(grade(c.class_name, library.get(c.lesson).level) for c in classes)
    by_month = Counter(c.month for c in classes)
    lessons: dict[str, LessonSummary] = {}
    questions: dict[tuple[str, int], QuestionSummary] = {}
    changes: dict[str, list[float]] = {}
    for result in classes:
        summary = lessons.setdefault(result.lesson, LessonSummary(result.lesson))
        summary.classes += 1
        if result.small:
            summary.small += 1
            continue
        total = result.total
        summary.tally.add(total.before, total.after, total.answered)
        if total.change is not None:
            changes.setdefault(result.lesson, []).append(total.change)
        for number, tally in result.questions.items():
            question = questions.setdefault((result.lesson, number),
                                            QuestionSummary(result.lesson, number))
            question.tally.add(tally.before, tally.after, tally.answered)
            question.classes += 1
    for lesson_id, summary in lessons.items():
        summary.spread = Spread.of(changes.get(lesson_id, []))
    ordered = [questions[k] for k in sorted(questions)]
    missed = sorted((q for q in ordered if q.tally.answered),
                    key=lambda q: (-q.tally.missed_after / q.tally.answered,
                                   -q.tally.missed_after, q.lesson, q.number))[:MISSED_SHOWN]
    seen = {(normalise(c.school), normalise(c.class_name), c.lesson) for c in classes}
    without = [p for p in planned if (normalise(p[0]), normalise(p[1]), p[2]) not in seen]
    planned_by_school = Counter(schools.get(normalise(p[0]), p[0]) for p in without)
    kept = [c for c in classes if not c.small]
    return District(classes, by_school, by_level, by_month,
                    dict(sorted(lessons.items())), ordered, missed, without, planned_by_school,
                    sum(c.pupils for c in kept), len(classes) - len(kept))
