"""The timed plan of a session as plain data: what happens when, how group work adds up,
and what each shorter or longer timing changes. The guide (PDF and HTML) prints it and
`kit check` measures it, so both read the same numbers."""
from __future__ import annotations

from dataclasses import dataclass

from .schema import Activity, GroupWork, Lesson, Timing
from .wording import wording


@dataclass(frozen=True)
class Step:
    """One row of the plan: an activity, or a margin of the class hour (`activity` None)."""

    start: int
    minutes: int
    title: str
    activity: Activity | None = None

    @property
    def end(self) -> int:
        return self.start + self.minutes


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def steps(lesson: Lesson) -> list[Step]:
    """The session from its first minute to its last, margins included."""
    rows, start = [], 0
    margins = lesson.margins
    if margins and margins.start:
        rows.append(Step(start, margins.start, wording().margin_start))
        start += margins.start
    for activity in lesson.activities:
        rows.append(Step(start, activity.minutes, activity.title, activity))
        start += activity.minutes
    if margins and margins.end:
        rows.append(Step(start, margins.end, wording().margin_end))
    return rows


def reporting_minutes(groups: GroupWork, count: int | None = None) -> float:
    """Preparation plus every group's report."""
    return groups.prepare + (count or groups.count) * groups.report


def group_overflow(activity: Activity, minutes: int, count: int | None = None) -> float:
    """How many minutes the stated group work needs beyond the activity's (0: it fits)."""
    if not activity.groups or not minutes:
        return 0
    return max(0.0, reporting_minutes(activity.groups, count) - minutes)


def timing_changes(lesson: Lesson, timing: Timing) -> list[tuple[Activity, int, int | None]]:
    """(activity, its minutes, its group count) for each activity the timing changes,
    in the order of the session."""
    changes = []
    for activity in lesson.activities:
        if activity.id in timing.minutes or activity.id in timing.groups:
            count = timing.groups.get(activity.id)
            changes.append((activity, timing.minutes.get(activity.id, activity.minutes), count))
    return changes


def timing_change_texts(lesson: Lesson, timing: Timing, plain) -> list[str]:
    """« Activité : 10 min, 3 groupes » or « … : supprimée » for each activity the timing
    changes, with `plain` turning the activity's title into plain text."""
    texts = []
    for activity, minutes, count in timing_changes(lesson, timing):
        change = f"{minutes} min" if minutes else "supprimée"
        if minutes and count:
            change += f", {count} groupes"
        texts.append(f"{plain(activity.title)} : {change}")
    return texts


def minutes_text(value: float) -> str:
    """`1`, `1,5`: minutes as a French reader writes them."""
    return f"{value:g}".replace(".", ",")
