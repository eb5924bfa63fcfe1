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


def document_type(name: str) -> DocumentType:
    try:
        return DOCUMENT_TYPES[name]
    except KeyError:
        raise RenderError(f"no document type '{name}'; choose one of: "
                          f"{', '.join(DOCUMENT_TYPES)}") from None
