"""Bench of `kit batch`: synthetic district rosters of 100, 1,000 and 5,000 rows.

Reports, for 1 and 2 workers: rows/s, pages/s, peak memory (this process and its
worker processes, each size measured in a fresh process), the re-run time with
nothing changed, and the ratio to a baseline of rendering every packet from
scratch one by one (measured in the same run on a sample of rows).

    python bench/bench_batch.py                 # 100, 1000 and 5000 rows
    python bench/bench_batch.py --sizes 100,1000
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCUMENTS = ("guide", "worksheet", "family-letter")
BASELINE_SAMPLE = 20  # rows rendered from scratch, one document after another
CLASSES = ("6e", "5e", "4e", "3e")


def write_roster(path: Path, rows: int, lessons: list[str], seed: int = 3018) -> Path:
    """A district as it is: schools with several classes each, a few facilitators, a term of dates."""
    rng = random.Random(seed)
    lines = ["Établissement;Ville;Classe;Séance;Date;Intervenant;Effectif;Référent"]
    start = dt.date(2027, 9, 6)
    for n in range(rows):
        school, group = divmod(n, 8)
        day = start + dt.timedelta(days=rng.randrange(100))
        lines.append(";".join([
            f"Collège n°{school + 1} Jean-Moulin", f"Ville {school % 37 + 1}",
            f"{CLASSES[group % 4]} {'ABCDEFGH'[group]}", lessons[n % len(lessons)],
            day.strftime("%d/%m/%Y"), f"Intervenant·e {school % 11 + 1}",
            str(rng.randrange(18, 32)), f"Mme Référente {school + 1}"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def usable_lessons() -> list[str]:
    from kit import api
    library = api.load()
    return [l.id for l in library.sorted() if all(d in l.offered_documents for d in DOCUMENTS)]


def cpu_seconds() -> float:
    """CPU time of this process and its finished workers: what the run cost, whatever the
    other programs on the machine took (wall time on a shared machine is only a share)."""
    return sum(getattr(resource.getrusage(who), field) for who in
               (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for field in ("ru_utime", "ru_stime"))


def peak_mb() -> dict:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"parent_mb": round(me, 1), "largest_worker_mb": round(children, 1)}


def one(size: int, workers: int, folder: Path, tag: str = "") -> dict:
    """One size with one worker count, in this (fresh) process."""
    import kit.batch
    roster = write_roster(folder / f"roster-{size}.csv", size, usable_lessons())
    out = folder / "-".join(filter(None, ["out", str(size), str(workers), tag]))
    cpu = cpu_seconds()
    first = kit.batch.run(roster, out, documents=DOCUMENTS, workers=workers, progress="none")
    cpu = cpu_seconds() - cpu
    again = kit.batch.run(roster, out, documents=DOCUMENTS, workers=workers, progress="none")
    assert first.failed == 0 and again.unchanged == size, (first, again)
    return {"size": size, "workers": workers, "seconds": round(first.seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "rows_per_s": round(size / first.seconds, 1),
            "pages_per_s": round(first.pages / first.seconds, 1), "pages": first.pages,
            "rerun_seconds": round(again.seconds, 2),
            "rerun_percent": round(100 * again.seconds / first.seconds, 1), **peak_mb()}


def baseline(folder: Path) -> dict:
    """Every document of each sampled row rendered from scratch, one after another."""
    from kit import api
    from kit.batch.roster import read_roster
    from kit.render import render_document
    library = api.load()
    roster = read_roster(write_roster(folder / "baseline.csv", BASELINE_SAMPLE, usable_lessons()))
    start = time.perf_counter()
    for row in roster.rows:
        lesson = library.get(row.lesson)
        for document in DOCUMENTS:
            render_document(lesson, document, session=row.session)
    seconds = time.perf_counter() - start
    return {"rows": BASELINE_SAMPLE, "seconds_per_row": round(seconds / BASELINE_SAMPLE, 4)}


def compare_texts(folder: Path, rows: int = 5) -> list[str]:
    """The text a reader gets from stamped packets against packets laid out in full for the
    same rows: « equal », or the lines that differ (the baseline is only fair if equal)."""
    import difflib
    import io
    from pypdf import PdfReader
    from kit import api
    from kit.batch.plan import lesson_hash
    from kit.batch.roster import read_roster
    from kit.batch.worker import PacketTask, render_packet
    library = api.load()
    roster = read_roster(write_roster(folder / "compare.csv", rows, usable_lessons()))
    differences, documents = [], tuple((d, "standard") for d in DOCUMENTS)
    for row in roster.rows:
        lesson = library.get(row.lesson)
        sides = [render_packet(PacketTask(lesson, lesson_hash(lesson), row.session, documents,
                                          use_templates=stamped)) for stamped in (True, False)]
        for document, stamped, full in zip(DOCUMENTS, sides[0].pdfs, sides[1].pdfs):
            texts = [[line for page in PdfReader(io.BytesIO(data)).pages
                      for line in page.extract_text().splitlines()] for data, _ in (stamped, full)]
            changed = [d for d in difflib.unified_diff(texts[1], texts[0], lineterm="", n=0)
                       if d[:1] in "+-" and d[:3] not in ("+++", "---")]
            if changed:
                differences.append(f"row {row.number} {document}: " + " | ".join(changed[:6]))
    if not differences:
        return [f"stamped and fully laid-out packets read the same text ({rows} rows x "
                f"{len(DOCUMENTS)} documents)"]
    return [f"stamped packets read differently from packets laid out in full "
            f"(- full, + stamped), {len(differences)} document(s):", *differences[:10]]


def child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one or args.baseline:
        folder = Path(args.folder)
        print(json.dumps(baseline(folder) if args.baseline else
                         one(args.one, int(args.workers), folder, args.tag)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        # kit.cache in a folder of the bench's own: the first run of each size lays its
        # templates out, « 2nd roster » (a fresh process, a fresh output folder: a district's
        # next roster of the same lessons) finds them kept
        os.environ.setdefault("KIT_CACHE_DIR", str(Path(folder) / "cache"))
        base = child("--baseline", "--folder", folder)
        print(f"baseline (from scratch, one by one): {base['seconds_per_row']:.3f} s per row "
              f"({', '.join(DOCUMENTS)}), sample of {base['rows']} rows")
        for line in compare_texts(Path(folder)):
            print(line)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; cpu s: this "
              "process and its workers, whatever else runs")
        print(f"{'rows':>6} {'workers':>7} {'time s':>7} {'cpu s':>6} {'rows/s':>7} {'pages/s':>8} "
              f"{'x baseline':>10} {'rerun s':>8} {'rerun %':>8} {'2nd roster s':>12} {'parent MB':>9} "
              f"{'worker MB':>9}")
        for size in map(int, args.sizes.split(",")):
            for workers in map(int, args.workers.split(",")):
                r = child("--one", str(size), "--workers", str(workers), "--folder", folder)
                second = child("--one", str(size), "--workers", str(workers), "--folder", folder,
                               "--tag", "second")
                speedup = base["seconds_per_row"] * size / r["seconds"]
                print(f"{size:>6} {workers:>7} {r['seconds']:>7.1f} {r['cpu_seconds']:>6.1f} "
                      f"{r['rows_per_s']:>7.1f} "
                      f"{r['pages_per_s']:>8.1f} {speedup:>10.1f} {r['rerun_seconds']:>8.2f} "
                      f"{r['rerun_percent']:>8.1f} {second['seconds']:>12.1f} {r['parent_mb']:>9.0f} "
                      f"{r['largest_worker_mb']:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
