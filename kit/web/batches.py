"""District batches in `kit serve`: an uploaded roster, its plan, and `kit.batch.run`
in a process of its own, at most `kit serve --jobs N` at a time, the others queued.

A job's files live in DATA/lots/<id>/ (the roster and `out/`, as `kit batch --out`
writes it); the id is unguessable and is the only way to reach them. A job stopped
with the server is marked interrupted; resuming runs the batch again on the same
folder, whose manifest skips every packet already made.
"""
from __future__ import annotations

import asyncio
import functools
import json
import logging
import multiprocessing
import os
import secrets
import shutil
import signal
import time
import zipfile
from pathlib import Path

from ..archives import entry
from ..errors import KitError, RosterError
from ..messages import say

log = logging.getLogger("kit.web")

MAX_ROSTER_BYTES = 10 * 1024 * 1024  # 10 MiB: a district's year fits in far less
MAX_ROSTER_ROWS = 50_000
UPLOAD_LIMIT = MAX_ROSTER_BYTES + 64 * 1024  # the roster and the form around it
ROSTER_SUFFIXES = (".csv", ".xlsx")
ACTIVE = ("queued", "running")
STATUS_LABELS = {"planned": "pas lancé", "queued": "en attente", "running": "en cours",
                 "done": "fini", "interrupted": "interrompu", "failed": "arrêté sur une erreur"}
FOLDER = "lots"
CHUNK = 256 * 1024


class RosterRefused(KitError):
    """Raised when an uploaded roster is too big to be read (size, rows): 413."""


def roster_folder(data: Path) -> Path:
    return Path(data) / FOLDER


def job_folder(data: Path, job_id: str) -> Path:
    """The job's folder; `job_id` comes from the database, never from a request alone."""
    return roster_folder(data) / job_id


