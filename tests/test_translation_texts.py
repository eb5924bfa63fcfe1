"""The translated family texts, checked on their own (not with the engine that prints them,
whose digest alone is used, so both agree on what « made from the current French » means).

Each bundled lesson with a family letter has `lessons/translations/<id>/<lang>.yaml` for
every language the letter is offered in: a partial copy of the French lesson (same keys,
same list lengths, same `{{ … }}` placeholders), stamped with a digest of the French it
was made from, so a translation made from an older French text is caught.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from kit.lessons import load_library
from kit.translations import source_digest

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "lessons" / "translations"
LANGUAGES = ("en", "es", "pt", "ar", "tr", "ro", "uk", "fr-facile")
META = {"language", "translated_from", "review", "reviewed_by"}
PUPIL_FIELDS = ("intro", "questions", "scenarios", "write_prompt")
PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
NUMBER = re.compile(r"\d+")
# Romanian's s and t with a cedilla are the legacy look-alikes of ș and ț (comma below).
CEDILLA = "\u015e\u015f\u0162\u0163"
SCRIPTS = {"ar": "ARABIC", "uk": "CYRILLIC"}
NAMES_AS_WRITTEN = ("Pharos",)  # a service's name families will see in Latin letters

LESSONS = [lesson for lesson in load_library().sorted()
           if "family-letter" in lesson.offered_documents]


def french_source(lesson, language: str) -> dict:
    """The part of the French lesson a translation covers (the contract in
    notes/translation-format.md): the family letter's texts, and for `fr-facile` of a
    cycle 3 lesson the worksheet's pupil texts, keyed by activity id."""
    dump = lesson.model_dump(mode="json")
    source = {"title": dump["title"]}
    if dump["summary"] is not None:
        source["summary"] = dump["summary"]
    source["objectives"] = dump["objectives"]
    source["family"] = {key: value for key, value in dump["family"].items() if value}
    if language == "fr-facile" and lesson.level == "cycle3":
        source["activities"] = {activity["id"]: {"title": activity["title"],
                                                 "student": pupil_texts(activity["student"])}
                                for activity in dump["activities"] if activity["student"]}
    return source


def pupil_texts(student: dict) -> dict:
    texts = {key: student[key] for key in PUPIL_FIELDS if student[key]}
    if "questions" in texts:
        texts["questions"] = [{key: q[key] for key in ("prompt", "choices", "answer") if q[key]}
                              for q in texts["questions"]]
    if "scenarios" in texts:
        texts["scenarios"] = [{key: s[key] for key in ("title", "text", "question")}
                              for s in texts["scenarios"]]
    return texts


def differences(french, translated, where: str = "") -> list[str]:
    """Where the translation's shape differs from the French: a key missing or extra, a
    list of another length, a text that is empty, has other placeholders or a new number."""
    if isinstance(french, dict):
        if not isinstance(translated, dict):
            return [f"{where}: expected keys {sorted(french)}"]
        found = [f"{where}.{key}: missing" for key in french if key not in translated]
        found += [f"{where}.{key}: not in the French" for key in translated if key not in french]
        for key in (key for key in french if key in translated):
            found += differences(french[key], translated[key], f"{where}.{key}")
        return found
    if isinstance(french, list):
        if not isinstance(translated, list) or len(translated) != len(french):
            return [f"{where}: {len(french)} items expected"]
        return [problem for index, (fr, tr) in enumerate(zip(french, translated))
                for problem in differences(fr, tr, f"{where}[{index}]")]
    if not isinstance(translated, str) or not translated.strip():
        return [f"{where}: a text expected"]
    if sorted(PLACEHOLDER.findall(french)) != sorted(PLACEHOLDER.findall(translated)):
        return [f"{where}: placeholders {PLACEHOLDER.findall(french)} expected"]
    # numbers come from the French or from assets/helpline.yaml, never typed in a translation
    new = set(NUMBER.findall(PLACEHOLDER.sub("", translated))) - set(NUMBER.findall(french))
    return [f"{where}: number {sorted(new)} not in the French"] if new else []


