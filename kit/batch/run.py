"""`kit batch`: every roster row's packet, rendered on any executor, written by this
process alone (atomically), with a report and a manifest that makes re-runs cheap."""
from __future__ import annotations

import logging
import multiprocessing
import os
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    CancelledError,
    Executor,
    Future,
    ThreadPoolExecutor,
    wait,
)
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click

from .. import api, cache
from ..catalogue import check_library, warn_if_stale
from ..documents import document_names, names_help
from ..errors import KitError, LessonError, OutputError
from ..lessons import Library
from ..output import inside, remove_stale_parts, write_atomic
from ..pool import process_pool
from ..messages import os_reason, say
from ..schema import DOCUMENTS
from ..styles import EDITIONS
from ..theme import load_theme
from ..translations import translation_for
from ..yamlfile import display_name
from . import stamp
from .plan import (
    Manifest,
    Packet,
    Profile,
    assets_digest,
    date_warning,
    lesson_hash,
    plan,
    profile_digest,
    unused_columns,
)
from .progress import Progress
from .report import RowReport, merge_schools, write_report
from .roster import read_roster
from .worker import PacketResult, PacketTask, render_packet

log = logging.getLogger("kit")
DEFAULT_DOCUMENTS = ("guide", "worksheet", "family-letter")
DEFAULT_OUT = Path("batch-out")
TASKS_PER_WORKER = 4  # tasks in flight per worker: keeps workers busy and memory flat
WRITERS = 8  # threads writing finished rows: their disk syncs overlap
LANDING_KEPT = 64  # finished rows waiting to be written, at most (memory stays flat)
MERGE_BY = ("school",)
CONNECT_TIMEOUT = 30  # seconds to reach the scheduler, and to wait for it to come back
CLOSE_TIMEOUT = 5  # seconds to say goodbye to a Dask scheduler, which may be gone
_RECORDING = threading.Lock()



@dataclass
class Summary:
    """What a batch did; `exit_code` is 0 when every row is ok or unchanged, else 1."""

    rows: int = 0
    ok: int = 0
    failed: int = 0
    unchanged: int = 0
    pages: int = 0
    seconds: float = 0.0
    report: Path | None = None
    warnings: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)  # (roster row, why)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def __str__(self) -> str:
        return say("batch.summary", rows=self.rows, ok=self.ok, failed=self.failed,
                   unchanged=self.unchanged, pages=self.pages,
                   seconds=f"{self.seconds:.1f}".replace(".", ","), report=self.report_name)

    @property
    def report_name(self) -> str:
        return display_name(self.report) if self.report else "report.csv"

    def failure_lines(self, limit: int = 20) -> list[str]:
        """The failed rows for the terminal: the first `limit`, then how many more."""
        lines = [say("batch.row", row=row, why=why) for row, why in self.failures[:limit]]
        if len(self.failures) > limit:
            lines.append(say("batch.more_failures", count=len(self.failures) - limit,
                             report=self.report_name))
        return lines


class RowsFailed(KitError):
    """Raised by `kit batch` when some rows failed (the others are written); exit 1."""

    def __init__(self, summary: Summary, quiet: bool = False):
        self.summary = summary
        super().__init__(say("batch.failed_quiet", failed=summary.failed, report=summary.report_name)
                         if quiet else str(summary))

    def show(self, file=None) -> None:
        click.echo(self.format_message(), file=file, err=True)


class SchedulerLost(KitError):
    """Raised when the Dask scheduler goes away mid-run; the rows finished are kept."""