async def save_upload(upload, folder: Path) -> Path:
    """The uploaded roster as `folder/roster.csv|xlsx`, refused past 10 MiB or 50,000 rows
    before anything parses it."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in ROSTER_SUFFIXES:
        raise RosterError(say("web.roster_suffix"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"roster{suffix}"
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_ROSTER_BYTES:
                raise RosterRefused(say("web.roster_too_big", limit=MAX_ROSTER_BYTES // (1024 * 1024)))
            out.write(chunk)
    rows = count_rows(path)
    if rows > MAX_ROSTER_ROWS:
        raise RosterRefused(say("web.roster_too_many_rows", rows=rows, limit=MAX_ROSTER_ROWS))
    return path


def count_rows(path: Path) -> int:
    """Lines of a .csv, `<row` elements of a workbook's sheets: counted on the bytes, so a
    huge table is refused before a parser spends time on it (a quoted line break or an
    empty row only counts one more)."""
    if path.suffix == ".csv":
        return path.read_bytes().count(b"\n") + 1
    from ..batch.roster import MAX_XLSX_UNPACKED
    rows = unpacked = 0
    try:
        with zipfile.ZipFile(path) as book:
            for member in book.infolist():
                if not member.filename.startswith("xl/worksheets/"):
                    continue
                with book.open(member) as sheet:
                    tail = b""
                    while chunk := sheet.read(CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_XLSX_UNPACKED:
                            raise RosterRefused(say("web.roster_unpacked"))
                        rows += (tail + chunk).count(b"<row") - tail.count(b"<row")
                        tail = chunk[-8:]
    except (zipfile.BadZipFile, OSError):
        raise RosterError(say("roster.bad_xlsx", file=path.name)) from None
    return rows


# --- in a rendering process: the plan ---

@functools.lru_cache(maxsize=2)
def _library(lesson_dirs: tuple):
    from .. import api
    return api.load_available(lesson_dirs)


def make_plan(roster: str, lesson_dirs: tuple, contacts: str | None, documents: tuple,
              editions: tuple) -> dict:
    """What `kit batch` will make of this roster, said before it runs: the rows it makes,
    the bad rows and why, the lessons found, and the PDFs and pages to expect."""
    from ..batch.plan import plan
    from ..batch.roster import read_roster
    from ..batch.run import _problem
    from ..catalogue import plain_title
    from . import work
    library = _library(lesson_dirs)
    table = read_roster(Path(roster))
    problems: dict = {}

    def check(lesson):  # with the lesson's own contacts, as its packets will be printed
        if lesson.id not in problems:
            problems[lesson.id] = _problem(library, lesson, work.contacts_of(lesson.id))
        return problems[lesson.id]
    packets = plan(table.rows, library, documents, editions, lambda lesson: "", check)
    lessons: dict[str, dict] = {}
    pages = 0
    for packet in packets:
        seen = lessons.setdefault(packet.lesson.id, {"id": packet.lesson.id, "rows": 0,
                                                     "title": plain_title(packet.lesson)})
        seen["rows"] += 1
        for document, edition, _ in packet.files:
            pages += _pages(packet.lesson, document, edition)
    bad = [{"row": r.number, "reasons": r.errors, "school": r.cells.get("school", ""),
            "class": r.cells.get("class_name", "")} for r in table.rows if r.errors]
    return {"rows": len(table.rows), "make": len(packets), "bad": bad,
            "lessons": sorted(lessons.values(), key=lambda l: -l["rows"]),
            "pdfs": sum(len(p.files) for p in packets), "pages": pages,
            "warnings": list(table.warnings)}


_page_counts: dict[tuple, int] = {}


def _pages(lesson, document: str, edition: str) -> int:
    """Pages of the document without a class's details: what a packet prints, give or take
    a line that wraps. Drawn once per lesson version in each process."""
    import pypdfium2

    from ..batch.plan import lesson_hash
    from ..render import render_document
    from . import work
    key = (lesson_hash(lesson), document, edition)
    if key not in _page_counts:
        data = render_document(lesson, document, edition=edition,
                               local_contacts=work.contacts_of(lesson.id),
                               theme=work._state.get("theme")).data
        _page_counts[key] = len(pypdfium2.PdfDocument(data))
    return _page_counts[key]


# --- in a process of its own: the batch ---

class ServerGone(BaseException):
    """Raised in a running batch when the server stopped: the pool stops, the files made
    are kept, and the job is marked interrupted."""


def run_job(data: str, job_id: str, run: str, options: dict) -> None:
    """`kit.batch.run` on the job's folder, its progress written to the database as rows
    finish. Runs in a spawned process started by the server."""
    from ..batch import run as run_batch
    from .store import Store
    _follow_parent()
    store = Store(Path(data))
    folder = job_folder(Path(data), job_id)
    started, first = time.monotonic(), None
    parent = os.getppid()

    def on_row(done: int, total: int) -> None:
        nonlocal first
        if os.getppid() != parent:
            raise ServerGone()
        first = first if first is not None else (done - 1, time.monotonic())
        rate = (done - first[0]) / max(time.monotonic() - started, 1e-3)
        left = (total - done) / rate if rate else None
        store.set_job(job_id, run, progress_done=done, progress_total=total,
                      result=_with(store, job_id, rate=round(rate, 2),
                                   left=round(left) if left is not None else None))
    try:
        summary = run_batch(_roster(folder), folder / "out", progress="none", merge="school",
                            on_row=on_row, **options)
    except ServerGone:
        store.set_job(job_id, run, status="interrupted")
    except KitError as error:
        store.set_job(job_id, run, status="failed", error=_public(error.format_message(), folder))
    else:
        store.set_job(job_id, run, status="done", progress_done=summary.rows,
                      progress_total=summary.rows,
                      result=_with(store, job_id, left=0, summary={
                          "rows": summary.rows, "ok": summary.ok, "failed": summary.failed,
                          "unchanged": summary.unchanged, "pages": summary.pages,
                          "seconds": round(summary.seconds, 1)}))
    finally:
        store.close()


def _with(store, job_id: str, **values) -> dict:
    job = store.job(job_id, "batch")
    return {**((job or {}).get("result") or {}), **values}


def _follow_parent() -> None:
    """Stop with the server: Ctrl-C is the server's to handle; SIGTERM, and on Linux the
    server's death, end the batch cleanly (workers stopped, finished files kept)."""
    def gone(*_):
        raise ServerGone()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, gone)
    from .work import die_with_server
    die_with_server()  # elsewhere, each finished row checks that the server is still there


def _roster(folder: Path) -> Path:
    return next(folder / f"roster{s}" for s in ROSTER_SUFFIXES if (folder / f"roster{s}").exists())


def _public(message: str, folder: Path) -> str:
    """A message without the server's folders in it."""
    return message.replace(str(folder) + os.sep, "").replace(str(folder), "")


public_message = _public


# --- in the server: the queue ---

