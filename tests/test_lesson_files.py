"""Bad lesson files: each gets one clear line naming the file, line and field."""
from __future__ import annotations

import time

import pytest

from kit.cli import main
from kit.errors import LessonError
from kit.lessons import load_lesson, load_library

from .conftest import DATA, write_lesson

BAD_FILES = {
    "alias-bomb.yaml": (2, "les alias YAML (*nom) ne sont pas permis"),
    "duplicate-key.yaml": (3, "la clé « title » apparaît deux fois"),
    "invalid-yaml.yaml": (4, "les guillemets ouverts ligne 2 ne sont jamais fermés"),
    "not-a-mapping.yaml": (1, "un fichier de séance est un bloc de clés"),
    "python-tag.yaml": (2, "les étiquettes YAML (« !! ») ne sont pas permises"),
    "latin1.yaml": (None, "ce n'est pas du texte UTF-8"),
    "empty.yaml": (None, "le fichier est vide"),
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
     "il faut un nombre entier positif, écrit en chiffres, et non « dix »"),
    (("    minutes: 10\n", "    minutes: -10\n"), "activities[2].minutes",
     "il faut un nombre plus grand que 0, et non -10"),
    (("    minutes: 10\n", "    minuts: 10\n"), "activities[2].minuts", "vouliez-vous dire « minutes » ?"),
    (("level: college", "level: CM2"), "level",
     "« CM2 » n'est pas possible ici ; au choix : cycle3, college, lycee, parents, staff"),
    (("duration: 55", "duration: 60"), "duration", "font 55 au total, mais duration vaut 60"),
    (("          answer: Faux\n", "          answer: Peut-être\n"), "activities[2].student.questions[1].answer",
     "la réponse doit être l'un des choix"),
    (("    consulted: 2026-11-01\n", "    consulted: 01/11/2026\n"), "sources[1].consulted",
     "il faut une date écrite AAAA-MM-JJ (comme 2026-09-01), et non « 01/11/2026 »"),
    (("    address: https://www.3018.fr\n", "    address: www.3018.fr\n"), "sources[1].address",
     "il faut une adresse web qui commence par https://, et non « www.3018.fr »"),
    (("topic: cyberharcèlement, témoin actif\n", ""), "topic", "obligatoire : ajoutez cette clé"),
    (("  - id: scenarios\n", "  - id: quiz-vrai-faux\n"), "activities[3].id",
     "deux activités ont l'id « quiz-vrai-faux »"),
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
    assert "l'id « cyberharcelement-temoin-actif » doit être le nom du fichier" in caught.value.problems[0].message


def test_ids_are_unique_within_a_folder(tmp_path, lesson_copy):
    first = lesson_copy()
    (tmp_path / "cyberharcelement-temoin-actif.yml").write_text(first.read_text(encoding="utf-8"),
                                                               encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_library([tmp_path])
    assert any("chaque séance a son propre id" in p.message for p in caught.value.problems)


def test_check_reports_every_problem_of_every_file_in_one_run(tmp_path, lesson_copy, capsys):
    lesson_copy([("    minutes: 10\n", "    minutes: dix\n"), ("level: college", "level: CM2")])
    write_lesson(tmp_path, "vide.yaml", "")
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "activities[2].minutes: il faut un nombre entier positif" in err
    assert "level: « CM2 » n'est pas possible ici ; au choix :" in err
    assert "vide.yaml: le fichier est vide" in err
    assert "Traceback" not in err


def test_check_json_format_for_tools(lesson_copy, capsys):
    import json
    path = lesson_copy([("    minutes: 10\n", "    minuts: 10\n")])
    assert main(["check", str(path), "--format", "json"]) == 1
    problems = {p["field"]: p for p in json.loads(capsys.readouterr().out)}
    assert problems["activities[2].minuts"]["line"] > 1
    assert "vouliez-vous dire « minutes » ?" in problems["activities[2].minuts"]["message"]


def test_bundled_lessons_are_valid(capsys):
    assert main(["check"]) == 0
    assert "tout est valide" in capsys.readouterr().err


def test_text_longer_than_the_limit_is_refused_with_the_limit(lesson_copy):
    path = lesson_copy([('title: "Cyberharcèlement : ne reste pas spectateur"', f'title: "{"a" * 201}"')])
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    assert str(caught.value).endswith("title: trop long : 200 caractères au plus")
