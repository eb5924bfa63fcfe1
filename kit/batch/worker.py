"""What runs in a worker (a process, a thread or a Dask worker): one row's packet,
returned as PDF bytes. Workers write nothing; the parent alone decides what lands in OUT."""
from __future__ import annotations

from dataclasses import dataclass

from ..session import Session
from ..errors import KitError
from ..messages import say
from ..render import render_document
from ..schema import Lesson
from ..text import TextError
from ..theme import Theme
from . import stamp


@dataclass(frozen=True)
class PacketTask:
    """Small enough to send for every row: the lesson travels with its hash, the row as a Session."""

    lesson: Lesson
    lesson_hash: str
    session: Session
    documents: tuple[tuple[str, str], ...]  # (document, edition)
    use_templates: bool = True
    local_contacts: tuple = ()  # --contacts, printed after the 3018
    theme: Theme | None = None  # --theme
    translations: tuple = ()  # the row's languages: documents named `family-letter@ar`


@dataclass(frozen=True)
class PacketResult:
    pdfs: tuple[tuple[bytes, int], ...] = ()  # (data, pages) in the task's order
    error: str | None = None


def render_packet(task: PacketTask) -> PacketResult:
    """Every document of one row; a document that cannot be made fails the row, with why."""
    pdfs = []
    try:
        for document, edition in task.documents:
            pdfs.append(render_one(task, document, edition))
    except (KitError, TextError) as error:  # TextError: stamping met a glyph the font lacks
        message = error.format_message() if isinstance(error, KitError) else str(error)
        return PacketResult(error=say("batch.document_failed", document=document, why=message))
    return PacketResult(tuple(pdfs))


def render_one(task: PacketTask, document: str, edition: str) -> tuple[bytes, int]:
    if "@" in document:  # a family letter in a family's language: French, then theirs
        document, language = document.split("@")
        translation = next(t for t in task.translations if t.language == language)
        pdf = render_document(task.lesson, document, edition=edition, session=task.session,
                              local_contacts=task.local_contacts, theme=task.theme,
                              translation=translation)
        return pdf.data, pdf.pages
    template = None
    if task.use_templates:
        template = stamp.template(task.lesson_hash, task.lesson, document, edition,
                                  stamp.present_fields(task.session), task.local_contacts,
                                  task.theme)
    if template is not None:
        try:
            return template.stamp(task.session), template.pages
        except stamp.NoRoom:
            pass  # a detail too long for its line: lay this row's document out in full
    pdf = render_document(task.lesson, document, edition=edition, session=task.session,
                          local_contacts=task.local_contacts, theme=task.theme)
    return pdf.data, pdf.pages
