"""The lesson format: one declared field per key, each with what it is for.

Lesson files are written by hand, so the schema is strict: unknown keys are errors
(a typo must never be ignored), types are not coerced ("10" is not 10), and every
rule a reviewer would check by eye is a validator here. Fields typed `Text` may use
inline Markdown and `{{ placeholders }}`; the others are printed as they are.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import unicodedata

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .documents import DOCUMENT_TYPES, DOCUMENTS
from .messages import say
from .validation import expected_for

LEVELS = ("cycle3", "college", "lycee", "parents", "staff")
ADULT_LEVELS = ("parents", "staff")
LEVEL_NAMES = {
    "cycle3": "Cycle 3 (CM1-6e)", "college": "Collège", "lycee": "Lycée",
    "parents": "Parents", "staff": "Équipes éducatives",
}
# The disclosure protocol a guide prints (assets/guide.yaml): what an adult does when a
# pupil, a parent or a colleague speaks up; intimate images need their own rules.
PROTOCOLS = ("generic", "intimate-images", "parents", "staff")
# The topics help sentences are written for (assets/wording.yaml).
HELP_TOPICS = ("harcelement", "images", "images-intimes", "comptes", "trucages", "ecrans")


class FieldError(ValueError):
    """A rule broken by one field of a block: errors point at that field's line."""

    def __init__(self, field: tuple, message: str):
        super().__init__(message)
        self.field = field


class TextMarker:
    """Marks a string field as lesson text: Markdown and placeholders allowed."""


TEXT = TextMarker()
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000), TEXT]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), TEXT]
SLUG_PATTERN = expected_for(  # ids: lessons, activities, contacts
    r"^[a-z0-9]+(-[a-z0-9]+)*$", "pattern.slug")
SLUG_MAX = 60
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
Url = Annotated[str, StringConstraints(pattern=expected_for(
    r"^https?://[^\s<>\"]+$", "pattern.web"), max_length=500)]
Minutes = Annotated[int, Field(gt=0, le=600)]


class Model(BaseModel):
    # defer_build: a model is made ready when first used, so a command pays only for its own
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Question(Model):
    """A question students answer on the worksheet; the answer goes in the guide only."""

    prompt: Text
    choices: list[Text] = Field(default_factory=list, max_length=8)
    answer: Text
    explanation: Text | None = None

    @model_validator(mode="after")
    def _answer_among_choices(self):
        if self.choices and self.answer not in self.choices:
            raise FieldError(("answer",), say("lesson.answer_not_a_choice"))
        return self


class Scenario(Model):
    """A made-up situation students react to; `discussion` is for the facilitator."""

    title: Title
    text: Text
    question: Text
    discussion: Text | None = None


class StudentPart(Model):
    """What students see of an activity on their worksheet."""

    intro: Text | None = None
    questions: list[Question] = Field(default_factory=list, max_length=20)
    scenarios: list[Scenario] = Field(default_factory=list, max_length=12)
    write_prompt: Text | None = None
    write_lines: Annotated[int, Field(ge=0, le=30)] = 0


class GroupWork(Model):
    """Groups that prepare, then each report to the class: `kit check` adds it up."""

    count: Annotated[int, Field(ge=1, le=12)]       # how many groups in a class
    prepare: Annotated[int, Field(ge=0, le=120)]    # minutes to prepare
    report: Annotated[float, Field(gt=0, le=15)]    # minutes each group reports


class Board(Model):
    """What the class sees of an activity that has no student part, or keeps from one:
    the session's rules, the gestures or steps it teaches. Projected on the activity's
    slide and printed in the guide after the instructions, so it is written once."""

    title: Title
    items: list[Text] = Field(min_length=1, max_length=12)
    numbered: bool = False


class Activity(Model):
    """One timed step of the session."""

    id: Slug
    title: Title
    minutes: Minutes
    instructions: Text
    boards: list[Board] = Field(default_factory=list, max_length=4)
    student: StudentPart | None = None
    groups: GroupWork | None = None
    quiz: Literal["before", "after"] | None = None  # the before/after quiz is done here


