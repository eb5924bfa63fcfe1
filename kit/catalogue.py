"""`kit build`: every lesson x every document it offers x every edition asked for,
written under one output folder with an index of what was made."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from concurrent.futures import as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .check import check_library  # noqa: F401 (kit.catalogue.check_library)
from .documents import DOCUMENT_TYPES, EDITIONS, file_name
from .errors import OutputError
from .formats import editable_file_name
from .helpline import load_helpline, stale_warning
from .lessons import Library
from .manifest import (
    Inputs,
    Manifest,
    assets_digest,
    digest,
    kit_digest,
    lesson_digest,
    theme_digest,
    write_if_changed,
)
from .output import alive, check_replaceable, inside, made_by_kit, remove_stale_parts, write_atomic
from .pool import process_pool
from .messages import os_reason, say
from .progress import Progress
from .schema import LEVEL_NAMES, LEVELS, Lesson
from .session import plain_title
from .theme import Theme
from .yamlfile import display_name

log = logging.getLogger("kit")
EDITION_LINKS = {"standard": "PDF", "dys": "PDF dys", "large-print": "PDF gros caractères"}
EDITABLE_LINKS = {"docx": "Word", "pptx": "PowerPoint"}  # + the edition, for the catalogue
EDITABLE_SUFFIXES = (".docx", ".pptx")  # never replaced or removed unless the kit's (kit/formats)
THUMBNAIL_FOLDER = "apercus"
STAGING = ".kit-staging-"  # + process id: where a build writes until every file is made
RELATIVE_COST = {"guide": 4, "worksheet": 2, "slides": 2}  # measured by bench/bench_catalogue.py


@dataclass(frozen=True)
class BuiltDocument:
    lesson: str
    document: str
    edition: str
    path: str      # relative to the output folder
    pages: int
    remade: bool = True  # False: an earlier build made it from the same inputs

    def as_index(self) -> dict:
        return {"lesson": self.lesson, "document": self.document, "edition": self.edition,
                "path": self.path, "pages": self.pages}


def warn_if_stale() -> None:
    warning = stale_warning(load_helpline())
    if warning:
        log.warning(warning)


def build(library: Library, out: Path, *, documents=None, editions=EDITIONS,
          local_contacts=(), paper: str = "a4", workers: int | None = None,
          theme: Theme | None = None, progress: str = "none", force: bool = False,
          complete: bool = False, formats=("pdf",)) -> list[BuiltDocument]:
    """Write the catalogue into `out/<lesson-id>/` (PDFs, their HTML edition and thumbnails),
    with `out/index.json` and `out/index.html`; return every PDF of the lessons, documents
    and editions asked for, each saying whether this run `remade` it.

    Incremental: `out/.kit-build.json` keys every file by what it is made from, and only
    files whose key changed (or that are gone) are made again; `force` remakes them all.
    `complete` (the whole library was asked for) also removes the files of lessons, or of
    documents, that are no longer in it. The index lists every lesson built into `out`.

    Each (lesson, document) with something to make is one task, run on `workers`
    processes (default: one per core); every file is written atomically.
    `formats` beyond pdf (pptx, docx) add each document's editable copies, per edition.
    `progress` (auto, bar, log or none) shows the documents done as they finish.
    """
    out = Path(out)
    warn_if_stale()
    manifest = Manifest() if force else Manifest.load(out)
    inputs = Inputs(tuple(local_contacts), paper, theme)
    digests = {lesson.id: lesson_digest(lesson) for lesson in library.sorted()}
    passed = {lesson.id: inputs.check_key(digests[lesson.id]) for lesson in library.sorted()}
    check_library(library, local_contacts,
                  text_checked={i for i, key in passed.items() if key in manifest.checked.get(i, ())})
    plans = [plan_document(manifest, out, inputs, lesson, digests[lesson.id], document, editions,
                           formats)
             for lesson in library.sorted() for document in lesson.offered_documents
             if not documents or document in documents]
    tasks = [p.task for p in plans if p.task is not None]
    for task in tasks:  # someone's own file at a name the build would use: before any work
        names = [file_name(task.lesson.id, task.document, e) for e in task.editions]
        names += [editable_file_name(task.lesson.id, task.document, e, f) for e, f in task.editables]
        for name in names:
            check_replaceable(inside(out, task.lesson.id, name))
    with staging_folder(out) as staging:  # a failed or interrupted build adds no file to OUT
        results = run_tasks([replace(t, out=staging, published=out) for t in tasks], workers,
                            progress)
        publish(staging, out)
    made = {(r.lesson, r.document): r for r in results}
    for lesson in library.sorted():
        manifest.checked[lesson.id] = [passed[lesson.id]]
        manifest.lessons[lesson.id] = index_lesson(lesson)
    built = [pdf for plan in plans for pdf in plan.record(manifest, out, made)]
    built += write_catalogue_poster(library, out, documents, editions, local_contacts, theme,
                                    manifest, inputs)
    if complete:
        remove_stale(manifest, out, library)
    if results or manifest.built_on is None:
        manifest.built_on = dt.date.today().isoformat()
    write_index(manifest, library, out, theme)
    manifest.save(out)
    return built


def write_catalogue_poster(library: Library, out: Path, documents, editions, local_contacts,
                           theme: Theme | None, manifest: Manifest | None = None,
                           inputs: Inputs | None = None) -> list[BuiltDocument]:
    """The A3 poster, once for the catalogue (it is the same for every lesson); drawn only
    when its key in the manifest changed or the file is gone, written only when it changes."""
    from .documents import catalogue_poster_name
    lesson = next((one for one in library.sorted() if "poster" in one.offered_documents), None)
    if lesson is None or (documents and "poster" not in documents):
        return []
    manifest = manifest if manifest is not None else Manifest()
    inputs = inputs or Inputs(tuple(local_contacts), "a3", theme)
    made = []
    for edition in editions:
        name = catalogue_poster_name(edition)
        key = replace(inputs, paper="a3").pdf_key(lesson_digest(lesson), "poster-a3", edition)
        known = manifest.files.get(name, {})
        if manifest.fresh(out, name, key) and isinstance(known.get("pages"), int):
            made.append(BuiltDocument("", "poster-a3", edition, name, known["pages"], False))
            continue
        from .render import render_document
        pdf = render_document(lesson, "poster", edition=edition, paper="a3",
                              local_contacts=local_contacts, theme=theme, for_catalogue=True)
        remade = write_if_changed(inside(out, name), pdf.data)
        manifest.record(out, name, key)
        manifest.files[name]["pages"] = pdf.pages
        made.append(BuiltDocument("", "poster-a3", edition, name, pdf.pages, remade))
    return made


@dataclass(frozen=True)
class DocumentTask:
    """One document of one lesson, in the editions that must be made: what a worker builds.
    `known` are its other editions, already made; the thumbnail and page are made if asked."""

    lesson: Lesson
    document: str
    editions: tuple[str, ...]
    local_contacts: tuple
    paper: str
    out: Path
    theme: Theme | None = None
    known: tuple[BuiltDocument, ...] = ()
    thumbnail: bool = True
    html: bool = True
    published: Path | None = None  # OUT, where `known` editions are, when `out` is a staging folder
    editables: tuple[tuple[str, str], ...] = ()  # (edition, format) of the editable copies to make


@dataclass(frozen=True)
class DocumentResult:
    lesson: str
    document: str
    pdfs: list[BuiltDocument]
    html: str
    thumbnail: str
    editables: tuple[dict, ...] = ()  # {edition, format, path} of the copies made


@dataclass
class DocumentPlan:
    """One (lesson, document) of this build: its files' keys, and the task if any is stale."""

    lesson: Lesson
    document: str
    pdf_keys: dict[str, str]      # edition -> key
    html_key: str
    task: DocumentTask | None
    known: tuple[BuiltDocument, ...]
    outdated: tuple[str, ...] = ()  # editions made before, with other inputs, not asked for
    editable_keys: dict = field(default_factory=dict)  # (edition, format) -> key
    editables_kept: tuple[dict, ...] = ()  # copies made before and still up to date

    @property
    def name(self) -> str:
        return f"{self.lesson.id}/{self.document}"

    def record(self, manifest: Manifest, out: Path, made: dict) -> list[BuiltDocument]:
        """Note this document's files in the manifest; its PDFs, each marked remade or not."""
        result = made.get((self.lesson.id, self.document))
        remade = {b.edition for b in result.pdfs if b.remade} if result else set()
        entry = manifest.documents.get(self.name, {})
        for relative in self.outdated:
            remove_made(manifest, out, relative)
        pdfs = {b.edition: b for b in (result.pdfs if result else self.known)}
        html = result.html if result else entry["html"]
        thumbnail = result.thumbnail if result else entry["thumbnail"]
        for edition in remade:
            manifest.record(out, pdfs[edition].path, self.pdf_keys[edition])
        if result:
            manifest.record(out, html, self.html_key)
            manifest.record(out, thumbnail, self.pdf_keys[_thumbnail_edition(self.pdf_keys)])
        made_now = result.editables if result else ()
        for copy in made_now:
            manifest.record(out, copy["path"], self.editable_keys[copy["edition"], copy["format"]])
        ordered = [pdfs[e] for e in EDITIONS if e in pdfs]
        manifest.documents[self.name] = {
            "label": DOCUMENT_TYPES[self.document].label_for(self.lesson),
            "pdfs": [b.as_index() for b in ordered], "html": html, "thumbnail": thumbnail,
            "editables": sorted([*self.editables_kept, *made_now], key=_editable_order)}
        return [pdfs[e] for e in EDITIONS if e in self.pdf_keys]