def texts(node):
    """Every text of a translation, placeholders left out."""
    if isinstance(node, dict):
        return [t for value in node.values() for t in texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in texts(value)]
    return [PLACEHOLDER.sub("", node)]


def letters_outside(script: str, text: str) -> list[str]:
    """Letters of another script than `script` (Latin in an Arabic text, say)."""
    for name in NAMES_AS_WRITTEN:
        text = text.replace(name, "")
    return [c for c in text if c.isalpha() and script not in unicodedata.name(c, "")]


def lesson_id(lesson) -> str:
    return lesson.id


def load(lesson, language: str) -> dict:
    file = TRANSLATIONS / lesson.id / f"{language}.yaml"
    assert file.is_file(), f"{file.relative_to(ROOT)} is missing"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{file.relative_to(ROOT)}: a mapping expected"
    return data


CASES = [pytest.param(lesson, language, id=f"{lesson.id}-{language}")
         for lesson in LESSONS for language in LANGUAGES]


def test_every_letter_lesson_is_covered():
    """The bundled lessons with a family letter: if one is added, it needs its translations."""
    assert len(LESSONS) >= 10
    assert not {l.level for l in LESSONS} & {"parents", "staff"}


@pytest.mark.parametrize("lesson, language", CASES)
def test_translation_has_the_french_shape(lesson, language):
    data = load(lesson, language)
    assert data["language"] == language
    assert ("review" in data) != ("reviewed_by" in data), "either `review` or `reviewed_by`"
    body = {key: value for key, value in data.items() if key not in META}
    assert differences(french_source(lesson, language), body, lesson.id) == []


@pytest.mark.parametrize("lesson, language", CASES)
def test_translation_is_made_from_the_current_french(lesson, language):
    assert load(lesson, language)["translated_from"] == source_digest(lesson, language)


@pytest.mark.parametrize("lesson", [l for l in LESSONS if l.level == "cycle3"], ids=lesson_id)
def test_easy_worksheet_answers_are_among_the_choices(lesson):
    activities = load(lesson, "fr-facile")["activities"]
    questions = [q for a in activities.values() for q in a["student"].get("questions", [])]
    assert questions
    for question in questions:
        assert question["answer"] in question["choices"], question["prompt"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_id)
def test_romanian_uses_comma_below_letters(lesson):
    every = " ".join(texts(load(lesson, "ro")))
    assert not set(every) & set(CEDILLA)
    assert set(every) & set("șțȘȚ")


@pytest.mark.parametrize("language", sorted(SCRIPTS))
@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_id)
def test_texts_are_in_the_language_script(lesson, language):
    for text in texts({k: v for k, v in load(lesson, language).items() if k not in META}):
        assert letters_outside(SCRIPTS[language], text) == [], text


def test_differences_catch_what_a_translator_can_miss():
    """The shape check is not empty: a missing key, a short list, a lost placeholder, a
    number typed in."""
    french = {"title": "T", "objectives": ["a", "Le {{ helpline.phone }}"],
              "family": {"talk_about": ["x"]}}
    assert differences(french, {"title": "T", "objectives": ["a", "The {{ helpline.phone }}"],
                                "family": {"talk_about": ["x"]}}) == []
    assert differences(french, {"title": "T", "objectives": ["a", "The 3018"],
                                "family": {"talk_about": ["x"]}}) == [
        ".objectives[1]: placeholders ['{{ helpline.phone }}'] expected"]
    assert differences(french, {"title": "T", "objectives": ["a", "{{ helpline.phone }} 24/7"],
                                "family": {"talk_about": ["x"]}}) == [
        ".objectives[1]: number ['24', '7'] not in the French"]
    assert differences(french, {"title": "T", "objectives": ["a"], "family": {}}) == [
        ".objectives: 2 items expected", ".family.talk_about: missing"]
