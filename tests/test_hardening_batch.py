"""The batch and the build under hostile or unlucky conditions (issue 13): one bad row,
a lying workbook, a lesson the layout probe cannot use, signals, leftovers, a Dask
worker or scheduler that goes away, and random rosters."""
from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kit.batch
from kit import api, catalogue
from kit import render as render_module
from kit.batch import roster as roster_module
from kit.batch.run import InlineExecutor
from kit.cli import main
from kit.errors import RenderError

from .conftest import ROOT, page_texts
from .test_batch_run import report  # report.csv read with English column names

LESSON = "cyberharcelement-temoin-actif"
HEADER = "Établissement;Ville;Classe;Séance;Date;Intervenant;Référent;Effectif"
batch_run = sys.modules["kit.batch.run"]


def roster(tmp_path, *rows, name="roster.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    return path




def batch(path, out, **options):
    options.setdefault("executor", InlineExecutor())
    options.setdefault("documents", ("worksheet",))
    return kit.batch.run(path, out, progress="none", **options)


# --- 3: the manifest and the report are never written through a link -----------------

def test_batch_files_that_are_links_are_replaced_never_written_through(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victims = {name: tmp_path / f"victim-{name}" for name in (".kit-batch.jsonl", "report.csv")}
    for name, victim in victims.items():
        victim.write_text("precious\n")
        (out / name).symlink_to(victim)
    assert batch(roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;"), out).ok == 1
    assert all(v.read_text() == "precious\n" for v in victims.values())
    assert not any((out / name).is_symlink() for name in victims)
    assert report(out)[2]["status"] == "ok" and batch(roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;"),
                                                      out).unchanged == 1


# --- 5: one row that cannot be laid out -----------------------------------------------

@pytest.mark.parametrize("cap", [200, 100_000])
def test_a_huge_cell_is_that_rows_error_and_the_others_are_made(tmp_path, capsys, monkeypatch, cap):
    monkeypatch.setattr(roster_module, "MAX_CELL", cap, raising=False)  # 100_000: the layout says it
    path = roster(tmp_path, f"Collège A;;5e {'B' * 2000};{LESSON};;;;", f"Collège A;;5e C;{LESSON};;;;")
    out = tmp_path / "out"
    assert main(["batch", str(path), "--out", str(out), "--workers", "1", "--quiet",
                 "--docs", "guide,worksheet,family-letter"]) == 1
    rows = report(out)
    assert rows[2]["status"] == "error" and rows[3]["status"] == "ok"
    if cap < 1000:
        assert "a 2003 caractères" in rows[2]["message"]
    else:  # laid out, and found not to fit: a located error of that row alone
        assert "family-letter" in rows[2]["message"] or "guide" in rows[2]["message"]
    assert "5e C" in page_texts((out / rows[3]["files"].split(" | ")[1]).read_bytes())[0]
    assert "Traceback" not in capsys.readouterr().err


# --- 6: workbooks that lie or attack --------------------------------------------------

def _workbook(tmp_path, rows, patch=None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Établissement", "Classe", "Séance"])
    for row in rows:
        sheet.append(row)
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if patch and item.filename == "xl/worksheets/sheet1.xml":
                data = patch(data)
            target.writestr(item, data)
    return path


def test_an_xlsx_with_a_wrong_dimension_loses_no_row(tmp_path):
    rows = [["Collège A", f"5e {c}", LESSON] for c in "ABCDE"]
    path = _workbook(tmp_path, rows, lambda d: re.sub(rb'<dimension ref="[^"]+"',
                                                       b'<dimension ref="A1:C2"', d))
    assert b'ref="A1:C2"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    table = kit.batch.read_roster(path)
    assert [r.cells["class_name"] for r in table.rows] == [f"5e {c}" for c in "ABCDE"]
    summary = batch(path, tmp_path / "out")
    assert (summary.rows, summary.ok) == (5, 5) and len(report(tmp_path / "out")) == 5


@pytest.mark.parametrize("dtd", [
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
])
def test_an_xlsx_declaring_a_dtd_is_refused(tmp_path, capsys, dtd):
    path = _workbook(tmp_path, [["Collège A", "5e A", LESSON]],
                     lambda d: b'<?xml version="1.0"?>' + dtd + d)
    out = tmp_path / "out"
    assert main(["batch", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "déclare une DTD" in err and len(err.splitlines()) == 1 and not out.exists()


# --- 8: a lesson the layout probe cannot use ------------------------------------------

def test_a_lesson_the_probe_cannot_lay_out_is_laid_out_in_full_for_each_row(tmp_path, lesson_copy):
    lesson_copy([("Coche la réponse qui te semble juste.",
                  "Coche la réponse qui te semble juste ({{ {}.get('x', session.students or 0) + 1 }}).")])
    assert [p for p in api.check([tmp_path]) if p.severity == "error"] == []
    path = roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;27", f"Collège A;;5e B;{LESSON};;;;30")
    out = tmp_path / "out"
    assert batch(path, out, lesson_dirs=[tmp_path]).ok == 2
    rows = report(out)
    assert "juste (28)" in " ".join(page_texts((out / rows[2]["files"]).read_bytes()))
    assert "juste (31)" in " ".join(page_texts((out / rows[3]["files"]).read_bytes()))


# --- NFC / NFD ------------------------------------------------------------------------

def test_two_spellings_of_one_school_make_one_folder_and_one_print(tmp_path):
    nfc = "Collège Les Genêts"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    path = roster(tmp_path, f"{nfc};;5e A;{LESSON};;;;", f"{nfd};;5e B;{LESSON};;;;",
                  f"{nfd};;5e A;{LESSON};;;;")
    out = tmp_path / "out"
    summary = batch(path, out, merge="school")
    rows = report(out)
    assert "copie exacte de la ligne 2" in rows[4]["message"]
    assert (summary.ok, summary.merged) == (2, ["impression/college-les-genets.pdf"])
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["college-les-genets", "impression"]


# --- 14: leftovers --------------------------------------------------------------------

def test_stale_part_files_of_a_killed_run_are_removed_and_a_running_ones_kept(tmp_path):
    out = tmp_path / "out" / "college-a"
    out.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = out / f".x-fiche-eleve.pdf.{dead}.abcd1234.part"
    running = out / f".x-fiche-eleve.pdf.{os.getpid()}.efgh5678.part"
    users = out / "notes.part"
    for path in (stale, running, users):
        path.write_bytes(b"%PDF-1.4 half")
    batch(roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;"), tmp_path / "out")
    assert not stale.exists() and running.exists() and users.exists()


# --- 15: a failed build adds no file ---------------------------------------------------

def test_a_failed_build_leaves_no_new_file_and_no_staging_folder(tmp_path, monkeypatch, library):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "mine.txt").write_text("à moi")
    real, calls = render_module.render_document, []

    def failing(lesson, document, **options):
        calls.append(document)
        if len(calls) == 2:
            raise RenderError("disk on fire")
        return real(lesson, document, **options)
    monkeypatch.setattr(render_module, "render_document", failing)
    with pytest.raises(RenderError, match="disk on fire"):
        catalogue.build(library.only(library.get(LESSON)), out, documents=["worksheet", "guide"],
                        editions=("standard",), workers=1)
    assert len(calls) == 2
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    monkeypatch.setattr(render_module, "render_document", real)
    built = catalogue.build(library.only(library.get(LESSON)), out, documents=["worksheet"],
                            editions=("standard",), workers=1)
    assert sorted(p.name for p in out.iterdir()) == sorted([".kit-build.json", "index.html", "index.json", LESSON, "mine.txt"])
    assert (out / built[0].path).is_file() and f"{LESSON}/{built[0].path.split('/')[1]}" in \
        (out / "index.json").read_text()


# --- 14: signals -----------------------------------------------------------------------

def _children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def _start_build(tmp_path) -> tuple[subprocess.Popen, set[int]]:
    out = tmp_path / "dist"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "kit.cli", "build", "--out", str(out),
                                "--workers", "2", "--variant", "standard", "--variant", "dys"],
                               env=env, stderr=subprocess.PIPE, text=True)
    deadline, workers = time.monotonic() + 60, set()
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if len(workers) >= 2 and any(out.rglob("*.pdf")):  # working: a PDF is staged
            return process, workers
        time.sleep(0.05)
    process.kill()
    pytest.fail("the build did not start its workers within a minute")


@pytest.mark.parametrize("signum,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_to_the_build_stops_every_worker_and_leaves_no_file(tmp_path, signum, code):
    process, workers = _start_build(tmp_path)
    process.send_signal(signum)  # to the main process alone, as `kill` does
    _, err = process.communicate(timeout=30)
    assert process.returncode == code, err
    assert "interrompu" in err and "Traceback" not in err
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in workers)
    assert not [p for p in (tmp_path / "dist").rglob("*") if p.is_file()]


def test_ctrl_c_while_the_kit_is_loading_prints_no_traceback():
    # Ctrl-C arrives while kit.cli imports its library (what takes time at start-up):
    # an import hook raises it there, every time, whatever the machine's speed.
    code = ("import sys\n"
            "class CtrlC:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'kit.api':\n"
            "            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, CtrlC())\n"
            "import kit.cli\n"
            "sys.exit(kit.cli.main(['list']))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert done.returncode == 130 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == "interrompu"


# --- 16: a real Dask cluster losing a worker, then its scheduler ----------------------

def _dask_roster(tmp_path, classes: str) -> Path:
    return roster(tmp_path, *(f"Collège A;;5e {c};{LESSON};;;;" for c in classes), name="dask.csv")


@pytest.fixture
def dask_cluster(tmp_path):
    """`dask scheduler` and `dask worker` (two worker processes) started as the command
    line does, in their own process groups so the test can kill them as it likes. A task
    whose worker dies is not retried (allowed-failures 0), so the test is deterministic."""
    pytest.importorskip("distributed")
    # KIT_CACHE_DIR empty: each worker lays its templates out, as on a district's first run;
    # templates from the cache would finish every row before the test can kill a worker
    env = dict(os.environ, PYTHONPATH=str(ROOT), DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="0",
               KIT_CACHE_DIR="")
    file = tmp_path / "scheduler.json"
    started = []

    def start(*arguments):
        started.append(subprocess.Popen([sys.executable, "-m", "distributed.cli." + arguments[0],
                                         *arguments[1:]], env=env, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return started[-1]
    try:
        # loopback only: the scheduler and workers never listen on another address
        scheduler = start("dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                          "--scheduler-file", str(file))
        start("dask_worker", "--host", "127.0.0.1", "--scheduler-file", str(file), "--nworkers", "2",
              "--nthreads", "1",
              "--no-dashboard")
        yield scheduler, file
    finally:
        for process in started:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=30)


@pytest.mark.slow  # 10 to 20 s: a real scheduler and worker processes
def test_dask_worker_killed_then_scheduler_gone(tmp_path, monkeypatch, dask_cluster):
    import distributed
    scheduler, file = dask_cluster
    with distributed.Client(scheduler_file=str(file), timeout=60) as client:
        client.wait_for_workers(2, timeout=60)
        address, pids = client.scheduler.address, sorted(client.run(os.getpid).values())
    real_land, landed, out = batch_run._land, [], tmp_path / "out"

    def landing(kill):
        def land(result, packet, out_, manifest):
            landed.append(packet.row.number)
            if len(landed) == 1:
                kill()
            return real_land(result, packet, out_, manifest)
        return land

    # Each worker runs one row at a time: with two documents a row, rows are still queued
    # on both workers when the first one lands, even on a busy machine.
    path, documents = _dask_roster(tmp_path, "ABCDEFGH"), ("worksheet", "guide")
    monkeypatch.setattr(batch_run, "_land", landing(lambda: os.kill(pids[0], signal.SIGKILL)))
    summary = kit.batch.run(path, out, documents=documents, scheduler=address, progress="none")
    rows = report(out)
    assert summary.ok + summary.failed == 8 and summary.failed >= 1
    assert {r["status"] for r in rows.values()} == {"ok", "error"}
    assert all(r["message"].startswith("pas faite : son processus Dask s'est arrêté")
               for r in rows.values() if r["status"] == "error")
    monkeypatch.setattr(batch_run, "_land", real_land)
    again = kit.batch.run(path, out, documents=documents, scheduler=address, progress="none")
    assert (again.unchanged, again.ok, again.failed) == (summary.ok, summary.failed, 0)

    landed.clear()
    monkeypatch.setattr(batch_run, "CONNECT_TIMEOUT", 3)
    monkeypatch.setattr(batch_run, "_land", landing(lambda: scheduler.send_signal(signal.SIGKILL)))
    with pytest.raises(batch_run.SchedulerLost, match="ordonnanceur Dask ne répond plus"):
        kit.batch.run(_dask_roster(tmp_path, "IJKLMNOP"), out, documents=("worksheet",),
                      scheduler=address, progress="none")
    rows = report(out)
    first = landed[0]  # the row that finished first (either worker's) is kept
    assert len(rows) == 8 and rows[first]["status"] == "ok"
    assert all(r["message"].startswith("pas faite : l'ordonnanceur Dask ne répond plus")
               for r in rows.values() if r["status"] == "error")
    assert (out / rows[first]["files"]).is_file()
    assert main(["batch", str(path), "--out", str(tmp_path / "x"), "--scheduler", address,
                 "--docs", "worksheet"]) == 1  # gone: a one-line error, exit 1


# --- the property: random rosters -----------------------------------------------------

LONG = st.builds(lambda c, n: "Collège " + c * n, st.sampled_from(["x", "é", "W", "W "]),
                 st.integers(150, 2500))
CELL = st.one_of(
    LONG,
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs"]), max_size=6),
    st.sampled_from(["Collège Les Genêts", unicodedata.normalize("NFD", "Collège Les Genêts"),
                     "=1+1", "../../etc", "CON", "31/02/2027", "2027-11-09", "-3", "27", ""]),
)
ROW = st.tuples(CELL, st.one_of(LONG, CELL), st.sampled_from([LESSON, LESSON, "nope", ""]), CELL, CELL)


@settings(max_examples=5, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=4))
@example(rows=[("Collège " + "x" * 2000, "5e A", LESSON, "", ""), ("Collège B", "5e B", LESSON, "", "")])
def test_random_rosters_every_row_is_made_or_reported(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("random")
    path = folder / "roster.csv"
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["Établissement", "Classe", "Séance", "Date", "Effectif"])
        writer.writerows(rows)
    out = folder / "out"
    code = main(["batch", str(path), "--out", str(out), "--docs", "worksheet", "--workers", "1",
                 "--quiet"])
    assert code in (0, 1, 2)
    if code == 2:  # only when no data row could be told apart from a header
        return
    table = kit.batch.read_roster(path)
    reported = report(out)
    assert sorted(reported) == sorted(r.number for r in table.rows)
    for row in reported.values():
        assert row["status"] in ("ok", "error", "unchanged")
        if row["status"] == "ok":
            assert all((out / f).is_file() for f in row["files"].split(" | "))


# --- siblings: files the kit reads in OUT or a theme folder, that someone replaced -------

def test_a_pipe_or_a_link_where_the_kit_keeps_its_own_files_is_not_read(tmp_path, library):
    out = tmp_path / "dist"
    out.mkdir()
    os.mkfifo(out / ".kit-build.json")  # reading it would wait for a writer forever
    built = catalogue.build(library.only(library.get(LESSON)), out, documents=["worksheet"],
                            editions=("standard",), workers=1)
    assert built and (out / ".kit-build.json").is_file()
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "styles.yaml").write_text("colors:\n  accent: '#006400'\n")
    os.mkfifo(theme / "notes.fifo")
    (theme / "secret.txt").symlink_to("/dev/zero")  # a digest of it would never end
    path = roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;")
    assert batch(path, tmp_path / "out", theme=str(theme)).ok == 1