class InlineExecutor(Executor):
    """Runs each task in this process when submitted: `--workers 1`, and tests."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def run(roster, out=DEFAULT_OUT, *, documents=DEFAULT_DOCUMENTS, editions=("standard",),
        executor: Executor | None = None, workers: int | None = None, scheduler: str | None = None,
        force: bool = False, progress: str = "auto", merge: str | None = None,
        lesson_dirs=(), use_templates: bool = True, contacts=None, theme=None,
        on_row=None, languages=(), lesson_contacts=None) -> Summary:
    """Make every row's packet under `out`; a bad row is reported, the others are made.

    `contacts` (a profile file) and `theme` (a folder) apply to every packet, as in
    `kit render`; `lesson_contacts` ({lesson id: contacts}) are a lesson's own, printed
    instead (`kit serve`'s editor saves them with the lesson). `on_row(done, total)` is called as each row finishes (`kit serve`'s
    progress). Raises RosterError (nothing written) when the roster cannot be read.
    """
    start = time.monotonic()
    documents, editions = _check_options(documents, editions, merge)
    table = read_roster(Path(roster))
    for row in table.rows:  # --language: for every row, after its own « langues »
        row.languages = tuple(dict.fromkeys((*row.languages, *languages)))
    out = _make_folder(Path(out))  # an unwritable folder fails before anything is drawn
    remove_stale_parts(out)  # left by a run that was killed
    library = api.load_available(lesson_dirs)
    profile = Profile(api.local_contacts(contacts), load_theme(theme), dict(lesson_contacts or {}))
    warn_if_stale()
    assets, environments = assets_digest(), {}
    def environment(lesson):  # what a lesson's packets depend on besides their row
        contacts = tuple(profile.contacts_for(lesson.id))
        if contacts not in environments:
            environments[contacts] = assets + profile_digest(contacts, profile.theme)
        return environments[contacts]
    problems: dict[str, str | None] = {}
    def check(lesson):  # each lesson used is render-checked once
        if lesson.id not in problems:
            problems[lesson.id] = _problem(library, lesson, profile.contacts_for(lesson.id),
                                           environment(lesson))
        return problems[lesson.id]
    def translate(lesson, language, document):  # a row's « langues » (kit/translations.py)
        return translation_for(lesson, language, document, api.lesson_folders(lesson_dirs))
    packets = plan(table.rows, library, documents, editions, environment, check, translate)
    found = [*unused_columns(table.rows, documents),  # the roster's own were said on reading
             *(say("batch.row", row=p.row.number, why=w) for p in packets
               if (w := date_warning(p.row.session)))]
    for warning in found:
        log.warning(warning)
    warnings = [*table.warnings, *found]
    reports = {r.number: _failed(r, " ; ".join(r.errors)) for r in table.rows if r.errors}
    manifest = Manifest(out)
    todo = []
    for packet in packets:
        if not force and manifest.unchanged(packet):
            reports[packet.row.number] = _report(packet, "unchanged")
        else:
            todo.append(packet)
    bar = Progress(len(table.rows), progress, unit="ligne", done=len(table.rows) - len(todo))
    lost = None
    try:
        with _executor(executor, workers, scheduler, todo, use_templates, profile) as (pool, window):
            try:
                for packet, report in _render(pool, window, todo, out, manifest, use_templates,
                                              profile):
                    reports[packet.row.number] = report
                    bar.update()
                    if on_row is not None:
                        on_row(bar.done, bar.total)
            except SchedulerLost as error:  # the report below keeps every finished row
                lost = error
    finally:
        bar.close()
        manifest.compact()
    for row in table.rows:  # every row read is reported, whatever happened
        reports.setdefault(row.number, _failed(row, say("batch.not_done", why=say("batch.not_handled"))))
    summary = _summary(table.rows, packets, reports, manifest, warnings)
    summary.report = write_report(out, list(reports.values()))
    if lost:
        raise lost
    if merge:
        changed = {p.school_folder for p in packets if reports[p.row.number].status == "ok"}
        summary.merged = merge_schools(out, _by_school(packets, reports), changed,
                                       {p.school_folder: p.row.session.school for p in packets})
    summary.seconds = time.monotonic() - start
    return summary


def _check_options(documents, editions, merge) -> tuple[tuple, tuple]:
    aliases = document_names()
    documents = tuple(aliases.get(d, d) for d in documents or DEFAULT_DOCUMENTS)
    editions = tuple(editions or ("standard",))
    unknown = [d for d in documents if d not in DOCUMENTS]
    unknown += [e for e in editions if e not in EDITIONS]
    if unknown:
        raise KitError(say("batch.unknown_option", unknown=", ".join(unknown), documents=names_help(),
                           editions=", ".join(EDITIONS)))
    if merge and merge not in MERGE_BY:
        raise KitError(say("batch.merge", merge=merge))
    return documents, editions


def _problem(library: Library, lesson, local_contacts=(), environment: str = "") -> str | None:
    """Why a lesson's text cannot be printed (an unknown placeholder...), or None.
    A text that passed with the same assets and contacts (kit.cache) is not rendered again."""
    passed = cache.key("text-checked", lesson_hash(lesson), environment)
    checked = {lesson.id} if cache.get(passed) else set()
    try:
        check_library(library.only(lesson), local_contacts, text_checked=checked)
    except LessonError as error:
        return "; ".join(str(p) for p in error.problems[:3])
    cache.put(passed, True)
    return None


def _make_folder(out: Path) -> Path:
    """The output folder, made if needed and proved writable (a file is made and removed)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise OutputError(say("batch.out_not_writable", folder=out, why=os_reason(error))) from None
    return out.resolve()


