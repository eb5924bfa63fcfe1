"""What a teacher asks for: the session's details, the head count and the editions.

One model for every way in (`kit render` and `kit pack` options, the web form, the
JSON API), so a detail is checked once, with one French message naming its field.
The models are plain data: they turn into the `Session` the documents already read.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from .context import Session
from .errors import InputError

PUPILS_MAX = 200          # a school hall, not a district: districts use `kit batch`
GROUPS_MAX = 50
PUPILS_PER_GROUP = 5      # scenario cards: one set per group of about five
SPLIT_EDITIONS = ("dys", "large-print")
_SHORT, _LONG = 60, 120   # characters: a class name, a school's name with its town

FIELD_LABELS = {
    "lesson": "séance", "document": "document", "edition": "édition", "paper": "papier",
    "school": "établissement", "city": "ville", "class": "classe", "date": "date",
    "facilitator": "intervenant", "referent": "référent", "room": "salle", "time": "horaire",
    "pupils": "nombre d'élèves", "groups": "nombre de groupes", "editions": "éditions",
    "dys": "élèves en édition dys", "large-print": "élèves en gros caractères",
}


def _clean(value):
    """Form fields come as text: blank means « not given »."""
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return value


class SessionDetails(BaseModel):
    """A class's session; a detail left out prints as a line to fill in by hand."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    school: str | None = Field(None, max_length=_LONG, description="L'établissement.")
    city: str | None = Field(None, max_length=_SHORT, description="La ville.")
    class_name: str | None = Field(None, alias="class", max_length=_SHORT, description="La classe.")
    date: dt.date | None = Field(None, description="09/11/2027 ou 2027-11-09.")
    facilitator: str | None = Field(None, max_length=_SHORT, description="Qui anime la séance.")
    referent: str | None = Field(None, max_length=_SHORT, description="Le référent harcèlement.")
    room: str | None = Field(None, max_length=_SHORT, description="La salle (guide).")
    time: str | None = Field(None, max_length=20, description="L'horaire (guide, lettre).")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return _clean(value)

    @field_validator("date", mode="before")
    @classmethod
    def _french_date(cls, value):
        if isinstance(value, str):
            from .batch.roster import parse_date  # the roster's rules: 09/11/2027, 2027-11-09
            return parse_date(value)
        return value

    def session(self, students: int | None = None) -> Session:
        return Session(school=self.school, city=self.city, class_name=self.class_name,
                       date=self.date, facilitator=self.facilitator, referent=self.referent,
                       room=self.room, time=self.time, students=students)


class RenderOrder(BaseModel):
    """One document of one lesson, for one session (`POST /api/render`, `kit render`)."""

    model_config = ConfigDict(extra="forbid")

    lesson: str = Field(max_length=80, description="L'id d'une séance (GET /api/lessons).")
    document: str = Field("worksheet", max_length=40,
                          description="worksheet, fiche-eleve, guide, guide-animateur...")
    edition: Literal["standard", "dys", "large-print"] = "standard"
    paper: Literal["a4", "a3"] = "a4"
    session: SessionDetails = Field(default_factory=SessionDetails)


class PackOrder(BaseModel):
    """A whole session to print: one class, its head count, the editions it needs."""

    model_config = ConfigDict(extra="forbid")

    lesson: str = Field(max_length=80, description="L'id d'une séance (GET /api/lessons).")
    session: SessionDetails = Field(default_factory=SessionDetails)
    pupils: int = Field(ge=1, le=PUPILS_MAX, description="Le nombre d'élèves (ou de participants).")
    groups: int | None = Field(None, ge=1, le=GROUPS_MAX,
                               description="Les groupes (cartes scénarios) ; par défaut un "
                                           f"pour {PUPILS_PER_GROUP} élèves.")
    editions: dict[Literal["dys", "large-print"], int] = Field(
        default_factory=dict, description="Combien d'élèves ont chaque édition adaptée : "
                                          "{\"dys\": 2} ; les autres ont l'édition standard.")
    paper: Literal["a4", "a3"] = "a4"

    @field_validator("editions")
    @classmethod
    def _split_fits(cls, value, info: ValidationInfo):
        for edition, count in value.items():
            if count < 0:
                raise ValueError(f"{FIELD_LABELS[edition]} : un nombre à partir de 0")
        pupils = info.data.get("pupils")
        if pupils is not None and sum(value.values()) > pupils:
            raise ValueError(f"il y a plus d'élèves en éditions adaptées "
                             f"({sum(value.values())}) que d'élèves ({pupils})")
        return value

    @property
    def group_count(self) -> int:
        return self.groups or max(1, math.ceil(self.pupils / PUPILS_PER_GROUP))

    def split(self) -> dict[str, int]:
        """Pupils per edition, standard first: {"standard": 26, "dys": 2}."""
        adapted = {e: self.editions.get(e, 0) for e in SPLIT_EDITIONS if self.editions.get(e)}
        return {"standard": self.pupils - sum(adapted.values()), **adapted}

    def session_of(self) -> Session:
        return self.session.session(students=self.pupils)


def problems(error: ValidationError) -> list[InputError]:
    """pydantic's errors as one French InputError per field."""
    return [problem(item) for item in error.errors()]


def problem(item: dict) -> InputError:
    """One pydantic error as a French InputError naming its field (`session.date`)."""
    where = [str(p) for p in item["loc"] if p != "body"]
    if item["type"] == "json_invalid":
        return InputError(f"le corps n'est pas du JSON valide ({(item.get('ctx') or {}).get('error')})")
    field = ".".join(where) or None
    label = FIELD_LABELS.get(where[-1] if where else "", field or "demande")
    return InputError(f"{label} : {_french(item)}", field=field)


def _french(item: dict) -> str:
    kind, ctx = item["type"], item.get("ctx") or {}
    messages = {
        "missing": "à remplir",
        "int_parsing": "un nombre entier, comme 28",
        "int_type": "un nombre entier, comme 28",
        "int_from_float": "un nombre entier, comme 28",
        "greater_than_equal": f"un nombre à partir de {ctx.get('ge')}",
        "less_than_equal": f"au plus {ctx.get('le')}",
        "string_too_long": f"au plus {ctx.get('max_length')} caractères",
        "string_type": "du texte",
        "extra_forbidden": "ce champ n'existe pas",
        "literal_error": f"au choix : {ctx.get('expected', '')}",
        "date_from_datetime_parsing": "une date comme 09/11/2027",
        "date_parsing": "une date comme 09/11/2027",
        "date_type": "une date comme 09/11/2027",
        "model_type": "un objet JSON",
        "dict_type": "un objet JSON",
        "json_invalid": "du JSON valide",
    }
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", item["msg"])).removeprefix("Value error, ")
    return messages.get(kind, item["msg"])


def parse(model: type[BaseModel], data: dict):
    """`model` from `data`, or the first problem as an InputError naming its field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise problems(error)[0] from None
