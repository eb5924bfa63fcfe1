"""`kit pack`: a whole session ready to print, as one PDF and as a zip of its documents.

The library call behind `kit pack`, `POST /api/packs` and the web form, so the three
give the same bytes. Each (document, edition) is drawn once and its pages are
repeated for the copies; every copy starts on a right-hand page so a duplex printer
never puts two pupils' sheets back to back (the blank verso still carries the 3018).
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject
from reportlab.platypus import Spacer

from . import __version__
from .batch.slugs import slug
from .archives import entry
from .context import make_context
from .documents import document_type
from .errors import OutputError
from .files import FileRefused, read_limited
from .messages import say
from .order import PackOrder
from .output import inside, write_atomic
from .yamlfile import display_name
from .pages import Metadata, footer_markup, layout, render_pdf
from .render import EDITION_NAMES, file_name, render_document
from .schema import Lesson
from .languages import language_words
from .theme import Theme

# How many copies of each document a class needs, in the order they are printed.
PER_PUPIL = ("family-letter-before", "worksheet", "quiz", "family-letter", "certificate")
PER_GROUP = ("scenario-cards",)
PRINT_ORDER = ("guide", "results-sheet", "family-letter-before", "worksheet", "quiz", "scenario-cards",
               "family-letter", "charter", "certificate", "poster")
PROJECTED = ("slides",)  # shown on the screen: in the zip, never in the print file
SUMMARY_NAME = "recapitulatif-impression.txt"
ZIP_MARK = b"kit3018"  # the zip's comment: a zip the kit may replace without --force
MAX_ZIP_CHECKED = 512 * 1024 * 1024


@dataclass(frozen=True)
class PackLine:
    """One document in one edition: how many copies and how many pages each."""

    document: str
    edition: str
    label: str
    copies: int
    pages: int
    file: str

    @property
    def printed_pages(self) -> int:
        """Pages of one copy in the print file: an odd count gets a blank verso."""
        return self.pages + self.pages % 2

    @property
    def sheets(self) -> int:
        return self.copies * math.ceil(self.pages / 2) if self.copies else 0


@dataclass(frozen=True)
class Pack:
    """A session pack: its print file, its separate documents and what to print."""

    lesson: Lesson
    order: PackOrder
    lines: tuple[PackLine, ...]
    documents: dict  # file name -> PDF bytes, one per (document, edition)
    pdf: bytes
    editables: dict = field(default_factory=dict)  # file name -> .docx/.pptx bytes, if asked for

    @property
    def name(self) -> str:
        """`seance-<lesson>-<class>`: what a teacher sees in her downloads folder."""
        who = self.order.session.class_name or self.order.session.school
        return f"seance-{self.lesson.id}" + (f"-{slug(who)}" if who else "")

    @property
    def total_sheets(self) -> int:
        return sum(line.sheets for line in self.lines)

    @property
    def total_pages(self) -> int:
        return sum(line.printed_pages * line.copies for line in self.lines)

    def summary(self) -> list[str]:
        """The print summary, one line per document, then the totals."""
        rows = []
        for line in self.lines:
            if line.copies:
                rows.append(say("pack.line", label=line.label, copies=line.copies,
                                pages=line.pages, sheets=line.sheets))
            else:
                rows.append(say("pack.projected", label=line.label, file=line.file))
        rows.append(say("pack.total", sheets=self.total_sheets, pages=self.total_pages,
                        file=f"{self.name}.pdf"))
        if self.editables:
            rows.append(say("pack.editables", count=len(self.editables)))
        return rows

    def as_dict(self) -> dict:
        return {"lesson": self.lesson.id, "name": self.name, "sheets": self.total_sheets,
                "pages": self.total_pages,
                "documents": [{"document": l.document, "edition": l.edition, "label": l.label,
                               "copies": l.copies, "pages": l.pages, "sheets": l.sheets,
                               "file": l.file} for l in self.lines]}

    def zip(self) -> bytes:
        """The separate PDFs and the summary, in print order, with fixed dates."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.comment = ZIP_MARK
            files = [*self.documents.items(), *self.editables.items()]
            for number, (name, data) in enumerate(files, start=1):
                archive.writestr(entry(f"{number:02d}-{name}", zipfile.ZIP_STORED), data)
            archive.writestr(entry(SUMMARY_NAME, zipfile.ZIP_STORED),
                             "\n".join(self.summary()).encode("utf-8") + b"\n")
        return buffer.getvalue()


