"""What a session is and the names lesson text may use: plain data, no layout.

A roster row becomes a `Session`; `template_names` are the `{{ }}` names of lesson
text. Checks, rosters and the HTML pages use them without loading ReportLab.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from .schema import LEVEL_NAMES, Lesson
from .text import TextError, TextRenderer, format_date_fr

if TYPE_CHECKING:
    from .helpline import Helpline


@dataclass(frozen=True)
class Session:
    """One class's session; any detail left out is printed as a line to write on."""

    school: str | None = None
    city: str | None = None
    class_name: str | None = None
    date: dt.date | None = None
    facilitator: str | None = None
    referent: str | None = None
    room: str | None = None
    time: str | None = None
    students: int | None = None

    def placeholders(self) -> dict:
        """The `{{ session.* }}` names a lesson may use (`class`, not `class_name`)."""
        view = {f.name: getattr(self, f.name) for f in fields(self)}
        view["class"] = view.pop("class_name")
        view["date"] = format_date_fr(self.date) if self.date else None
        return view

    def is_blank(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


def template_names(helpline: Helpline, session: Session, local_contacts, lesson: Lesson | None) -> dict:
    """The names lesson text may use in `{{ }}`: helpline, session, contacts, lesson, and
    school (who receives a disclosure at the lesson's level)."""
    from .helpline import national_contacts  # the assets load only when names are filled
    from .wording import wording
    contacts = {c.id: c for c in (*national_contacts(), *local_contacts) if c.id}
    school = wording().school[lesson.level] if lesson else None
    return {
        "helpline": helpline, "session": session.placeholders(), "contacts": contacts,
        "lesson": {"title": lesson.title, "duration": lesson.duration,
                   "level": LEVEL_NAMES[lesson.level]} if lesson else {},
        "school": {"head": school.head, "adults": school.adults} if school else {},
    }


def plain_title(lesson) -> str:
    """The title as plain text, for lists, metadata and matching. No font is involved: a
    character the fonts lack must not stop `kit list` (`kit check` and `kit render` say so)."""
    names = {}
    if "{" in lesson.title:
        from .helpline import load_helpline  # the assets load only for a title with names
        names = template_names(load_helpline(), Session(), (), lesson)
    try:
        return TextRenderer(names, None).plain(lesson.title)
    except TextError:  # a placeholder that cannot be filled: check_text reports it
        return lesson.title
