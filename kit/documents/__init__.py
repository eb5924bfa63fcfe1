"""The document types, one module each; `DOCUMENT_TYPES` is their registry, in catalogue order.

Each module of this package that defines `DOCUMENT` (a `DocumentType`) is a document
type: adding one is adding a module.
"""
from __future__ import annotations

import importlib
import pkgutil

from ..errors import RenderError
from ..schema import DOCUMENTS
from .base import DocumentType


def _discover() -> dict[str, DocumentType]:
    found = []
    for module in pkgutil.iter_modules(__path__):
        document = getattr(importlib.import_module(f"{__name__}.{module.name}"), "DOCUMENT", None)
        if isinstance(document, DocumentType):
            found.append(document)
    return {d.name: d for d in sorted(found, key=lambda d: DOCUMENTS.index(d.name))}


DOCUMENT_TYPES: dict[str, DocumentType] = _discover()


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
        raise RenderError(f"no document '{name}'; choose one of: {names_help()}") from None


def names_help() -> str:
    """`worksheet (fiche-eleve), guide (guide-animateur), ...`, for help and errors."""
    return ", ".join(d.name if d.name == d.file_part else f"{d.name} ({d.file_part})"
                     for d in DOCUMENT_TYPES.values())


def document_type(name: str) -> DocumentType:
    try:
        return DOCUMENT_TYPES[document_names().get(name, name)]
    except KeyError:
        raise RenderError(f"no document type '{name}'; choose one of: {names_help()}") from None
