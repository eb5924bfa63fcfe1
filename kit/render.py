"""Render one document of one lesson to PDF bytes: the library call behind `kit render`."""
from __future__ import annotations

from reportlab.platypus import PageBreak

from .context import Session, make_context
from .documents import document_type, file_name  # noqa: F401 (kit.render.file_name)
from .documents.base import DocumentType
from .errors import RenderError
from .messages import say
from .pages import Metadata, Pdf, footer_height, footer_markup, layout, render_pdf
from .schema import LEVEL_NAMES, Lesson
from .text import TextError
from .languages import FRENCH, language_words
from .theme import Theme
from .translations import EASY, Translation, translated

EDITION_NAMES = {"standard": "", "dys": "édition dys", "large-print": "gros caractères"}


def bilingual(document: str, language: str) -> bool:
    """The family letters go home in French then in the family's language, so the teacher
    reads what is sent; the poster, and anything in easy French, are printed alone."""
    return document in ("family-letter", "family-letter-before") and language != EASY


def offered_document(lesson: Lesson, document: str) -> DocumentType:
    """The document's type, if the lesson offers it; RenderError saying what it offers if not."""
    kind = document_type(document)
    if not lesson.makes(document):
        raise RenderError(say("render.not_offered", id=lesson.id, document=document,
                              offered=", ".join(lesson.offered_documents)))
    return kind


def document_metadata(lesson: Lesson, label: str, title: str) -> Metadata:
    """What a PDF's or a page's title and subject say: the document and the lesson."""
    return Metadata(title=f"{title} – {label}",
                    subject=f"{label} · {LEVEL_NAMES[lesson.level]} · {lesson.duration} min · "
                            f"leçon {lesson.id}")


def render_document(lesson: Lesson, document: str, *, edition: str = "standard",
                    session: Session | None = None, local_contacts=(),
                    paper: str = "a4", theme: Theme | None = None,
                    for_catalogue: bool = False, translation: Translation | None = None) -> Pdf:
    """One document as PDF; the lesson must already be validated and checked.
    `for_catalogue`: a document the same for every lesson (the poster), titled without one.
    `translation`: the family letter in French then in that language (easy French alone),
    the poster or the easy worksheet in that language only."""
    kind = offered_document(lesson, document)
    language = translation.language if translation else FRENCH
    ctx = make_context(lesson, edition, session, local_contacts, paper, theme)
    try:
        title = ctx.text.plain(lesson.title)
        label = kind.label_for(lesson) + (f", {EDITION_NAMES[edition]}" if EDITION_NAMES[edition] else "")
        footer = footer_markup(ctx.helpline, f"{label} – {title}" if kind.numbered else label,
                               ctx.text.thin, numbered=kind.numbered)
        page = kind.page_for(edition)
        width = layout(page, paper, ctx.styles.body_size).frame_width
        ctx.page = layout(page, paper, ctx.styles.body_size,
                          footer_height(footer, ctx.styles, width))
        flowables = [] if translation and not bilingual(document, language) else kind.build(ctx)
        if translation:
            theirs = make_context(translated(lesson, translation), edition, session,
                                  local_contacts, paper, theme, language)
            theirs.page = ctx.page
            flowables += [PageBreak()] * bool(flowables) + kind.build(theirs)
    except TextError as error:
        raise RenderError(say("render.text", id=lesson.id, document=kind.label, why=error)) from None
    meta = document_metadata(lesson, label, title)
    if translation:
        meta = Metadata(title=f"{meta.title} ({language_words(language).name_fr})",
                        subject=f"{meta.subject} · {language}")
    if for_catalogue:
        meta = Metadata(title=f"{label} ({paper.upper()})",
                        subject=f"{label} · {paper.upper()} · pour toutes les séances du kit")
    return render_pdf(flowables, ctx.page, meta, footer, ctx.styles, theme.logo if theme else None)
