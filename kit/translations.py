"""A lesson's family texts in the families' languages, and in easy-to-read French.

One file per lesson and language, `translations/<lesson-id>/<lang>.yaml` beside the
lesson files (format: the contract in the README, « Letters in the families'
languages »). A translation is a partial copy of the French lesson: the same keys,
the same list lengths, the same `{{ placeholders }}`, no number the French has not
(the 3018 and every number come from assets/helpline.yaml). It stores the digest of
the French text it was made from, so `kit check` says when the French changed since.

Only plain data here (no ReportLab): `kit check` validates translations without
drawing anything; kit/render.py draws them.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .errors import LessonError, Problem, RenderError
from .messages import say
from .schema import Lesson, Model, Slug, Text, Title
from .validation import Origin
from .yamlfile import display_name, load_yaml

log = logging.getLogger("kit")

LANGUAGES = ("en", "es", "pt", "ar", "tr", "ro", "uk")  # the families' languages
EASY = "fr-facile"                                     # « facile à lire et à comprendre »
ALL_LANGUAGES = (*LANGUAGES, EASY)
# the documents a language can be asked for; the easy French also has the cycle 3 worksheet
LANGUAGE_DOCUMENTS = ("family-letter", "family-letter-before", "poster")
EASY_DOCUMENTS = ("family-letter", "family-letter-before", "worksheet")
TO_REVIEW = "à relire par un locuteur"
FOLDER = "translations"
DIGEST = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")]
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_NUMBER = re.compile(r"\d+")


class QuestionTexts(Model):
    prompt: Text
    choices: list[Text] = Field(default_factory=list, max_length=8)
    answer: Text


class ScenarioTexts(Model):
    title: Title
    text: Text
    question: Text


class StudentTexts(Model):
    intro: Text | None = None
    questions: list[QuestionTexts] = Field(default_factory=list, max_length=20)
    scenarios: list[ScenarioTexts] = Field(default_factory=list, max_length=12)
    write_prompt: Text | None = None


class ActivityTexts(Model):
    title: Title
    student: StudentTexts


class FamilyTexts(Model):
    talk_about: list[Text] = Field(min_length=1, max_length=5)
    signs: list[Text] = Field(default_factory=list, max_length=8)
    before: Text | None = None


class Translation(Model):
    """One lesson's family texts in one language (or the cycle 3 worksheet in easy French)."""

    language: Literal[ALL_LANGUAGES]  # type: ignore[valid-type]
    translated_from: DIGEST            # source_digest() of the French it was made from
    review: Literal["à relire par un locuteur"] | None = None  # until a speaker signs it off
    reviewed_by: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                                  max_length=200)] | None = None
    title: Title
    summary: Text | None = None
    objectives: list[Text] = Field(min_length=1, max_length=10)
    family: FamilyTexts | None = None
    activities: dict[Slug, ActivityTexts] = Field(default_factory=dict)

    @property
    def signed(self) -> bool:
        return self.review is None and self.reviewed_by is not None


def documents_for(language: str) -> tuple[str, ...]:
    return EASY_DOCUMENTS if language == EASY else LANGUAGE_DOCUMENTS


def _kept(data: dict, keys) -> dict:
    """The keys whose value is neither null nor an empty list (the contract's rule)."""
    return {k: data[k] for k in keys if data.get(k) not in (None, [])}


def source_subset(lesson: Lesson, language: str) -> dict:
    """The French texts a translation of `lesson` into `language` must cover, as plain data."""
    data = lesson.model_dump(mode="json")
    subset = _kept(data, ("title", "summary", "objectives"))
    if data.get("family"):
        subset["family"] = _kept(data["family"], ("talk_about", "signs", "before"))
    if language == EASY and lesson.level == "cycle3":
        activities = {}
        for activity in data["activities"]:
            student = activity.get("student")
            if not student:
                continue
            pupil = _kept(student, ("intro", "write_prompt"))
            if student["questions"]:
                pupil["questions"] = [_kept(q, ("prompt", "choices", "answer"))
                                      for q in student["questions"]]
            if student["scenarios"]:
                pupil["scenarios"] = [_kept(s, ("title", "text", "question"))
                                      for s in student["scenarios"]]
            activities[activity["id"]] = {"title": activity["title"], "student": pupil}
        if activities:
            subset["activities"] = activities
    return subset


