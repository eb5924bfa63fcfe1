"""Validating hand-written files (lessons, contacts, themes...) against their pydantic model.

One helper for every config file: `Origin.validate(model, data)` turns each pydantic
error into a `Problem` at the line the user wrote, with a sentence saying what was
expected; an unknown key lists (or guesses) the keys of the model being validated.
"""
from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field

import pydantic

from .errors import LessonError, Problem, excerpt
from .yamlfile import Positions, format_path

# What a text pattern means, said to the person who typed the text (pattern -> expected).
PATTERN_MEANINGS: dict[str, str] = {}


def expected_for(pattern: str, meaning: str) -> str:
    """Declare what a pattern means (`a colour like "#006400"`); returns the pattern."""
    PATTERN_MEANINGS[pattern] = meaning
    return pattern


def did_you_mean(word: str, choices, cutoff: float = 0.6) -> str | None:
    """The closest of `choices` to a mistyped `word`, or None: the kit's one guess."""
    choices = [str(c) for c in choices]
    lowered = {c.lower(): c for c in choices}
    if str(word).lower() in lowered:
        return lowered[str(word).lower()]
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=cutoff)
    return close[0] if close else None


@dataclass(frozen=True)
class Origin:
    """Where a file was read from, to point errors at its lines."""

    file: str
    positions: Positions = field(default_factory=Positions, compare=False)

    def problem(self, path: tuple, message: str, severity: str = "error") -> Problem:
        line, column = self.positions.of(path)
        return Problem(self.file, message, line, column, format_path(path) or None, severity)

    def validate(self, model: type[pydantic.BaseModel], data):
        """`data` as `model`, or LessonError with every problem at its line and field."""
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as error:
            raise LessonError([self.problem(location(e), explain(e, model))
                               for e in error.errors()]) from None


def location(error: dict) -> tuple:
    """The field path of an error, down to the field a cross-field rule names."""
    cause = (error.get("ctx") or {}).get("error")
    return tuple(error["loc"]) + tuple(getattr(cause, "field", ()) or ())


def explain(error: dict, model: type[pydantic.BaseModel] | None = None) -> str:
    """A pydantic error as a sentence saying what was expected and what was found."""
    kind, ctx, loc = error["type"], error.get("ctx") or {}, error["loc"]
    got = _shown(error.get("input"))
    if kind == "missing":
        return "required; add this key"
    if kind == "extra_forbidden":
        known = allowed_keys(model, loc[:-1]) if model else []
        close = did_you_mean(str(loc[-1]), known)
        keys = f"keys here: {', '.join(known)}" if known else "see the README"
        return f"unknown key; did you mean '{close}'? ({keys})" if close else f"unknown key; {keys}"
    if kind in ("int_type", "int_parsing", "int_from_float", "greater_than", "greater_than_equal"):
        bound = "zero or a positive" if kind == "greater_than_equal" else "a positive"
        return f"expected {bound} whole number, got {got}"
    if kind == "less_than_equal":
        return f"expected at most {ctx.get('le')}, got {got}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {got}"
    if kind == "string_pattern_mismatch":
        meaning = PATTERN_MEANINGS.get(str(ctx.get("pattern")), "text in the expected form")
        return f"expected {meaning}, got {got}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"expected a date written YYYY-MM-DD (like 2026-09-01), got {got}"
    if kind == "string_type":
        return f"expected text, got {got}; put quotes around it if it is meant as text"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("string_too_long", "too_long"):
        return f"too long: at most {ctx.get('max_length')} " + ("items" if kind == "too_long" else "characters")
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "list_type":
        return f"expected a list (one '- ' line per item), got {got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a block of keys (key: value), got {got}"
    if kind == "bool_type":
        return f"expected true or false, got {got}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {got}"
    if kind == "less_than":
        return f"expected less than {ctx.get('lt')}, got {got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']}, got {got}"


def _shown(value) -> str:
    if isinstance(value, str):
        return f'"{excerpt(value)}"'
    if isinstance(value, (dict, list)):
        return "a block" if isinstance(value, dict) else "a list"
    return "nothing" if value is None else excerpt(value)


def allowed_keys(model: type[pydantic.BaseModel], loc: tuple) -> list[str]:
    """The keys `model` accepts at a location such as ('activities', 2, 'student'):
    list items and dictionary values (a theme's style names) are stepped into."""
    annotation = model
    for part in loc:
        current = model_in(annotation)
        if current is not None and isinstance(part, str) and part in current.model_fields:
            annotation = current.model_fields[part].annotation
        else:
            annotation = _item_type(annotation)
    found = model_in(annotation)
    return list(found.model_fields) if found else []


def model_in(annotation):
    """The pydantic model an annotation holds (through Optional and Annotated), or None."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, dict, tuple, set, frozenset):
        return None
    for arg in typing.get_args(annotation):
        found = model_in(arg)
        if found is not None:
            return found
    return None


def _item_type(annotation):
    """What a list holds, or a dictionary's values, through Optional and Annotated."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return typing.get_args(annotation)[0]
    if origin is dict:
        return typing.get_args(annotation)[1]
    for arg in typing.get_args(annotation):
        if arg is not type(None) and (found := _item_type(arg)) is not None:
            return found
    return None
