"""Find and load lesson files, turning every schema error into a located Problem.

A lesson folder is a flat folder of `<id>.yaml` files. Loading collects every
problem in every file before failing, so `kit check` reports them all in one run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import cache, extend, paths
from .errors import LessonError, Problem, UnknownLessonError
from .messages import say
from .schema import LEVELS, Lesson
from .validation import Origin, did_you_mean  # noqa: F401 (kit.lessons.Origin)
from .yamlfile import display_name, load_yaml, read_text

LESSON_SUFFIXES = (".yaml", ".yml")


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
        suggestion = _not_found_hint(id_or_path, self.lessons)
        skipped = (" " + say("lesson.files_skipped", count=len({p.file for p in self.problems}))
                   if self.problems else "")
        raise UnknownLessonError(say("lesson.no_lesson", reference=id_or_path, hint=suggestion)
                                 + skipped)

    def origin(self, lesson: Lesson) -> Origin:
        return self.origins.get(lesson.id, Origin(lesson.id))

    def only(self, lesson: Lesson) -> Library:
        """A library of this one lesson, to check it alone."""
        return Library({lesson.id: lesson}, {lesson.id: self.origin(lesson)})

    def sorted(self) -> list[Lesson]:
        """Lessons by level (cycle 3 to staff), then id."""
        return sorted(self.lessons.values(), key=lambda l: (LEVELS.index(l.level), l.id))


def _not_found_hint(reference: str, known) -> str:
    """A file of that name in the current folder (not a lessons folder), else a guess."""
    here = [Path(f"{reference}{s}") for s in LESSON_SUFFIXES]
    if any(p.is_file() for p in here):
        return say("lesson.in_current_folder", file=next(p for p in here if p.is_file()))
    if Path(reference).suffix in LESSON_SUFFIXES:  # a path typed wrong: guess from its name
        close = did_you_mean(Path(reference).stem, known)
        return (say("lesson.no_such_file_guess", guess=close) if close
                else say("lesson.no_such_file"))
    close = did_you_mean(reference, known)
    return say("lesson.guess", guess=close) if close else say("lesson.see_list")


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
                problems.append(origin.problem(("id",), say("lesson.id_used_twice", id=lesson.id,
                                                            file=seen_here[lesson.id])))
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
            raise UnknownLessonError(say("lesson.no_folder", folder=display_name(folder)))
    return extend.FolderBases([lesson_files(f) for f in folders], load_lesson)


def load_lesson(file: Path, text: str | None = None, bases=None) -> tuple[Lesson, Origin]:
    """Read and validate one lesson file; raise LessonError listing every problem.

    A file with `extends:` finds its base through `bases` (default: the bundled lessons).
    A file read from disk that extends none is kept in the cache (kit.cache) for the
    next run; a text given (a draft in the editor, typed as it is checked) is not.
    """
    entry = None
    if text is None:
        text = read_text(file, root=Path(file).parent)  # no link out of its folder
        entry = cache.key("lesson", display_name(file), text)
        kept = cache.get(entry)
        if kept is not None:
            return kept
    data, positions = load_yaml(file, text)
    origin = Origin(display_name(file), positions)
    if not isinstance(data, dict):
        raise LessonError([origin.problem((), say("lesson.not_a_block"))])
    extension = extend.is_extension(data)
    if extension:
        finder = (bases or folder_bases([paths.bundled_lessons()])).finder(Path(file))
        data, positions = extend.resolve(data, origin.file, positions, Path(file).stem, finder)
        origin = Origin(origin.file, positions)
    lesson = origin.validate(Lesson, data)
    stem = Path(file).stem
    if lesson.id != stem:
        raise LessonError([origin.problem(("id",), say("lesson.id_not_file_name", id=lesson.id,
                                                       stem=stem))])
    if entry is not None and not extension:  # what it extends may change on its own
        cache.put(entry, (lesson, origin))
    return lesson, origin
