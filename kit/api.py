"""The library API behind every command: what the CLI does, Python can do."""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .documents import EDITIONS, document_name, file_name
from .errors import LessonError, Problem
from .files import FileRefused, read_head
from .messages import say
from .lessons import Library, folder_bases, lesson_files, load_lesson, load_library
from .schema import Lesson
from .yamlfile import display_name

# Loaded by the commands that use them, not at every start (kit list checks and draws
# nothing): checks (.check), drawing (.render, .catalogue, .pack).
if TYPE_CHECKING:
    from .catalogue import BuiltDocument
    from .helpline import Contact

log = logging.getLogger("kit")

SOURCE_AGE_YEARS = 5
ROSTER_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def lesson_folders(lesson_dirs=()) -> list[Path]:
    """The bundled lessons, then KIT_LESSONS_PATH's folders, then --lessons folders."""
    from_env = [Path(p) for p in os.environ.get("KIT_LESSONS_PATH", "").split(os.pathsep) if p]
    return [paths.bundled_lessons(), *from_env, *map(Path, lesson_dirs)]


def load(lesson_dirs=(), strict: bool = True) -> Library:
    return load_library(lesson_folders(lesson_dirs), strict=strict)


def load_available(lesson_dirs=()) -> Library:
    """Every valid lesson: for commands about some lessons (render, preview, batch), an
    invalid file elsewhere is skipped with a warning instead of stopping everything."""
    library = load(lesson_dirs, strict=False)
    _warn_skipped(library)
    return library


def _warn_skipped(library: Library) -> None:
    if library.problems:
        files = sorted({p.file for p in library.problems})
        log.warning(say("commands.skipped_files", count=len(files), files=", ".join(files[:3])))


def prepare(lesson_ref: str, lesson_dirs=(), contacts=None) -> tuple[Lesson, tuple[Contact, ...]]:
    """The lesson named (an id or a file), checked, and the contacts profile."""
    library = load(lesson_dirs, strict=False)
    lesson = library.get(lesson_ref)  # its own file's problems, if any, come first and alone
    _warn_skipped(library)
    profile = local_contacts(contacts)
    from .check import check_library
    check_library(library.only(lesson), profile)
    return lesson, profile


def local_contacts(contacts: Path | None):
    if not contacts:
        return ()
    from .helpline import load_contacts_profile
    return load_contacts_profile(contacts)


def _theme(folder):
    """The theme of a folder (None: the kit's own); kit.theme loads only for what draws."""
    from .theme import load_theme
    return load_theme(folder)


def lesson_rows(library: Library) -> list[dict]:
    from .session import plain_title
    bundled = str(paths.bundled_lessons())
    rows = []
    for lesson in library.sorted():
        source = library.origin(lesson).file
        rows.append({"id": lesson.id, "level": lesson.level, "duration": lesson.duration,
                     "topic": lesson.topic, "title": plain_title(lesson), "source": source,
                     "bundled": str(Path(source).resolve()).startswith(bundled)})
    return rows


def markdown_table(rows: list[dict]) -> str:
    """The library as a Markdown table (the README's copy is checked against it)."""
    def cell(text) -> str:
        return str(text).replace("|", "\\|")
    lines = ["| id | niveau | durée | thème | titre |", "|---|---|---|---|---|"]
    lines += [f"| `{r['id']}` | {r['level']} | {r['duration']} min | {cell(r['topic'])} | "
              f"{cell(r['title'])} |" for r in rows]
    return "\n".join(lines)


def check(paths_=(), lesson_dirs=(), contacts=None, max_source_age=SOURCE_AGE_YEARS,
          strict: bool = False) -> list[Problem]:
    """Every problem in the named lesson files or folders (default: every lesson folder),
    and in their translations; `strict` also lists the translations no speaker signed off."""
    from .check import check_lesson
    from .translations import is_translation_file, translation_paths
    problems: list[Problem] = []
    profile = local_contacts(contacts)
    rosters = [Path(p) for p in paths_ if Path(p).suffix.lower() in ROSTER_SUFFIXES]
    paths_ = [p for p in paths_ if Path(p) not in rosters]
    folders = [Path(p) for p in paths_ if Path(p).is_dir()] or (
        [] if paths_ or rosters else lesson_folders(lesson_dirs))
    files = [Path(p) for p in paths_ if not Path(p).is_dir()]
    translations = [f for f in files if is_translation_file(f)]
    files = [f for f in files if f not in translations]
    library = Library()
    bases = folder_bases([*lesson_folders(lesson_dirs), *folders])  # what extends can name
    for folder in folders:
        try:
            loaded = load_library([folder], bases)
        except LessonError as error:
            problems += error.problems
            continue
        library.lessons.update(loaded.lessons)
        library.origins.update(loaded.origins)
    for file in files:
        try:
            lesson, origin = load_lesson(file, bases=bases)
        except LessonError as error:
            problems += error.problems
            continue
        library.lessons[lesson.id] = lesson
        library.origins[lesson.id] = origin
    for lesson in library.sorted():
        problems += check_lesson(lesson, library.origin(lesson), profile, max_source_age)
    translations += [t for folder in folders for t in translation_paths(folder)]
    problems += _translation_problems(translations, library, lesson_dirs, strict)
    if rosters:
        from .batch.check import roster_problems  # openpyxl only when a roster is named
        known = load_available(lesson_dirs)
        for roster in rosters:
            problems += roster_problems(roster, known)
    return problems


