"""Saying which placeholder is unknown, and which names are valid at that point.

jinja2 reports « 'kit.helpline.Helpline object' has no attribute 'horaires' »; a
teacher needs « unknown placeholder {{ helpline.horaires }}; did you mean
{{ helpline.hours }}? » and the names there are. The template's own syntax tree
says which name failed.
"""
from __future__ import annotations

import datetime as dt
import re

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from .messages import say
from .validation import did_you_mean

_SCALARS = (str, int, float, dt.date)
_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")


class _Missing(Exception):
    def __init__(self, prefix: str, container, key):
        super().__init__(key)
        self.prefix, self.container, self.key = prefix, container, key


class _Unknowable(Exception):
    """An expression this module does not follow (a filter, a call...)."""


def explain_unknown(environment: jinja2.Environment, source: str, context: dict) -> str | None:
    """« unknown placeholder {{ x.y }}; did you mean ...? The names here: ... », or None."""
    try:
        tree = environment.parse(source)
    except jinja2.TemplateSyntaxError:
        return None
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        try:
            _resolve(node, context)
        except _Missing as missing:
            return _sentence(missing)
        except _Unknowable:
            continue
    return None


def members(value) -> list[str]:
    """The names a placeholder may take after `value.`: keys, or a model's printable fields."""
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, BaseModel):
        fields = [n for n in type(value).model_fields
                  if isinstance(getattr(value, n), _SCALARS) or getattr(value, n) is None]
        properties = [n for n, v in vars(type(value)).items()
                      if isinstance(v, property) and not n.startswith("_")]
        return fields + properties
    return []


def _resolve(node, context: dict):
    if isinstance(node, nodes.Name):
        if node.name not in context:
            raise _Missing("", context, node.name)
        return context[node.name]
    if isinstance(node, nodes.Getattr):
        key = node.attr
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        key = node.arg.value
    else:
        raise _Unknowable
    base = _resolve(node.node, context)
    if isinstance(base, dict):
        if key not in base:
            raise _Missing(_path(node.node), base, key)
        return base[key]
    if isinstance(base, BaseModel):
        if not hasattr(base, str(key)):
            raise _Missing(_path(node.node), base, key)
        return getattr(base, str(key))
    raise _Unknowable


def _path(node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return _join(_path(node.node), node.attr)
    return _join(_path(node.node), node.arg.value, bracket=True)


def _join(prefix: str, name, bracket: bool = False) -> str:
    if not prefix:
        return str(name)
    return f'{prefix}["{name}"]' if bracket or not _IDENTIFIER.match(str(name)) else f"{prefix}.{name}"


def _sentence(missing: _Missing) -> str:
    container = missing.container
    # contacts are named contacts["id"], as the README writes them
    bracket = isinstance(container, dict) and any(isinstance(v, BaseModel) for v in container.values())
    valid = [_join(missing.prefix, m, bracket) for m in members(container)]
    guess = did_you_mean(str(missing.key), members(container))
    unknown, names = _join(missing.prefix, missing.key, bracket), ", ".join(valid)
    if guess:
        return say("text.unknown_name_guess", name=unknown, names=names,
                   guess=_join(missing.prefix, guess, bracket))
    return say("text.unknown_name", name=unknown, names=names)
