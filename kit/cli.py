"""The `kit` command: parses options and calls the library; nothing else lives here.

Exit codes: 0 success; 1 bad input (a lesson, a document, an output); 2 the command
line or a roster could not be read; 3 an internal error (a bug: please report it).
"""
from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from . import api
from .authoring import base_for_new, lesson_yaml, new_lesson
from .documents import DOCUMENT_TYPES
from .errors import ChecksFailed, KitError
from .preview import preview as write_previews
from .render import PAPERS
from .schema import LEVELS
from .styles import EDITIONS
from .yamlfile import display_name

INTERNAL_ERROR = 3

lessons_option = click.option(
    "--lessons", "lesson_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
    help="A folder of your own lessons (repeatable; also KIT_LESSONS_PATH). "
         "Its lessons replace bundled ones with the same id.")
contacts_option = click.option(
    "--contacts", type=click.Path(dir_okay=False, path_type=Path),
    help="A YAML file of local contacts (school referent, nurse...) to print after the 3018.")
theme_option = click.option(
    "--theme", type=click.Path(file_okay=False, path_type=Path),
    help="A folder with your styles.yaml (colours, sizes), logo.png and templates/html/ "
         "(also KIT_THEME); the kit's own are the fallback.")
edition_option = click.option(
    "--variant", "--edition", "editions", multiple=True, type=click.Choice(EDITIONS),
    help="standard, dys or large-print (repeatable).")