def _editable_order(copy: dict) -> tuple:
    return copy["format"], EDITIONS.index(copy["edition"])


def _thumbnail_edition(editions) -> str:
    return "standard" if "standard" in editions else next(iter(editions))


def plan_document(manifest: Manifest, out: Path, inputs: Inputs, lesson: Lesson, digest: str,
                  document: str, editions, formats=("pdf",)) -> DocumentPlan:
    """What of this document must be made again: stale editions, thumbnail, page. An
    edition made before but not asked for this time is kept if it is still up to date,
    else removed (an out-of-date PDF is not left beside the new ones)."""
    entry = manifest.documents.get(f"{lesson.id}/{document}", {})
    before = {b["edition"]: b for b in entry.get("pdfs", ())}
    keys = {e: inputs.pdf_key(digest, document, e) for e in EDITIONS if e in editions or e in before}
    kept = {e for e in keys if e not in editions and manifest.fresh(out, before[e]["path"], keys[e])}
    outdated = tuple(before[e]["path"] for e in keys if e not in editions and e not in kept)
    keys = {e: key for e, key in keys.items() if e in editions or e in kept}
    stale = tuple(e for e in keys if e in editions and not manifest.fresh(
        out, f"{lesson.id}/{file_name(lesson.id, document, e)}", keys[e]))
    html_key = inputs.html_key(digest, document, list(keys.values()))
    page_fresh = "html" in entry and manifest.fresh(out, entry["html"], html_key)
    cover = _thumbnail_edition(keys)
    thumbnail_fresh = ("thumbnail" in entry and cover not in stale
                       and manifest.fresh(out, entry["thumbnail"], keys[cover]))
    known = tuple(BuiltDocument(**before[e], remade=False) for e in keys if e not in stale)
    copies, kept_copies, old_copies = plan_editables(manifest, out, inputs, lesson, digest,
                                                     document, editions, formats, entry)
    stale_copies = tuple(c for c in copies if not manifest.fresh(
        out, f"{lesson.id}/{editable_file_name(lesson.id, document, *c)}", copies[c]))
    kept_copies += tuple({"edition": e, "format": f,
                          "path": f"{lesson.id}/{editable_file_name(lesson.id, document, e, f)}"}
                         for e, f in copies if (e, f) not in stale_copies)
    task = None
    if stale or not page_fresh or not thumbnail_fresh or stale_copies:
        task = DocumentTask(lesson, document, stale, inputs.local_contacts, inputs.paper, out,
                            inputs.theme, known, thumbnail=not thumbnail_fresh,
                            html=bool(stale) or not page_fresh, editables=stale_copies)
    return DocumentPlan(lesson, document, keys, html_key, task, known, outdated + old_copies,
                        copies, kept_copies)