class Source(Model):
    """Where a fact printed in the lesson comes from."""

    title: Title
    address: Url
    consulted: Annotated[dt.date, Field(strict=False)]


class Timing(Model):
    """Another length for the same lesson: new minutes for some activities, 0 to leave one out."""

    duration: Minutes
    minutes: dict[Slug, Annotated[int, Field(ge=0, le=600)]]
    groups: dict[Slug, Annotated[int, Field(ge=1, le=12)]] = Field(default_factory=dict)
    note: Text | None = None


class FamilyPart(Model):
    """The family letter's content: what to talk about at home, what to watch for."""

    talk_about: list[Text] = Field(min_length=1, max_length=5)
    signs: list[Text] = Field(default_factory=list, max_length=8)
    before: Text | None = None  # how the topic is approached: the letter before the session


class Margins(Model):
    """Minutes of a class hour outside the activities: settling in, and the end of the lesson."""

    start: Annotated[int, Field(ge=0, le=15)] = 0
    end: Annotated[int, Field(ge=0, le=15)] = 0

    @property
    def total(self) -> int:
        return self.start + self.end


class GlossaryEntry(Model):
    """A word of the lesson, defined at the pupils' reading age."""

    term: Title
    definition: Text


class Curriculum(Model):
    """What the session works on in the programmes (printed in the guide)."""

    emc: list[Text] = Field(default_factory=list, max_length=4)
    crcn: list[Text] = Field(default_factory=list, max_length=4)  # CRCN / Pix competences


