"""Lessons that extend another: `extends: <lesson-id>` plus only what changes.

An extending file names its base by id (never a path), and its keys say what
differs: a top-level key replaces the base's, `add_<list>` appends to a base's
list (`add_sources`, `add_objectives`...), and `activity_changes` replaces,
removes, changes or inserts activities by id. The result is plain lesson data,
validated like any lesson; every position is re-pointed at the extending file,
so an error (even "the minutes do not add up") names a line the user wrote.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

from .errors import LessonError, Problem
from .messages import say
from .schema import SLUG_PATTERN, Lesson
from .validation import did_you_mean, shown
from .yamlfile import Positions, display_name, format_path

ADDABLE = ("objectives", "key_messages", "materials", "quiz", "charter", "sources")
EXTENSION_KEYS = ("extends", "activity_changes", *(f"add_{k}" for k in ADDABLE))
# operation key -> the key that carries its activity data (None: nothing more)
OPERATIONS = {"replace": "with", "remove": None, "change": "set",
              "insert_before": "activity", "insert_after": "activity"}
LESSON_ID = re.compile(SLUG_PATTERN)  # what `extends:` may name: an id, never a path


class BaseNotFound(ValueError):
    """Raised by a base finder when the lesson to extend cannot be had; the message says why."""


def is_extension(data) -> bool:
    return isinstance(data, dict) and "extends" in data


def unknown_base(lesson_id: str, known) -> BaseNotFound:
    close = difflib.get_close_matches(lesson_id, sorted(known), n=3, cutoff=0.5)
    hint = (say("extend.guess", guesses=" ou ".join(f"« {c} »" for c in close)) if close
            else say("extend.see_list"))
    return BaseNotFound(say("extend.no_base", id=lesson_id, hint=hint))


class _Located:
    """Problems located in the extending file."""

    def __init__(self, file: str, positions: Positions):
        self.file, self.positions, self.problems = file, positions, []

    def add(self, path: tuple, message: str) -> None:
        line, column = self.positions.of(path)
        self.problems.append(Problem(self.file, message, line, column, format_path(path) or None))


def resolve(data: dict, file: str, positions: Positions, stem: str,
            find_base: Callable[[str], Lesson]) -> tuple[dict, Positions]:
    """The extending file's data applied to its base: plain lesson data and its positions.

    Raises LessonError listing every problem of the extension itself (base not found,
    unknown activity ids, misspelt keys); the caller validates what comes back.
    """
    where = _Located(file, positions)
    base = _base(data.get("extends"), find_base, where)
    _check_keys(data, where)
    if base is None:
        raise LessonError(where.problems)
    merged = base.model_dump(mode="python", exclude_none=True)
    out = Positions(values={(): positions.keys.get(("extends",), (1, 1))})
    for key, value in data.items():
        if key in EXTENSION_KEYS or key not in Lesson.model_fields:
            continue
        merged[key] = value
        _copy(positions, out, (key,), (key,))
    if "id" not in data:  # an extending file's id is its file name
        merged["id"] = stem
    for key in ADDABLE:
        _add(merged, data, key, positions, out, where)
    _change_activities(merged, data, positions, out, where)
    if where.problems:
        raise LessonError(where.problems)
    return merged, out


def _base(reference, find_base, where: _Located) -> Lesson | None:
    if not isinstance(reference, str) or not LESSON_ID.match(reference):
        where.add(("extends",), say("extend.not_an_id", got=shown(reference)))
        return None
    try:
        return find_base(reference)
    except BaseNotFound as error:
        where.add(("extends",), str(error))
        return None


def _check_keys(data: dict, where: _Located) -> None:
    known = [*Lesson.model_fields, *EXTENSION_KEYS]
    for key in data:
        if key not in known:
            close = did_you_mean(str(key), known)
            where.add((key,), say("validation.unknown_key_guess", guess=close,
                                  keys=say("validation.keys_here", keys=", ".join(known)))
                      if close else say("validation.unknown_key",
                                        keys=say("validation.keys_here", keys=", ".join(known))))


def _add(merged: dict, data: dict, key: str, positions, out: Positions, where) -> None:
    extra = data.get(f"add_{key}")
    if extra is None:
        return
    if not isinstance(extra, list):
        where.add((f"add_{key}",), say("extend.add_list", key=key))
        return
    start = len(merged.get(key) or [])
    merged[key] = [*(merged.get(key) or []), *extra]
    out.keys.setdefault((key,), positions.keys[(f"add_{key}",)])
    for index in range(len(extra)):
        _copy(positions, out, (f"add_{key}", index), (key, start + index))


def _change_activities(merged: dict, data: dict, positions, out: Positions, where) -> None:
    """Apply `activity_changes` in order; record where each resulting activity was written."""
    activities = list(merged["activities"])
    sources: list[tuple | None] = [("activities", i) if "activities" in data else None
                                   for i in range(len(activities))]
    changes = data.get("activity_changes")
    if changes is not None and not isinstance(changes, list):
        where.add(("activity_changes",), say("extend.changes_list"))
        changes = []
    for index, change in enumerate(changes or []):
        _apply(change, ("activity_changes", index), activities, sources, where)
    if changes or "activities" in data:
        merged["activities"] = activities
        if "timings" not in data:  # the base's other lengths no longer fit its activities
            merged.pop("timings", None)
        if changes:
            out.keys.setdefault(("activities",), positions.keys[("activity_changes",)])
    for index, source in enumerate(sources):
        if source is not None:
            _copy(positions, out, source, ("activities", index))


def _apply(change, path: tuple, activities: list, sources: list, where: _Located) -> None:
    ops = [k for k in OPERATIONS if isinstance(change, dict) and k in change]
    if len(ops) != 1:
        where.add(path, say("extend.change_kinds", kinds=", ".join(f"`{k}: <id d'activité>`"
                                                                   for k in OPERATIONS)))
        return
    op = ops[0]
    payload_key = OPERATIONS[op]
    for key in change:
        if key not in (op, payload_key):
            where.add(path + (key,), say("extend.change_key_guess" if payload_key else "extend.change_key",
                                         op=op, payload=payload_key))
            return
    ids = [a.get("id") if isinstance(a, dict) else None for a in activities]
    target = change[op]
    if target not in ids:
        where.add(path + (op,), say("extend.no_activity", got=shown(target), op=op,
                                    ids=", ".join(str(i) for i in ids)))
        return
    payload = change.get(payload_key) if payload_key else None
    if payload_key and not isinstance(payload, dict):
        where.add(path + ((payload_key,) if payload_key in change else (op,)),
                  say("extend.payload", op=op, payload=payload_key))
        return
    at = ids.index(target)
    payload_path = path + (payload_key,)
    if op == "remove":
        del activities[at], sources[at]
    elif op == "replace":
        activities[at], sources[at] = payload, payload_path
    elif op == "change":
        activities[at], sources[at] = {**activities[at], **payload}, payload_path
    else:
        at += op == "insert_after"
        activities.insert(at, payload)
        sources.insert(at, payload_path)


def _copy(source: Positions, target: Positions, from_prefix: tuple, to_prefix: tuple) -> None:
    """Re-point positions recorded under `from_prefix` at `to_prefix` in the resolved data."""
    size = len(from_prefix)
    for table, into in ((source.values, target.values), (source.keys, target.keys)):
        for path, position in table.items():
            if path[:size] == from_prefix:
                into[to_prefix + path[size:]] = position


class FolderBases:
    """Finds bases in lesson folders by file name (a lesson's id is its file name),
    loading each file once; a later folder's lesson wins, as in the library.

    A lesson may extend the lesson of the same id it replaces: its base is then
    the one from an earlier folder. A chain that loops is an error.
    """

    def __init__(self, folders_files: list[list[Path]], load: Callable):
        self.files = [(rank, Path(f)) for rank, files in enumerate(folders_files) for f in files]
        self._load = load  # lessons.load_lesson(file, bases=...)
        self._done: dict[Path, tuple | LessonError] = {}
        self._loading: list[Path] = []

    def load_file(self, file: Path):
        """(lesson, origin) of one file, resolving what it extends; raises LessonError."""
        key = Path(file).resolve()
        if key not in self._done:
            self._loading.append(key)
            try:
                self._done[key] = self._load(file, bases=self)
            except LessonError as error:
                self._done[key] = error
            finally:
                self._loading.remove(key)
        result = self._done[key]
        if isinstance(result, LessonError):
            raise result
        return result

    def finder(self, requester: Path) -> Callable[[str], Lesson]:
        return lambda lesson_id: self._find(lesson_id, Path(requester).resolve())

    def _find(self, lesson_id: str, requester: Path) -> Lesson:
        ranks = [rank for rank, f in self.files if f.resolve() == requester]
        candidates = [(rank, f) for rank, f in self.files
                      if f.stem == lesson_id and f.resolve() != requester]
        if lesson_id == requester.stem:  # replaces the lesson it extends: take an earlier one
            candidates = [(r, f) for r, f in candidates if r < (ranks[0] if ranks else len(self.files))]
        if not candidates:
            raise unknown_base(lesson_id, {f.stem for _, f in self.files} - {requester.stem})
        file = candidates[-1][1]
        if file.resolve() in self._loading:
            chain = [p.stem for p in self._loading[self._loading.index(file.resolve()):]]
            raise BaseNotFound(say("extend.circle", chain=" -> ".join([*chain, file.stem])))
        try:
            return self.load_file(file)[0]
        except LessonError:
            raise BaseNotFound(say("extend.base_invalid", id=lesson_id,
                                   file=display_name(file))) from None


class LibraryBases:
    """Finds bases among the lessons of an already loaded library."""

    def __init__(self, lessons: dict[str, Lesson]):
        self.lessons = lessons

    def finder(self, requester: Path) -> Callable[[str], Lesson]:
        def find(lesson_id: str) -> Lesson:
            if lesson_id not in self.lessons:
                raise unknown_base(lesson_id, self.lessons)
            return self.lessons[lesson_id]
        return find
