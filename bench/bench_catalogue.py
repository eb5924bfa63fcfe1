"""How fast the kit renders the whole catalogue, next to what ReportLab itself can do.

Renders every document every bundled lesson offers (standard edition) and reports
pages per second. In the same run, a bare ReportLab canvas writes the same text, in
the same embedded font, on the same number of pages: the ratio between the two is
the cost of the kit's layout (paragraphs, tables, typesetting) over raw drawing.

    python bench/bench_catalogue.py [--repeat N]

Not a test: it asserts nothing and the timings depend on the machine.
"""
from __future__ import annotations

import argparse
import io
import time
from collections import defaultdict
from dataclasses import dataclass

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from kit.lessons import load_library
from kit.pages import layout
from kit.render import render_document
from kit.styles import stylesheet

LINE_CHARS = 95  # characters per baseline line: about a line of body text on A4


@dataclass(frozen=True)
class Job:
    lesson: object
    document: str


@dataclass
class Rendered:
    document: str
    seconds: float
    page_texts: list[str]


def catalogue_jobs() -> list[Job]:
    library = load_library()
    return [Job(lesson, document) for lesson in library.sorted()
            for document in lesson.offered_documents]


def render_catalogue(jobs: list[Job]) -> list[Rendered]:
    """Render each job once, timing only the rendering; then read back each page's text."""
    timed = []
    for job in jobs:
        start = time.perf_counter()
        pdf = render_document(job.lesson, job.document)
        timed.append((job.document, time.perf_counter() - start, pdf.data))
    return [Rendered(doc, seconds, [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages])
            for doc, seconds, data in timed]


def bare_canvas(documents: list[list[str]]) -> float:
    """Seconds for a bare canvas to write each document's pages, same text, same font."""
    styles = stylesheet("standard")
    font, size = styles.face(), styles.body_size
    page = layout("a4", "a4", size)
    leading = size * 1.3
    start = time.perf_counter()
    for pages in documents:
        canvas = Canvas(io.BytesIO(), pagesize=page.size, invariant=1)
        for text in pages:
            flat = " ".join(text.split())
            y = page.size[1] - page.margin
            canvas.setFont(font, size)
            for i in range(0, len(flat), LINE_CHARS):
                canvas.drawString(page.margin, y, flat[i:i + LINE_CHARS])
                y -= leading
            canvas.showPage()
        canvas.save()
    return time.perf_counter() - start


def best_of(repeat: int, jobs: list[Job]) -> tuple[list[Rendered], float]:
    """The fastest of `repeat` runs of each side, run in turns so both see the same machine."""
    best_kit, best_bare = None, float("inf")
    for _ in range(repeat):
        rendered = render_catalogue(jobs)
        if best_kit is None or sum(r.seconds for r in rendered) < sum(r.seconds for r in best_kit):
            best_kit = rendered
        best_bare = min(best_bare, bare_canvas([r.page_texts for r in rendered]))
    return best_kit, best_bare


def report(rendered: list[Rendered], bare_seconds: float) -> str:
    rows = defaultdict(lambda: [0, 0, 0.0])
    for r in rendered:
        row = rows[r.document]
        row[0] += 1
        row[1] += len(r.page_texts)
        row[2] += r.seconds
    pages = sum(len(r.page_texts) for r in rendered)
    kit_seconds = sum(r.seconds for r in rendered)
    characters = sum(len(t) for r in rendered for t in r.page_texts)
    lines = [f"{'document':<16}{'files':>6}{'pages':>7}{'seconds':>9}{'pages/s':>9}"]
    for document, (files, count, seconds) in rows.items():
        lines.append(f"{document:<16}{files:>6}{count:>7}{seconds:>9.2f}{count / seconds:>9.1f}")
    lines.append(f"{'kit, total':<16}{len(rendered):>6}{pages:>7}{kit_seconds:>9.2f}"
                 f"{pages / kit_seconds:>9.1f}")
    lines.append(f"{'bare canvas':<16}{len(rendered):>6}{pages:>7}{bare_seconds:>9.2f}"
                 f"{pages / bare_seconds:>9.1f}")
    lines.append(f"\n{characters} characters of text on {pages} pages.")
    lines.append(f"ratio: the kit renders {kit_seconds / bare_seconds:.1f} times slower than a bare "
                 f"canvas writing the same text ({bare_seconds / kit_seconds:.1%} of its speed).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the fastest counts")
    args = parser.parse_args()
    jobs = catalogue_jobs()
    bare_canvas([["warm-up"]])       # register the fonts before timing either side
    render_document(jobs[0].lesson, jobs[0].document)
    rendered, bare_seconds = best_of(max(1, args.repeat), jobs)
    print(report(rendered, bare_seconds))


if __name__ == "__main__":
    main()
