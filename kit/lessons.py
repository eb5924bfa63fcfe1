"""Find and load lesson files, turning every schema error into a located Problem.

A lesson folder is a flat folder of `<id>.yaml` files. Loading collects every
problem in every file before failing, so `kit check` reports them all in one run.
"""
from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path

import pydantic

from . import extend, paths
from .errors import LessonError, Problem, UnknownLessonError
from .schema import LEVELS, FieldError, Lesson
from .yamlfile import Positions, display_name, format_path, load_yaml

LESSON_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Origin:
    """Where a lesson was read from, to point errors at its lines."""

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
            raise LessonError([self.problem(location(e), explain(e))
                               for e in error.errors()]) from None


@dataclass
class Library:
    """Every lesson found, by id, with where each came from."""

    lessons: dict[str, Lesson] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # files skipped by a lenient load

    def get(self, id_or_path: str) -> Lesson:
        if id_or_path in self.lessons:
            return self.lessons[id_or_path]
        candidate = Path(id_or_path)
        if candidate.suffix in LESSON_SUFFIXES and candidate.exists():
            lesson, origin = load_lesson(candidate, bases=extend.LibraryBases(self.lessons))
            self.lessons.setdefault(lesson.id, lesson)
            self.origins.setdefault(lesson.id, origin)
            return lesson
        own = [p for p in self.problems if Path(p.file).stem == Path(id_or_path).stem]
        if own:
            raise LessonError(own)
        hint = difflib.get_close_matches(id_or_path, self.lessons, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else "; `kit list` shows them all"
        skipped = (f" ({len({p.file for p in self.problems})} lesson file(s) could not be read: "
                   "`kit check` lists why)") if self.problems else ""
        raise UnknownLessonError(f"no lesson '{id_or_path}'{suggestion}{skipped}")

    def origin(self, lesson: Lesson) -> Origin:
        return self.origins.get(lesson.id, Origin(lesson.id))

    def only(self, lesson: Lesson) -> Library:
        """A library of this one lesson, to check it alone."""
        return Library({lesson.id: lesson}, {lesson.id: self.origin(lesson)})

    def sorted(self) -> list[Lesson]:
        """Lessons by level (cycle 3 to staff), then id."""
        return sorted(self.lessons.values(), key=lambda l: (LEVELS.index(l.level), l.id))


def lesson_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir()
                  if p.suffix in LESSON_SUFFIXES and p.is_file() and not p.name.startswith("."))


def load_library(folders: list[Path] | None = None, bases=None, strict: bool = True) -> Library:
    """Load every lesson of the folders; a later folder's lesson replaces an earlier one's.

    `bases` (default: these folders) is where lessons that extend another find it.
    Strict, any invalid file is an error; otherwise invalid files are skipped and
    their problems kept in `library.problems` (for commands about one lesson).
    """
    library = Library()
    problems: list[Problem] = []
    bases = bases or folder_bases(folders or [paths.bundled_lessons()])
    for folder in folders or [paths.bundled_lessons()]:
        seen_here: dict[str, str] = {}
        for file in lesson_files(folder):
            try:
                lesson, origin = bases.load_file(file)
            except LessonError as error:
                problems.extend(error.problems)
                continue
            if lesson.id in seen_here:
                problems.append(origin.problem(("id",), f"the id '{lesson.id}' is also used by "
                                               f"{seen_here[lesson.id]}; ids must be unique"))
                continue
            seen_here[lesson.id] = origin.file
            library.lessons[lesson.id] = lesson
            library.origins[lesson.id] = origin
    if problems and strict:
        raise LessonError(problems)
    library.problems = problems
    return library


def folder_bases(folders) -> extend.FolderBases:
    """Every lesson file of the folders, loaded on demand, so a lesson can extend another."""
    for folder in folders:
        if not Path(folder).is_dir():
            raise UnknownLessonError(f"{display_name(folder)}: no such lessons folder")
    return extend.FolderBases([lesson_files(f) for f in folders], load_lesson)


def load_lesson(file: Path, text: str | None = None, bases=None) -> tuple[Lesson, Origin]:
    """Read and validate one lesson file; raise LessonError listing every problem.

    A file with `extends:` finds its base through `bases` (default: the bundled lessons).
    """
    data, positions = load_yaml(file, text)
    origin = Origin(display_name(file), positions)
    if not isinstance(data, dict):
        raise LessonError([origin.problem((), "a lesson file is a block of keys "
                                          "(id:, title:, level: ...); see the README")])
    if extend.is_extension(data):
        finder = (bases or folder_bases([paths.bundled_lessons()])).finder(Path(file))
        data, positions = extend.resolve(data, origin.file, positions, Path(file).stem, finder)
        origin = Origin(origin.file, positions)
    lesson = origin.validate(Lesson, data)
    stem = Path(file).stem
    if lesson.id != stem:
        raise LessonError([origin.problem(("id",), f"the id '{lesson.id}' must match the file "
                                          f"name; rename the file to {lesson.id}.yaml or "
                                          f"set id: {stem}")])
    return lesson, origin


def location(error: dict) -> tuple:
    """The field path of an error, down to the field a cross-field rule names."""
    cause = (error.get("ctx") or {}).get("error")
    return tuple(error["loc"]) + (cause.field if isinstance(cause, FieldError) else ())


def explain(error: dict) -> str:
    """A pydantic error as a sentence saying what was expected and what was found."""
    kind, ctx, loc = error["type"], error.get("ctx") or {}, error["loc"]
    got = _shown(error.get("input"))
    if kind == "missing":
        return "required; add this key"
    if kind == "extra_forbidden":
        known = allowed_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(known)}"
        return f"unknown key; {hint}"
    if kind in ("int_type", "int_parsing", "int_from_float", "greater_than", "greater_than_equal"):
        bound = "zero or a positive" if kind == "greater_than_equal" else "a positive"
        return f"expected {bound} whole number, got {got}"
    if kind == "less_than_equal":
        return f"expected at most {ctx.get('le')}, got {got}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {got}"
    if kind == "string_pattern_mismatch":
        if "https" in str(ctx.get("pattern")):
            return f"expected a web address starting with https://, got {got}"
        if "+33" in str(ctx.get("pattern")):
            return (f"expected a French phone number like 01 23 45 67 89 or +33 1 23 45 67 89, "
                    f"or a short number like 119, got {got}")
        return f"expected lowercase letters, digits and hyphens (like 'mon-activite'), got {got}"
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
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']}, got {got}"


def _shown(value) -> str:
    if isinstance(value, str):
        return f'"{value[:60]}"'
    if isinstance(value, (dict, list)):
        return "a block" if isinstance(value, dict) else "a list"
    return "nothing" if value is None else str(value)[:60]


def allowed_keys(loc: tuple) -> list[str]:
    """The keys the schema accepts at a location such as ('activities', 2, 'student')."""
    model = Lesson
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = model.model_fields.get(part)
        if field_info is None:
            return []
        model = _model_in(field_info.annotation)
        if model is None:
            return []
    return list(model.model_fields)


def _model_in(annotation):
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
