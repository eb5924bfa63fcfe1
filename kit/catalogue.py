"""`kit build`: every lesson x every document it offers x every edition asked for,
written under one output folder with an index of what was made."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from .check import check_lesson
from .context import make_context
from .documents import DOCUMENT_TYPES
from .errors import LessonError
from .helpline import load_helpline, stale_warning
from .lessons import Library
from .output import inside, write_atomic
from .render import file_name, render_document

log = logging.getLogger("kit")


@dataclass(frozen=True)
class BuiltDocument:
    lesson: str
    document: str
    edition: str
    path: str      # relative to the output folder
    pages: int


def check_library(library: Library, local_contacts=()) -> None:
    """Check every lesson before drawing any: raise LessonError listing every error;
    warnings (old sources) are logged and do not stop the build."""
    problems = []
    for lesson in library.sorted():
        problems += check_lesson(lesson, library.origin(lesson), local_contacts)
    for warning in (p for p in problems if p.severity == "warning"):
        log.warning(str(warning))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise LessonError(errors)


def warn_if_stale() -> None:
    warning = stale_warning(load_helpline())
    if warning:
        log.warning(warning)


def build(library: Library, out: Path, *, documents=None, editions=("standard",),
          local_contacts=(), paper: str = "a4") -> list[BuiltDocument]:
    """Write the catalogue into `out/<lesson-id>/` and `out/index.json`; return what was made."""
    warn_if_stale()
    check_library(library, local_contacts)
    built = []
    for lesson in library.sorted():
        for document in lesson.offered_documents:
            if document not in DOCUMENT_TYPES or (documents and document not in documents):
                continue
            for edition in editions:
                pdf = render_document(lesson, document, edition=edition,
                                      local_contacts=local_contacts, paper=paper)
                name = file_name(lesson.id, document, edition)
                write_atomic(inside(out, lesson.id, name), pdf.data, force=True)
                built.append(BuiltDocument(lesson.id, document, edition,
                                           f"{lesson.id}/{name}", pdf.pages))
                log.info("wrote %s/%s", lesson.id, name)
    write_index(library, out, built)
    return built


def write_index(library: Library, out: Path, built: list[BuiltDocument]) -> Path:
    lessons = []
    for lesson in library.sorted():
        lessons.append({"id": lesson.id, "title": plain_title(lesson), "level": lesson.level,
                        "duration": lesson.duration, "topic": lesson.topic,
                        "documents": [asdict(b) for b in built if b.lesson == lesson.id]})
    data = json.dumps({"lessons": lessons}, ensure_ascii=False, indent=2, sort_keys=True)
    return write_atomic(inside(out, "index.json"), data.encode("utf-8"), force=True)


def plain_title(lesson) -> str:
    return make_context(lesson).text.plain(lesson.title)
