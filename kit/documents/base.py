"""What every document type declares: its name, its French label, its file name and page."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class DocumentType:
    """One kind of document; `build(ctx)` returns the flowables of its pages."""

    name: str        # as typed on the command line: worksheet, family-letter...
    label: str       # as printed: « Fiche élève »
    file_part: str   # in file names: <lesson-id>-fiche-eleve.pdf
    page: str        # a layout from kit.pages: a4, slides, poster, landscape
    for_adults: bool = False  # printed for families or staff rather than students
    adult_label: str | None = None  # the label when a parents' or staff lesson prints it
    numbered: bool = True  # « page N / M » in the footer; a one-sheet poster has none
    edition_pages: tuple[tuple[str, str], ...] = ()  # (edition, layout) where it differs
    # Made only when asked for (kit render --doc, kit batch --docs, kit pack's option), for
    # a lesson that offers this document; never in the catalogue or a pack by default.
    on_request_with: str | None = None

    @property
    def build(self) -> Callable:
        """The module's `build(ctx)`, imported on first use (it brings ReportLab)."""
        module = importlib.import_module(f"{__package__}.{self.name.replace('-', '_')}")
        return module.build

    def page_for(self, edition: str) -> str:
        """The page layout of one edition: larger type may need a taller page."""
        return dict(self.edition_pages).get(edition, self.page)

    def label_for(self, lesson) -> str:
        """The printed name of this document for a lesson's audience."""
        return self.adult_label if lesson.adult_audience and self.adult_label else self.label
