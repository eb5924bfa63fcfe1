"""Facilitators adapt lessons: `extends`, `kit show`, `kit new`, `kit preview`, local contacts."""
from __future__ import annotations

import shutil
import textwrap

import pytest
from PIL import Image

from kit.api import check
from kit.authoring import lesson_yaml, new_lesson
from kit.cli import main
from kit.errors import LessonError, OutputError, RenderError
from kit.helpline import load_contacts_profile
from kit.lessons import load_lesson, load_library
from kit.preview import page_pictures
from kit.render import render_document

from .conftest import ROOT, page_texts, write_lesson

BASE = "cyberharcelement-temoin-actif"

TWO_HOURS = f"""\
extends: {BASE}
title: "Cyberharcèlement : ne reste pas spectateur (2 h)"
duration: 120
activity_changes:
  - change: scenarios
    set: {{minutes: 40}}
  - insert_after: scenarios
    activity:
      id: jeu-de-role
      title: Jeu de rôle
      minutes: 30
      instructions: Deux élèves jouent la scène ; la classe propose des gestes.
  - change: mes-gestes
    set:
      minutes: 29
add_sources:
  - title: Association e-Enfance
    address: https://e-enfance.org
    consulted: 2026-11-01
"""


@pytest.fixture
def folders(tmp_path):
    """A 'bundled' folder holding the reference lesson, and an empty folder of one's own."""
    bundled, mine = tmp_path / "bundled", tmp_path / "mine"
    bundled.mkdir(), mine.mkdir()
    shutil.copy(ROOT / "lessons" / f"{BASE}.yaml", bundled)
    return bundled, mine


def problems_of(folders_, name, text):
    write_lesson(folders_[1], name, text)
    with pytest.raises(LessonError) as caught:
        load_library(list(folders_))
    return caught.value.problems


def test_a_two_hour_version_changes_only_what_it_says(folders):
    write_lesson(folders[1], "cyber-2h.yaml", TWO_HOURS)
    library = load_library(list(folders))
    base, longer = library.lessons[BASE], library.lessons["cyber-2h"]
    assert longer.id == "cyber-2h" and longer.duration == 120
    assert [a.id for a in longer.activities] == ["ouverture", "quiz-vrai-faux", "scenarios",
                                                 "jeu-de-role", "mes-gestes"]
    assert [a.minutes for a in longer.activities] == [6, 10, 40, 30, 29]
    assert longer.margins == base.margins  # 5 min of the class hour kept, as in the base
    assert longer.activities[2].instructions == base.activities[2].instructions
    assert longer.key_messages == base.key_messages and longer.quiz == base.quiz
    assert [s.address for s in longer.sources] == [s.address for s in base.sources] + [
        "https://e-enfance.org"]
    assert longer.timings == []  # the base's 45-minute plan no longer fits
    assert library.origin(longer).file.endswith("mine/cyber-2h.yaml")
    pages = page_texts(render_document(longer, "guide"))
    assert any("Jeu de rôle (30 min)" in page for page in pages)
    assert all("3018" in page for page in pages)


def test_remove_replace_and_insert_before(folders):
    write_lesson(folders[1], "court.yaml", textwrap.dedent(f"""\
        extends: {BASE}
        duration: 45
        activity_changes:
          - remove: mes-gestes
          - replace: ouverture
            with: {{id: accueil, title: Accueil, minutes: 3, instructions: Bonjour.}}
          - insert_before: accueil
            activity: {{id: cercle, title: Cercle, minutes: 2, instructions: On s'assoit.}}
          - change: scenarios
            set: {{minutes: 25}}
        """))
    lesson = load_library(list(folders)).lessons["court"]
    assert [(a.id, a.minutes) for a in lesson.activities] == [
        ("cercle", 2), ("accueil", 3), ("quiz-vrai-faux", 10), ("scenarios", 25)]