class _WarningHandler(logging.Handler):
    def emit(self, record):
        prefix = "warning: " if record.levelno >= logging.WARNING else ""
        click.echo(prefix + record.getMessage(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Say each file as it is written.")
@click.version_option(package_name="kit3018")
def cli(verbose: bool) -> None:
    """Printable classroom sessions on responsible digital use, with the 3018 on every page."""
    logger = logging.getLogger("kit")
    logger.handlers[:] = [_WarningHandler()]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


@cli.command("list")
@lessons_option
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table")
def list_lessons(lesson_dirs, fmt) -> None:
    """The lessons: id, level, duration, title (and where each comes from)."""
    rows = api.lesson_rows(api.load(lesson_dirs))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(api.markdown_table(rows))
    else:
        for r in rows:
            click.echo(f"{r['id']:<40} {r['level']:<8} {r['duration']:>4} min  {r['title']}"
                       f"{'' if r['bundled'] else '  [' + r['source'] + ']'}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@lessons_option
@contacts_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--max-source-age", type=click.IntRange(min=1), default=api.SOURCE_AGE_YEARS,
              show_default=True, help="Warn when all of a lesson's sources are older (years).")
def check(paths, lesson_dirs, contacts, fmt, max_source_age) -> None:
    """Validate lesson files (default: every lesson folder); list every problem."""
    problems = api.check(paths, lesson_dirs, contacts, max_source_age)
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in problems)
    tally = f"{errors} error(s), {len(problems) - errors} warning(s)"
    if errors:
        raise ChecksFailed(tally)
    if fmt == "text":
        click.echo(tally if problems else "all lessons are valid", err=True)


@cli.command()
@click.argument("lesson")
@click.option("--doc", "document", type=click.Choice(list(DOCUMENT_TYPES)), default="worksheet",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write (default: <lesson>-<document>.pdf here).")
@click.option("--variant", "--edition", "edition", type=click.Choice(EDITIONS), default="standard",
              show_default=True, help="standard, dys (dyslexia-friendly) or large-print.")
@click.option("--paper", type=click.Choice(PAPERS), default="a4", show_default=True)
@click.option("--force", is_flag=True, help="Replace an existing file the kit did not make.")
@lessons_option
@contacts_option
@theme_option
def render(lesson, document, output, edition, paper, force, lesson_dirs, contacts, theme) -> None:
    """Render one document of one lesson (an id or a lesson file) to PDF."""
    path = api.render(lesson, document, output, edition=edition, paper=paper, force=force,
                      lesson_dirs=lesson_dirs, contacts=contacts, theme=theme)
    click.echo(str(path))


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True)
@click.option("--doc", "documents", multiple=True, type=click.Choice(list(DOCUMENT_TYPES)),
              help="Only these documents (repeatable; default: all).")
@edition_option
@click.option("--paper", type=click.Choice(PAPERS), default="a4", show_default=True)
@click.option("--workers", type=click.IntRange(min=1), help="Processes (default: the CPU count).")
@lessons_option
@contacts_option
@theme_option
def build(out, documents, editions, paper, workers, lesson_dirs, contacts, theme) -> None:
    """Every lesson x every document it offers, into OUT, with an index."""
    built = api.build(out, documents=documents, editions=editions or None, paper=paper,
                      lesson_dirs=lesson_dirs, contacts=contacts, theme=theme, workers=workers)
    pages = sum(b.pages for b in built)
    click.echo(f"{len(built)} PDF(s), {pages} page(s) in {out}", err=True)


@cli.command()
@click.argument("roster", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("batch-out"),
              show_default=True, help="Where packets, report.csv and the manifest go.")
@click.option("--docs", default="guide,worksheet,family-letter", show_default=True,
              help="The documents of each packet, separated by commas.")
@edition_option
@click.option("--workers", type=click.IntRange(min=1), help="Processes (default: the CPU count).")
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster (tcp://host:8786).")
@click.option("--force", is_flag=True, help="Make every packet again, even unchanged ones.")
@click.option("--quiet", is_flag=True, help="No progress and no summary.")
@click.option("--merge", type=click.Choice(["school"]), help="Also one PDF per school, to print.")
@lessons_option
def batch(roster, out, docs, editions, workers, scheduler, force, quiet, merge, lesson_dirs) -> None:
    """A session packet per roster row (.csv or .xlsx): exit 1 if a row failed, 2 if unreadable."""
    from . import batch as district  # loaded only when used: openpyxl, pypdf, tqdm
    summary = district.run(roster, out, documents=[d.strip() for d in docs.split(",") if d.strip()],
                           editions=editions or None, workers=workers, scheduler=scheduler,
                           force=force, progress="none" if quiet else "auto", merge=merge,
                           lesson_dirs=lesson_dirs)
    if summary.failed:
        raise district.RowsFailed(summary, quiet)
    if not quiet:
        click.echo(str(summary), err=True)


# --- Customising lessons: show, new, preview (kit/authoring.py, kit/preview.py) ---

@cli.command()
@click.argument("lesson")
@lessons_option
def show(lesson, lesson_dirs) -> None:
    """Print a lesson as the kit sees it (after `extends`), as YAML."""
    click.echo(lesson_yaml(api.load_available(lesson_dirs).get(lesson)), nl=False)


@cli.command()
@click.argument("lesson_id", metavar="ID")
@click.option("--level", type=click.Choice(LEVELS), help="Required unless --from is given.")
@click.option("--from", "base", metavar="LESSON", help="Write an `extends:` file of this lesson.")
@click.option("--lessons", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write ID.yaml into (default: here); --from also looks there.")
def new(lesson_id, level, base, folder) -> None:
    """Write a commented, valid starting lesson file ID.yaml (never over an existing file)."""
    if base is None and level is None:
        raise click.UsageError("give --level (or --from LESSON to extend a lesson)")
    search = [folder] if folder and folder.is_dir() else []
    base_lesson = base_for_new(base, search) if base else None
    click.echo(str(new_lesson(lesson_id, folder or Path("."), level=level, base=base_lesson)))


@cli.command()
@click.argument("lesson")
@click.option("--doc", "document", type=click.Choice(list(DOCUMENT_TYPES)), default="worksheet",
              show_default=True)
@click.option("--page", type=click.IntRange(min=1), help="Only this page (from 1).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("preview"),
              show_default=True)
@click.option("--variant", "--edition", "edition", type=click.Choice(EDITIONS), default="standard",
              show_default=True, help="standard, dys (dyslexia-friendly) or large-print.")
@lessons_option
@contacts_option
@theme_option
def preview(lesson, document, page, out, edition, lesson_dirs, contacts, theme) -> None:
    """Write PNG pictures of a document's pages into OUT and print their paths."""
    for path in write_previews(lesson, document, out, page=page, edition=edition,
                               lesson_dirs=lesson_dirs, contacts=contacts, theme=theme):
        click.echo(display_name(path))


def main(argv=None) -> int:
    """Entry point: KitErrors become their message and exit code; nothing shows a traceback."""
    try:
        cli.main(args=argv, prog_name="kit", standalone_mode=False)
    except KitError as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("interrupted; finished files are kept, nothing half-written", err=True)
        return 130
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:  # usage errors: exit 2
        error.show()
        return error.exit_code
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    except Exception as error:  # a bug: say so in one line, keep the details for a report
        if os.environ.get("KIT_DEBUG"):
            raise
        click.echo(f"internal error: {type(error).__name__}: {error}. This is a bug in the kit; "
                   "run again with KIT_DEBUG=1 and report what it prints.", err=True)
        return INTERNAL_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main())
