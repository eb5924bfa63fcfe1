"""Folder names from spreadsheet cells: readable, short, safe on every file system,
and unique, so no row's packet ever lands on another's or outside the output folder.
"""
from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 60
# Names Windows refuses as a file or folder, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
            *(f"lpt{i}" for i in range(10))}


# What NFKD does not reduce to ASCII but people type either way: ’ or ', œ or oe.
_TYPED_ALIKE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "«": '"', "»": '"', "–": "-",
                              "—": "-", "œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def ascii_fold(text: str) -> str:
    """`Œuvre « éco »` -> `Oeuvre "eco"`: accents dropped, ligatures spelt out."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPED_ALIKE))
    return decomposed.encode("ascii", "ignore").decode()


def slug(text: str, fallback: str = "sans-nom") -> str:
    """`Collège Jean-Moulin (Lyon)` -> `college-jean-moulin-lyon`: ASCII letters, digits, hyphens."""
    words = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")
    words = words[:MAX_LENGTH].rstrip("-") or fallback
    return f"{words}-x" if words in RESERVED else words


class Slugger:
    """Gives each distinct name in a namespace its own slug; `-2`, `-3` follow first come."""

    def __init__(self):
        self._by_name: dict[tuple, str] = {}
        self._taken: set[tuple] = set()

    def get(self, namespace: tuple, name: str) -> str:
        key = (namespace, name)
        if key not in self._by_name:
            self._by_name[key] = self._free(namespace, slug(name))
        return self._by_name[key]

    def fresh(self, namespace: tuple, name: str) -> str:
        """A new slug for `name` even if it already has one (a second session, same folder)."""
        return self._free(namespace, slug(name))

    def _free(self, namespace: tuple, base: str) -> str:
        candidate, number = base, 1
        while (namespace, candidate) in self._taken:
            number += 1
            suffix = f"-{number}"
            candidate = base[:MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        self._taken.add((namespace, candidate))
        return candidate
