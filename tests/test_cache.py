"""The cache between runs (kit.cache): what it gives back is what loading gives,
a changed file is read again, and a broken or unsafe cache is not used."""
from __future__ import annotations

import os
import pickle
import re

import pytest

from kit import cache
from kit.errors import LessonError
from kit.lessons import load_lesson

from .conftest import DATA

LESSON = DATA / "lessons" / "essai-court.yaml"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KIT_CACHE_DIR", str(folder))
    return folder


def entries(folder):
    return sorted(p.name for p in folder.glob("*.pickle")) if folder.exists() else []


def copy_of_lesson(tmp_path, text=None):
    path = tmp_path / "lecons" / LESSON.name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text or LESSON.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_lesson_from_the_cache_is_the_lesson_loaded(tmp_path, cache_dir):
    path = copy_of_lesson(tmp_path)
    first, origin = load_lesson(path)
    assert len(entries(cache_dir)) == 1
    again, again_origin = load_lesson(path)
    assert again == first and again is not first  # read back from the entry
    assert again_origin.file == origin.file
    assert again_origin.positions.values == origin.positions.values  # errors keep their lines


def test_a_changed_file_is_read_again(tmp_path, cache_dir):
    path = copy_of_lesson(tmp_path)
    before, _ = load_lesson(path)
    path.write_text(re.sub(r"(?m)^title: .*$", "title: Un autre titre",
                           path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    after, _ = load_lesson(path)
    assert before.title != "Un autre titre" == after.title
    assert len(entries(cache_dir)) == 2


def test_a_broken_file_is_never_kept_and_says_the_same_each_time(tmp_path, cache_dir):
    path = copy_of_lesson(tmp_path, "id: essai-court\ntitle: [pas fini\n")
    messages = []
    for _ in range(2):
        with pytest.raises(LessonError) as caught:
            load_lesson(path)
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "essai-court.yaml:3:1: le crochet" in messages[0]
    assert entries(cache_dir) == []


def test_an_unreadable_entry_is_made_again(tmp_path, cache_dir):
    path = copy_of_lesson(tmp_path)
    lesson, _ = load_lesson(path)
    (entry,) = cache_dir.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])  # cut short, as by a full disk
    assert load_lesson(path)[0] == lesson
    assert pickle.loads(entry.read_bytes())[0] == lesson  # written whole again


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    lesson, _ = load_lesson(copy_of_lesson(tmp_path))
    assert lesson.id == "essai-court"
    assert not (tmp_path / "xdg").exists()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used(tmp_path, cache_dir):
    cache_dir.mkdir()
    cache_dir.chmod(0o777)  # anyone could put a pickle there
    load_lesson(copy_of_lesson(tmp_path))
    assert entries(cache_dir) == []


def test_the_cache_folder_defaults_to_the_users_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("KIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_lesson(copy_of_lesson(tmp_path))
    folder = tmp_path / "xdg" / "kit3018"
    assert len(entries(folder)) == 1
    if hasattr(os, "getuid"):
        assert folder.stat().st_mode & 0o777 == 0o700


def test_old_entries_go_past_the_limit(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 4)
    for number in range(6):
        cache.put(cache.key("essai", str(number)), number)
    assert 2 <= len(entries(cache_dir)) <= 4
    assert cache.get(cache.key("essai", "5")) == 5  # the newest stays


def test_a_key_depends_on_every_part():
    assert cache.key("lesson", "a", "bc") != cache.key("lesson", "ab", "c")
    assert cache.key("lesson", "a") != cache.key("qr", "a")


def test_the_qr_code_from_the_cache_is_the_one_encoded(cache_dir):
    from kit.documents import help_blocks as parts
    address = "https://www.e-enfance.org/numero-3018/"
    parts._qr_squares.cache_clear()
    first = parts._qr_squares(address)
    assert any(name.startswith("qr-") for name in entries(cache_dir))
    parts._qr_squares.cache_clear()
    assert parts._qr_squares(address) == first == parts._encoded_qr(address)
    assert len(first) > 100  # a real code: many dark squares


def test_a_text_given_is_not_kept(tmp_path, cache_dir):
    """The editor checks a draft at each pause in typing: none of those is worth keeping."""
    text = LESSON.read_text(encoding="utf-8")
    assert load_lesson(tmp_path / LESSON.name, text)[0].id == "essai-court"
    assert entries(cache_dir) == []
