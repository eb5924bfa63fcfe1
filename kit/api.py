"""The library API behind every command: what the CLI does, Python can do."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from . import paths
from .catalogue import BuiltDocument, check_library, plain_title
from .catalogue import build as build_catalogue
from .check import check_lesson
from .errors import LessonError, Problem
from .helpline import Contact, load_contacts_profile
from .lessons import Library, folder_bases, load_lesson, load_library
from .output import write_atomic
from .render import file_name, render_document
from .schema import Lesson
from .styles import EDITIONS
from .theme import load_theme

log = logging.getLogger("kit")

SOURCE_AGE_YEARS = 5


def lesson_folders(lesson_dirs=()) -> list[Path]:
    """The bundled lessons, then KIT_LESSONS_PATH's folders, then --lessons folders."""
    from_env = [Path(p) for p in os.environ.get("KIT_LESSONS_PATH", "").split(os.pathsep) if p]
    return [paths.bundled_lessons(), *from_env, *map(Path, lesson_dirs)]


def load(lesson_dirs=(), strict: bool = True) -> Library:
    return load_library(lesson_folders(lesson_dirs), strict=strict)


def load_available(lesson_dirs=()) -> Library:
    """Every valid lesson: for commands about some lessons (render, preview, batch), an
    invalid file elsewhere is skipped with a warning instead of stopping everything."""
    library = load(lesson_dirs, strict=False)
    _warn_skipped(library)
    return library


def _warn_skipped(library: Library) -> None:
    if library.problems:
        files = len({p.file for p in library.problems})
        log.warning("%d other lesson file(s) could not be read and were skipped; "
                    "`kit check` lists why", files)


def prepare(lesson_ref: str, lesson_dirs=(), contacts=None) -> tuple[Lesson, tuple[Contact, ...]]:
    """The lesson named (an id or a file), checked, and the contacts profile."""
    library = load(lesson_dirs, strict=False)
    lesson = library.get(lesson_ref)  # its own file's problems, if any, come first and alone
    _warn_skipped(library)
    profile = local_contacts(contacts)
    check_library(library.only(lesson), profile)
    return lesson, profile


def local_contacts(contacts: Path | None):
    return load_contacts_profile(contacts) if contacts else ()


def lesson_rows(library: Library) -> list[dict]:
    bundled = str(paths.bundled_lessons())
    rows = []
    for lesson in library.sorted():
        source = library.origin(lesson).file
        rows.append({"id": lesson.id, "level": lesson.level, "duration": lesson.duration,
                     "topic": lesson.topic, "title": plain_title(lesson), "source": source,
                     "bundled": str(Path(source).resolve()).startswith(bundled)})
    return rows


def markdown_table(rows: list[dict]) -> str:
    """The library as a Markdown table (the README's copy is checked against it)."""
    def cell(text) -> str:
        return str(text).replace("|", "\\|")
    lines = ["| id | niveau | durée | thème | titre |", "|---|---|---|---|---|"]
    lines += [f"| `{r['id']}` | {r['level']} | {r['duration']} min | {cell(r['topic'])} | "
              f"{cell(r['title'])} |" for r in rows]
    return "\n".join(lines)


def check(paths_=(), lesson_dirs=(), contacts=None, max_source_age=SOURCE_AGE_YEARS) -> list[Problem]:
    """Every problem in the named lesson files or folders (default: every lesson folder)."""
    problems: list[Problem] = []
    profile = local_contacts(contacts)
    folders = [Path(p) for p in paths_ if Path(p).is_dir()] or (
        [] if paths_ else lesson_folders(lesson_dirs))
    files = [Path(p) for p in paths_ if not Path(p).is_dir()]
    library = Library()
    bases = folder_bases([*lesson_folders(lesson_dirs), *folders])  # what extends can name
    for folder in folders:
        try:
            loaded = load_library([folder], bases)
        except LessonError as error:
            problems += error.problems
            continue
        library.lessons.update(loaded.lessons)
        library.origins.update(loaded.origins)
    for file in files:
        try:
            lesson, origin = load_lesson(file, bases=bases)
        except LessonError as error:
            problems += error.problems
            continue
        library.lessons[lesson.id] = lesson
        library.origins[lesson.id] = origin
    for lesson in library.sorted():
        problems += check_lesson(lesson, library.origin(lesson), profile, max_source_age)
    return problems


def render(lesson_ref: str, document: str, output: Path | None = None, *, edition="standard",
           paper="a4", force=False, lesson_dirs=(), contacts=None, session=None,
           theme=None) -> Path:
    """Render one document to a file; nothing is written when anything is wrong."""
    lesson, profile = prepare(lesson_ref, lesson_dirs, contacts)
    pdf = render_document(lesson, document, edition=edition, session=session,
                          local_contacts=profile, paper=paper, theme=load_theme(theme))
    target = output or Path(file_name(lesson.id, document, edition))
    return write_atomic(target, pdf.data, force=force)


def build(out: Path = Path("dist"), *, documents=(), editions=None, paper="a4",
          lesson_dirs=(), contacts=None, theme=None, workers=None) -> list[BuiltDocument]:
    return build_catalogue(load(lesson_dirs), Path(out), documents=documents or None,
                           editions=tuple(editions or EDITIONS),
                           local_contacts=local_contacts(contacts), paper=paper,
                           theme=load_theme(theme), workers=workers)