def copies_of(document: str, order: PackOrder, edition_count: int) -> int:
    """Copies of one document in one edition: per pupil, per group, or one."""
    if document in PER_PUPIL:
        return edition_count
    if document in PER_GROUP:
        return order.group_count
    return 0 if document in PROJECTED else 1


def plan(lesson: Lesson, order: PackOrder, extra=()) -> list[tuple[str, str, int]]:
    """(document, edition, copies) in print order, then the projected documents; `extra`
    adds documents made on request (the quiz's results sheet) where the lesson makes them."""
    offered = lesson.offered_documents + tuple(
        d for d in extra if d not in lesson.offered_documents and lesson.makes(d))
    others = [d for d in offered if d not in PRINT_ORDER + PROJECTED]  # a new type: printed once
    wanted = ([d for d in PRINT_ORDER if d in offered] + others
              + [d for d in PROJECTED if d in offered])
    split = order.split()
    planned = []
    for document in wanted:
        if document in PER_PUPIL:
            planned += [(document, edition, count) for edition, count in split.items() if count]
        else:
            planned.append((document, "standard", copies_of(document, order, 1)))
    return planned


def make_pack(lesson: Lesson, order: PackOrder, *, local_contacts=(),
              theme: Theme | None = None, editable: bool = False, folders=(),
              extra=()) -> Pack:
    """Draw each document once, then assemble the print file and the summary; `editable`
    adds each document's copy to change (.docx, .pptx) for the zip or the folder;
    the order's `languages` add the family letters in those languages (their
    translations found in the lesson `folders`);
    `extra` documents made on request (the quiz's results sheet), where the lesson makes them."""
    session = order.session_of()
    lines, documents = [], {}
    for document, edition, copies in plan(lesson, order, extra):
        pdf = render_document(lesson, document, edition=edition, session=session,
                              local_contacts=local_contacts, paper=order.paper, theme=theme)
        label = document_type(document).label_for(lesson)
        if EDITION_NAMES[edition]:
            label += f", {EDITION_NAMES[edition]}"
        name = file_name(lesson.id, document, edition)
        lines.append(PackLine(document, edition, label, copies, pdf.pages, name))
        documents[name] = pdf.data
    for translation, copies in _translations(lesson, order, folders):  # after the French
        for document in ("family-letter-before", "family-letter"):
            if document not in lesson.offered_documents:
                continue
            pdf = render_document(lesson, document, session=session, local_contacts=local_contacts,
                                  paper=order.paper, theme=theme, translation=translation)
            label = (f"{document_type(document).label_for(lesson)} "
                     f"({language_words(translation.language).name_fr})")
            name = file_name(lesson.id, document, "standard", translation.language)
            lines.append(PackLine(document, "standard", label, copies, pdf.pages, name))
            documents[name] = pdf.data
    blank = blank_verso(lesson, theme)
    pdf = print_file(lesson, order, lines, documents, blank)
    copies = editable_copies(lesson, lines, session, local_contacts, theme) if editable else {}
    return Pack(lesson, order, tuple(lines), documents, pdf, copies)


def _translations(lesson: Lesson, order: PackOrder, folders) -> list:
    """(translation, copies) of each language the order asks letters in."""
    if not order.languages:
        return []
    from .translations import translation_for
    return [(translation_for(lesson, code, "family-letter", folders), copies)
            for code, copies in order.languages.items()]


def editable_copies(lesson: Lesson, lines, session, local_contacts, theme=None) -> dict:
    """The editable copy of each (document, edition) of the pack that has one, filled in
    with the session's details like its PDF."""
    from .docmodel import EDITABLE
    from .formats import editable_file_name, render_editable
    return {editable_file_name(lesson.id, line.document, line.edition, EDITABLE[line.document]):
            render_editable(lesson, line.document, EDITABLE[line.document], edition=line.edition,
                            session=session, local_contacts=local_contacts, theme=theme)
            for line in lines if line.document in EDITABLE
            and line.file == file_name(lesson.id, line.document, line.edition)}  # French only


