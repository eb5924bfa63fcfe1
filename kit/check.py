"""Checks beyond the schema, run before anything is drawn: every text field renders
(placeholders known, characters printable), and the content holds what a reviewer
would check (helpline details from the one helpline file, known phone numbers,
sources recent enough)."""
from __future__ import annotations

import datetime as dt
import logging
import re
import typing
from collections.abc import Iterator

from pydantic import BaseModel

from . import plan
from .errors import LessonError, Problem
from .helpline import load_helpline, national_contacts
from .lessons import Library, Origin
from .messages import say
from .schema import TEXT, Lesson
from .session import Session, template_names
from .styledata import EDITIONS, edition_charset
from .text import TextError, TextRenderer, fill_placeholders

log = logging.getLogger("kit")


def _is_text(annotation, metadata=()) -> bool:
    if TEXT in metadata:
        return True
    return any(a is TEXT or _is_text(a) for a in typing.get_args(annotation))


def text_fields(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every lesson-text value of a model with its field path, such as ('activities', 2, 'title')."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        is_text = _is_text(info.annotation, info.metadata)
        yield from _values(value, path + (name,), is_text)


def _values(value, path, is_text):
    if isinstance(value, BaseModel):
        yield from text_fields(value, path)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _values(item, path + (index,), is_text)
    elif isinstance(value, dict):  # a translation's activities, by id
        for key, item in value.items():
            yield from _values(item, path + (key,), is_text)
    elif isinstance(value, str) and is_text:
        yield path, value


def check_text(lesson: Lesson, origin: Origin, local_contacts=()) -> list[Problem]:
    """Render every text field once per font the editions use, with a blank session: an
    unknown placeholder or a character no font can draw is reported where it is written."""
    names = template_names(load_helpline(), Session(), local_contacts, lesson)
    charsets = {edition_charset(e) for e in EDITIONS}
    return render_problems(lesson, [TextRenderer(names, charset) for charset in charsets], origin)


def render_problems(model: BaseModel, renderers: list[TextRenderer], origin: Origin) -> list[Problem]:
    """Each text field of `model` through each renderer; a field's first failure is
    reported where it is written (lessons and translations share it)."""
    problems = []
    for path, value in text_fields(model):
        for renderer in renderers:
            try:
                renderer.blocks(value)
            except TextError as error:
                problems.append(origin.problem(path, str(error)))
                break
    return problems


# --- Content checks: what a reviewer would catch ----------------------------------

_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_URL = re.compile(r"(?:https?://|www\.)\S+")
_LONG_PHONE = re.compile(r"(?<![\d.])(?:\+33|0)(?:[\s.-]?\d){9}(?![\d])")
_SHORT_PHONE = re.compile(
    r"\b(?:appel\w*|num[ée]ro|compos\w*|contact\w*|joindre|t[ée]l[ée]phon\w*)"
    r"(?:\s+(?:le|au|du|vert))?\s+(\d{2,4})\b", re.I)
_HOUR_RANGE = re.compile(r"\b\d{1,2}\s?h(?:\s?\d{2})?\s?(?:-|–|à)\s?\d{1,2}\s?h\b", re.I)
_EVERY_DAY = re.compile(r"\b7\s?j(?:ours)?\s?(?:/|sur)\s?7\b", re.I)


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return "0" + digits[2:] if digits.startswith("33") and len(digits) == 11 else digits


def known_numbers(local_contacts=()) -> set[str]:
    numbers = {_digits(load_helpline().phone)}
    numbers |= {_digits(c.phone) for c in (*national_contacts(), *local_contacts) if c.phone}
    return numbers


def check_content(lesson: Lesson, origin: Origin, local_contacts=(), max_source_age_years: int = 5,
                  today: dt.date | None = None) -> list[Problem]:
    """Hand-written helpline details, unknown phone numbers, sources too old to trust."""
    helpline, numbers = load_helpline(), known_numbers(local_contacts)
    names = template_names(helpline, Session(), local_contacts, lesson)
    problems = []
    for path, value in text_fields(lesson):
        if path[0] == "sources":
            continue
        text = _PLACEHOLDER.sub(" ", value)
        problems += [origin.problem(path, message) for message in _helpline_by_hand(text, helpline)]
        unknown: dict[str, str] = {}
        for seen in (_URL.sub(" ", text), _URL.sub(" ", _rendered(value, names))):
            rest = _LONG_PHONE.sub(" ", seen)  # « Appelle le 06 12... » is one number, not « 06 »
            for number in [*_LONG_PHONE.findall(seen), *_SHORT_PHONE.findall(rest)]:
                if _digits(number) not in numbers and _digits(number) != _digits(helpline.phone):
                    unknown.setdefault(_digits(number), number.strip())
        for number in unknown.values():  # typed, or printed by a placeholder ({{ '06...' }})
            problems.append(origin.problem(path, say("check.unknown_phone", number=number)))
    problems += _old_sources(lesson, origin, max_source_age_years, today or dt.date.today())
    problems += _unfinished(lesson, origin)
    return problems


TO_COMPLETE = re.compile(r"^\s*à compléter", re.I)  # how the `kit new` template starts a field


def _unfinished(lesson: Lesson, origin: Origin) -> list[Problem]:
    """Where a lesson started with `kit new` still says « À compléter »."""
    fields = [*text_fields(lesson), (("topic",), lesson.topic)]
    return [origin.problem(path, say("check.to_complete"), severity="warning")
            for path, value in fields if TO_COMPLETE.search(value)]


def _rendered(value: str, names: dict) -> str:
    """The text as printed, placeholders filled; "" when it cannot be (check_text says why)."""
    try:
        return fill_placeholders(value, names)
    except TextError:
        return ""


def _helpline_by_hand(text: str, helpline) -> list[str]:
    found = []
    domain = helpline.web_short.removeprefix("www.").lower()
    if domain in text.lower():
        found.append(say("check.helpline_web_by_hand"))
        text = re.sub(re.escape(domain), " ", text, flags=re.I)
    text = _URL.sub(" ", text)
    if re.search(rf"(?<![\d/.]){re.escape(helpline.phone)}(?![\d])", text):
        found.append(say("check.helpline_phone_by_hand"))
    for pattern, placeholder in ((_HOUR_RANGE, "helpline.hours"), (_EVERY_DAY, "helpline.days")):
        match = pattern.search(text)
        if match:
            found.append(say("check.helpline_hours_by_hand", found=match.group(0),
                             placeholder=placeholder))
    return found


def _old_sources(lesson: Lesson, origin: Origin, max_years: int, today: dt.date) -> list[Problem]:
    try:
        limit = today.replace(year=today.year - max_years)
    except ValueError:  # 29 February, in a year that has none
        limit = today.replace(year=today.year - max_years, day=28)
    if lesson.sources and all(s.consulted < limit for s in lesson.sources):
        newest = max(s.consulted for s in lesson.sources)
        return [origin.problem(("sources",), say("check.old_sources", limit=limit, newest=newest),
                               severity="warning")]
    return []


# --- Timing: a plan that can be run in a real class hour -------------------------

CLASS_HOUR, CLASS_HOUR_MARGIN = 55, 5  # a collège or lycée hour keeps 5 min to settle and end


def check_timing(lesson: Lesson, origin: Origin) -> list[Problem]:
    """Warnings when a plan cannot run in its time: group reports that do not fit their
    activity, a quiz offered but given no slot, a class hour with no time to settle in."""
    problems = [origin.problem(path, message, severity="warning")
                for path, message in (*_group_overflows(lesson), *_quiz_slots(lesson))]
    if (lesson.level in ("college", "lycee") and lesson.duration == CLASS_HOUR
            and lesson.margin_minutes < CLASS_HOUR_MARGIN):
        problems.append(origin.problem(("duration",), say(
            "check.class_hour_margin", hour=CLASS_HOUR, margin=CLASS_HOUR_MARGIN,
            found=lesson.margin_minutes), severity="warning"))
    return problems


def _group_overflows(lesson: Lesson):
    plans = [(None, {}, {})] + [(i, t.minutes, t.groups) for i, t in enumerate(lesson.timings)]
    for timing_index, minutes, counts in plans:
        for index, activity in enumerate(lesson.activities):
            if not activity.groups:
                continue
            length = minutes.get(activity.id, activity.minutes)
            count = counts.get(activity.id, activity.groups.count)
            over = plan.group_overflow(activity, length, count)
            if over:
                where = ("" if timing_index is None else " " + say(
                    "check.in_timing", duration=lesson.timings[timing_index].duration))
                needed = plan.minutes_text(plan.reporting_minutes(activity.groups, count))
                path = (("activities", index, "groups") if timing_index is None
                        else ("timings", timing_index, "minutes"))
                yield path, say("check.groups_overflow", id=activity.id, where=where, count=count,
                                prepare=activity.groups.prepare,
                                report=plan.minutes_text(activity.groups.report),
                                needed=needed, length=length)


def _quiz_slots(lesson: Lesson):
    if "quiz" not in lesson.offered_documents:
        return
    rounds = {a.quiz: (i, a) for i, a in reversed(list(enumerate(lesson.activities))) if a.quiz}
    for name in ("before", "after"):
        if name not in rounds:
            yield ("quiz",), say("check.quiz_no_slot", round=name)
            return
    if rounds["before"][0] > rounds["after"][0]:
        yield ("activities", rounds["after"][0], "quiz"), say("check.quiz_order")
    for index, timing in enumerate(lesson.timings):
        dropped = [a.id for _, a in rounds.values() if timing.minutes.get(a.id) == 0]
        if dropped:
            yield ("timings", index, "minutes", dropped[0]), say(
                "check.quiz_dropped", duration=timing.duration, id=dropped[0])


def check_lesson(lesson: Lesson, origin: Origin, local_contacts=(),
                 max_source_age_years: int = 5, text: bool = True) -> list[Problem]:
    """Every problem `kit check` reports for one valid-schema lesson: text, content, timing.
    `text=False` (a build that checked this same lesson, helpline and contacts before):
    nothing is rendered again, only what may have changed since (sources age daily) or
    is worth repeating (warnings) is checked."""
    if not text:
        return (_old_sources(lesson, origin, max_source_age_years, dt.date.today())
                + _unfinished(lesson, origin) + check_timing(lesson, origin))
    return (check_text(lesson, origin, local_contacts)
            + check_content(lesson, origin, local_contacts, max_source_age_years)
            + check_timing(lesson, origin))


def check_library(library: Library, local_contacts=(), text_checked=frozenset()) -> None:
    """Check every lesson before drawing any: raise LessonError listing every error;
    warnings (old sources) are logged and do not stop the build. The text of lessons in
    `text_checked` (unchanged since a build checked it) is not rendered again."""
    problems = []
    for lesson in library.sorted():
        problems += check_lesson(lesson, library.origin(lesson), local_contacts,
                                 text=lesson.id not in text_checked)
    for warning in (p for p in problems if p.severity == "warning"):
        log.warning(warning.line_text())
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise LessonError(errors)
