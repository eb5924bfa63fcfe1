"""Editable copies of the documents: each built once as neutral blocks (kit/docmodel/blocks.py)
from the same lesson data, wording and helpline as the PDF, then drawn by one renderer per
format (kit/formats/). `EDITABLE` says which format each document has."""
from __future__ import annotations

from ..render import EDITION_NAMES, document_metadata, offered_document
from ..schema import Lesson
from ..session import Session
from ..styledata import sheet
from . import guide, handouts, slides
from .blocks import Document
from .writer import footer_line, make_writer

# document -> its editable format; the poster and the certificate are made to be printed as they are
EDITABLE = {"worksheet": "docx", "guide": "docx", "slides": "pptx",
            "family-letter-before": "docx", "family-letter": "docx",
            "scenario-cards": "docx", "quiz": "docx", "charter": "docx"}
BUILDERS = {"worksheet": handouts.worksheet, "guide": guide.guide, "quiz": handouts.quiz,
            "charter": handouts.charter, "scenario-cards": handouts.scenario_cards,
            "family-letter": handouts.family_letter,
            "family-letter-before": handouts.family_letter_before}


def build_document(lesson: Lesson, document: str, edition: str = "standard",
                   session: Session | None = None, local_contacts=()) -> Document:
    """One document as neutral blocks (a deck as slides), with its metadata and footer."""
    kind = offered_document(lesson, document)
    superscripts = sheet()["editions"][edition].get("superscripts", True)
    w = make_writer(lesson, session, local_contacts, superscripts)
    label = kind.label_for(lesson) + (f", {EDITION_NAMES[edition]}" if EDITION_NAMES[edition] else "")
    meta = document_metadata(lesson, label, w.plain(lesson.title))
    made = Document(lesson.id, document, edition, meta.title, meta.subject,
                    footer_line(w.helpline), author=meta.author, keywords=meta.keywords)
    if document == "slides":
        made.slides = slides.slides(w)
    else:
        made.blocks = BUILDERS[document](w)
    return made
