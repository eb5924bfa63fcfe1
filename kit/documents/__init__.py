"""The document types, one module each; `DOCUMENT_TYPES` is their registry, in catalogue order."""
from __future__ import annotations

from ..errors import RenderError
from ..schema import DOCUMENTS
from . import guide, worksheet
from .base import DocumentType

DOCUMENT_TYPES: dict[str, DocumentType] = {
    d.name: d for d in sorted((worksheet.DOCUMENT, guide.DOCUMENT),
                              key=lambda d: DOCUMENTS.index(d.name))
}


def document_type(name: str) -> DocumentType:
    try:
        return DOCUMENT_TYPES[name]
    except KeyError:
        raise RenderError(f"no document type '{name}'; choose one of: "
                          f"{', '.join(DOCUMENT_TYPES)}") from None