class BatchQueue:
    """Starts queued jobs, at most `limit` at once, and notices when they end."""

    def __init__(self, kit, limit: int = 1):
        self.kit, self.limit = kit, limit
        self.running: dict[str, multiprocessing.Process] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        store = self.kit.store
        for job in store.jobs_with("batch", "running"):  # the server stopped under it
            store.set_job(job["id"], status="interrupted")
        self._task = asyncio.get_running_loop().create_task(self._loop())

    def wake(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            self._reap()
            for job in self.kit.store.jobs_with("batch", "queued"):
                if len(self.running) >= self.limit:
                    break
                self._launch(job)

    def _launch(self, job: dict) -> None:
        run = secrets.token_urlsafe(8)
        result = {**(job["result"] or {}), "run": run, "rate": None, "left": None}
        self.kit.store.set_job(job["id"], status="running", result=result, error=None)
        from . import work
        config = self.kit.config
        options = {"documents": tuple(job["request"]["documents"]),
                   "editions": tuple(job["request"]["editions"]), "workers": config.workers,
                   "lesson_dirs": tuple(str(p) for p in config.library_dirs),
                   "contacts": str(config.contacts) if config.contacts else None,
                   "lesson_contacts": work._state.get("own", {}),  # saved by the editor
                   "theme": str(config.theme) if config.theme else None}
        process = multiprocessing.get_context("spawn").Process(
            target=run_job, args=(str(config.data), job["id"], run, options), daemon=False)
        process.start()  # from the event loop's thread, which lives as long as the server
        self.running[job["id"]] = process

    def _reap(self) -> None:
        for job_id, process in list(self.running.items()):
            if process.is_alive():
                continue
            process.join()
            del self.running[job_id]
            job = self.kit.store.job(job_id, "batch")
            if job and job["status"] == "running":  # it died without a word
                self.kit.store.set_job(job_id, status="failed",
                                       error=say("web.batch_died"))

    def cancel(self, job_id: str) -> None:
        process = self.running.pop(job_id, None)
        if process is not None:
            process.terminate()
            process.join(10)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        for job_id, process in list(self.running.items()):
            process.terminate()  # SIGTERM: the batch stops its workers and keeps its files
        for job_id, process in list(self.running.items()):
            await asyncio.to_thread(process.join, 15)
            if process.is_alive():
                process.kill()
            job = self.kit.store.job(job_id, "batch")
            if job and job["status"] == "running":
                self.kit.store.set_job(job_id, status="interrupted")
        self.running.clear()


def delete_folder(data: Path, job_id: str) -> None:
    shutil.rmtree(job_folder(data, job_id), ignore_errors=True)


# --- what a finished job offers ---

def out_folder(data: Path, job_id: str) -> Path:
    return job_folder(data, job_id) / "out"


def packet_files(out: Path) -> list[Path]:
    """Every packet PDF and the report, in a stable order; never a link, never the
    manifest or a temporary part, never the per-school print files (offered apart)."""
    if not out.is_dir():
        return []
    found = []
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if (path.is_symlink() or not path.is_file() or relative.parts[0] == "impression"
                or any(p.startswith(".") for p in relative.parts)
                or path.suffix not in (".pdf", ".csv")):
            continue
        found.append(path)
    return found


def print_files(out: Path) -> list[str]:
    folder = out / "impression"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.suffix == ".pdf" and p.is_file() and not p.is_symlink())


class _Sink:
    """What zipfile writes to: a buffer emptied as the response sends it (no seek, so
    zipfile writes data descriptors and never needs the whole zip in memory)."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def stream_zip(out: Path):
    """packets.zip, made as it is sent: a few hundred KiB in memory, whatever its size."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed
        for path in packet_files(out):
            info = entry(path.relative_to(out).as_posix(), zipfile.ZIP_STORED)
            with archive.open(info, "w", force_zip64=True) as member, path.open("rb") as source:
                while chunk := source.read(CHUNK):
                    member.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()


def progress_view(job: dict) -> dict:
    """Rows done, percent, rate and time left, as the page and the events say them."""
    done, total = job["progress_done"], job["progress_total"]
    result = job["result"] or {}
    if job["status"] == "done":
        done = total = max(total, (result.get("plan") or {}).get("rows", 0))
    percent = 100 if job["status"] == "done" else (int(100 * done / total) if total else 0)
    return {"id": job["id"], "status": job["status"], "done": done, "total": total,
            "percent": percent, "rate": result.get("rate"), "left": result.get("left"),
            "summary": result.get("summary"), "error": job["error"]}


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
