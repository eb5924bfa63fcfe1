"""The fixed words of the family letter and the poster, per language, as data.

`assets/languages/<lang>.yaml` holds every word the letter and the poster print that is
not the lesson's (greeting, headings, closing, tear-off slip, the line above the 3018);
`assets/helpline.yaml` holds the helpline's own description in each language, beside
the French, under one check date. Both are validated like lessons (file:line errors).
A `{name}` in a sentence is filled by the builder (`{phone}`, `{title}`, `{date}`...).
"""
from __future__ import annotations

import functools
import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from . import paths
from .errors import AssetError, LessonError
from .messages import say
from .schema import HELP_TOPICS, FieldError, Model
from .validation import Origin
from .yamlfile import display_name, load_yaml

FRENCH = "fr"
LETTER_LEVELS = ("cycle3", "college", "lycee")  # the levels that send a letter home
Words_ = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
_SLOT = re.compile(r"\{([a-z_]+)\}")


class LetterWords(Model):
    """Every fixed word of the letter, in one language."""

    label: Words_                 # Lettre aux familles
    label_before: Words_          # ... : information préalable
    session: Words_               # {level} · séance de {minutes} min
    school: Words_
    class_: Words_ = Field(alias="class")
    date: Words_
    facilitator: Words_
    time: Words_
    greeting: Words_
    intro_after: Words_           # followed by the lesson's title between quotes
    intro_before: Words_
    before_close: Words_
    learned: Words_               # Les élèves ont appris à :
    will_learn: Words_
    talk_about: Words_            # À aborder à la maison
    signs: Words_                 # Des signes qui peuvent alerter
    referent: Words_              # ... {referent}.
    close: Words_
    team: Words_
    team_signed: Words_           # {facilitator}, pour l'équipe éducative
    cut: Words_                   # à découper et à rapporter à l'établissement
    slip: Words_                  # J'ai pris connaissance de la séance {title} du {date}.
    pupil_name: Words_
    parent_name: Words_
    signature: Words_


class LanguageWords(Model):
    """assets/languages/<lang>.yaml."""

    language: str
    name: Words_                  # the language's own name: English, العربية
    name_fr: Words_               # its French name: anglais, arabe
    direction: Literal["ltr", "rtl"] = "ltr"
    quotes: Annotated[list[Words_], Field(min_length=2, max_length=2)]
    comma: str = ", "             # between the items of a list: « ، » in Arabic
    review: Literal["à relire par un locuteur"] | None = None
    reviewed_by: Words_ | None = None
    levels: dict[Literal["cycle3", "college", "lycee"], Words_] = Field(default_factory=dict)
    letter: LetterWords
    # to parents, by topic (« Appelez le »); French: assets/wording.yaml, help_call.vous
    help_call: dict[Literal[HELP_TOPICS], Words_] = Field(default_factory=dict)  # type: ignore[valid-type]
    # to a pupil, by topic (« appelle le »): a worksheet in this language (fr-facile);
    # French: assets/wording.yaml, help_call.tu
    help_call_pupil: dict[Literal[HELP_TOPICS], Words_] = Field(default_factory=dict)  # type: ignore[valid-type]
    helpline_is: Words_           # Le {phone} est {purpose}.
    poster_for: Words_            # Pour {audience}.

    @model_validator(mode="after")
    def _complete(self):
        if self.language != FRENCH:
            required = [("levels", LETTER_LEVELS), ("help_call", HELP_TOPICS)]
            if self.help_call_pupil:  # optional, but whole when given
                required.append(("help_call_pupil", HELP_TOPICS))
            for name, keys in required:
                missing = [k for k in keys if k not in getattr(self, name)]
                if missing:
                    raise FieldError((name,), say("translation.missing_key",
                                                  key=f"{name}.{missing[0]}"))
        return self

    def fill(self, sentence: str, **values) -> str:
        """`{name}` slots filled; any other text is left as it is."""
        return _SLOT.sub(lambda m: str(values.get(m.group(1), m.group(0))), sentence)


class ChannelWords(Model):
    label: Words_
    detail: Words_


class HelplineWords(Model):
    """The 3018's description in one language (assets/helpline.yaml, `languages:`)."""

    review: Literal["à relire par un locuteur"] | None = None
    reviewed_by: Words_ | None = None
    purpose: Words_               # the national number against online violence ... of young people
    cases: Words_                 # cyberbullying, school bullying, ...
    audience: Words_
    promises: Annotated[list[Words_], Field(min_length=1, max_length=5)]
    days: Words_
    hours: Words_
    channels: list[ChannelWords]
    operated: Words_              # Run by the Association e-Enfance; the call does not appear ...


@functools.cache
def language_words(language: str) -> LanguageWords:
    """The letter's fixed words in one language (`fr`, `fr-facile`, `en`...)."""
    path = paths.assets() / "languages" / f"{language}.yaml"
    if not path.is_file():
        raise AssetError(say("assets.missing", file=f"assets/languages/{language}.yaml"))
    data, positions = load_yaml(path)
    origin = Origin(display_name(path), positions)
    try:
        words = origin.validate(LanguageWords, data)
    except LessonError as error:
        raise AssetError(say("translation.invalid_words", language=language) + "\n"
                         + str(error)) from None
    return words


def language_paths() -> list:
    folder = paths.assets() / "languages"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []
