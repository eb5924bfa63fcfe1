"""What a new, non-technical user tripped on (issue 14), each fixed: messages that lead
to the fix, commands that do what a user expects, and a command line in French."""
from __future__ import annotations

import configparser
import csv
import io
import json
import subprocess
import sys

import click
import pytest
from pypdf import PdfReader

import kit.batch
from kit.batch.run import InlineExecutor
from kit.context import Session
from kit.cli import cli, main
from kit.documents import DOCUMENT_TYPES
from kit.errors import LessonError
from kit.helpline import Contact, load_contacts_profile
from kit.lessons import load_lesson
from kit.render import render_document
from kit.theme import load_theme
from kit.validation import allowed_keys

from .conftest import ROOT, page_texts, write_lesson

LESSON = "cyberharcelement-temoin-actif"
TITLE_LINE = 'title: "Cyberharcèlement : ne reste pas spectateur"'
HEADER = "Établissement;Classe;Séance;Date;Salle;Horaire"


def problems_of(path) -> list:
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    return caught.value.problems


def line_of(path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


# --- Messages that lead to the fix ------------------------------------------------------

def test_an_unquoted_colon_in_a_title_says_to_quote_it_on_its_line(lesson_copy):
    path = lesson_copy([(TITLE_LINE, "title: Cyberharcèlement : ne reste pas spectateur")])
    [problem] = problems_of(path)
    assert problem.line == line_of(path, "title: Cyberharcèlement")
    assert "que YAML lit comme une nouvelle clé ; mettez le texte entre guillemets" in problem.message
    assert 'title: "Cyberharcèlement : ne reste pas spectateur"' in problem.message
    assert "mapping values" not in problem.message


def test_a_tab_in_the_indentation_says_to_use_spaces(lesson_copy):
    path = lesson_copy([("    minutes: 10\n", "\tminutes: 10\n")])
    [problem] = problems_of(path)
    assert problem.line == line_of(path, "\tminutes: 10")
    assert problem.message == ("une tabulation ; indentez avec des espaces (deux par niveau), "
                               "jamais de tabulations")


def test_a_missing_colon_is_reported_on_the_line_where_it_is_missing(lesson_copy):
    path = lesson_copy([("duration: 55", "duration 55")])
    [problem] = problems_of(path)
    assert problem.line == line_of(path, "duration 55")
    assert problem.message == "cette ligne n'a pas de « : » après sa clé ; écrivez-la `clé: valeur`"


@pytest.mark.parametrize("typed,level", [("collège", "college"), ("Collège", "college"),
                                         ("Lycée", "lycee"), ("LYCEE", "lycee")])
def test_a_level_typed_with_accents_or_capitals_is_accepted(lesson_copy, typed, level):
    lesson, _ = load_lesson(lesson_copy([("level: college", f"level: {typed}")]))
    assert lesson.level == level


def test_an_unknown_placeholder_lists_the_valid_placeholder_names(lesson_copy, tmp_path, capsys):
    path = lesson_copy([(TITLE_LINE, 'title: "Appeler {{ helpline.horaires }}"')])
    assert main(["render", str(path), "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert f"{path.name}:{line_of(path, 'horaires')}" in err and "title:" in err
    assert "champ à remplir inconnu : {{ helpline.horaires }}" in err
    assert "vouliez-vous dire {{ helpline.hours }} ?" in err
    assert "helpline.phone" in err and "helpline.web_short" in err
    assert "has no attribute" not in err and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("colour", ["vert", "#06400"])
def test_a_theme_colour_that_is_not_a_colour_says_what_a_colour_looks_like(tmp_path, colour):
    (tmp_path / "styles.yaml").write_text(f"colors:\n  accent: '{colour}'\n", encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_theme(tmp_path)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (2, "colors.accent")
    assert problem.message == f'il faut une couleur écrite comme "#006400", et non « {colour} »'


def test_an_unknown_key_in_a_contacts_file_lists_the_valid_keys(tmp_path):
    path = write_lesson(tmp_path, "ecole.yaml",
                        "contacts:\n  - name: Mme Martin\n    role: CPE\n    telephone: 01 23 45 67 89\n")
    with pytest.raises(LessonError) as caught:
        load_contacts_profile(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (4, "contacts[1].telephone")
    assert problem.message == ("clé inconnue ; vouliez-vous dire « phone » ? "
                               "(clés possibles ici : id, name, role, phone, web, address)")


def test_an_unknown_key_in_a_theme_lists_the_valid_keys(tmp_path):
    (tmp_path / "styles.yaml").write_text("styles:\n  title: {police: 2}\n", encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_theme(tmp_path)
    [problem] = caught.value.problems
    assert problem.field == "styles.title.police"
    assert problem.message == ("clé inconnue ; clés possibles ici : size, leading, bold, color, "
                               "align, space_before, space_after")


def test_one_validation_helper_knows_the_keys_of_the_model_it_validates():
    from kit.schema import Lesson
    from kit.theme import ThemeStyles
    assert allowed_keys(Lesson, ("activities", 0, "student"))[:2] == ["intro", "questions"]
    assert allowed_keys(ThemeStyles, ("styles", "title"))[0] == "size"
    assert "phone" in allowed_keys(Contact, ())


def roster(tmp_path, *rows, name="roster.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    return path


def report_rows(out) -> list[dict]:
    text = (out / "report.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_a_lesson_id_typed_wrong_in_a_roster_gets_did_you_mean(tmp_path, capsys):
    path = roster(tmp_path, "Collège A;5e B;cyberharcelement-temoin-actf;08/11/2027;;")
    out = tmp_path / "out"
    assert main(["batch", str(path), "--out", str(out), "--docs", "fiche-eleve", "--workers", "1"]) == 1
    [row] = report_rows(out)
    assert row["statut"] == "erreur"
    assert row["message"] == ("pas de séance « cyberharcelement-temoin-actf » ; vouliez-vous "
                              f"dire « {LESSON} » ?")
    assert f"ligne 2 : {row['message']}" in capsys.readouterr().err  # on the terminal too
    assert main(["check", str(path)]) == 1  # and before any batch
    assert f"roster.csv:2: {row['message']}" in capsys.readouterr().err


# --- Commands that do what a user expects -----------------------------------------------

def test_check_names_the_folders_it_checked_and_a_new_lesson_here_it_did_not(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "mon-cours", "--level", "collège"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0
    err = capsys.readouterr().err
    assert "vérifié : les séances du kit (12 fichier(s))" in err
    assert "non vérifié : mon-cours.yaml" in err and "`kit check mon-cours.yaml`" in err
    assert "--lessons ." in err and "ce qui a été vérifié est valide" in err
    assert main(["check", "--lessons", "."]) == 0  # checked now: its « À compléter » warned
    assert "mon-cours.yaml:" in capsys.readouterr().err


def test_render_of_a_lesson_only_in_the_current_folder_hints_lessons_dot(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "mon-cours", "--level", "lycee"]) == 0
    capsys.readouterr()
    assert main(["render", "mon-cours"]) == 1
    assert ("mon-cours.yaml est dans le dossier courant, qui n'est pas un dossier de séances : "
            "ajoutez `--lessons .`") in capsys.readouterr().err
    assert main(["render", "mon-cours", "--lessons", "."]) == 0
    assert "Fiche élève" in page_texts((tmp_path / "mon-cours-fiche-eleve.pdf").read_bytes())[0]


def test_check_warns_about_the_new_lesson_templates_a_completer(tmp_path, capsys):
    assert main(["new", "mon-cours", "--level", "college", "--lessons", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["check", str(tmp_path / "mon-cours.yaml")]) == 0  # warnings only
    err = capsys.readouterr().err
    for field in ("title", "topic", "summary", "objectives[1]", "activities[2].instructions"):
        assert f" {field}: attention : dit encore « À compléter »" in err


def test_check_warns_about_a_session_on_a_sunday(tmp_path, capsys):
    path = roster(tmp_path, f"Collège A;5e B;{LESSON};07/11/2027;;", f"Collège A;5e C;{LESSON};08/11/2027;;")
    assert main(["check", str(path)]) == 0
    err = capsys.readouterr().err
    assert "roster.csv:2: attention : le 07/11/2027 est un dimanche" in err
    assert "roster.csv:3" not in err and "0 erreur(s), 1 avertissement(s)" in err
    out = tmp_path / "out"
    kit.batch.run(path, out, documents=("worksheet",), executor=InlineExecutor(), progress="none")
    assert "dimanche" in report_rows(out)[0]["message"]


def test_list_skips_an_invalid_lesson_file_with_a_warning(tmp_path, capsys):
    write_lesson(tmp_path, "brouillon.yaml", "id: brouillon\ntitle: [pas fini\n")
    assert main(["list", "--lessons", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert LESSON in captured.out and "brouillon" not in captured.out
    assert "attention : 1 autre(s) fichier(s) de séance illisible(s)" in captured.err


def test_build_with_lesson_names_builds_only_those(tmp_path, capsys):
    out = tmp_path / "dist"
    assert main(["build", "premier-telephone", "--doc", "affiche", "--variant", "standard",
                 "--out", str(out), "--workers", "1"]) == 0
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [lesson["id"] for lesson in index["lessons"]] == ["premier-telephone"]
    # the lesson's poster, and the catalogue's A3 poster (made once, for every lesson)
    assert sorted(p.name for p in out.rglob("*.pdf")) == ["affiche-3018-a3.pdf",
                                                          "premier-telephone-affiche.pdf"]
    err = capsys.readouterr().err
    assert "2 document(s) faits (2 PDF" in err and f"ouvrez {out / 'index.html'}" in err
    assert "1/1 documents" in err  # the progress, as plain lines off a terminal


FRENCH_NAMES = ("fiche-eleve", "guide-animateur", "diaporama", "lettre-familles-avant",
                "lettre-familles", "affiche",
                "cartes-scenarios", "quiz", "charte", "diplome", "fiche-resultats")


def test_doc_takes_the_french_names_and_o_adds_pdf(tmp_path, monkeypatch, capsys):
    assert {d.file_part for d in DOCUMENT_TYPES.values()} == set(FRENCH_NAMES)
    monkeypatch.chdir(tmp_path)
    assert main(["render", LESSON, "--doc", "guide-animateur", "-o", "monguide"]) == 0
    assert capsys.readouterr().out.strip() == "monguide.pdf"
    assert "Guide de l’animateur" in page_texts((tmp_path / "monguide.pdf").read_bytes())[0]
    assert main(["render", LESSON, "--doc", "fiche"]) == 2
    err = capsys.readouterr().err
    assert "pas de document « fiche »" in err and "worksheet (fiche-eleve)" in err


def test_the_readme_lists_the_french_document_names():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for document in DOCUMENT_TYPES.values():
        assert f"`{document.name}`" in readme and f"`{document.file_part}`" in readme


def test_show_filled_prints_the_lesson_as_it_will_print(tmp_path, capsys):
    contacts = write_lesson(tmp_path, "ecole.yaml",
                            "contacts:\n  - name: Mme Martin\n    role: CPE\n    phone: 01 23 45 67 89\n")
    assert main(["show", LESSON]) == 0
    assert "{{ helpline.phone }}" in capsys.readouterr().out
    assert main(["show", LESSON, "--filled", "--contacts", str(contacts)]) == 0
    filled = capsys.readouterr().out
    assert "{{" not in filled and "Le 3018 écoute et aide" in filled


# --- kit batch --------------------------------------------------------------------------

CONTACTS = "contacts:\n  - name: {name}\n    role: CPE du collège\n    phone: 01 23 45 67 89\n"


def test_batch_takes_contacts_and_theme_and_a_changed_profile_remakes_the_packets(tmp_path):
    path = roster(tmp_path, f"Collège A;5e B;{LESSON};08/11/2027;;")
    contacts = write_lesson(tmp_path, "ecole.yaml", CONTACTS.format(name="Mme Martin"))
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "styles.yaml").write_text("colors:\n  accent: '#006400'\n", encoding="utf-8")
    out = tmp_path / "out"

    def run():
        return kit.batch.run(path, out, documents=("guide",), executor=InlineExecutor(),
                             progress="none", contacts=contacts, theme=theme)
    assert run().ok == 1
    guide = out / "college-a" / "5e-b" / f"{LESSON}-guide-animateur.pdf"
    assert "Mme Martin" in " ".join(page_texts(guide.read_bytes()))
    assert run().unchanged == 1
    contacts.write_text(CONTACTS.format(name="M. Durand"), encoding="utf-8")
    assert run().ok == 1
    assert "M. Durand" in " ".join(page_texts(guide.read_bytes()))
    (theme / "styles.yaml").write_text("colors:\n  accent: '#00008b'\n", encoding="utf-8")
    assert run().ok == 1


def test_room_and_time_are_printed_where_a_teacher_needs_them(tmp_path):
    path = roster(tmp_path, f"Collège A;5e B;{LESSON};08/11/2027;B12;10 h 15")
    out = tmp_path / "out"
    summary = kit.batch.run(path, out, documents=("guide", "family-letter"),
                            executor=InlineExecutor(), progress="none")
    assert summary.ok == 1 and summary.warnings == []
    folder = out / "college-a" / "5e-b"  # the details are stamped on the lines of a template
    cover = page_texts((folder / f"{LESSON}-guide-animateur.pdf").read_bytes())[0]
    assert "Horaire :" in cover and "Salle :" in cover and "10 h 15" in cover and "B12" in cover
    letter = page_texts((folder / f"{LESSON}-lettre-familles.pdf").read_bytes())[0]
    assert "Horaire :" in letter and "10 h 15" in letter and "Salle :" not in letter


def test_room_and_time_are_printed_only_when_given(library):
    lesson = library.get(LESSON)
    given = Session(school="Collège A", room="B12", time="10 h 15")
    cover = page_texts(render_document(lesson, "guide", session=given))[0]
    assert "Horaire : 10 h 15" in cover and "Salle : B12" in cover
    cover = page_texts(render_document(lesson, "guide", session=Session(school="Collège A")))[0]
    assert "Horaire :" not in cover and "Salle :" not in cover


def test_a_room_column_no_document_prints_is_warned_about(tmp_path):
    path = roster(tmp_path, f"Collège A;5e B;{LESSON};08/11/2027;B12;")
    summary = kit.batch.run(path, tmp_path / "out", documents=("worksheet",),
                            executor=InlineExecutor(), progress="none")
    assert any("« salle » n'est imprimée que sur : guide" in w for w in summary.warnings)


def test_failed_rows_are_printed_on_the_terminal_first_twenty_and_a_count(tmp_path, capsys):
    path = roster(tmp_path, *(f"Collège A;{n}e;inconnue-{n};;;" for n in range(25)))
    assert main(["batch", str(path), "--out", str(tmp_path / "out"), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "ligne 2 : pas de séance « inconnue-0 »" in err and "ligne 21 : " in err
    assert "ligne 22 : " not in err and "... et 5 autre(s) ligne(s) en erreur" in err
    assert "25 ligne(s) : 0 faite(s), 25 en erreur" in err


def test_the_progress_counts_the_rosters_rows(tmp_path, capsys):
    path = roster(tmp_path, f"Collège A;5e B;{LESSON};;;", "Collège A;5e C;nope;;;")
    kit.batch.run(path, tmp_path / "out", documents=("worksheet",), executor=InlineExecutor(),
                  progress="log")
    assert "2/2 lignes" in capsys.readouterr().err  # the failed row counts as done


def test_an_output_folder_that_cannot_be_written_fails_before_rendering(tmp_path, monkeypatch, capsys):
    path = roster(tmp_path, f"Collège A;5e B;{LESSON};;;")
    (tmp_path / "fichier").write_text("pas un dossier")
    monkeypatch.setattr(sys.modules["kit.batch.run"], "plan",
                        lambda *a, **k: pytest.fail("planned before the folder was tried"))
    assert main(["batch", str(path), "--out", str(tmp_path / "fichier" / "out")]) == 1
    assert "impossible d'écrire dans le dossier" in capsys.readouterr().err


def test_an_unknown_document_in_docs_is_a_command_line_error(tmp_path, capsys):
    path = roster(tmp_path, f"Collège A;5e B;{LESSON};;;")
    assert main(["batch", str(path), "--out", str(tmp_path / "out"), "--docs", "guide,fiche"]) == 2
    err = capsys.readouterr().err
    assert "--docs : pas de document « fiche »" in err and "family-letter (lettre-familles)" in err
    assert not (tmp_path / "out").exists()


def test_merge_school_titles_each_print_file_with_the_schools_name(tmp_path):
    path = roster(tmp_path, f"Collège Les Genêts;5e B;{LESSON};;;", f"Collège Les Genêts;5e C;{LESSON};;;")
    out = tmp_path / "out"
    summary = kit.batch.run(path, out, documents=("worksheet",), executor=InlineExecutor(),
                            progress="none", merge="school")
    assert summary.merged == ["impression/college-les-genets.pdf"]
    merged = PdfReader(out / "impression" / "college-les-genets.pdf")
    assert merged.metadata.title == "Séances – Collège Les Genêts"


# --- French, for French users -----------------------------------------------------------

def every_command():
    yield "kit", cli
    for name, command in cli.commands.items():
        yield f"kit {name}", command


@pytest.mark.parametrize("name,command", list(every_command()), ids=lambda v: str(v))
def test_every_command_and_option_has_french_help(name, command):
    with click.Context(command, info_name=name) as ctx:
        assert command.help
        for param in command.get_params(ctx):
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts[0]} has no help"
        text = command.get_help(ctx)
    assert text.startswith("Utilisation : ")
    for english in ("Show this message", "Usage:", "[default:", "Commands:"):
        assert english not in text


@pytest.mark.parametrize("argv,said", [
    (["render"], "il manque SÉANCE"),
    (["render", LESSON, "--out", "x"], "pas d'option --out ; vouliez-vous dire --doc ou --format ou --output ?"),
    (["rendre", LESSON], "pas de commande « rendre » ; vouliez-vous dire « render » ?"),
    (["render", LESSON, "--variant", "gros"], "--variant : « gros » n'est pas possible ; au choix"),
    (["preview", LESSON, "--page", "0"], "--page : « 0 » n'est pas un nombre entier à partir de 1"),
    (["new", "mon-cours", "--level", "college5"], "--level : pas de niveau « college5 »"),
    (["render", LESSON, "en-trop"], "en trop sur la ligne de commande : en-trop"),
])
def test_command_line_mistakes_are_said_in_french_with_exit_code_2(argv, said, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("erreur : ") and said in err and "--help` montre les options" in err


def test_a_lesson_path_typed_wrong_says_there_is_no_such_file(capsys):
    assert main(["render", "lessons/premier-telephon.yaml"]) == 1
    assert ("pas de séance « lessons/premier-telephon.yaml » : pas de fichier à ce nom, mais une "
            "séance a l'id « premier-telephone »" in capsys.readouterr().err)


def test_report_csv_speaks_french(tmp_path):
    path = roster(tmp_path, f"Collège A;5e B;{LESSON};;;", "Collège A;5e C;nope;;;")
    out = tmp_path / "out"
    kit.batch.run(path, out, documents=("worksheet",), executor=InlineExecutor(), progress="none")
    rows = report_rows(out)
    assert list(rows[0]) == ["ligne", "établissement", "classe", "séance", "statut", "message",
                             "fichiers", "date"]
    assert [r["statut"] for r in rows] == ["ok", "erreur"]
    summary = kit.batch.run(path, out, documents=("worksheet",), executor=InlineExecutor(),
                            progress="none")
    assert [r["statut"] for r in report_rows(out)] == ["inchangée", "erreur"]
    assert str(summary).startswith("2 ligne(s) : 0 faite(s), 1 en erreur, 1 inchangée(s)")


@pytest.mark.slow
def test_generate_py_ends_by_saying_what_to_open_and_how_many_documents(tmp_path):
    out = tmp_path / "dist"
    done = subprocess.run([sys.executable, "generate.py", "premier-telephone", "--doc", "charte",
                           "--variant", "standard", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("1 document(s) faits") and last.endswith(
        f"ouvrez {out / 'index.html'} dans un navigateur pour les voir")


def test_pytest_prints_the_reason_of_a_skipped_test():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert "-rs" in config["tool:pytest"]["addopts"].split()