def plan_editables(manifest: Manifest, out: Path, inputs: Inputs, lesson: Lesson, digest: str,
                   document: str, editions, formats, entry: dict):
    """The editable copies asked for ((edition, format) -> key); those made before but not
    asked for this time that are still up to date (kept, listed) or not (to remove)."""
    if set(formats) <= {"pdf"} and not entry.get("editables"):
        return {}, (), ()  # none asked, none made before: the editors' code is not loaded
    from .docmodel import EDITABLE
    from .formats import editable_key
    fmt = EDITABLE.get(document)
    asked = {(e, fmt): editable_key(inputs.pdf_key(digest, document, e), fmt)
             for e in editions if fmt in formats}
    kept, outdated = [], []
    for copy in entry.get("editables", ()):
        if (copy["edition"], copy["format"]) in asked:
            continue
        key = editable_key(inputs.pdf_key(digest, document, copy["edition"]), copy["format"])
        (kept if manifest.fresh(out, copy["path"], key) else outdated).append(copy)
    return asked, tuple(kept), tuple(c["path"] for c in outdated)


def run_tasks(tasks: list[DocumentTask], workers: int | None,
              progress: str = "none") -> list[DocumentResult]:
    """Results in the tasks' order; the longest documents start first, so that no
    worker is left with a guide to lay out while the others wait."""
    if not tasks:
        return []
    workers = min(workers or os.cpu_count() or 1, len(tasks))
    bar = Progress(len(tasks), progress, unit="document")
    try:
        if workers <= 1:
            return [_counted(build_document(task), bar) for task in tasks]
        order = sorted(range(len(tasks)), key=lambda i: -RELATIVE_COST.get(tasks[i].document, 1))
        with process_pool(workers) as pool:  # Ctrl-C, SIGTERM: the workers stop at once
            futures = {pool.submit(build_document, tasks[i]): i for i in order}
            done = {futures[f]: _counted(f.result(), bar) for f in as_completed(futures)}
        return [done[i] for i in range(len(tasks))]
    finally:
        bar.close()


