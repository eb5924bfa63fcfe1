"""Read YAML written by other people: safely, with a position for every value.

Lesson files, contacts profiles and styles come from anyone. This loader builds
on PyYAML's safe loader and also refuses what a hand-written lesson never needs
and an attacker would use: aliases (the "billion laughs" bomb), duplicate keys
(PyYAML would silently keep the last one), very deep nesting and huge files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import LessonError, Problem, excerpt
from .files import FileRefused, read_limited
from .messages import say

MAX_BYTES = 512 * 1024
MAX_DEPTH = 24

Path_ = tuple  # a field path such as ("activities", 2, "minutes")


@dataclass
class Positions:
    """Where each value (and each mapping key) of a YAML document starts."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path_) -> tuple[int | None, int | None]:
        """The closest known position: the value, else its key, else a parent's."""
        path = tuple(path)
        while True:
            for table in (self.keys, self.values):
                if path in table:
                    return table[path]
            if not path:
                return None, None
            path = path[:-1]


def format_path(path: Path_) -> str:
    """`("activities", 2, "minutes")` -> `activities[3].minutes` (items counted from 1)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            part = excerpt(part)  # a key is the user's text: short and printable
            text += f".{part}" if text else part
    return text


class _Refused(Exception):
    def __init__(self, message: str, mark=None):
        super().__init__(message)
        self.mark = mark


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(say("yaml.alias"), event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(say("yaml.too_deep", levels=MAX_DEPTH), self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        """A value Python refuses (a 5,000-digit number, 2026-02-31) is an error at its line."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, TypeError):
            raise _Refused(say("yaml.unreadable_value"), node.start_mark) from None


class _FastLoader(_GuardedLoader):
    """The same loader with the same guards, reading events from libyaml's C parser
    (four times faster than PyYAML's Python scanner); only the events come from C."""

    def __init__(self, stream):
        super().__init__(stream)  # the Reader still refuses unprintable characters
        self._events = CParser(stream)

    def check_event(self, *choices):
        return self._events.check_event(*choices)

    def peek_event(self):
        return self._events.peek_event()

    def get_event(self):
        return self._events.get_event()

    def dispose(self):
        self._events.dispose()
        super().dispose()


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the Python parser alone
    _FastLoader = None  # type: ignore[misc,assignment]


def _walk(node, path: Path_, positions: Positions, file: str) -> None:
    positions.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # `? [a, b]`: no kit file has one
                raise _Refused(say("yaml.complex_key"), key_node.start_mark)
            key = key_node.value
            if key in seen:
                raise _Refused(say("yaml.duplicate_key", key=excerpt(key)), key_node.start_mark)
            seen.add(key)
            positions.keys[path + (key,)] = (key_node.start_mark.line + 1,
                                             key_node.start_mark.column + 1)
            _walk(value_node, path + (key,), positions, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), positions, file)


def display_name(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when possible."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _yaml_problem(name: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """A YAML syntax error as the mistake a person made, on the line where they made it."""
    problem, context = (exc.problem or "").strip(), (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        mark = exc.context_mark  # the key without its colon, not the line after it
        what = say("yaml.missing_colon")
    elif "mapping values are not allowed" in problem:
        what = _colon_in_value(text, mark.line)
    elif "\\t" in problem or "tab" in problem:
        what = say("yaml.tab")
    elif isinstance(exc, yaml.constructor.ConstructorError):
        what = say("yaml.tag")
    elif "cannot start any token" in problem:
        what = say("yaml.special_start")
    elif exc.context_mark is not None and (kind := _opened(context)):
        what = say(f"yaml.{kind}", line=exc.context_mark.line + 1)
    else:
        what = say("yaml.syntax")
    return Problem(name, what, mark.line + 1 if mark else None, mark.column + 1 if mark else None)


def _opened(context: str) -> str | None:
    """What PyYAML was reading when it failed: a quoted text or a [list] never closed, or a
    block whose indentation a later line breaks (its message id, or None)."""
    for start, kind in (("while scanning a quoted", "unclosed_quote"),
                        ("while parsing a flow", "unclosed_bracket"),
                        ("while parsing a block", "indentation")):
        if context.startswith(start):
            return kind
    return None


def _colon_in_value(text: str, line: int) -> str:
    """« title: A : B » — the second colon reads as a new key: quote the whole text."""
    source = text.splitlines()[line] if line < len(text.splitlines()) else ""
    key, _, value = source.strip().lstrip("- ").partition(": ")
    if value and '"' not in value:
        return say("yaml.colon_in_text_example",
                   example=f'{excerpt(key)}: "{excerpt(value.strip(), 60)}"')
    return say("yaml.colon_in_text")


def read_text(path: Path, root: Path | None = None) -> str:
    """The text of a YAML file (a regular file of at most MAX_BYTES, inside `root` when
    given, in UTF-8); raises LessonError naming the file."""
    try:
        raw = read_limited(Path(path), MAX_BYTES, root)
    except FileRefused as exc:
        raise LessonError([Problem(display_name(path), str(exc))]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LessonError([Problem(display_name(path), say("yaml.not_utf8", byte=exc.start))]) from None


def load_yaml(path: Path, text: str | None = None,
              root: Path | None = None) -> tuple[object, Positions]:
    """Parse one YAML file into plain data and the position of every value; the file
    must be a regular file (inside `root`, when given: a theme or a lessons folder).

    Raises LessonError (one Problem naming the file and line) on anything unreadable.
    """
    name = display_name(path)
    if text is None:
        text = read_text(path, root)
    elif len(text.encode("utf-8")) > MAX_BYTES:
        raise LessonError([Problem(name, say("yaml.text_too_big", limit=MAX_BYTES // 1024))])
    if _FastLoader is not None:
        try:
            return _parse(_FastLoader(text), name, text)
        except (LessonError, yaml.YAMLError):
            pass  # say it as the Python parser does: the same words, the same position
    try:
        loader = _GuardedLoader(text)
    except yaml.YAMLError:  # a control character anywhere in the file
        raise LessonError([Problem(name, say("yaml.control_character"))]) from None
    return _parse(loader, name, text)


def _parse(loader: _GuardedLoader, name: str, text: str) -> tuple[object, Positions]:
    try:
        node = loader.get_single_node()
        if node is None:
            raise LessonError([Problem(name, say("yaml.empty"))])
        positions = Positions()
        _walk(node, (), positions, name)
        data = loader.construct_document(node)
    except _Refused as exc:
        line, column = (exc.mark.line + 1, exc.mark.column + 1) if exc.mark else (None, None)
        raise LessonError([Problem(name, str(exc), line, column)]) from None
    except yaml.MarkedYAMLError as exc:
        raise LessonError([_yaml_problem(name, exc, text)]) from None
    except yaml.reader.ReaderError:  # a control character met while reading
        raise LessonError([Problem(name, say("yaml.control_character"))]) from None
    except yaml.YAMLError:
        raise LessonError([Problem(name, say("yaml.syntax"))]) from None
    except RecursionError:
        raise LessonError([Problem(name, say("yaml.too_deep_to_read"))]) from None
    finally:
        loader.dispose()
    return data, positions