ERRORS = [
    # (text to put in mine/x.yaml, line, field, words of the message)
    (TWO_HOURS.replace("minutes: 29", "minutes: 30"), 3, "duration",
     "les minutes des activités et des marges (5) font 121 au total, mais duration vaut 120 ; "
     "rendez-les égales"),
    (TWO_HOURS.replace("change: mes-gestes", "change: mes-geste"), 13, "activity_changes[3].change",
     "pas d'activité « mes-geste » pour « change » ; les activités : ouverture, quiz-vrai-faux, "
     "scenarios, jeu-de-role, mes-gestes"),
    (TWO_HOURS.replace(f"extends: {BASE}", "extends: cyberharcelement"), 1, "extends",
     f"pas de séance « cyberharcelement » à étendre ; vouliez-vous dire « {BASE} » ?"),
    (TWO_HOURS.replace(f"extends: {BASE}", "extends: ../lessons/x"), 1, "extends",
     "jamais par un chemin ; ici : « ../lessons/x »"),
    (TWO_HOURS.replace(f"extends: {BASE}", "extends: /etc/passwd"), 1, "extends",
     "jamais par un chemin ; ici : « /etc/passwd »"),
    (TWO_HOURS.replace("add_sources", "add_source"), 16, "add_source",
     "clé inconnue ; vouliez-vous dire « add_sources » ?"),
    (TWO_HOURS.replace("      minutes: 30\n", "      minutes: trente\n"), 11,
     "activities[4].minutes", "il faut un nombre entier positif, écrit en chiffres, et non « trente »"),
    (TWO_HOURS.replace("    set: {minutes: 40}", "    with: {minutes: 40}"), 6,
     "activity_changes[1].with",
     "clé inconnue dans un changement « change » ; ses clés sont « change » et « set »"),
]


@pytest.mark.parametrize("text,line,field,message", ERRORS, ids=[e[2] for e in ERRORS])
def test_errors_point_at_the_extending_file(folders, text, line, field, message):
    problems = problems_of(folders, "x.yaml", text)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file.endswith("mine/x.yaml")
    assert (problem.line, problem.field) == (line, field)
    assert message in problem.message


def test_extends_chains_work_and_circles_are_refused(folders):
    write_lesson(folders[1], "a.yaml", f"extends: {BASE}\ntitle: Version A\n")
    write_lesson(folders[1], "b.yaml", "extends: a\nduration: 50\nactivity_changes:\n"
                                       "  - change: ouverture\n    set: {minutes: 0}\n")
    with pytest.raises(LessonError) as caught:
        load_library(list(folders))
    assert "il faut un nombre plus grand que 0, et non 0" in str(caught.value)  # b's own error, in b
    write_lesson(folders[1], "b.yaml", "extends: a\nsummary: Version B\n")
    library = load_library(list(folders))
    assert (library.lessons["b"].title, library.lessons["b"].summary) == ("Version A", "Version B")
    write_lesson(folders[1], "a.yaml", "extends: b\n")
    with pytest.raises(LessonError) as caught:
        load_library(list(folders))
    messages = {p.file.rsplit("/", 1)[-1]: p.message for p in caught.value.problems}
    assert "les extends tournent en rond : " in messages["b.yaml"] + messages["a.yaml"]


def test_a_lesson_may_extend_the_bundled_lesson_it_replaces(folders):
    write_lesson(folders[1], f"{BASE}.yaml", f"extends: {BASE}\ntitle: Notre version\n")
    lesson = load_library(list(folders)).lessons[BASE]
    assert lesson.title == "Notre version" and len(lesson.activities) == 4


def test_show_prints_a_lesson_file_that_loads_back_to_the_same_lesson(folders, tmp_path):
    write_lesson(folders[1], "cyber-2h.yaml", TWO_HOURS)
    lesson = load_library(list(folders)).lessons["cyber-2h"]
    shown = lesson_yaml(lesson)
    assert "extends" not in shown and "id: jeu-de-role" in shown and "instructions: |" in shown
    again, _ = load_lesson(write_lesson(tmp_path, "cyber-2h.yaml", shown))
    assert again == lesson


def test_show_command(capsys):
    assert main(["show", BASE]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"id: {BASE}\ntitle: ") and "- id: mes-gestes" in out


