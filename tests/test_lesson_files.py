"""Bad lesson files: each gets one clear line naming the file, line and field."""
from __future__ import annotations

import time

import pytest

from kit.cli import main
from kit.errors import LessonError
from kit.lessons import load_lesson, load_library

from .conftest import DATA, write_lesson

BAD_FILES = {
    "alias-bomb.yaml": (2, "aliases (*name) are not allowed"),
    "duplicate-key.yaml": (3, "the key 'title' appears twice"),
    "invalid-yaml.yaml": (None, "invalid YAML"),
    "not-a-mapping.yaml": (1, "a lesson file is a block of keys"),
    "python-tag.yaml": (2, "invalid YAML"),
    "latin1.yaml": (None, "not UTF-8 text"),
    "empty.yaml": (None, "the file is empty"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unreadable_files_name_the_file_and_say_what_is_wrong(name):
    line, message = BAD_FILES[name]
    with pytest.raises(LessonError) as caught:
        load_lesson(DATA / "bad" / name)
    problem = caught.value.problems[0]
    assert problem.file.endswith(name)
    assert message in problem.message
    if line is not None:
        assert problem.line == line


def test_alias_bomb_is_refused_within_a_second():
    start = time.perf_counter()
    with pytest.raises(LessonError):
        load_lesson(DATA / "bad" / "alias-bomb.yaml")
    assert time.perf_counter() - start < 1.0


SCHEMA_CASES = [
    # (replace in the reference lesson, field path, words in the message)
    (("    minutes: 10\n", "    minutes: dix\n"), "activities[2].minutes",
     'expected a positive whole number, got "dix"'),
    (("    minutes: 10\n", "    minutes: -10\n"), "activities[2].minutes", "positive whole number"),
    (("    minutes: 10\n", "    minuts: 10\n"), "activities[2].minuts", "did you mean 'minutes'?"),
    (("level: college", "level: CM2"), "level", "expected one of"),
    (("duration: 55", "duration: 60"), "duration", "add up to 55, but duration is 60"),
    (("          answer: Faux\n", "          answer: Peut-être\n"), "activities[2].student.questions[1].answer",
     "must be one of the choices"),
    (("    consulted: 2026-11-01\n", "    consulted: 01/11/2026\n"), "sources[1].consulted",
     "YYYY-MM-DD"),
    (("    address: https://www.3018.fr\n", "    address: www.3018.fr\n"), "sources[1].address",
     "https://"),
    (("topic: cyberharcèlement, témoin actif\n", ""), "topic", "required"),
    (("  - id: scenarios\n", "  - id: quiz-vrai-faux\n"), "activities[3].id", "two activities have the id"),
]


@pytest.mark.parametrize("replace,field,message", SCHEMA_CASES, ids=[c[1] for c in SCHEMA_CASES])
def test_schema_errors_point_at_the_line_and_field(lesson_copy, replace, field, message):
    original = lesson_copy().read_text(encoding="utf-8").splitlines()
    path = lesson_copy([replace])
    changed = path.read_text(encoding="utf-8").splitlines()
    expected_line = next(i for i, (a, b) in enumerate(zip(original, changed), 1) if a != b)
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    problems = [p for p in caught.value.problems if p.field == field]
    assert problems, [str(p) for p in caught.value.problems]
    assert message in problems[0].message
    if replace[1] and field != "duration":
        assert problems[0].line == expected_line
    assert str(problems[0]).startswith(f"{problems[0].file}:{problems[0].line}:")


def test_id_must_match_the_file_name(lesson_copy):
    path = lesson_copy(name="autre-nom.yaml")
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    assert "must match the file name" in caught.value.problems[0].message


def test_ids_are_unique_within_a_folder(tmp_path, lesson_copy):
    first = lesson_copy()
    (tmp_path / "cyberharcelement-temoin-actif.yml").write_text(first.read_text(encoding="utf-8"),
                                                               encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_library([tmp_path])
    assert any("ids must be unique" in p.message for p in caught.value.problems)


def test_check_reports_every_problem_of_every_file_in_one_run(tmp_path, lesson_copy, capsys):
    lesson_copy([("    minutes: 10\n", "    minutes: dix\n"), ("level: college", "level: CM2")])
    write_lesson(tmp_path, "vide.yaml", "")
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "activities[2].minutes: expected a positive whole number" in err
    assert "level: expected one of" in err
    assert "vide.yaml: the file is empty" in err
    assert "Traceback" not in err


def test_check_json_format_for_tools(lesson_copy, capsys):
    import json
    path = lesson_copy([("    minutes: 10\n", "    minuts: 10\n")])
    assert main(["check", str(path), "--format", "json"]) == 1
    problems = {p["field"]: p for p in json.loads(capsys.readouterr().out)}
    assert problems["activities[2].minuts"]["line"] > 1
    assert "did you mean 'minutes'" in problems["activities[2].minuts"]["message"]


def test_bundled_lessons_are_valid(capsys):
    assert main(["check"]) == 0
    assert "tout est valide" in capsys.readouterr().err


def test_text_longer_than_the_limit_is_refused_with_the_limit(lesson_copy):
    path = lesson_copy([('title: "Cyberharcèlement : ne reste pas spectateur"', f'title: "{"a" * 201}"')])
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    assert str(caught.value).endswith("title: too long: at most 200 characters")
