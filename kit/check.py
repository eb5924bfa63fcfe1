"""Checks beyond the schema: that every text field renders (placeholders known,
characters printable), run before anything is drawn."""
from __future__ import annotations

import typing
from collections.abc import Iterator

from pydantic import BaseModel

from .context import Session, template_names
from .errors import Problem
from .helpline import load_helpline
from .lessons import Origin
from .schema import TEXT, Lesson
from .styles import EDITIONS, stylesheet
from .text import TextError, TextRenderer


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
    elif isinstance(value, str) and is_text:
        yield path, value


def check_text(lesson: Lesson, origin: Origin, local_contacts=()) -> list[Problem]:
    """Render every text field once per font the editions use, with a blank session: an
    unknown placeholder or a character no font can draw is reported where it is written."""
    names = template_names(load_helpline(), Session(), local_contacts, lesson)
    charsets = {stylesheet(e).charset for e in EDITIONS}
    renderers = [TextRenderer(names, charset) for charset in charsets]
    problems = []
    for path, value in text_fields(lesson):
        for renderer in renderers:
            try:
                renderer.blocks(value)
            except TextError as error:
                problems.append(origin.problem(path, str(error)))
                break
    return problems