def _translation_problems(files, library: Library, lesson_dirs, strict: bool) -> list[Problem]:
    """Each translation checked against its French lesson (found among the lessons checked,
    else among every lesson the kit knows)."""
    from .translations import translation_problems
    if not files:
        return []
    known = library if not any(Path(f).parent.name not in library.lessons for f in files) \
        else load_available(lesson_dirs)
    problems: list[Problem] = []
    for file in files:
        lesson_id = Path(file).parent.name
        problems += translation_problems(file, library.lessons.get(lesson_id)
                                         or known.lessons.get(lesson_id), strict)
    return problems


def checked_folders_note(lesson_dirs=()) -> list[str]:
    """What `kit check` without paths looked at, and a lesson file here that it did not:
    after `kit new ID` (written here), a user expects `kit check` to check it."""
    folders = lesson_folders(lesson_dirs)
    counts = ", ".join(say("commands.folder_count", count=len(lesson_files(f)) if f.is_dir() else 0,
                           folder=say("commands.bundled") if f == paths.bundled_lessons()
                           else display_name(f)) for f in folders)
    lines = [say("commands.checked", folders=counts)]
    here = [f for f in lesson_files(Path(".")) if _looks_like_lesson(f)]
    if here and not any(_same(Path("."), f) for f in folders):
        names = ", ".join(display_name(f) for f in here[:3])
        lines.append(say("commands.not_checked", files=names, first=display_name(here[0])))
    return lines


def _looks_like_lesson(path: Path) -> bool:
    try:
        head = read_head(path, 65536).decode("utf-8", errors="replace")
    except (OSError, FileRefused):
        return False
    return re.search(r"^(id|extends|activities):", head, re.M) is not None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == Path(b).resolve()
    except OSError:
        return False


def render(lesson_ref: str, document: str, output: Path | None = None, *, edition="standard",
           paper="a4", force=False, lesson_dirs=(), contacts=None, session=None,
           theme=None, fmt: str = "pdf", language: str | None = None) -> Path:
    """Render one document to a file (PDF, or its editable .docx/.pptx with `fmt`);
    nothing is written when anything is wrong. `language` (en, ar, fr-facile...): the
    family letter in French and that language, the poster in that language."""
    from .output import write_atomic
    lesson, profile = prepare(lesson_ref, lesson_dirs, contacts)
    document = document_name(document)
    suffix = f".{fmt}"
    if output is not None and Path(output).suffix.lower() != suffix:
        output = Path(output).with_name(Path(output).name + suffix)  # -o monguide
    if fmt == "pdf":
        from .render import render_document  # ReportLab: only when a page is drawn
        translation = translation_of(lesson, language, document, lesson_dirs)
        data = render_document(lesson, document, edition=edition, session=session,
                               local_contacts=profile, paper=paper, theme=_theme(theme),
                               translation=translation).data
        name = file_name(lesson.id, document, edition, translation.language if translation else "")
    else:
        if language:
            from .errors import RenderError
            raise RenderError(say("translation.pdf_only", fmt=fmt))
        from .formats import editable_file_name, render_editable
        data = render_editable(lesson, document, fmt, edition=edition, session=session,
                               local_contacts=profile, theme=_theme(theme))
        name = editable_file_name(lesson.id, document, edition, fmt)
    return write_atomic(output or Path(name), data, force=force)


def translation_of(lesson: Lesson, language: str | None, document: str, lesson_dirs=()):
    """The lesson's translation for `language` (None: French, no translation)."""
    if not language or language == "fr":
        return None
    from .translations import translation_for
    return translation_for(lesson, language, document, lesson_folders(lesson_dirs))


