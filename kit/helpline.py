"""The 3018 and the other contacts a document lists, loaded from assets/.

The helpline's details exist only in `assets/helpline.yaml`; documents and lesson
text reach them through this module, so one edit there updates every page.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Annotated

import pydantic
from pydantic import Field, StringConstraints

from . import cache, paths
from .errors import AssetError, LessonError
from .languages import HelplineWords
from .messages import say
from .schema import Model, Slug, Url
from .validation import Origin, expected_for
from .yamlfile import display_name, load_yaml, read_text

STALE_AFTER_DAYS = 365
PHONE_PATTERN = expected_for(
    r"^(?:\+33 ?[1-9](?:[ .]?\d{2}){4}|0[1-9](?:[ .]?\d{2}){4}|1\d{1,2}|3\d{3})$",
    "pattern.phone")
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class Channel(Model):
    kind: Line
    label: Line
    detail: Line


class SourceRef(Model):
    title: Line
    address: Url


class Helpline(Model):
    """The 3018: number, operator, promises, hours and channels, with their check date."""

    name: Line
    phone: Phone
    operator: Line
    operator_web: Url
    purpose: Line
    audience: Line
    promises: list[Line]
    bill_note: Line
    days: Line
    hours: Line
    hours_short: Line
    web: Url
    channels: list[Channel]
    help_offered: list[Line]
    checked: Annotated[dt.date, Field(strict=False)]
    source: SourceRef
    # the same description in the families' languages (kit/languages.py), same check date
    languages: dict[str, HelplineWords] = Field(default_factory=dict)

    @pydantic.model_validator(mode="after")
    def _languages_match(self):
        """Each language lists the same channels as the French, in the same order."""
        from .schema import FieldError
        from .translations import ALL_LANGUAGES
        for language, own in self.languages.items():
            if language not in ALL_LANGUAGES:
                raise FieldError(("languages", language), say(
                    "translation.unknown", language=language, languages=", ".join(ALL_LANGUAGES)))
            if len(own.channels) != len(self.channels):
                raise FieldError(("languages", language, "channels"), say(
                    "translation.helpline_channels", count=len(self.channels),
                    found=len(own.channels)))
        return self

    @property
    def web_short(self) -> str:
        return self.web.split("://", 1)[-1].rstrip("/")

    @property
    def promises_text(self) -> str:
        return ", ".join(self.promises)

    def age_in_days(self, today: dt.date | None = None) -> int:
        return ((today or dt.date.today()) - self.checked).days


class Contact(Model):
    """Another person or service to call: national (assets/contacts.yaml) or local (a profile)."""

    id: Slug | None = None
    name: Line
    role: Line
    phone: Phone | None = None
    web: Annotated[str, StringConstraints(pattern=expected_for(
        r"^https://[^\s<>\"]+$", "pattern.web"))] | None = None
    address: Line | None = None

    @pydantic.model_validator(mode="after")
    def _reachable(self):
        if not (self.phone or self.web or self.address):
            raise ValueError(say("contacts.unreachable"))
        return self


class ContactList(Model):
    checked: Annotated[dt.date, Field(strict=False)] | None = None
    contacts: list[Contact] = Field(default_factory=list, max_length=20)


def _load(path: Path, model: type[Model], loaded=None):
    if loaded is None:  # a file on disk: kept in the cache under its text
        text = read_text(path)
        return cache.remember(f"asset-{model.__name__}", (display_name(path), text),
                              lambda: _load(path, model, load_yaml(path, text)))
    data, positions = loaded
    return Origin(display_name(path), positions).validate(model, data)


@functools.cache
def load_helpline() -> Helpline:
    """The 3018's details from assets/helpline.yaml (read once per process)."""
    try:
        return _load(paths.asset("helpline.yaml"), Helpline)
    except LessonError as error:
        raise AssetError(say("assets.invalid", file="assets/helpline.yaml") + "\n" + str(error)) from None


@functools.cache
def national_contacts() -> tuple[Contact, ...]:
    """The other national numbers (119, 17, 112, 114, Pharos) from assets/contacts.yaml."""
    try:
        return tuple(_load(paths.asset("contacts.yaml"), ContactList).contacts)
    except LessonError as error:
        raise AssetError(say("assets.invalid", file="assets/contacts.yaml") + "\n" + str(error)) from None


def load_contacts_profile(path: Path, text: str | None = None) -> tuple[Contact, ...]:
    """A user's local contacts (school referent, nurse, commissariat...), validated;
    `text` is the file's content when it is not on disk yet (kit serve's editor).

    A profile only adds: a contact that would pass for the 3018 or replace a national
    number (same id) is refused, so the 3018 printed first is always the real one.
    """
    data, positions = load_yaml(path, text)
    origin = Origin(display_name(path), positions)
    contacts = _load(path, ContactList, (data, positions)).contacts
    problems = [origin.problem(("contacts", index), message)
                for index, contact in enumerate(contacts) if (message := _impostor(contact))]
    if problems:
        raise LessonError(problems)
    return tuple(contacts)


def _impostor(contact: Contact) -> str | None:
    helpline = load_helpline()
    number = re.compile(rf"(?<!\d){re.escape(helpline.phone)}(?!\d)")
    fields = (contact.id, contact.name, contact.role, contact.phone, contact.web, contact.address)
    # « écoute (3018) », « Appelez le 3018. », 3018 in an address or a web address: anywhere
    if any(number.search(text) for text in fields if text) or (
            contact.phone and re.sub(r"\D", "", contact.phone) == helpline.phone):
        return say("contacts.impostor", phone=helpline.phone)
    if contact.id in {c.id for c in national_contacts()}:
        return say("contacts.national_id", id=contact.id)
    return None


def stale_warning(helpline: Helpline, today: dt.date | None = None) -> str | None:
    """A sentence when the helpline's details were checked more than a year ago."""
    age = helpline.age_in_days(today)
    if age <= STALE_AFTER_DAYS:
        return None
    return say("contacts.helpline_stale", checked=helpline.checked, days=age,
               source=helpline.source.address)
