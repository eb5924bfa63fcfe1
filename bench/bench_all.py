"""Every ratio issue 15 asks for, each against a baseline measured in the same run.

    python bench/bench_all.py [--quick]

1. the catalogue (standard edition, one process) against a bare ReportLab canvas
   writing the same text on the same pages (bench_catalogue.py);              aim >= 0.25x
2. `kit batch` of 1,000 classes (guide, worksheet, family letter) on 2 workers
   (bench_batch.py), and the text of a stamped packet against a packet laid out in
   full for the same row;                                                       aim <= 10 s
3. `kit build` of the whole catalogue into a fresh folder, then again with nothing
   changed;                                                                      aim < 5 %
4. `kit list` and `kit check` of one lesson against a bare
   `python -c "import yaml, pydantic"`;                                       aim <= 3x
5. `kit render` of one worksheet against a bare process that imports ReportLab and
   draws one page of the same text in the same font;                          aim <= 2x

Process start-ups are timed as the best of several runs, one after another. Not a
test: it asserts nothing, and timings depend on what else the machine runs.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
LESSON = "cyberharcelement-temoin-actif"
# As on a user's machine: the kit's modules compiled once (pip does it on install; a
# PYTHONDONTWRITEBYTECODE left in the shell would compile them at every start) and
# its cache (kit.cache) in a folder of the bench's own, set in main().
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}

BARE_PAGE = """
import sys
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
font, text, out = sys.argv[1], open(sys.argv[2], encoding="utf-8").read(), sys.argv[3]
pdfmetrics.registerFont(TTFont("Body", font))
canvas = Canvas(out, invariant=1)
canvas.setFont("Body", 11)
y = 800
for i in range(0, len(text), 95):
    canvas.drawString(50, y, text[i:i + 95])
    y -= 14
canvas.showPage()
canvas.save()
"""


def best_time(command: list[str], runs: int, cwd: Path | None = None) -> float:
    """The fastest of `runs` runs of a command, in seconds (start-up included)."""
    return best_times(command, runs, cwd)[0]


def best_times(command: list[str], runs: int, cwd: Path | None = None) -> tuple[float, float]:
    """The fastest of `runs` runs of a command: wall seconds and CPU seconds (the CPU time
    is less sensitive to what else the machine runs)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        start, used = time.perf_counter(), children_cpu()
        subprocess.run(command, check=True, capture_output=True, env=ENV, cwd=cwd)
        wall, cpu = min(wall, time.perf_counter() - start), min(cpu, children_cpu() - used)
    return wall, cpu


def kit(*args: str) -> list[str]:
    return [sys.executable, "-m", "kit.cli", *args]


def catalogue_ratio(repeat: int) -> str:
    import bench_catalogue as bc
    from kit.render import render_document
    jobs = bc.catalogue_jobs()
    bc.bare_canvas([["warm-up"]])
    render_document(jobs[0].lesson, jobs[0].document)
    rendered, bare = bc.best_of(repeat, jobs)
    seconds = sum(r.seconds for r in rendered)
    pages = sum(len(r.page_texts) for r in rendered)
    return (f"catalogue: {pages} pages in {seconds:.2f} s, bare canvas {bare:.2f} s: "
            f"{bare / seconds:.2f}x the bare canvas (aim >= 0.25x)")


def batch_ratio(size: int, folder: Path) -> list[str]:
    import bench_batch as bb
    base = bb.child("--baseline", "--folder", str(folder))
    run = bb.child("--one", str(size), "--workers", "2", "--folder", str(folder))
    second = bb.child("--one", str(size), "--workers", "2", "--folder", str(folder),
                      "--tag", "second")
    speedup = base["seconds_per_row"] * size / run["seconds"]
    lines = [f"batch: {size} classes x {len(bb.DOCUMENTS)} documents on 2 workers in "
             f"{run['seconds']:.1f} s, CPU {run['cpu_seconds']:.1f} s ({run['pages_per_s']:.0f} "
             f"pages/s; {speedup:.1f}x laying every packet out from scratch; re-run "
             f"{run['rerun_percent']:.1f} %) (aim <= 10 s); a second roster of the same lessons, "
             f"templates kept in the cache: {second['seconds']:.1f} s"]
    lines += [f"batch: {line}" for line in bb.compare_texts(folder)]
    return lines


