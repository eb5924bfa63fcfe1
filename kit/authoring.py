"""Help for people writing lessons: `kit new` (a commented starting file) and
`kit show` (a lesson as the kit sees it, after `extends`)."""
from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path

import yaml

from . import api, paths
from .errors import OutputError, UnknownLessonError
from .messages import os_reason, say
from .check import text_fields
from .session import Session, template_names
from .extend import LESSON_ID
from .helpline import load_helpline
from .lessons import LESSON_SUFFIXES
from .schema import LEVEL_NAMES, SLUG_MAX, Lesson
from .text import fill_placeholders
from .yamlfile import display_name


class _LessonDumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, as a person would write it."""


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LessonDumper.add_representer(str, _text)


def lesson_yaml(lesson: Lesson) -> str:
    """The resolved lesson as YAML: what will be printed, and itself a valid lesson file."""
    data = lesson.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    return yaml.dump(data, Dumper=_LessonDumper, allow_unicode=True, sort_keys=False, width=88)


def filled_lesson_yaml(lesson: Lesson, local_contacts=(), session: Session | None = None) -> str:
    """The lesson as YAML with every placeholder filled (the 3018, contacts, the session:
    an unknown detail is the line to write on that the documents print)."""
    names = template_names(load_helpline(), session or Session(), local_contacts, lesson)
    data = lesson.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    for path, value in text_fields(lesson):
        *parents, last = path
        holder = data
        for part in parents:
            holder = holder[part]
        holder[last] = fill_placeholders(value, names)
    return yaml.dump(data, Dumper=_LessonDumper, allow_unicode=True, sort_keys=False, width=88)


def new_lesson(lesson_id: str, folder: Path, *, level: str | None = None,
               base: Lesson | None = None, today: dt.date | None = None) -> Path:
    """Write `folder/<id>.yaml`: a commented, valid lesson, or with `base` an `extends:` file.

    Refuses to replace an existing file.
    """
    if not LESSON_ID.match(lesson_id) or len(lesson_id) > SLUG_MAX:
        raise OutputError(say("new.bad_id", id=lesson_id))
    folder = Path(folder)
    target = folder / f"{lesson_id}.yaml"
    for existing in (folder / f"{lesson_id}{s}" for s in LESSON_SUFFIXES):
        if existing.exists():
            raise OutputError(say("new.exists", file=display_name(existing)))
    values = {"id": lesson_id, "file": display_name(target), "folder": display_name(folder),
              "today": (today or dt.date.today()).isoformat()}
    if base is None:
        values.update(level=level, level_name=LEVEL_NAMES[level])
        text = _fill("new-lesson.yaml", values)
    else:
        values.update(base=base.id, title=json.dumps(f"{base.title} (version adaptée)",
                                                     ensure_ascii=False),
                      level_line=f"level: {level}" if level else f"# level: {base.level}",
                      first_activity=base.activities[0].id)
        text = _fill("new-extension.yaml", values)
    return _write_new(target, text)


def _fill(template: str, values: dict) -> str:
    return string.Template(paths.asset(template).read_text(encoding="utf-8")).substitute(values)


def _write_new(target: Path, text: str) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as file:  # "x": never replace a file
            file.write(text)
    except FileExistsError:
        raise OutputError(say("new.exists", file=display_name(target))) from None
    except OSError as error:
        raise OutputError(say("output.cannot_write", file=display_name(target),
                              why=os_reason(error))) from None
    return target


def base_for_new(reference: str, lesson_dirs=()) -> Lesson:
    """The lesson `kit new --from` extends: by id only, as `extends:` names it."""
    if not LESSON_ID.match(reference):
        raise UnknownLessonError(say("new.from_not_an_id", got=reference))
    return api.load(lesson_dirs).get(reference)
