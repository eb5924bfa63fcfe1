"""Bench of `kit results`: a district's quiz results of 1,000 and 10,000 classes (about
five rows per class) added up into the district report (PDF, HTML, CSV, JSON), with a
batch report.csv of the classes planned (5% of them without results).

Each size runs in a fresh process; prints rows, the time to read and add up the rows,
the time to write the reports, the total, and the peak memory of the process (whose
growth from 1,000 to 10,000 classes shows the rows are streamed, not held).

    python bench/bench_results.py                 # 1000 and 10000 classes
    python bench/bench_results.py --sizes 10000
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ("6e", "5e", "4e", "3e")


def write_district(folder: Path, classes: int, seed: int = 3018) -> tuple[Path, Path]:
    """results.csv (one row per class and question) and report.csv (every class planned)."""
    sys.path.insert(0, str(ROOT))
    from kit.lessons import load_library
    lessons = [l for l in load_library().sorted() if "quiz" in l.offered_documents]
    rng = random.Random(seed)
    results = ["Établissement;Classe;Date;Séance;Question;Intitulé;Justes avant;Justes après;"
               "Élèves ayant répondu"]
    planned = ["ligne;établissement;classe;séance;statut;message;fichiers;date"]
    for number in range(classes):
        school, group = divmod(number, 12)
        lesson = lessons[number % len(lessons)]
        name = f"{CLASSES[group % 4]} {'ABCDEFGHIJKL'[group]}"
        day = dt.date(2027, 9, 6) + dt.timedelta(days=rng.randrange(280))
        planned.append(f"{number + 2};Collège n°{school + 1};{name};{lesson.id};ok;;;{day}")
        if number % 20 == 19:
            continue  # planned, no results yet
        pupils = rng.choice([3] + list(range(18, 31)))
        for question in range(1, len(lesson.quiz) + 1):
            before = rng.randint(0, pupils)
            results.append(f"Collège n°{school + 1};{name};{day:%d/%m/%Y};{lesson.id};{question};;"
                           f"{before};{rng.randint(before // 2, pupils)};{pupils}")
    (folder / "results.csv").write_text("\n".join(results) + "\n", encoding="utf-8")
    (folder / "report.csv").write_text("\n".join(planned) + "\n", encoding="utf-8-sig")
    return folder / "results.csv", folder / "report.csv"


MEASURE = r'''
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from kit.api import load_available
from kit.results import run as results_run
from kit.results.aggregate import district
from kit.results.planned import sessions_from
folder = Path(sys.argv[2])
library = load_available()
start = time.perf_counter()
problems = []
results, rows = results_run.count([folder / "results.csv"], library, problems)
report = district(results, library, [p.key for p in sessions_from([folder / "report.csv"])])
counted = time.perf_counter()
summary = results_run.make_reports([folder / "results.csv"], library, folder / "out",
                                   by="district", batch_report=folder / "report.csv")
done = time.perf_counter()
pages = (folder / "out" / "district.pdf").read_bytes().count(b"/Type /Page\n")
print(json.dumps({"rows": rows, "classes": len(results.classes), "bad": len(problems),
                  "planned_without": len(report.planned), "count_s": counted - start,
                  "all_s": done - counted, "peak_mib": resource.getrusage(
                      resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "files": len(summary.written)}))
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    for size in sizes:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            results, _ = write_district(folder, size)
            megabytes = results.stat().st_size / 2**20
            measured = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), str(folder)],
                                      capture_output=True, text=True, check=True)
            figures = json.loads(measured.stdout.strip().splitlines()[-1])
            print(f"{size:>6} classes ({figures['rows']} rows, {megabytes:.1f} MiB): "
                  f"read and added up in {figures['count_s']:.1f} s; whole district report "
                  f"(read again, PDF, HTML, CSV, JSON: {figures['files']} files) in "
                  f"{figures['all_s']:.1f} s; {figures['planned_without']} planned without "
                  f"results; peak memory {figures['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
