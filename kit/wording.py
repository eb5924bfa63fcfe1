"""The kit's own wording, kept as data in assets/: the facilitator guide's fixed sections
(assets/guide.yaml) and the sentences that depend on who reads and on the lesson's topic
(assets/wording.yaml). Both are validated like lessons: a mistake is reported at its line.

Builders take sentences from here and never write them in code, so a reviewer reads
every word a document prints in these two files and the lessons.
"""
from __future__ import annotations

import functools
from typing import Annotated

from pydantic import StringConstraints, model_validator

from . import cache, paths
from .errors import AssetError, LessonError
from .lessons import Origin
from .messages import say
from .schema import HELP_TOPICS, LEVELS, PROTOCOLS, Model, Text, Title
from .yamlfile import load_yaml, read_text

Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


class Section(Model):
    """A titled block of the guide: Markdown and lesson placeholders allowed."""

    title: Title
    text: Text


class GuideTexts(Model):
    """assets/guide.yaml: the sections every facilitator guide carries."""

    protocols: dict[str, Section]
    after_disclosure: Section
    safe_session: Section

    @model_validator(mode="after")
    def _every_protocol(self):
        missing = [p for p in PROTOCOLS if p not in self.protocols]
        unknown = [p for p in self.protocols if p not in PROTOCOLS]
        if missing or unknown:
            raise ValueError(say("assets.keys", name="protocols", keys=", ".join(PROTOCOLS),
                                 missing=", ".join(missing) or "-",
                                 unknown=", ".join(unknown) or "-"))
        return self


class Audiences(Model):
    """One sentence for pupils (« tu ») and one for adults (« vous »)."""

    tu: Sentence
    vous: Sentence


class School(Model):
    """Who, at this level, receives a disclosure and passes it on."""

    head: Sentence    # {{ school.head }}: le directeur ou la directrice d'école...
    adults: Sentence  # {{ school.adults }}: the adults to tell the same day


class Wording(Model):
    """assets/wording.yaml: sentences by audience, topic and level."""

    help_call: dict[str, Audiences]   # by help topic: the line above the 3018
    helps_with: dict[str, Sentence] = {}  # by level, where helpline.yaml's purpose is too much
    school: dict[str, School]         # by level
    operated: Sentence                # who runs the 3018, the call not on the bill
    your_turn: Audiences              # before a scenario's question
    near_you: Audiences               # above the school's own contacts
    quiz_instructions: Audiences
    phare_hours: Sentence             # how a pupils' session counts toward pHARe
    exit_ticket_title: Audiences
    glossary_title: Audiences
    margin_start: Sentence
    margin_end: Sentence

    @model_validator(mode="after")
    def _every_key(self):
        for name, keys, complete in (("help_call", HELP_TOPICS, True), ("school", LEVELS, True),
                                     ("helps_with", LEVELS, False)):
            missing = [k for k in keys if k not in getattr(self, name)] if complete else []
            unknown = [k for k in getattr(self, name) if k not in keys]
            if missing or unknown:
                raise ValueError(say("assets.keys", name=name, keys=", ".join(keys),
                                     missing=", ".join(missing) or "-",
                                     unknown=", ".join(unknown) or "-"))
        return self


def _load(name: str, model):
    path = paths.asset(name)
    text = read_text(path)
    return cache.remember(f"asset-{model.__name__}", (name, text),
                          lambda: _validated(name, model, text))


def _validated(name: str, model, text: str):
    data, positions = load_yaml(paths.asset(name), text)
    try:
        return Origin(f"assets/{name}", positions).validate(model, data)
    except LessonError as error:
        raise AssetError(say("assets.invalid", file=f"assets/{name}") + f"\n{error}") from None


@functools.cache
def guide_texts() -> GuideTexts:
    """The sections every facilitator guide carries (assets/guide.yaml)."""
    return _load("guide.yaml", GuideTexts)


@functools.cache
def wording() -> Wording:
    """The sentences that depend on audience, topic and level (assets/wording.yaml)."""
    return _load("wording.yaml", Wording)


def audience(adults: bool) -> str:
    """Pupils are addressed as « tu », parents, staff and facilitators as « vous »."""
    return "vous" if adults else "tu"
