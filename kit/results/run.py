"""The calls behind `kit results`: read the sheets, add them up, write the reports.

Reading streams the rows (a district's file is never held whole as rows); a bad row is
reported and the others count. Outputs are written only once everything is counted,
each atomically, into the output folder: a failed run leaves no half-written file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..batch.slugs import slug
from ..errors import KitError, OutputError, Problem
from ..lessons import Library
from ..messages import say
from ..output import inside, write_atomic
from ..yamlfile import display_name
from .aggregate import Results, district
from .planned import sessions_from
from .reading import read_results

DEFAULT_OUT = Path("resultats")
BY = ("class", "district")


@dataclass
class ResultsSummary:
    """What `kit results` did: the classes counted, the bad rows, the files written."""

    classes: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    by: str = "district"

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0


def count(files, library: Library, problems: list[Problem]) -> tuple[Results, int]:
    """Every good row of `files` added up; duplicates and bad rows go to `problems`."""
    results, rows = Results(), 0
    for row in read_results(files, library, problems):
        first = results.add(row)
        if first is not None:
            problems.append(Problem(row.file, say("results.duplicate", row=first,
                                                  question=row.question), line=row.number))
        else:
            rows += 1
    return results, rows


def reports(files, library: Library, *, by: str | None = None, batch_report=None,
            theme=None) -> tuple[ResultsSummary, dict[str, bytes]]:
    """Class reports (`by="class"`) or the district's files (PDF, HTML, CSV, JSON), as
    file name -> bytes; by default one class gives its class report, several the district's."""
    summary = ResultsSummary()
    results, summary.rows = count(files, library, summary.problems)
    summary.classes = len(results.classes)
    if not results.classes:
        raise NothingCounted(summary)
    summary.by = by or ("class" if len(results.classes) == 1 else "district")
    if summary.by == "class":
        return summary, _class_files(results, library, theme)
    planned = [p.key for p in sessions_from([batch_report])] if batch_report else []
    return summary, _district_files(results, library, planned, theme)


def make_reports(files, library: Library, out: Path = DEFAULT_OUT, *, by: str | None = None,
                 batch_report=None, theme=None) -> ResultsSummary:
    """The reports written into `out`, each atomically, once everything is counted."""
    summary, outputs = reports(files, library, by=by, batch_report=batch_report, theme=theme)
    inputs = {Path(f).resolve() for f in files}
    for name, data in outputs.items():
        target = inside(Path(out), *name.split("/"))
        if target in inputs:
            raise OutputError(say("results.would_replace_input", file=display_name(target)))
        summary.written.append(write_atomic(target, data))
    return summary


def _class_files(results: Results, library: Library, theme) -> dict[str, bytes]:
    from .class_report import class_report
    files, used = {}, set()
    for result in results.sorted_classes():
        name = f"resultats-{slug(result.school)}-{slug(result.class_name)}-{result.lesson}"
        if result.date:
            name += f"-{result.date:%Y-%m-%d}"
        while name in used:
            name += "-bis"
        used.add(name)
        files[f"{name}.pdf"] = class_report(result, library.get(result.lesson), theme)
    return files


def _district_files(results: Results, library: Library, planned, theme) -> dict[str, bytes]:
    from .district_report import district_charts, district_report
    from .exports import csv_files, html_page, json_file
    from ..pages import layout
    report = district(results, library, planned)
    charts = district_charts(report, library, layout("a4").frame_width)
    return {"district.pdf": district_report(report, library, charts, theme),
            "district.html": html_page(report, library, charts),
            "district.json": json_file(report, library), **csv_files(report, library)}


class NothingCounted(KitError):
    """Raised when no row of the sheets could be counted; the bad rows are listed first."""

    def __init__(self, summary: ResultsSummary):
        self.summary = summary
        super().__init__(say("results.nothing_counted", bad=len(summary.problems)))
