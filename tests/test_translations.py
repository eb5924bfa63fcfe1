"""Translation files of the family texts: validated against the French lesson, with the
digest of the French they were made from, listed by `kit check --strict` until signed."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kit import api
from kit.cli import cli
from kit.helpline import load_helpline
from kit.languages import language_words
from kit.translations import (ALL_LANGUAGES, translation_paths, translation_problems,
                              source_digest, source_subset)

ROOT = Path(__file__).resolve().parent.parent
LESSON = "cyberharcelement-temoin-actif"
BUNDLED = ROOT / "lessons" / "translations" / LESSON


@pytest.fixture
def folder(tmp_path):
    """A lesson folder of one lesson and its English translation, to break either."""
    lessons = tmp_path / "mes-seances"
    (lessons / "translations" / LESSON).mkdir(parents=True)
    shutil.copy(ROOT / "lessons" / f"{LESSON}.yaml", lessons)
    shutil.copy(BUNDLED / "en.yaml", lessons / "translations" / LESSON / "en.yaml")
    return lessons


def problems_of(folder, strict=False):
    return [str(p) for p in api.check([folder], strict=strict)]


def edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_bundled_translation_is_valid_and_up_to_date():
    library = api.load()
    files = translation_paths(ROOT / "lessons")
    assert {p.stem for p in files if p.parent.name == LESSON} == set(ALL_LANGUAGES)
    for path in files:
        problems = translation_problems(path, library.lessons.get(path.parent.name))
        assert not problems, [str(p) for p in problems]


def test_digest_is_the_contract_formula_of_the_french_texts():
    lesson = api.load().get(LESSON)
    french = yaml.safe_load((ROOT / "lessons" / f"{LESSON}.yaml").read_text(encoding="utf-8"))
    subset = {"title": french["title"], "summary": " ".join(french["summary"].split()),
              "objectives": french["objectives"],
              "family": {"talk_about": french["family"]["talk_about"],
                         "signs": french["family"]["signs"]}}
    assert source_subset(lesson, "uk") == subset
    text = json.dumps(subset, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert source_digest(lesson, "uk") == hashlib.sha256(text.encode()).hexdigest()[:12]


def test_a_missing_key_is_an_error_at_its_file_and_line(folder):
    path = folder / "translations" / LESSON / "en.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  signs:")
    path.write_text(text[:start], encoding="utf-8")
    found = problems_of(folder)
    line = next(line for line in found if "family.signs" in line)
    assert "en.yaml:14:" in line and "il manque « family.signs »" in line


def test_a_list_of_another_length_or_a_lost_placeholder_or_a_new_number_is_an_error(folder):
    path = folder / "translations" / LESSON / "en.yaml"
    edit(path, "  - Know four things to do, and who to talk to.\n", "")
    edit(path, "Know that the {{ helpline.phone }} is", "Know that the helpline is")
    edit(path, "withdrawing into themselves.", "withdrawing into themselves for 15 days.")
    found = "\n".join(problems_of(folder))
    assert "objectives: la séance en français a 4 élément(s) ici, la traduction 3" in found
    assert "family.signs[1]: le nombre « 15 » n'est pas dans le texte français" in found


def test_a_placeholder_typed_as_a_number_is_an_error(folder):
    path = folder / "translations" / LESSON / "en.yaml"
    edit(path, "Know that the {{ helpline.phone }} is", "Know that the 3018 is")
    found = "\n".join(problems_of(folder))
    assert "objectives[4]: les repères entre {{ }} doivent être les mêmes qu'en français" in found
    assert "objectives[4]: le nombre « 3018 »" in found


def test_a_translation_of_an_older_french_text_is_flagged(folder):
    assert problems_of(folder) == []
    edit(folder / f"{LESSON}.yaml", "Un changement d'humeur ou de sommeil",
         "Un changement d'humeur, d'appétit ou de sommeil")
    found = problems_of(folder)
    assert len(found) == 1 and "translated_from: attention : le texte français" in found[0]
    assert "en.yaml:2:" in found[0]


def test_check_strict_lists_the_unsigned_translations_and_fails(folder):
    runner = CliRunner()
    plain = runner.invoke(cli, ["check", str(folder)])
    assert plain.exit_code == 0 and "à relire" not in plain.output
    strict = runner.invoke(cli, ["check", "--strict", str(folder)])
    assert strict.exit_code == 1
    assert "en.yaml:3:1: review: attention : à relire par un locuteur" in strict.output
    path = folder / "translations" / LESSON / "en.yaml"
    edit(path, "review: à relire par un locuteur", 'reviewed_by: "Jane Doe, 2026-12-01"')
    assert runner.invoke(cli, ["check", "--strict", str(folder)]).exit_code == 0


def test_every_language_has_its_letter_words_and_the_helpline_in_one_file():
    helpline = load_helpline()
    for language in ALL_LANGUAGES:
        words = language_words(language)
        assert words.language == language and words.review == "à relire par un locuteur"
        own = helpline.languages[language]
        assert len(own.channels) == len(helpline.channels)
        assert helpline.phone not in own.purpose + own.audience
    assert language_words("ar").direction == "rtl"


def test_the_helpline_in_a_language_lists_the_same_channels(tmp_path, monkeypatch):
    from kit import paths
    from kit.errors import AssetError
    from kit.helpline import load_helpline
    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "assets", assets)
    path = assets / "helpline.yaml"
    edit(path, "      - {label: Contact form, detail: on www.3018.fr}\n", "")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    load_helpline.cache_clear()
    try:
        with pytest.raises(AssetError) as error:
            load_helpline()
    finally:
        load_helpline.cache_clear()
    assert "languages.en.channels: le français donne 4 moyen(s) de joindre le 3018" in str(error.value)
