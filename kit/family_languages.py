"""`kit build --language`: the family letters (French, then the family's language), the
poster in that language and the easy-French cycle 3 worksheet, beside each lesson's
French documents in the catalogue folder, with the HTML edition of each letter.

Written after the catalogue, each file only when its bytes change (the output is
byte-identical for identical input), so a second build rewrites nothing.
"""
from __future__ import annotations

import logging
from pathlib import Path

from .catalogue import BuiltDocument
from .documents import EDITIONS, document_type, file_name
from .errors import KitError
from .lessons import Library
from .manifest import write_if_changed
from .output import inside
from .translations import documents_for, translation_for

log = logging.getLogger("kit")
LETTERS = ("family-letter", "family-letter-before")


def build_languages(library: Library, out: Path, languages, folders, *, documents=None,
                    editions=EDITIONS, local_contacts=(), paper: str = "a4",
                    theme=None) -> list[BuiltDocument]:
    """Every lesson's documents in each of `languages` it has a translation for; a lesson
    without one is said once (a warning), the others are made."""
    from .html import render_language_html
    from .render import render_document
    built = []
    for lesson in library.sorted():
        for language in languages:
            for document in _documents(lesson, language, documents):
                try:
                    translation = translation_for(lesson, language, document, folders)
                except KitError as error:
                    log.warning(error.format_message())
                    break
                for edition in editions:
                    pdf = render_document(lesson, document, edition=edition, paper=paper,
                                          local_contacts=local_contacts, theme=theme,
                                          translation=translation)
                    name = file_name(lesson.id, document, edition, language)
                    remade = write_if_changed(inside(out, lesson.id, name), pdf.data)
                    built.append(BuiltDocument(lesson.id, f"{document}@{language}", edition,
                                               f"{lesson.id}/{name}", pdf.pages, remade))
                if document in LETTERS:
                    page = render_language_html(lesson, document, translation, theme=theme)
                    html = f"{lesson.id}-{document_type(document).file_part}-{language}.html"
                    write_if_changed(inside(out, lesson.id, html), page.encode("utf-8"))
    return built


def _documents(lesson, language: str, wanted) -> list[str]:
    """The documents of `lesson` that exist in `language` (and were asked for)."""
    return [d for d in documents_for(language) if d in lesson.offered_documents
            and (d != "worksheet" or lesson.level == "cycle3") and (not wanted or d in wanted)]