class Lesson(Model):
    """One classroom session, from its objectives to its sources."""

    id: Slug
    title: Title
    level: Literal[LEVELS]  # type: ignore[valid-type]
    duration: Minutes
    topic: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    summary: Text | None = None
    objectives: list[Text] = Field(min_length=1, max_length=10)
    key_messages: list[Text] = Field(min_length=1, max_length=10)
    materials: list[Text] = Field(default_factory=list)
    activities: list[Activity] = Field(min_length=1, max_length=20)
    margins: Margins | None = None
    timings: list[Timing] = Field(default_factory=list, max_length=5)
    quiz: list[Question] = Field(default_factory=list, max_length=12)
    family: FamilyPart | None = None
    charter: list[Text] = Field(default_factory=list, max_length=10)
    glossary: list[GlossaryEntry] = Field(default_factory=list, max_length=8)
    exit_ticket: Text | None = None  # one question each pupil answers before leaving
    curriculum: Curriculum | None = None
    protocol: Literal[PROTOCOLS] | None = None  # type: ignore[valid-type]  # default: by level
    help_topic: Literal[HELP_TOPICS] = "harcelement"  # type: ignore[valid-type]
    answer_slides: bool = True  # a « Réponse » slide after each question's slide
    documents: list[Literal[DOCUMENTS]] | None = None  # type: ignore[valid-type]
    sources: list[Source] = Field(min_length=1)

    @field_validator("level", mode="before")
    @classmethod
    def _level_as_typed(cls, value):
        """`collège`, `Lycée` or `Cycle 3` are the levels a French teacher types."""
        return level_key(value) if isinstance(value, str) else value

    @property
    def margin_minutes(self) -> int:
        return self.margins.total if self.margins else 0

    @property
    def disclosure_protocol(self) -> str:
        """The protocol the guide prints: the lesson's, or its audience's."""
        return self.protocol or {"parents": "parents", "staff": "staff"}.get(self.level, "generic")

    @model_validator(mode="after")
    def _minutes_add_up(self):
        total = sum(a.minutes for a in self.activities) + self.margin_minutes
        if total != self.duration:
            message = "lesson.minutes_and_margins" if self.margins else "lesson.minutes"
            raise FieldError(("duration",), say(message, total=total, duration=self.duration,
                                                margins=self.margin_minutes))
        return self

    @model_validator(mode="after")
    def _glossary_size(self):
        if self.glossary and len(self.glossary) < 5:
            raise FieldError(("glossary",), say("lesson.glossary_size", count=len(self.glossary)))
        return self

    @model_validator(mode="after")
    def _activity_ids_unique(self):
        seen = set()
        for index, activity in enumerate(self.activities):
            if activity.id in seen:
                raise FieldError(("activities", index, "id"), say("lesson.activity_id_twice",
                                                                   id=activity.id))
            seen.add(activity.id)
        return self

    @model_validator(mode="after")
    def _timings_consistent(self):
        ids = {a.id: a.minutes for a in self.activities}
        for index, timing in enumerate(self.timings):
            unknown = sorted(set(timing.minutes) - set(ids))
            if unknown:
                raise FieldError(("timings", index, "minutes", unknown[0]), say(
                    "lesson.timing_unknown_activity", duration=timing.duration, id=unknown[0],
                    ids=", ".join(ids)))
            unknown = sorted(set(timing.groups) - set(ids))
            if unknown:
                raise FieldError(("timings", index, "groups", unknown[0]), say(
                    "lesson.timing_unknown_activity", duration=timing.duration, id=unknown[0],
                    ids=", ".join(ids)))
            total = sum(timing.minutes.get(i, m) for i, m in ids.items()) + self.margin_minutes
            if total != timing.duration:
                raise FieldError(("timings", index, "duration"), say(
                    "lesson.timing_minutes", duration=timing.duration, total=total))
        return self

    @model_validator(mode="after")
    def _documents_have_content(self):
        needs = {"family-letter": self.family, "quiz": self.quiz,
                 "family-letter-before": self.family and self.family.before,
                 "scenario-cards": self.scenarios, "charter": self.charter}
        for index, document in enumerate(self.documents or ()):
            if document in needs and not needs[document]:
                key = {"family-letter": "family", "scenario-cards": "scenarios",
                       "family-letter-before": "family.before"}
                raise FieldError(("documents", index), say(
                    "lesson.document_needs_content", document=document,
                    key=key.get(document, document)))
        return self

    @property
    def adult_audience(self) -> bool:
        """Parents' and staff lessons speak to adults: « vous », no class, adult help."""
        return self.level in ADULT_LEVELS

    @property
    def offered_documents(self) -> tuple[str, ...]:
        """The documents this lesson makes, in catalogue order."""
        if self.documents is not None:
            return tuple(d for d in DOCUMENTS if d in self.documents)
        return default_documents(self)

    def makes(self, document: str) -> bool:
        """Whether the lesson can make `document` when asked: one it offers, or one made on
        request with a document it offers (the quiz's results sheet)."""
        with_document = DOCUMENT_TYPES[document].on_request_with if document in DOCUMENT_TYPES else None
        return document in self.offered_documents or (
            with_document is not None and with_document in self.offered_documents)

    @property
    def scenarios(self) -> list[Scenario]:
        return [s for a in self.activities if a.student for s in a.student.scenarios]


def level_key(text: str) -> str:
    """`Collège` -> `college`: accents, capitals and spaces dropped, when that names a level."""
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    key = "".join(bare.lower().split())
    return key if key in LEVELS else text


def default_documents(lesson: Lesson) -> tuple[str, ...]:
    """What a lesson offers when it does not say: what its content can fill."""
    offered = ["worksheet", "guide", "poster"]
    if lesson.level != "staff":
        offered.append("slides")
    if lesson.family and lesson.level not in ("parents", "staff"):
        offered.append("family-letter")
        if lesson.family.before:
            offered.append("family-letter-before")
    if lesson.scenarios:
        offered.append("scenario-cards")
    if lesson.quiz:
        offered.append("quiz")
    if lesson.charter:
        offered.append("charter")
    if lesson.level == "cycle3":
        offered.append("certificate")
    return tuple(d for d in DOCUMENTS if d in offered)

