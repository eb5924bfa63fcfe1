"""The document types: `DOCUMENT_TYPES`, the one registry, in catalogue order.

Each entry names its module in this package (`family-letter` -> family_letter.py),
whose `build(ctx)` lays it out; a module is imported only when its document is
drawn, so commands that draw nothing (`kit list`, `kit check`) never load ReportLab.
Adding a document type is adding a module and its line here.
"""
from __future__ import annotations

from ..errors import RenderError
from ..messages import say
from .base import DocumentType

EDITIONS = ("standard", "dys", "large-print")
PAPERS = ("a4", "a3")
FORMATS = ("pdf", "pptx", "docx")  # a PDF, or a copy to change in an office suite

DOCUMENT_TYPES: dict[str, DocumentType] = {d.name: d for d in (
    DocumentType("worksheet", "Fiche élève", "fiche-eleve", "a4", adult_label="Fiche participant"),
    DocumentType("guide", "Guide de l'animateur", "guide-animateur", "a4", for_adults=True),
    DocumentType("slides", "Diaporama", "diaporama", "slides"),
    DocumentType("family-letter-before", "Lettre aux familles : information préalable",
                 "lettre-familles-avant", "a4", for_adults=True),
    DocumentType("family-letter", "Lettre aux familles", "lettre-familles", "a4", for_adults=True),
    DocumentType("poster", "Affiche 3018", "affiche", "poster", numbered=False),
    DocumentType("scenario-cards", "Cartes scénarios", "cartes-scenarios", "a4"),
    DocumentType("quiz", "Quiz avant / après", "quiz", "a4"),
    DocumentType("charter", "Charte de classe", "charte", "a4"),
    # in the larger types every « Je sais que… » item fits only on an upright page
    DocumentType("certificate", "Diplôme", "diplome", "landscape",
                 edition_pages=(("dys", "a4"), ("large-print", "a4"))),
    # the facilitator's counts of the quiz, for `kit results` (no pupil's name)
    DocumentType("results-sheet", "Fiche de résultats du quiz", "fiche-resultats", "a4",
                 for_adults=True, on_request_with="quiz"),
)}
DOCUMENTS = tuple(DOCUMENT_TYPES)
EDITION_FILE_PARTS = {"standard": "", "dys": "-dys", "large-print": "-gros-caracteres"}


def file_name(lesson_id: str, document: str, edition: str = "standard", language: str = "") -> str:
    """`<lesson-id>-fiche-eleve.pdf`, with `-dys` or `-gros-caracteres` for the editions,
    and `-ar`, `-fr-facile`... for a language (kit/translations.py)."""
    tail = f"-{language}" if language else ""
    return f"{lesson_id}-{document_type(document).file_part}{tail}{EDITION_FILE_PARTS[edition]}.pdf"


def catalogue_poster_name(edition: str = "standard") -> str:
    """`affiche-3018-a3.pdf` (and its editions): one A3 poster for the whole catalogue."""
    return f"affiche-3018-a3{EDITION_FILE_PARTS[edition]}.pdf"


def document_names() -> dict[str, str]:
    """Every name a document may be called by -> its registry name: the English name
    (`worksheet`) and the French one of its file names (`fiche-eleve`)."""
    names = {d.file_part: d.name for d in DOCUMENT_TYPES.values()}
    return {**names, **{name: name for name in DOCUMENT_TYPES}}


def document_name(name: str) -> str:
    """`fiche-eleve` or `worksheet` -> `worksheet`; RenderError listing the names if neither."""
    try:
        return document_names()[name.strip().lower()]
    except KeyError:
        raise RenderError(say("render.no_document", name=name, names=names_help())) from None


def names_help() -> str:
    """`worksheet (fiche-eleve), guide (guide-animateur), ...`, for help and errors."""
    return ", ".join(d.name if d.name == d.file_part else f"{d.name} ({d.file_part})"
                     for d in DOCUMENT_TYPES.values())


def document_type(name: str) -> DocumentType:
    try:
        return DOCUMENT_TYPES[document_names().get(name, name)]
    except KeyError:
        raise RenderError(say("render.no_document", name=name, names=names_help())) from None
