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
from .messages import say
from .yamlfile import Positions, format_path

# What a text pattern means, said to the person who typed the text (pattern -> message id).
PATTERN_MEANINGS: dict[str, str] = {}


def expected_for(pattern: str, meaning: str) -> str:
    """Declare what a pattern means by its message id (`pattern.colour`); returns the pattern."""
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


# pydantic's error types -> the catalogue's message (assets/messages.yaml, section validation)
MESSAGE_FOR_TYPE = {
    "missing": "missing", "int_type": "whole_number", "int_parsing": "whole_number",
    "int_from_float": "whole_number", "greater_than": "greater_than",
    "greater_than_equal": "at_least", "less_than": "less_than", "less_than_equal": "at_most",
    "string_type": "text", "string_too_short": "empty", "string_too_long": "too_long_text",
    "too_long": "too_many_items", "too_short": "too_few_items", "list_type": "list",
    "model_type": "block", "dict_type": "block", "model_attributes_type": "block",
    "bool_type": "true_false", "bool_parsing": "true_false", "float_type": "number",
    "float_parsing": "number", "date_type": "date", "date_parsing": "date",
    "date_from_datetime_parsing": "date", "date_from_datetime_inexact": "date",
}


def explain(error: dict, model: type[pydantic.BaseModel] | None = None) -> str:
    """A pydantic error as a sentence saying what was expected and what was found,
    from its `type` and `ctx` (never from pydantic's English `msg`)."""
    kind, ctx, loc = error["type"], error.get("ctx") or {}, error["loc"]
    got = shown(error.get("input"))
    if kind == "extra_forbidden":
        known = allowed_keys(model, loc[:-1]) if model else []
        close = did_you_mean(str(loc[-1]), known)
        keys = say("validation.keys_here", keys=", ".join(known)) if known else say("validation.keys_readme")
        return (say("validation.unknown_key_guess", guess=close, keys=keys) if close
                else say("validation.unknown_key", keys=keys))
    if kind == "literal_error":
        choices = literal_choices(model, loc) if model else []
        return say("validation.choice", got=got, choices=", ".join(choices or [ctx.get("expected", "")]))
    if kind == "string_pattern_mismatch":
        meaning = PATTERN_MEANINGS.get(str(ctx.get("pattern")), "pattern.default")
        return say("validation.pattern", meaning=say(meaning), got=got)
    if kind == "value_error":
        return str(ctx.get("error", ""))
    bounds = {name: number(ctx[key]) for name, key in (
        ("bound", "gt"), ("bound", "ge"), ("bound", "lt"), ("bound", "le"),
        ("count", "max_length"), ("count", "min_length")) if key in ctx}
    return say(f"validation.{MESSAGE_FOR_TYPE.get(kind, 'other')}", got=got, **bounds)


def number(value) -> str:
    """`0.3` -> `0,3`, `15.0` -> `15`: a number as a French reader writes it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def shown(value) -> str:
    """The value a user wrote, as a message quotes it."""
    if isinstance(value, str):
        return f"« {excerpt(value)} »"
    if isinstance(value, dict):
        return say("validation.shown_block")
    if isinstance(value, list):
        return say("validation.shown_list")
    if isinstance(value, bool):
        return "true" if value else "false"
    return say("validation.shown_nothing") if value is None else excerpt(number(value))


def literal_choices(model: type[pydantic.BaseModel], loc: tuple) -> list[str]:
    """The values a `Literal` field of `model` accepts at `loc`, from the model itself."""
    annotation = _annotation_at(model, loc)
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            return [str(v) for v in typing.get_args(candidate)]
    return []


def _annotation_at(model, loc: tuple):
    annotation = model
    for part in loc:
        current = model_in(annotation)
        if current is not None and isinstance(part, str) and part in current.model_fields:
            annotation = current.model_fields[part].annotation
        else:
            annotation = _item_type(annotation)
    return annotation


def allowed_keys(model: type[pydantic.BaseModel], loc: tuple) -> list[str]:
    """The keys `model` accepts at a location such as ('activities', 2, 'student'):
    list items and dictionary values (a theme's style names) are stepped into."""
    found = model_in(_annotation_at(model, loc))
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