@pytest.mark.parametrize("base", [None, BASE])
def test_new_writes_a_commented_file_that_passes_check(tmp_path, base):
    path = new_lesson("ma-seance", tmp_path, level="cycle3", base=(
        load_library().lessons[BASE] if base else None))
    text = path.read_text(encoding="utf-8")
    assert path == tmp_path / "ma-seance.yaml" and text.startswith("# ")
    assert ("extends: " + BASE in text) == bool(base)
    assert [p for p in check([path]) if p.severity == "error"] == []
    assert load_lesson(path)[0].level == "cycle3"


def test_new_refuses_to_overwrite(tmp_path, capsys):
    existing = write_lesson(tmp_path, "ma-seance.yml", "mes notes\n")
    with pytest.raises(OutputError, match="ma-seance.yml existe déjà ; choisissez un autre id ou modifiez ce fichier"):
        new_lesson("ma-seance", tmp_path, level="college")
    assert main(["new", "ma-seance", "--level", "college", "--lessons", str(tmp_path)]) == 1
    assert "ma-seance.yml existe déjà ; choisissez un autre id" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "mes notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ma-seance.yml"]


def test_new_from_takes_an_id_only(tmp_path, capsys):
    assert main(["new", "x", "--from", "../lessons/" + BASE, "--lessons", str(tmp_path)]) == 1
    assert "pas par un chemin ; ici : « ../lessons/" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_preview_writes_one_picture_per_page(library, tmp_path, capsys):
    pdf = render_document(library.lessons[BASE], "worksheet")
    assert main(["preview", BASE, "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == pdf.pages == len(list(tmp_path.iterdir()))
    with Image.open(printed[0]) as picture:
        assert picture.size == (827, 1170)  # A4 at 100 dpi
        assert picture.convert("L").getextrema()[0] < 60  # dark text on the page


def test_preview_of_one_page_and_a_page_that_does_not_exist(library, tmp_path):
    pdf = render_document(library.lessons[BASE], "guide")
    assert [p.name for p in page_pictures(pdf.data, tmp_path, "g", page=2)] == ["g-p2.png"]
    with pytest.raises(RenderError, match=rf"--page {pdf.pages + 1} : le document a {pdf.pages} page\(s\) ; "
                                          f"choisissez de 1 à {pdf.pages}"):
        page_pictures(pdf.data, tmp_path, "g", page=pdf.pages + 1)


CONTACTS = """\
contacts:
  - name: Mme Martin
    role: CPE, référente harcèlement
    phone: 01 23 45 67 89
  - name: Commissariat du quartier
    role: police nationale
    address: 1 rue de la Paix, 75000 Paris
"""


def test_local_contacts_come_after_the_3018_in_the_guide(library, tmp_path):
    profile = load_contacts_profile(write_lesson(tmp_path, "ecole.yaml", CONTACTS))
    text = " ".join(page_texts(render_document(library.lessons[BASE], "guide",
                                               local_contacts=profile)))
    assert text.index("Un jeune vit du harcèlement en ligne ? Appelez le 3018") < text.index("Mme Martin") < text.index(
        "Commissariat du quartier") < text.index("Allô Enfance en Danger")


@pytest.mark.parametrize("contact,message", [
    ("  - {name: 3018 local, role: écoute, phone: 01 23 45 67 89}",
     "un contact local ne peut pas se présenter comme le 3018"),
    ("  - {name: Écoute, role: écoute, phone: '3018'}", "un contact local ne peut pas se présenter comme le 3018"),
    ("  - {id: police, name: Police, role: police, phone: 01 23 45 67 89}",
     "« police » est l'id d'un contact national"),
    ("  - {name: Écoute, role: écoute, phone: 12 34}", "il faut un numéro de téléphone français comme "
     "01 23 45 67 89 ou +33 1 23 45 67 89, ou un numéro court comme 119, et non « 12 34 »"),
    ("  - {name: Écoute, role: écoute, web: http://exemple.fr}",
     "il faut une adresse web qui commence par https://, et non « http://exemple.fr »"),
])
def test_a_profile_cannot_change_the_3018_or_the_national_numbers(tmp_path, contact, message):
    path = write_lesson(tmp_path, "ecole.yaml", "contacts:\n" + contact + "\n")
    with pytest.raises(LessonError) as caught:
        load_contacts_profile(path)
    assert message in str(caught.value) and caught.value.problems[0].line == 2