def pack(lesson_ref: str, order, *, lesson_dirs=(), contacts=None, theme=None,
         editable: bool = False, languages=(), results_sheet: bool = False):
    """A whole session to print (`kit pack`): the same call as the web app's, the same bytes;
    `editable` adds the documents' copies to change (.docx, .pptx) to the zip or folder;
    `languages` (`ar`, `uk:3`: a language and how many families) the bilingual letters;
    `results_sheet` adds the facilitator's quiz results sheet (after the guide)."""
    from .pack import make_pack  # pypdf only when a pack is made
    lesson, profile = prepare(lesson_ref, lesson_dirs, contacts)
    letters = {**order.languages}
    for code, copies in language_copies(languages):
        letters[code] = letters.get(code, 0) + copies
    order = order.model_copy(update={"lesson": lesson.id, "languages": letters})
    return make_pack(lesson, order, local_contacts=profile, theme=_theme(theme),
                     editable=editable, folders=lesson_folders(lesson_dirs),
                     extra=("results-sheet",) if results_sheet else ())


def language_copies(words) -> list[tuple[str, int]]:
    """`ar`, `uk:3` -> [("ar", 1), ("uk", 3)]: a language, and how many families need it."""
    from .errors import InputError
    made = []
    for word in words:
        name, _, count = word.partition(":")
        if count and not (count.isdigit() and 0 < int(count) <= 999):
            raise InputError(say("translation.copies", value=word))
        made.append((language_codes([name])[0], int(count or 1)))
    return made


def build(out: Path = Path("dist"), *, lessons=(), documents=(), editions=None, paper="a4",
          lesson_dirs=(), contacts=None, theme=None, workers=None,
          progress: str = "none", force: bool = False, formats=("pdf",),
          languages=()) -> list[BuiltDocument]:
    """Every lesson (or only `lessons`, ids or files) x its documents x editions into `out`;
    only what changed since the last build there is made again, unless `force`. `formats`
    may add the editable copies (pptx, docx) beside the PDFs and HTML pages; `languages`
    (en, ar, fr-facile...) the family letters and posters in those languages."""
    from .catalogue import build as build_catalogue
    library, profile = chosen(lessons, lesson_dirs), local_contacts(contacts)
    wanted = [document_name(d) for d in documents] or None
    built = build_catalogue(library, Path(out), documents=wanted,
                            editions=tuple(editions or EDITIONS),
                            local_contacts=profile, paper=paper,
                            theme=_theme(theme), workers=workers, progress=progress,
                            force=force, complete=not lessons, formats=tuple(formats))
    if languages:
        from .family_languages import build_languages
        codes = language_codes(languages)
        built += build_languages(library, Path(out), codes, lesson_folders(lesson_dirs),
                                 documents=wanted, editions=tuple(editions or EDITIONS),
                                 local_contacts=profile, paper=paper, theme=_theme(theme))
    return built


def language_codes(words) -> tuple[str, ...]:
    """The languages the user typed (`ar`, `arabe`), as codes; InputError naming one that
    is none of the kit's."""
    from .errors import InputError
    from .translations import language_code
    try:
        return tuple(dict.fromkeys(language_code(word) for word in words))
    except ValueError as error:
        raise InputError(str(error)) from None


def chosen(lessons=(), lesson_dirs=()) -> Library:
    """The whole library (every file must be valid), or the named lessons alone."""
    if not lessons:
        return load(lesson_dirs)
    library = load_available(lesson_dirs)
    picked = [library.get(reference) for reference in lessons]
    return Library({l.id: l for l in picked}, {l.id: library.origin(l) for l in picked})


def build_summary(built: list[BuiltDocument], out: Path) -> str:
    """What `kit build` and generate.py say last: how many documents, and what to open."""
    documents = len({(b.lesson, b.document) for b in built})
    pages = sum(b.pages for b in built)
    index = display_name(Path(out) / "index.html")
    remade = sum(b.remade for b in built)
    unchanged = (say("commands.built_kept", count=len(built) - remade)
                 if remade < len(built) else "")
    return say("commands.built", documents=documents, pdfs=len(built), pages=pages,
               kept=unchanged, folder=display_name(Path(out)), index=index)


def results_template(sources, out: Path = Path("."), *, lesson_dirs=(), force=False) -> list[Path]:
    """The quiz results sheet to fill in (.xlsx and .csv) for a batch's sessions (its output
    folder or report.csv) or for packs' print files; never over an existing sheet."""
    from .results.planned import sessions_from
    from .results.template import write_template
    return write_template(sessions_from(sources), load_available(lesson_dirs), Path(out), force)


def results(files, out: Path = Path("resultats"), *, by: str | None = None, batch_report=None,
            lesson_dirs=(), theme=None):
    """Class reports or the district report from filled results sheets; returns a summary
    with the bad rows (the others are counted)."""
    from .results.run import make_reports
    return make_reports(files, load_available(lesson_dirs), Path(out), by=by,
                        batch_report=batch_report, theme=_theme(theme))