def source_digest(lesson: Lesson, language: str) -> str:
    """12 hex digits naming the French text a translation was made from."""
    text = json.dumps(source_subset(lesson, language), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def translation_file(folder: Path, lesson_id: str, language: str) -> Path:
    return Path(folder) / FOLDER / lesson_id / f"{language}.yaml"


def find_translation(folders, lesson_id: str, language: str) -> Path | None:
    """The file of the last lesson folder that has one (as lessons: a later folder wins)."""
    found = None
    for folder in folders:
        candidate = translation_file(folder, lesson_id, language)
        if candidate.is_file():
            found = candidate
    return found


def load_translation(path: Path, lesson: Lesson) -> tuple[Translation, Origin]:
    """A translation file, validated on its own and against its French lesson; LessonError
    listing every problem at its line."""
    data, positions = load_yaml(path)
    origin = Origin(display_name(path), positions)
    if not isinstance(data, dict):
        raise LessonError([origin.problem((), say("lesson.not_a_block"))])
    translation = origin.validate(Translation, data)
    problems = _against_source(translation, lesson, origin, Path(path).stem)
    if problems:
        raise LessonError(problems)
    return translation, origin


def _against_source(translation: Translation, lesson: Lesson, origin: Origin,
                    stem: str) -> list[Problem]:
    """Same keys, same list lengths, same placeholders, no new number as the French."""
    problems = []
    if translation.language != stem:
        problems.append(origin.problem(("language",), say("translation.language_not_file",
                                                           language=translation.language,
                                                           stem=stem)))
    source = source_subset(lesson, stem)
    mine = _kept_dump(translation)
    problems += _compare(source, mine, (), origin)
    return problems


def _kept_dump(translation: Translation) -> dict:
    """The translation's texts in the shape of source_subset (metadata left out)."""
    data = translation.model_dump(mode="json", exclude={"language", "translated_from",
                                                        "review", "reviewed_by"})

    def prune(value):
        if isinstance(value, dict):
            return {k: prune(v) for k, v in value.items() if v not in (None, [], {})}
        if isinstance(value, list):
            return [prune(v) for v in value]
        return value
    return prune(data)


def _compare(source, mine, path: tuple, origin: Origin) -> list[Problem]:
    if isinstance(source, dict):
        problems = []
        for key, value in source.items():
            if key not in (mine if isinstance(mine, dict) else {}):
                problems.append(origin.problem(path, say("translation.missing_key",
                                                          key=_dotted(path + (key,)))))
            else:
                problems += _compare(value, mine[key], path + (key,), origin)
        for key in (mine if isinstance(mine, dict) else {}):
            if key not in source:
                problems.append(origin.problem(path + (key,), say("translation.extra_key",
                                                                  key=_dotted(path + (key,)))))
        return problems
    if isinstance(source, list):
        if len(mine) != len(source):
            return [origin.problem(path, say("translation.list_length", count=len(source),
                                             found=len(mine)))]
        return _compare_items(source, mine, path, origin)
    return _compare_text(source, mine, path, origin)


def _compare_items(source: list, mine: list, path: tuple, origin: Origin) -> list[Problem]:
    problems = []
    for index, (s, m) in enumerate(zip(source, mine)):
        problems += _compare(s, m, path + (index,), origin)
    return problems


def _compare_text(source: str, mine: str, path: tuple, origin: Origin) -> list[Problem]:
    problems = []
    wanted = sorted(re.sub(r"\s+", "", p) for p in _PLACEHOLDER.findall(source))
    found = sorted(re.sub(r"\s+", "", p) for p in _PLACEHOLDER.findall(mine))
    if wanted != found:
        problems.append(origin.problem(path, say(
            "translation.placeholders", wanted=", ".join(wanted) or "-",
            found=", ".join(found) or "-")))
    numbers = set(_NUMBER.findall(_PLACEHOLDER.sub(" ", source)))
    extra = [n for n in _NUMBER.findall(_PLACEHOLDER.sub(" ", mine)) if n not in numbers]
    if extra:
        problems.append(origin.problem(path, say("translation.new_number", number=extra[0])))
    return problems


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def translation_problems(path: Path, lesson: Lesson | None, strict: bool = False) -> list[Problem]:
    """What `kit check` says about one translation file: errors, a stale digest, and with
    `strict` a file no speaker has signed off."""
    file = display_name(path)
    if lesson is None:
        return [Problem(file, say("translation.no_lesson", id=Path(path).parent.name))]
    language = Path(path).stem
    if language not in ALL_LANGUAGES:
        return [Problem(file, say("translation.unknown_language", language=language,
                                  languages=", ".join(ALL_LANGUAGES)))]
    if "family-letter" not in lesson.offered_documents and language != EASY:
        return [Problem(file, say("translation.no_letter", id=lesson.id))]
    try:
        translation, origin = load_translation(path, lesson)
    except LessonError as error:
        return list(error.problems)
    problems = _text_problems(translation, lesson, origin)
    digest = source_digest(lesson, language)
    if translation.translated_from != digest:
        problems.append(origin.problem(("translated_from",), say(
            "translation.stale", digest=digest, id=lesson.id), "warning"))
    if strict and not translation.signed:
        problems.append(origin.problem(("review",) if translation.review else (), say(
            "translation.unsigned", review=TO_REVIEW), "warning"))
    return problems


def _text_problems(translation: Translation, lesson: Lesson, origin: Origin) -> list[Problem]:
    """Each text rendered as it will print, in every edition's font for the language: an
    unknown placeholder or a character the font cannot draw is reported at its line."""
    from .check import render_problems
    from .helpline import load_helpline
    from .session import Session, template_names
    from .styledata import edition_charset
    from .documents import EDITIONS
    from .text import TextRenderer
    names = template_names(load_helpline(), Session(), (), lesson)
    french = translation.language == EASY
    renderers = [TextRenderer(names, charset, french=french)
                 for charset in {edition_charset(e, translation.language) for e in EDITIONS}]
    return render_problems(translation, renderers, origin)


def translation_paths(folder: Path) -> list[Path]:
    """Every translation file under a lesson folder's `translations/`."""
    root = Path(folder) / FOLDER
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("*/*.yaml") if p.is_file() and not p.name.startswith("."))