@contextmanager
def staging_folder(out: Path):
    """A fresh folder inside OUT for this build's files, removed whatever happens; the
    leftovers of a killed build (its process gone) are removed first."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(out)
        for old in out.glob(f"{STAGING}*"):
            pid = old.name[len(STAGING):].split("-")[0]
            if old.is_dir() and not old.is_symlink() and pid.isdigit() and not alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=out))
    except OSError as error:
        raise OutputError(say("output.cannot_write_into", folder=display_name(out),
                              why=os_reason(error))) from None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, out: Path) -> None:
    """Move every staged file to its place in OUT (a rename each: no copy, no half file);
    a page or a picture that holds the same bytes as before is left untouched."""
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = inside(out, *path.relative_to(staging).parts)
        try:
            if target.suffix in (".pdf", *EDITABLE_SUFFIXES):
                check_replaceable(target)  # a PDF made again is written again, as before
            elif target.is_file() and not target.is_symlink() and \
                    target.stat().st_size == path.stat().st_size and \
                    target.read_bytes() == path.read_bytes():
                continue  # a page or picture unchanged is left as it is
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        except OSError as error:
            raise OutputError(say("output.cannot_write", file=display_name(target),
                                  why=os_reason(error))) from None


def _counted(result: DocumentResult, bar: Progress) -> DocumentResult:
    bar.update()
    return result


def build_document(task: DocumentTask) -> DocumentResult:
    """Render the document's stale editions, then its thumbnail and HTML page, and write
    them all: in the same worker, which has the lesson's text parsed and fonts loaded."""
    from .html import html_file_name, render_html
    from .render import render_document
    from .thumbnails import write_thumbnail
    lesson, out = task.lesson, task.out
    pdfs = {b.edition: b for b in task.known}
    for edition in task.editions:
        pdf = render_document(lesson, task.document, edition=edition,
                              local_contacts=task.local_contacts, paper=task.paper,
                              theme=task.theme)
        name = file_name(lesson.id, task.document, edition)
        write_atomic(inside(out, lesson.id, name), pdf.data)  # never over a PDF the kit did not make
        pdfs[edition] = BuiltDocument(lesson.id, task.document, edition, f"{lesson.id}/{name}",
                                      pdf.pages)
        log.info(say("commands.written", file=f"{lesson.id}/{name}"))
    copies = tuple(write_editable(task, edition, fmt) for edition, fmt in task.editables)
    ordered = [pdfs[e] for e in EDITIONS if e in pdfs]
    first = pdfs[_thumbnail_edition(pdfs)]
    thumbnail = f"{lesson.id}/{THUMBNAIL_FOLDER}/{Path(first.path).stem}.png"
    if task.thumbnail:
        source = out if first.edition in task.editions else (task.published or out)
        write_thumbnail(inside(source, first.path), inside(out, thumbnail))
    downloads = [(f"{EDITION_LINKS[b.edition]} ({b.pages} p.)", Path(b.path).name) for b in ordered]
    page = f"{lesson.id}/{html_file_name(lesson.id, task.document)}"
    if task.html:  # not when only editable copies are made: the page is as it was
        html = render_html(lesson, task.document, downloads, task.local_contacts, task.theme)
        write_if_changed(inside(out, page), html.encode("utf-8"))
    return DocumentResult(lesson.id, task.document, ordered, page, thumbnail, copies)


def write_editable(task: DocumentTask, edition: str, fmt: str) -> dict:
    """One editable copy (.docx, .pptx) of the task's document, beside its PDFs."""
    from .formats import render_editable
    lesson = task.lesson
    name = editable_file_name(lesson.id, task.document, edition, fmt)
    data = render_editable(lesson, task.document, fmt, edition=edition,
                           local_contacts=task.local_contacts, theme=task.theme)
    write_atomic(inside(task.out, lesson.id, name), data)  # never over a file the kit did not make
    log.info(say("commands.written", file=f"{lesson.id}/{name}"))
    return {"edition": edition, "format": fmt, "path": f"{lesson.id}/{name}"}


