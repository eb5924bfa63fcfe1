"""What a teacher asks for: the session's details, the head count and the editions.

One model for every way in (`kit render` and `kit pack` options, the web form, the
JSON API), so a detail is checked once, with one French message naming its field.
The models are plain data: they turn into the `Session` the documents already read.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from .context import Session
from .errors import InputError
from .messages import say
from .validation import number

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
    "languages": "lettres dans la langue des familles",
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
    languages: dict[str, int] = Field(
        default_factory=dict, description="Les familles qui reçoivent la lettre en français puis "
                                          "dans leur langue : {\"ar\": 3} (en, es, pt, ar, tr, "
                                          "ro, uk, fr-facile).")

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value, info: ValidationInfo):
        from .translations import language_code  # the kit's languages, by code or French name
        letters = {}
        for word, count in value.items():
            try:
                code = language_code(word)
            except ValueError as error:
                raise ValueError(str(error)) from None
            if count < 1:
                raise ValueError(say("form.language_count", language=word))
            letters[code] = letters.get(code, 0) + count
        pupils = info.data.get("pupils")
        if pupils is not None and sum(letters.values()) > pupils:
            raise ValueError(say("form.too_many_letters", letters=sum(letters.values()),
                                 pupils=pupils))
        return letters

    @field_validator("editions")
    @classmethod
    def _split_fits(cls, value, info: ValidationInfo):
        for edition, count in value.items():
            if count < 0:
                raise ValueError(say("form.edition_count", edition=FIELD_LABELS[edition]))
        pupils = info.data.get("pupils")
        if pupils is not None and sum(value.values()) > pupils:
            raise ValueError(say("form.too_many_adapted", adapted=sum(value.values()),
                                 pupils=pupils))
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
        return InputError(say("form.not_json"))
    field = ".".join(where) or None
    label = FIELD_LABELS.get(where[-1] if where else "", field or say("form.request"))
    if where[:1] == ["languages"] and len(where) > 1:  # {"ar": "trois"}: the language named
        label = f"{FIELD_LABELS['languages']} ({where[-1]})"
    return InputError(say("form.field", label=label, message=_french(item)), field=field)


# pydantic's error types -> the catalogue's words for a web form (assets/messages.yaml, form)
FORM_MESSAGE_FOR_TYPE = {
    "missing": "missing", "int_parsing": "whole_number", "int_type": "whole_number",
    "int_from_float": "whole_number", "greater_than_equal": "at_least",
    "greater_than": "greater_than", "less_than_equal": "at_most",
    "string_too_long": "too_long_text", "string_type": "text", "extra_forbidden": "no_such_field",
    "literal_error": "choice", "date_from_datetime_parsing": "date", "date_parsing": "date",
    "date_type": "date", "model_type": "object", "dict_type": "object", "json_invalid": "json",
}


def _french(item: dict) -> str:
    """A form field's error from its type and ctx (never pydantic's English msg)."""
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", "")).removeprefix("Value error, ")
    if kind == "literal_error":
        return say("form.choice", choices=", ".join(re.findall(r"'([^']*)'", ctx.get("expected", ""))))
    bound = next((number(ctx[k]) for k in ("ge", "gt", "le", "max_length") if k in ctx), "")
    return say(f"form.{FORM_MESSAGE_FOR_TYPE.get(kind, 'other')}", bound=bound)


def parse(model: type[BaseModel], data: dict):
    """`model` from `data`, or the first problem as an InputError naming its field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise problems(error)[0] from None