def is_translation_file(path: Path) -> bool:
    """`.../translations/<lesson-id>/<lang>.yaml`: checked as a translation, not a lesson."""
    path = Path(path)
    return path.suffix in (".yaml", ".yml") and path.parent.parent.name == FOLDER


def translated(lesson: Lesson, translation: Translation) -> Lesson:
    """The lesson with its family texts (and pupil texts) replaced by the translation's."""
    update: dict = {"title": translation.title, "objectives": list(translation.objectives)}
    if translation.summary is not None:
        update["summary"] = translation.summary
    if lesson.family and translation.family:
        update["family"] = lesson.family.model_copy(update=_kept(
            translation.family.model_dump(), ("talk_about", "signs", "before")))
    if translation.activities:
        update["activities"] = [_activity(a, translation.activities.get(a.id))
                                for a in lesson.activities]
    return lesson.model_copy(update=update)


def _activity(activity, texts: ActivityTexts | None):
    if texts is None or activity.student is None:
        return activity
    student, own = activity.student, texts.student
    questions = [q.model_copy(update={"prompt": t.prompt, "choices": list(t.choices) or q.choices,
                                      "answer": t.answer})
                 for q, t in zip(student.questions, own.questions)] or student.questions
    scenarios = [s.model_copy(update={"title": t.title, "text": t.text, "question": t.question})
                 for s, t in zip(student.scenarios, own.scenarios)] or student.scenarios
    return activity.model_copy(update={"title": texts.title, "student": student.model_copy(update={
        "intro": own.intro if own.intro is not None else student.intro,
        "write_prompt": own.write_prompt if own.write_prompt is not None else student.write_prompt,
        "questions": questions, "scenarios": scenarios})})


def language_code(word: str) -> str:
    """`ar`, `AR`, `arabe` or `Arabic`-less French name -> `ar`; ValueError (said in French)
    listing the languages when `word` names none."""
    from .languages import language_words
    key = word.strip().lower()
    if key in ALL_LANGUAGES:
        return key
    for language in ALL_LANGUAGES:
        if key == language_words(language).name_fr.lower():
            return language
    raise ValueError(say("translation.unknown", language=word, languages=", ".join(ALL_LANGUAGES)))


def translation_for(lesson: Lesson, language: str, document: str, folders) -> Translation:
    """The lesson's translation into `language` for one document, validated; a one-line
    error when the language, the document or the file is missing (LessonError at its
    line when the file is wrong). A French text changed since is only a warning here."""
    try:
        language = language_code(language)
    except ValueError as error:
        raise RenderError(str(error)) from None
    allowed = [d for d in documents_for(language) if d in lesson.offered_documents
               and (d != "worksheet" or lesson.level == "cycle3")]
    if document not in allowed:
        raise RenderError(say("translation.not_for_document", document=document,
                              language=language, documents=", ".join(allowed) or "-"))
    path = find_translation(folders, lesson.id, language)
    if path is None:
        raise RenderError(say("translation.none", id=lesson.id, language=language,
                              file=f"translations/{lesson.id}/{language}.yaml"))
    translation, origin = load_translation(path, lesson)
    if translation.translated_from != source_digest(lesson, language):
        log.warning(origin.problem(("translated_from",), say(
            "translation.stale", digest=source_digest(lesson, language), id=lesson.id)).line_text())
    return translation


def main(argv: list[str]) -> int:
    """`python -m kit.translations digest LESSON LANG`: the digest a translation stores."""
    from .api import load_available
    if len(argv) != 3 or argv[0] != "digest":
        print(say("translation.usage"), file=sys.stderr)
        return 2
    lesson = load_available().get(argv[1])
    print(source_digest(lesson, argv[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
