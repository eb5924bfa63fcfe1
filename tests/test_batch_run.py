"""`kit batch` end to end on small rosters: the PDFs a class receives, the report, the
manifest that makes re-runs cheap and resumable, and the Dask executor."""
from __future__ import annotations

import csv
import io
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

import kit.batch
from kit.batch.run import InlineExecutor
from kit.cli import main
from tests.conftest import page_texts

LESSON = "cyberharcelement-temoin-actif"
TITLE = "CYBERHARCÈLEMENT : ne reste pas spectateur"
HEADER = "Établissement;Ville;Classe;Séance;Date;Intervenant;Référent;Effectif"


def roster(tmp_path, *rows, name="roster.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    return path


# report.csv speaks French; tests name its columns and statuses in English
COLUMNS = {"ligne": "row", "établissement": "school", "classe": "class", "séance": "lesson",
           "statut": "status", "message": "message", "fichiers": "files", "date": "date"}
STATUSES = {"ok": "ok", "erreur": "error", "inchangée": "unchanged"}


def report(out) -> dict[int, dict]:
    text = (out / "report.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    rows = csv.DictReader(io.StringIO(text.decode("utf-8-sig")), delimiter=";")
    assert rows.fieldnames == list(COLUMNS)
    rows = [{COLUMNS[k]: v for k, v in r.items()} for r in rows]
    for r in rows:
        r["status"] = STATUSES[r["status"]]
    return {int(r["row"]): r for r in rows}


def batch(path, out, **options):
    options.setdefault("executor", InlineExecutor())
    options.setdefault("documents", ("worksheet",))
    return kit.batch.run(path, out, progress="none", **options)


@pytest.mark.slow
def test_packets_are_personalised_and_bad_rows_reported(tmp_path):
    path = roster(tmp_path,
                  f"Collège Les Genêts;Nîmes;5e B;{LESSON};09/11/2027;Mme Faÿ;M. Roux;27",
                  f"../../etc;Nîmes;/abs\x01;{TITLE};10/11/2027;;;",
                  f"=HYPERLINK(\"http://x\");Nîmes;CON;{LESSON};;;;",
                  f"Collège Les Genêts;Nîmes;5e C;{LESSON};31/02/2027;;;")
    out = tmp_path / "out"
    summary = batch(path, out, documents=("guide", "worksheet", "family-letter", "certificate"))
    assert (summary.ok, summary.failed, summary.exit_code) == (3, 1, 1)
    rows = report(out)
    assert rows[5]["status"] == "error" and "« 31/02/2027 » n'existe pas" in rows[5]["message"]
    assert rows[4]["school"] == "'=HYPERLINK(\"http://x\")" and rows[4]["status"] == "ok"
    folder = out / "college-les-genets" / "5e-b"
    files = rows[2]["files"].split(" | ")
    assert files == [f"college-les-genets/5e-b/{LESSON}-{part}.pdf"
                     for part in ("guide-animateur", "fiche-eleve", "lettre-familles")]
    assert "certificate non fait" in rows[2]["message"]
    for name in ("guide-animateur", "fiche-eleve", "lettre-familles"):
        pages = page_texts((folder / f"{LESSON}-{name}.pdf").read_bytes())
        assert all("3018" in page for page in pages)
        assert "Collège Les Genêts" in pages[0] and "5e B" in pages[0]
        assert "mardi 9 novembre 2027" in pages[0]
    letter = page_texts((folder / f"{LESSON}-lettre-familles.pdf").read_bytes())[0]
    assert "Mme Faÿ" in letter and "M. Roux" in letter
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert made == sorted([*files, *rows[3]["files"].split(" | "), *rows[4]["files"].split(" | ")])
    assert rows[3]["files"].startswith("etc/abs/") and rows[4]["files"].startswith("hyperlink-http-x/con-x/")


def test_rows_that_slug_to_the_same_folder_never_overwrite_each_other(tmp_path):
    path = roster(tmp_path, f"Collège Saint-Exupéry;;5e A;{LESSON};;;;",
                  f"College Saint Exupery;;5e A;{LESSON};;;;",
                  f"Collège Saint-Exupéry;;5e A;{LESSON};12/11/2027;;;")
    out = tmp_path / "out"
    assert batch(path, out).ok == 3
    rows = report(out)
    assert [rows[n]["files"].rsplit("/", 1)[0] for n in (2, 3, 4)] == [
        "college-saint-exupery/5e-a", "college-saint-exupery-2/5e-a", "college-saint-exupery/5e-a-2"]
    second = page_texts((out / rows[3]["files"]).read_bytes())[0]
    third = page_texts((out / rows[4]["files"]).read_bytes())[0]
    assert "College Saint Exupery" in second and "12 novembre 2027" in third


def test_a_rerun_with_nothing_changed_rewrites_nothing_and_a_change_redoes_one_row(tmp_path):
    rows = [f"Collège A;;5e A;{LESSON};;;;", f"Collège A;;5e B;{LESSON};;;;"]
    out = tmp_path / "out"
    assert batch(roster(tmp_path, *rows), out).ok == 2
    pdfs = sorted(out.rglob("*.pdf"))
    times = {p: p.stat().st_mtime_ns for p in pdfs}
    again = batch(roster(tmp_path, *rows), out)
    assert (again.unchanged, again.ok) == (2, 0)
    assert {r["status"] for r in report(out).values()} == {"unchanged"}
    assert {p: p.stat().st_mtime_ns for p in pdfs} == times
    changed = batch(roster(tmp_path, rows[0], rows[1].replace(";;;;", ";01/12/2027;;;")), out)
    assert (changed.unchanged, changed.ok) == (1, 1)
    assert "1er décembre 2027" in page_texts(pdfs[1].read_bytes())[0]
    assert batch(roster(tmp_path, *rows), out, force=True).ok == 2


def test_a_damaged_manifest_line_redoes_its_packet(tmp_path):
    path, out = roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;"), tmp_path / "out"
    assert batch(path, out).ok == 1
    manifest = out / ".kit-batch.jsonl"
    key = "college-a/5e-a/" + LESSON
    manifest.write_text(f'{{"key": ["x"]}}\n{{"key": "{key}", "digest": "d", "sizes": 3, "pages": 1}}\n')
    again = batch(path, out)
    assert (again.ok, again.unchanged, again.failed) == (1, 0, 0)
    assert batch(path, out).unchanged == 1


class FaultyExecutor(Executor):
    """Runs tasks in this process; the n-th task's future raises `error`. With `broken`,
    every later submit raises it too, as a process pool does once a worker is killed."""

    def __init__(self, fail_at: int, error: BaseException, broken: bool = False):
        self.fail_at, self.error, self.broken, self.count = fail_at, error, broken, 0

    def submit(self, fn, /, *args, **kwargs):
        self.count += 1
        if self.broken and self.count > self.fail_at:
            raise self.error
        future = Future()
        if self.count == self.fail_at:
            future.set_exception(self.error)
        else:
            future.set_result(fn(*args, **kwargs))
        return future


def test_an_interrupted_run_run_again_finishes_the_rest(tmp_path):
    path = roster(tmp_path, *(f"Collège A;;5e {c};{LESSON};;;;" for c in "ABCD"))
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        batch(path, out, executor=FaultyExecutor(3, KeyboardInterrupt()))
    assert len(list(out.rglob("*.pdf"))) == 2 and not list(out.rglob("*.part"))
    resumed = batch(path, out)
    assert (resumed.unchanged, resumed.ok) == (2, 2)
    assert [r["status"] for r in report(out).values()] == ["unchanged"] * 2 + ["ok"] * 2


def test_a_killed_worker_reports_every_row_not_done_and_a_rerun_finishes(tmp_path):
    path = roster(tmp_path, *(f"Collège A;;5e {c};{LESSON};;;;" for c in "ABCDEFG"))
    out = tmp_path / "out"
    killed = FaultyExecutor(6, BrokenProcessPool("a worker was killed"), broken=True)
    summary = batch(path, out, executor=killed, workers=1)  # 4 rows in flight
    assert (summary.ok, summary.failed, summary.exit_code) == (4, 3, 1)
    rows = report(out)
    assert [rows[n]["status"] for n in range(2, 9)] == ["ok"] * 4 + ["error"] * 3
    assert all(rows[n]["message"].startswith("pas faite : un processus s'est arrêté") for n in (6, 7, 8))
    resumed = batch(path, out)
    assert (resumed.unchanged, resumed.ok) == (4, 3)


def test_a_document_failing_for_one_row_spares_the_others(tmp_path, monkeypatch):
    from kit.batch import worker
    from kit.errors import RenderError
    real = worker.render_one

    def flaky(task, document, edition):
        if task.session.class_name == "5e B":
            raise RenderError("disk on fire")
        return real(task, document, edition)
    monkeypatch.setattr(worker, "render_one", flaky)
    out = tmp_path / "out"
    path = roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;", f"Collège A;;5e B;{LESSON};;;;")
    first = batch(path, out)
    assert (first.ok, first.failed) == (1, 1)
    assert report(out)[3]["message"] == "worksheet : disk on fire"
    monkeypatch.setattr(worker, "render_one", real)
    second = batch(path, out)
    assert (second.ok, second.unchanged) == (1, 1)


def test_a_lesson_using_session_placeholders_is_rendered_in_full(tmp_path, lesson_copy):
    lesson_copy([("Coche la réponse qui te semble juste.",
                  "Coche la réponse qui te semble juste, {{ session.class }}.")])
    out = tmp_path / "out"
    path = roster(tmp_path, f"Collège A;;5e Z;{LESSON};;;;")
    assert batch(path, out, lesson_dirs=[tmp_path]).ok == 1
    text = " ".join(page_texts(next(out.rglob("*.pdf")).read_bytes()))
    assert "Coche la réponse qui te semble juste, 5e Z." in text


def test_merge_school_concatenates_its_packets(tmp_path):
    out = tmp_path / "out"
    path = roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;", f"Collège A;;5e B;{LESSON};;;;")
    summary = batch(path, out, merge="school")
    assert summary.merged == ["impression/college-a.pdf"]
    pages = page_texts((out / "impression" / "college-a.pdf").read_bytes())
    single = page_texts(next(out.rglob("5e-a/*.pdf")).read_bytes())
    assert len(pages) == 2 * len(single) and "5e B" in pages[len(single)]


def test_cli_exit_codes(tmp_path, capsys):
    good = roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;")
    out = tmp_path / "out"
    assert main(["batch", str(good), "--out", str(out), "--docs", "worksheet", "--workers", "1"]) == 0
    bad = roster(tmp_path, "Collège A;;5e A;nope;;;;", name="bad.csv")
    assert main(["batch", str(bad), "--out", str(out), "--docs", "worksheet", "--quiet"]) == 1
    assert "1 ligne(s) en erreur" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["batch", str(empty), "--out", str(tmp_path / "never")]) == 2
    assert not (tmp_path / "never").exists()


@pytest.mark.slow
def test_dask_cluster_runs_the_batch(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "out"
        path = roster(tmp_path, f"Collège A;;5e A;{LESSON};;;;", f"Collège B;;4e C;{LESSON};;;;")
        summary = kit.batch.run(path, out, documents=("worksheet",), scheduler=cluster.scheduler_address,
                                progress="none")
    assert summary.ok == 2
    text = page_texts((out / "college-b" / "4e-c" / f"{LESSON}-fiche-eleve.pdf").read_bytes())
    assert "Collège B" in text[0] and "4e C" in text[0] and all("3018" in t for t in text)


def test_the_default_process_pool_writes_every_packet(tmp_path):
    out = tmp_path / "out"
    path = roster(tmp_path, *(f"Collège A;;5e {c};{LESSON};;;;" for c in "ABC"))
    summary = kit.batch.run(path, out, documents=("worksheet",), workers=2, progress="log")
    assert summary.ok == 3 and summary.pages == 3 * len(page_texts(
        (out / "college-a" / "5e-c" / f"{LESSON}-fiche-eleve.pdf").read_bytes()))
    assert "5e C" in page_texts((out / "college-a" / "5e-c" / f"{LESSON}-fiche-eleve.pdf").read_bytes())[0]


def test_a_detail_too_long_for_its_line_is_laid_out_in_full_not_overprinted(tmp_path):
    long_name = "Collège d'enseignement général et professionnel Marie-Curie-et-Pierre-Curie de la Vallée"
    path = roster(tmp_path, f"{long_name};Nîmes;5e B;{LESSON};09/11/2027;;;",
                  f"Collège Les Genêts;Nîmes;5e B;{LESSON};09/11/2027;;;")
    out = tmp_path / "out"
    assert batch(path, out, documents=("worksheet",)).ok == 2
    rows = report(out)
    long_page = " ".join(page_texts((out / rows[2]["files"]).read_bytes())[0].split())
    typeset = long_name.replace("'", "’")
    assert f"Établissement : {typeset}" in long_page  # the form's own cell, wrapped
    short_page = page_texts((out / rows[3]["files"]).read_bytes())[0]
    assert "Établissement : Collège Les Genêts" in short_page  # stamped, read in its line
