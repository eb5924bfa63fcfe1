"""The results sheet's columns: the French headers the template writes, and every
header a reader accepts for each (compared without case, accents or punctuation)."""
from __future__ import annotations

from ..batch.roster import COLUMNS as ROSTER_COLUMNS
from ..batch.roster import normalise

# (name, header written in the template)
HEADERS = (
    ("school", "Établissement"),
    ("class_name", "Classe"),
    ("date", "Date"),
    ("lesson", "Séance"),
    ("question", "Question"),
    ("prompt", "Intitulé"),
    ("before", "Justes avant"),
    ("after", "Justes après"),
    ("answered", "Élèves ayant répondu"),
)
HEADER_OF = dict(HEADERS)
ALIASES = {
    **{name: ROSTER_COLUMNS[name] for name in ("school", "class_name", "lesson", "date", "city")},
    "question": ("question", "n question", "no question", "numero question", "numero", "q"),
    "prompt": ("intitule", "enonce", "texte de la question", "prompt"),
    "before": ("justes avant", "bonnes reponses avant", "reponses justes avant", "avant",
               "right before"),
    "after": ("justes apres", "bonnes reponses apres", "reponses justes apres", "apres",
              "right after"),
    "answered": ("eleves ayant repondu", "ont repondu", "repondants", "nombre de reponses",
                 "reponses", "nombre d eleves", "nombre eleves", "effectif", "answered"),
}
REQUIRED = ("school", "class_name", "lesson", "question", "before", "after", "answered")
COUNTS = ("before", "after", "answered")
BY_HEADER = {normalise(alias): name for name, aliases in ALIASES.items() for alias in aliases}
