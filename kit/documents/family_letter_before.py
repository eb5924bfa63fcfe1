"""Lettre aux familles, information préalable: sent home before a sensitive session, from
the same lesson data as the letter after it, so families know what the class will
work on, how the topic is approached, and where to find help."""
from __future__ import annotations

from ..context import RenderContext
from . import DOCUMENT_TYPES
from .family_letter import letter

DOCUMENT = DOCUMENT_TYPES["family-letter-before"]


def build(ctx: RenderContext) -> list:
    return letter(ctx, DOCUMENT, "before")