def children_cpu() -> float:
    """CPU seconds of the finished child processes (and theirs): what a command cost,
    whatever else the machine ran meanwhile."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_ratio(folder: Path) -> str:
    out = folder / "dist"
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(kit("build", "--out", str(out), "--workers", "2"), check=True,
                   capture_output=True, env=ENV)
    full, full_cpu = time.perf_counter() - start, children_cpu() - cpu
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    cpu = children_cpu()
    again = best_time(kit("build", "--out", str(out), "--workers", "2"), 3)
    again_cpu = (children_cpu() - cpu) / 3
    rewritten = sum(p.stat().st_mtime_ns != t for p, t in before.items())
    return (f"build: whole catalogue {full:.1f} s, again with nothing changed {again:.2f} s = "
            f"{100 * again / full:.1f} % ({rewritten} of {len(before)} files rewritten) (aim < 5 %); "
            f"CPU {full_cpu:.1f} s and {again_cpu:.2f} s = {100 * again_cpu / full_cpu:.1f} %")


def ratio(name: str, times: tuple[float, float], bare: tuple[float, float]) -> str:
    return (f"{name} {times[0]:.2f} s = {times[0] / bare[0]:.1f}x "
            f"(CPU {times[1]:.2f} s = {times[1] / bare[1]:.1f}x)")


def startup_ratios(runs: int, folder: Path) -> list[str]:
    lesson = ROOT / "lessons" / f"{LESSON}.yaml"
    cold = best_times(kit("check", str(lesson)), 1)  # the cache is empty: every file is parsed
    bare = best_times([sys.executable, "-c", "import yaml, pydantic"], runs)
    listed = best_times(kit("list"), runs)
    checked = best_times(kit("check", str(lesson)), runs)
    lines = [f"start-up: bare `import yaml, pydantic` {bare[0]:.2f} s (CPU {bare[1]:.2f} s); "
             f"{ratio('`kit list`', listed, bare)}; {ratio('`kit check` of one lesson', checked, bare)}"
             f" (aim <= 3x); the first `kit check`, cache empty: {ratio('', cold, bare)}"]
    from kit import api
    from kit.render import render_document
    text_file = folder / "worksheet.txt"
    library = api.load()
    pdf = render_document(library.get(LESSON), "worksheet")
    from pypdf import PdfReader
    import io
    page_text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    text_file.write_text(" ".join(page_text.split()), encoding="utf-8")
    from reportlab.pdfbase import pdfmetrics
    from kit.styles import stylesheet
    font_file = pdfmetrics.getFont(stylesheet("standard").face()).face.filename
    bare_page = best_times([sys.executable, "-c", BARE_PAGE, font_file, str(text_file),
                            str(folder / "bare.pdf")], runs)
    rendered = best_times(kit("render", LESSON, "--doc", "worksheet", "-o",
                              str(folder / "fiche.pdf"), "--force"), runs)
    platypus = best_times([sys.executable, "-c", "import reportlab.platypus"], runs)
    lines.append(f"start-up: bare ReportLab process drawing one page {bare_page[0]:.2f} s "
                 f"(CPU {bare_page[1]:.2f} s); {ratio('`kit render` of one worksheet', rendered, bare_page)}"
                 f" (aim <= 2x); a process that only imports ReportLab's layout (platypus): "
                 f"{ratio('', platypus, bare_page)}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="one catalogue run, 100 classes, fewer start-ups: a smoke run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-all-") as name:
        folder = Path(name)
        os.environ["KIT_CACHE_DIR"] = ENV["KIT_CACHE_DIR"] = str(folder / "cache")
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kit")],
                       check=True, capture_output=True, env=ENV)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        for line in startup_ratios(3 if args.quick else 7, folder):
            print(line, flush=True)
        print(catalogue_ratio(1 if args.quick else 3), flush=True)
        print(build_ratio(folder), flush=True)
        for line in batch_ratio(100 if args.quick else 1000, folder):
            print(line, flush=True)


if __name__ == "__main__":
    main()
