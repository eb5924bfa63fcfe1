"""`kit build`: every lesson x every document it offers x every edition asked for,
written under one output folder with an index of what was made."""
from __future__ import annotations

import json
import logging
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from .check import check_lesson
from .context import make_context
from .documents import DOCUMENT_TYPES
from .errors import LessonError
from .helpline import load_helpline, stale_warning
from .html import html_file_name, render_html, render_index
from .lessons import Library
from .output import inside, write_atomic
from .progress import Progress
from .render import file_name, render_document
from .schema import LEVEL_NAMES, Lesson
from .styles import EDITIONS
from .theme import Theme
from .thumbnails import write_thumbnail

log = logging.getLogger("kit")
EDITION_LINKS = {"standard": "PDF", "dys": "PDF dys", "large-print": "PDF gros caractères"}
THUMBNAIL_FOLDER = "apercus"
RELATIVE_COST = {"guide": 4, "worksheet": 2, "slides": 2}  # measured by bench/bench_catalogue.py


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


def build(library: Library, out: Path, *, documents=None, editions=EDITIONS,
          local_contacts=(), paper: str = "a4", workers: int | None = None,
          theme: Theme | None = None, progress: str = "none") -> list[BuiltDocument]:
    """Write the catalogue into `out/<lesson-id>/` (PDFs, their HTML edition and thumbnails),
    with `out/index.json` and `out/index.html`; return the PDFs made.

    Each (lesson, document) is one task, run on `workers` processes (default: one per
    core); every file is written atomically, so an interrupted build leaves no half file.
    `progress` (auto, bar, log or none) shows the documents done as they finish.
    """
    warn_if_stale()
    check_library(library, local_contacts)
    tasks = [DocumentTask(lesson, document, tuple(editions), tuple(local_contacts), paper, out, theme)
             for lesson in library.sorted() for document in lesson.offered_documents
             if document in DOCUMENT_TYPES and (not documents or document in documents)]
    results = run_tasks(tasks, workers, progress)
    built = [pdf for result in results for pdf in result.pdfs]
    pages = {(r.lesson, r.document): r.html for r in results}
    thumbnails = {(r.lesson, r.document): r.thumbnail for r in results}
    write_index(library, out, built, pages, thumbnails, theme)
    return built


@dataclass(frozen=True)
class DocumentTask:
    """One document of one lesson, in every edition asked for: what a worker builds."""

    lesson: Lesson
    document: str
    editions: tuple[str, ...]
    local_contacts: tuple
    paper: str
    out: Path
    theme: Theme | None = None


@dataclass(frozen=True)
class DocumentResult:
    lesson: str
    document: str
    pdfs: list[BuiltDocument]
    html: str
    thumbnail: str


def run_tasks(tasks: list[DocumentTask], workers: int | None,
              progress: str = "none") -> list[DocumentResult]:
    """Results in the tasks' order; the longest documents start first, so that no
    worker is left with a guide to lay out while the others wait."""
    workers = min(workers or os.cpu_count() or 1, len(tasks))
    bar = Progress(len(tasks), progress, unit="document")
    try:
        if workers <= 1:
            return [_counted(build_document(task), bar) for task in tasks]
        order = sorted(range(len(tasks)), key=lambda i: -RELATIVE_COST.get(tasks[i].document, 1))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(build_document, tasks[i]): i for i in order}
            done = {futures[f]: _counted(f.result(), bar) for f in as_completed(futures)}
        return [done[i] for i in range(len(tasks))]
    finally:
        bar.close()


def _counted(result: DocumentResult, bar: Progress) -> DocumentResult:
    bar.update()
    return result


def build_document(task: DocumentTask) -> DocumentResult:
    """Render a document's editions, then its thumbnail and HTML page, and write them all."""
    lesson, out = task.lesson, task.out
    pdfs = []
    for edition in task.editions:
        pdf = render_document(lesson, task.document, edition=edition,
                              local_contacts=task.local_contacts, paper=task.paper,
                              theme=task.theme)
        name = file_name(lesson.id, task.document, edition)
        write_atomic(inside(out, lesson.id, name), pdf.data)  # never over a PDF the kit did not make
        pdfs.append(BuiltDocument(lesson.id, task.document, edition, f"{lesson.id}/{name}", pdf.pages))
        log.info("écrit : %s/%s", lesson.id, name)
    first = next((b for b in pdfs if b.edition == "standard"), pdfs[0])
    thumbnail = f"{lesson.id}/{THUMBNAIL_FOLDER}/{Path(first.path).stem}.png"
    write_thumbnail(inside(out, first.path), inside(out, thumbnail))
    downloads = [(f"{EDITION_LINKS[b.edition]} ({b.pages} p.)", Path(b.path).name) for b in pdfs]
    html = render_html(lesson, task.document, downloads, task.local_contacts, task.theme)
    page = f"{lesson.id}/{html_file_name(lesson.id, task.document)}"
    write_atomic(inside(out, page), html.encode("utf-8"), force=True)
    return DocumentResult(lesson.id, task.document, pdfs, page, thumbnail)


def by_document(built: list[BuiltDocument]) -> dict[tuple[str, str], list[BuiltDocument]]:
    """The PDFs built, grouped by (lesson id, document), in build order."""
    groups: dict[tuple[str, str], list[BuiltDocument]] = {}
    for pdf in built:
        groups.setdefault((pdf.lesson, pdf.document), []).append(pdf)
    return groups


def write_index(library: Library, out: Path, built: list[BuiltDocument],
                pages=None, thumbnails=None, theme: Theme | None = None) -> Path:
    """`index.json` for programs and `index.html` for teachers: every lesson and its files."""
    entries = index_entries(library, built, pages or {}, thumbnails or {})
    data = json.dumps({"lessons": entries}, ensure_ascii=False, indent=2, sort_keys=True)
    write_atomic(inside(out, "index.html"), render_index(entries, theme=theme).encode("utf-8"), force=True)
    return write_atomic(inside(out, "index.json"), data.encode("utf-8"), force=True)


def index_entries(library: Library, built, pages: dict, thumbnails: dict) -> list[dict]:
    """Per lesson: `documents`, every PDF (as before); `pages`, each document with its
    PDFs, HTML page and thumbnail, as the catalogue page shows them."""
    lessons = []
    grouped = by_document(built)
    for lesson in library.sorted():
        shown = []
        for (lesson_id, document), pdfs in grouped.items():
            if lesson_id == lesson.id:
                shown.append({
                    "document": document, "label": DOCUMENT_TYPES[document].label_for(lesson),
                    "pdfs": [{"path": b.path, "pages": b.pages, "edition": b.edition,
                              "label": EDITION_LINKS[b.edition]} for b in pdfs],
                    "html": pages.get((lesson_id, document)),
                    "thumbnail": thumbnails.get((lesson_id, document))})
        lessons.append({"id": lesson.id, "title": plain_title(lesson), "level": lesson.level,
                        "level_name": LEVEL_NAMES[lesson.level], "duration": lesson.duration,
                        "topic": lesson.topic, "pages": shown,
                        "documents": [asdict(b) for b in built if b.lesson == lesson.id]})
    return lessons


def plain_title(lesson) -> str:
    return make_context(lesson).text.plain(lesson.title)