def blank_verso(lesson: Lesson, theme: Theme | None = None) -> bytes:
    """The page left blank behind an odd page: it says so, and keeps the 3018 footer."""
    ctx = make_context(lesson, theme=theme)
    footer = footer_markup(ctx.helpline, "Page laissée blanche pour l’impression recto verso",
                           ctx.text.thin, numbered=False)
    page = layout("a4", "a4", ctx.styles.body_size)
    meta = Metadata(title="Page blanche", subject=lesson.id)
    return render_pdf([Spacer(1, 1)], page, meta, footer, ctx.styles).data


def print_file(lesson: Lesson, order: PackOrder, lines, documents: dict, blank: bytes) -> bytes:
    """Every copy of every printed document, each starting on an odd page."""
    writer = PdfWriter()
    blank_page = PdfReader(io.BytesIO(blank)).pages[0]
    for line in lines:
        if not line.copies:
            continue
        pages = PdfReader(io.BytesIO(documents[line.file])).pages
        for _ in range(line.copies):
            for page in pages:
                writer.add_page(page)
            if line.pages % 2:
                writer.add_page(blank_page)
    _describe(writer, lesson, order)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _describe(writer: PdfWriter, lesson: Lesson, order: PackOrder) -> None:
    """Title, language and the kit's mark; a fixed file id keeps the bytes identical."""
    who = ", ".join(v for v in (order.session.school, order.session.class_name) if v)
    ctx = make_context(lesson)
    title = f"Séance à imprimer – {ctx.text.plain(lesson.title)}" + (f" – {who}" if who else "")
    writer.add_metadata({"/Title": title, "/Author": Metadata("", "").author,
                         "/Subject": f"séance {lesson.id}, {order.pupils} élève(s)",
                         "/Creator": f"kit3018 {__version__}", "/Producer": "kit3018 (pypdf)",
                         "/KitSession": session_details(lesson, order)})
    writer._root_object[NameObject("/Lang")] = TextStringObject("fr-FR")
    identity = ByteStringObject(hashlib.md5(f"{lesson.id}:{order.model_dump_json()}".encode()).digest())
    writer._ID = ArrayObject([identity, identity])


def session_details(lesson: Lesson, order: PackOrder) -> str:
    """The session as JSON in the print file's metadata: `kit results template` reads it
    back to fill in the quiz results sheet (school, class, date, lesson; no pupil)."""
    session = order.session_of()
    return json.dumps({"lesson": lesson.id, "school": session.school, "class": session.class_name,
                       "date": session.date.isoformat() if session.date else None},
                      ensure_ascii=False, sort_keys=True)


def _zip_made_by_kit(path: Path) -> bool:
    """Whether `path` is a regular file holding a zip this module wrote (its comment)."""
    try:
        data = read_limited(path, MAX_ZIP_CHECKED, follow=False)
        return zipfile.ZipFile(io.BytesIO(data)).comment == ZIP_MARK
    except (OSError, FileRefused, zipfile.BadZipFile):
        return False


def write_pack(pack: Pack, out: Path | None = None, force: bool = False) -> list[Path]:
    """`FILE.pdf` (the print file), `FILE.zip` (the separate PDFs), or a folder with the
    print file, the separate PDFs and the summary; default: the print file, here."""
    out = Path(out) if out else Path(f"{pack.name}.pdf")
    if out.suffix.lower() == ".pdf":
        return [write_atomic(out, pack.pdf, force=force)]
    if out.suffix.lower() == ".zip":
        if not force and (out.exists() or out.is_symlink()) and not _zip_made_by_kit(out):
            raise OutputError(say("output.not_ours", file=display_name(out)))
        return [write_atomic(out, pack.zip(), force=force)]
    written = [write_atomic(inside(out, f"{pack.name}.pdf"), pack.pdf, force=force)]
    written += [write_atomic(inside(out, name), data, force=force)
                for name, data in [*pack.documents.items(), *pack.editables.items()]]
    summary = "\n".join(pack.summary()).encode("utf-8") + b"\n"
    written.append(write_atomic(inside(out, SUMMARY_NAME), summary, force=True))
    return written