def remove_stale(manifest: Manifest, out: Path, library: Library) -> None:
    """Remove what an earlier build made for a lesson (or a document) no longer in the
    library: only files the manifest lists, and a PDF only if the kit made it."""
    offered = {f"{lesson.id}/{d}" for lesson in library.sorted() for d in lesson.offered_documents}
    for name in [n for n in manifest.documents if n not in offered]:
        entry = manifest.documents.pop(name)
        files = [b["path"] for b in entry.get("pdfs", ())] + [entry.get("html"), entry.get("thumbnail")]
        files += [copy["path"] for copy in entry.get("editables", ())]
        for relative in filter(None, files):
            remove_made(manifest, out, relative)
    for lesson_id in [i for i in manifest.lessons if i not in library.lessons]:
        manifest.lessons.pop(lesson_id)
        manifest.checked.pop(lesson_id, None)


def remove_made(manifest: Manifest, out: Path, relative: str) -> None:
    """Remove a file an earlier build made (a PDF only if it still bears the kit's mark),
    then its folders if they are left empty."""
    manifest.files.pop(relative, None)
    path = inside(out, *relative.split("/"))
    if path.is_file() and (path.suffix not in (".pdf", *EDITABLE_SUFFIXES) or made_by_kit(path)):
        path.unlink()
        log.info(say("commands.removed", file=relative))
    _remove_empty_folders(path.parent, Path(out).resolve())


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def index_lesson(lesson: Lesson) -> dict:
    return {"id": lesson.id, "title": plain_title(lesson), "level": lesson.level,
            "level_name": LEVEL_NAMES[lesson.level], "duration": lesson.duration,
            "topic": lesson.topic, "order": list(lesson.offered_documents)}


def write_index(manifest: Manifest, library: Library, out: Path,
                theme: Theme | None = None) -> Path:
    """`index.json` for programs and `index.html` for teachers: every lesson built into
    `out` (this time or before) and its files; each rewritten only when it changes."""
    entries = index_entries(manifest)
    data = json.dumps({"lessons": entries}, ensure_ascii=False, indent=2, sort_keys=True)
    built_on = dt.date.fromisoformat(manifest.built_on) if manifest.built_on else None
    key = digest(kit_digest(), assets_digest(None), theme_digest(theme), entries, manifest.built_on)
    if not manifest.fresh(out, "index.html", key):  # else: the page it would write is there
        from .html import render_index
        write_if_changed(inside(out, "index.html"),
                         render_index(entries, built_on, theme=theme).encode("utf-8"))
        manifest.record(out, "index.html", key)
    path = inside(out, "index.json")
    write_if_changed(path, data.encode("utf-8"))
    return path


def index_entries(manifest: Manifest) -> list[dict]:
    """Per lesson: `documents`, every PDF; `pages`, each document with its PDFs, HTML page
    and thumbnail, as the catalogue page shows them."""
    lessons = []
    for info in sorted(manifest.lessons.values(), key=lambda l: (LEVELS.index(l["level"]), l["id"])):
        names = sorted((n for n in manifest.documents if n.split("/", 1)[0] == info["id"]),
                       key=lambda n: _position(info["order"], n.split("/", 1)[1]))
        shown = []
        for name in names:
            entry = manifest.documents[name]
            shown.append({"document": name.split("/", 1)[1], "label": entry["label"],
                          "pdfs": [{"path": b["path"], "pages": b["pages"], "edition": b["edition"],
                                    "label": EDITION_LINKS[b["edition"]]} for b in entry["pdfs"]],
                          "html": entry["html"], "thumbnail": entry["thumbnail"],
                          "editables": [{**copy, "label": editable_label(copy)}
                                        for copy in entry.get("editables", ())]})
        lesson = {k: v for k, v in info.items() if k != "order"}
        lessons.append({**lesson, "pages": shown,
                        "documents": [b for page in names for b in manifest.documents[page]["pdfs"]]})
    return lessons


def editable_label(copy: dict) -> str:
    """« Word », « Word dys », « PowerPoint gros caractères »: a link in the catalogue."""
    edition = EDITION_LINKS[copy["edition"]].removeprefix("PDF")
    return f"{EDITABLE_LINKS[copy['format']]}{edition}"


def _position(order: list[str], document: str) -> int:
    return order.index(document) if document in order else len(order)
