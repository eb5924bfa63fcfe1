"""No pupil's name or other personal data enters a results sheet: a column whose header
names such data, or whose cells look like people's names, makes the whole file refused
(before anything is counted or written). Its cells are never echoed in a message."""
from __future__ import annotations

import re

from ..batch.roster import normalise

# Words of a header that names personal data (compared as whole words, without accents).
PERSONAL_WORDS = frozenset((
    "nom", "noms", "prenom", "prenoms", "eleve", "eleves", "name", "names", "pupil", "student",
    "naissance", "ne", "nee", "birth", "age", "sexe", "genre", "gender", "adresse", "address",
    "mail", "email", "courriel", "telephone", "tel", "phone", "portable", "ine", "identifiant",
    "signature", "photo", "parent", "parents", "responsable", "famille",
))
# A cell that reads like a person's name: capitalised words of letters (« Léa », « Tom Martin »).
_NAME_LIKE = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:[ '-][A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+){0,2}")
NAME_LIKE_CELLS = 3  # this many name-like cells in one unknown column: it holds names


def personal_header(header: str) -> bool:
    """Whether a header (not one of the sheet's own) names personal data."""
    return bool(set(normalise(header).split()) & PERSONAL_WORDS)


def name_like(value) -> bool:
    return isinstance(value, str) and _NAME_LIKE.fullmatch(value.strip()) is not None