@contextmanager
def _executor(executor, workers, scheduler, todo=(), use_templates=True, profile=None):
    """The given executor, a Dask cluster's, this process (one worker) or a process pool."""
    if executor is not None:
        yield executor, TASKS_PER_WORKER * (workers or os.cpu_count() or 1)
        return
    if scheduler:
        client = _dask_client(scheduler)
        try:
            workers = max(len(client.scheduler_info().get("workers", {})), 1)
            yield client.get_executor(), TASKS_PER_WORKER * workers
        finally:
            client.close(timeout=CLOSE_TIMEOUT)
        return
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        yield InlineExecutor(), 1
        return
    context = None
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        if use_templates:  # laid out once (in parallel), inherited by every worker
            _prepare_templates(todo, profile or Profile(), workers, context)
    with process_pool(workers, context) as pool:  # Ctrl-C, SIGTERM: no worker left running
        yield pool, TASKS_PER_WORKER * workers


def _prepare_templates(todo, profile: Profile, workers: int = 1, context=None) -> None:
    wanted = ((packet.lesson_hash, packet.lesson, document, edition,
               stamp.present_fields(packet.row.session))
              for packet in todo for document, edition, _ in packet.files
              if "@" not in document)  # a family's language: laid out in full for each row
    by_contacts: dict[tuple, list] = {}
    for item in wanted:  # a lesson with its own contacts is laid out with them
        by_contacts.setdefault(tuple(profile.contacts_for(item[1].id)), []).append(item)
    for contacts, items in by_contacts.items():
        stamp.prepare(items, contacts, profile.theme, workers, context)


def _dask_client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise KitError(say("batch.no_dask")) from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError):
        raise KitError(say("batch.no_scheduler", address=address)) from None


def _render(pool, window, todo, out, manifest, use_templates, profile=None):
    """Yield (packet, report) as rows land, keeping at most `window` rows in flight.

    A packet leaves `waiting` only once submitted and `pending` only once its result is
    in hand, so a broken pool (raised by `submit` or `result`) reports every row not done.
    Finished rows are written by a few threads (`landing`): each file is synced to disk
    before it is renamed into place, and syncs made side by side cost one disk wait.
    """
    waiting, pending, landing = deque(todo), {}, {}
    with ThreadPoolExecutor(WRITERS, thread_name_prefix="kit-land") as writer:
        try:
            while waiting or pending or landing:
                while waiting and len(pending) < window and len(landing) < LANDING_KEPT:
                    future = pool.submit(render_packet, _task(waiting[0], use_templates, profile))
                    pending[future] = waiting.popleft()
                done, _ = wait([*pending, *landing], return_when=FIRST_COMPLETED)
                for future in [f for f in pending if f in done]:  # in roster order
                    try:
                        result = future.result()
                    except _lost_worker():  # this row's worker died: the others go on
                        packet = pending.pop(future)
                        yield packet, _report(packet, "error", say(
                            "batch.not_done", why=say("batch.dask_worker_died")))
                        continue
                    packet = pending.pop(future)
                    landing[writer.submit(_land, result, packet, out, manifest)] = packet
                yield from _landed(landing, done)
        except BrokenExecutor:
            yield from _landed(landing)
            why = say("batch.not_done", why=say("batch.worker_died"))
            for packet in [*pending.values(), *waiting]:
                yield packet, _report(packet, "error", why)
        except _lost_scheduler():
            yield from _landed(landing)
            why = say("batch.not_done", why=say("batch.scheduler_lost"))
            for packet in [*pending.values(), *waiting]:
                yield packet, _report(packet, "error", why)
            raise SchedulerLost(say("batch.scheduler_lost_stop")) from None
        finally:
            for future in [*pending, *landing]:  # stopped: rows not started are not written
                future.cancel()


def _landed(landing: dict, done=None):
    """(packet, report) of each row written (all of them, waiting for each, if no `done`)."""
    for future in [f for f in landing if done is None or f in done]:
        yield landing.pop(future), future.result()


def _lost_worker() -> tuple[type[BaseException], ...]:
    """What a future raises when the worker running it died (Dask reschedules a task a
    few times, then gives up with KilledWorker)."""
    try:
        from distributed import KilledWorker
    except ImportError:
        return ()
    return (KilledWorker,)


def _lost_scheduler() -> tuple[type[BaseException], ...]:
    """What submitting or waiting raises once the Dask scheduler is gone."""
    try:
        from distributed.comm.core import CommClosedError
    except ImportError:
        return ()
    return (CancelledError, CommClosedError)


def _task(packet: Packet, use_templates: bool, profile=None) -> PacketTask:
    documents = tuple((document, edition) for document, edition, _ in packet.files)
    profile = profile or Profile()
    return PacketTask(packet.lesson, packet.lesson_hash, packet.row.session, documents,
                      use_templates, profile.contacts_for(packet.lesson.id), profile.theme,
                      packet.translations)


def _land(result: PacketResult, packet: Packet, out: Path, manifest: Manifest) -> RowReport:
    """Write a finished row's PDFs (each atomically), then record it in the manifest."""
    if result.error:
        return _report(packet, "error", result.error)
    sizes = {}
    try:
        for (_, _, path), (data, _) in zip(packet.files, result.pdfs):
            write_atomic(inside(out, *path.split("/")), data)
            sizes[path] = len(data)
    except OutputError as error:
        return _report(packet, "error", error.format_message())
    pages = sum(p for _, p in result.pdfs)
    with _RECORDING:  # rows land from several threads; the manifest gets whole lines
        manifest.record(packet, sizes, pages)
    return _report(packet, "ok")


def _report(packet: Packet, status: str, message: str = "") -> RowReport:
    notes = " ; ".join(x for x in (message, *packet.skipped) if x)
    files = tuple(p for _, _, p in packet.files) if status != "error" else ()
    session = packet.row.session
    return RowReport(packet.row.number, session.school, session.class_name, packet.lesson.id,
                     status, notes, files, session.date.isoformat() if session.date else "")


def _failed(row, message: str) -> RowReport:
    return RowReport(row.number, row.cells.get("school", ""), row.cells.get("class_name", ""),
                     row.cells.get("lesson", ""), "error", message)


def _summary(rows, packets, reports, manifest, warnings) -> Summary:
    statuses = [r.status for r in reports.values()]
    done = [p for p in packets if reports[p.row.number].status != "error"]
    failures = sorted((r.row, r.message) for r in reports.values() if r.status == "error")
    return Summary(rows=len(rows), ok=statuses.count("ok"), failed=statuses.count("error"),
                   unchanged=statuses.count("unchanged"),
                   pages=sum(manifest.pages(p) for p in done), warnings=list(warnings),
                   failures=failures)


def _by_school(packets, reports) -> dict[str, list[str]]:
    schools: dict[str, list[str]] = {}
    for packet in packets:
        if reports[packet.row.number].status != "error":
            schools.setdefault(packet.school_folder, []).extend(p for _, _, p in packet.files)
    return schools
