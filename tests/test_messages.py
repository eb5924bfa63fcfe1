"""Every message a user reads comes from assets/messages.yaml, and reads as French.

The code names messages by id (`say("lesson.no_lesson", reference=...)`): these tests
keep the code and the catalogue in step, then make the usual mistakes on purpose and
read every line the kit prints back, looking for English.
"""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from kit import order, validation
from kit.cli import main
from kit.messages import catalogue, details_of, say

from .conftest import DATA, ROOT, write_lesson
from .test_customise import BASE, ERRORS as EXTENSION_ERRORS
from .test_hardening import BAD_FILES as LOAD_TIME_ERRORS
from .test_lesson_files import SCHEMA_CASES

KIT = ROOT / "kit"
# Sections whose ids the code builds from data (pydantic's error types in files and in
# web forms, PyYAML's context, errno names): their keys appear in the code as plain strings, or not at all.
BUILT_IDS = {"validation", "form", "yaml", "system"}


def say_calls():
    """(file, line, message ids, detail names or None when given as **details) of every say()."""
    for path in sorted(KIT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say":
                first = node.args[0]
                choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                ids = [c.value for c in choices if isinstance(c, ast.Constant)]
                if len(ids) != len(choices):
                    continue  # an id built from data: checked by test_built_ids_exist
                names = None if any(k.arg is None for k in node.keywords) else {
                    k.arg for k in node.keywords}
                yield path.relative_to(ROOT), node.lineno, ids, names


def test_every_message_the_code_says_is_in_the_catalogue_with_its_details():
    calls = list(say_calls())
    assert len(calls) > 100
    for where, line, ids, names in calls:
        for message_id in ids:
            assert message_id in catalogue(), f"{where}:{line}: no message {message_id!r}"
            if names is not None:
                missing = details_of(message_id) - names
                assert not missing, f"{where}:{line}: {message_id} needs {missing}"


def test_built_ids_exist():
    for kind in validation.MESSAGE_FOR_TYPE.values():
        assert f"validation.{kind}" in catalogue()
    for kind in order.FORM_MESSAGE_FOR_TYPE.values():
        assert f"form.{kind}" in catalogue()
    for meaning in validation.PATTERN_MEANINGS.values():
        assert meaning in catalogue()
    for kind in ("unclosed_quote", "unclosed_bracket", "indentation"):
        assert f"yaml.{kind}" in catalogue()


def test_every_message_of_the_catalogue_is_used():
    strings = {node.value for path in KIT.rglob("*.py")
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    unused = [message_id for message_id in catalogue()
              if message_id not in strings and not (
                  message_id.split(".")[0] in BUILT_IDS
                  and (message_id.split(".", 1)[1] in strings or message_id.startswith("system.")))]
    assert unused == []


def test_details_are_filled_and_other_braces_kept():
    assert say("text.unknown_name", name="helpline.horaires", names="helpline.phone") == (
        "champ à remplir inconnu : {{ helpline.horaires }} ; les champs possibles ici : "
        "helpline.phone")
    assert "`margins: {start: 3, end: 2}`" in say("check.class_hour_margin", hour=55, margin=5, found=0)
    with pytest.raises(KeyError):
        say("lesson.no_lesson", reference="x")  # a detail left out is a bug, not a blank


# --- No English left: the usual mistakes, made on purpose --------------------------

ENGLISH = re.compile(r"\b(expected|unknown|got|must|not allowed|did you mean|cannot|required|"
                     r"invalid|should|please|found|missing|no such|the|is|are|warning|error|"
                     r"line|file|key|while|but|too)\b", re.I)

YAML_MISTAKES = {
    "deux-points.yaml": "id: deux-points\ntitle: Cyberharcèlement : ne reste pas spectateur\n",
    "tabulation.yaml": "id: tabulation\nactivities:\n\t- id: a\n",
    "sans-deux-points.yaml": "id: sans-deux-points\ntitle\nlevel: college\n",
    "crochet.yaml": "id: crochet\nobjectives: [un, deux\nlevel: college\n",
    "indentation.yaml": "id: indentation\nobjectives:\n  - un\n - deux\n",
    "arobase.yaml": "id: arobase\ntitle: @moi\n",
}
CONTACTS = [
    "contacts:\n  - name: Mme Martin\n    role: CPE\n    telephone: 01 23 45 67 89\n",
    "contacts:\n  - {name: Écoute, role: écoute, phone: 12 34}\n",
    "contacts:\n  - {name: 3018 local, role: écoute, phone: 01 23 45 67 89}\n",
    "contacts:\n  - {id: police, name: Police, role: police, phone: 01 23 45 67 89}\n",
    "contacts:\n  - {name: Écoute, role: écoute}\n",
    "contacts: [1, 2]\n",
]
THEMES = [
    "colors:\n  accent: vert\n", "colors:\n  acent: '#006400'\n", "styles:\n  titre: {size: 2}\n",
    "styles:\n  title: {police: 2}\n", "styles:\n  title: {size: 0.1, leading: 9, bold: oui}\n",
]
KEY_MESSAGE = "  - Le harcèlement n'est **jamais** la faute de la victime.\n"
CONTENT = [
    [(KEY_MESSAGE, "  - Appelle le 3018 de 9 h à 20 h, 7j/7, sur 3018.fr.\n")],
    [(KEY_MESSAGE, "  - Appelez le 0800 200 000.\n")],
    [(KEY_MESSAGE, "  - Appelle {{ helpline.horaires }} ou {{ session.ecole }}.\n")],
    [(KEY_MESSAGE, "  - Bravo 😀\n")],
    [("consulted: 2026-11-01", "consulted: 2015-03-01"),
     ("consulted: 2026-11-30", "consulted: 2015-03-01"),
     ("    groups: {count: 6, prepare: 7, report: 1.5}\n", "    groups: {count: 8, prepare: 8, report: 2}\n"),
     ("    quiz: before\n", "")],
]
ROSTER = ("établissement;classe;séance;date;effectif;couleur\n"
          "Collège A;5e B;cyberharcelement-temoin-actf;07/11/2027;vingt;bleu\n"
          ";5e C;cyberharcelement-temoin-actif;31/02/2027;28;\n"
          "Collège A;5e D;cyberharcelement-temoin-actif;demain;28;\n")


FILE_NAME = re.compile(r"\S*\.(?:yaml|yml|csv|pdf|png)\b\S*")  # the user's own names: duplicate-key.yaml


def english_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ENGLISH.search(FILE_NAME.sub(" ", line))]


@pytest.fixture
def said(tmp_path, monkeypatch, capsys):
    """Runs `kit` commands in a scratch folder; returns every line they printed."""
    monkeypatch.chdir(tmp_path)
    lines = []

    def run(*argv, code=None):
        result = main([str(a) for a in argv])
        captured = capsys.readouterr()
        assert code is None or result == code, (argv, captured.err)
        lines.extend(captured.out.splitlines())
        lines.extend(captured.err.splitlines())
        return result
    run.lines = lines
    return run


def lesson(replace=(), name=f"{BASE}.yaml", folder=Path(".")):
    text = (ROOT / "lessons" / f"{BASE}.yaml").read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    Path(folder).mkdir(exist_ok=True)
    return write_lesson(Path(folder), name, text)


def test_no_message_line_reads_as_english(said, tmp_path):
    for bad in sorted((DATA / "bad").glob("*.yaml")):  # one file per unreadable lesson
        shutil.copy(bad, tmp_path / bad.name)
        said("check", bad.name, code=1)
    for name, text in {**YAML_MISTAKES, **LOAD_TIME_ERRORS}.items():
        said("check", write_lesson(tmp_path, name, text).name, code=1)
    for index, (replace, _, _) in enumerate(SCHEMA_CASES):  # the suite's seeded lesson errors
        said("check", lesson([replace], folder=f"schema{index}"), code=1)
    for folder in ("base", "mine"):
        Path(folder).mkdir()
    shutil.copy(ROOT / "lessons" / f"{BASE}.yaml", "base")
    for text, *_ in EXTENSION_ERRORS:  # ... and its extension errors
        write_lesson(Path("mine"), "x.yaml", text)
        said("check", "mine", "--lessons", "base", code=1)
    for index, replace in enumerate(CONTENT):
        said("check", lesson(replace, folder=f"content{index}"))
    for index, text in enumerate(CONTACTS):
        said("check", lesson(folder="ok"), "--contacts", write_lesson(tmp_path, f"c{index}.yaml", text),
             code=1)
    for index, text in enumerate(THEMES):
        folder = Path(f"theme{index}")
        folder.mkdir()
        write_lesson(folder, "styles.yaml", text)
        said("render", BASE, "--theme", folder, "-o", "t.pdf", code=1)
    Path("logo").mkdir()
    (Path("logo") / "logo.png").write_text("pas une image")
    said("render", BASE, "--theme", "logo", "-o", "t.pdf", code=1)
    write_lesson(tmp_path, "roster.csv", ROSTER)
    said("check", "roster.csv", code=1)
    said("batch", "roster.csv", "--out", "lot", "--docs", "worksheet,certificate", "--workers", "1",
         code=1)
    Path("mien.pdf").write_bytes(b"%PDF-1.4 mes notes")
    for argv in (["render", "cyberharcelement-temoin"], ["render", "lessons/premier-telephon.yaml"],
                 ["render", BASE, "--doc", "certificate"], ["render", BASE, "-o", "mien.pdf"],
                 ["render", "mon-cours"], ["new", "Mon Cours", "--level", "college"],
                 ["new", "x", "--from", "../x"], ["preview", BASE, "--page", "99"],
                 ["check", "nulle-part"], ["render", BASE, "--theme", "nulle-part"],
                 ["batch", "nulle-part.csv"]):
        said(*argv)
    write_lesson(tmp_path, "deja.yaml", "mes notes\n")
    said("new", "deja", "--level", "college", code=1)
    write_lesson(tmp_path, "mon-cours.yaml", "id: mon-cours\n")
    said("render", "mon-cours", code=1)
    for argv in (["render"], ["render", BASE, "--doc", "fiche"], ["render", BASE, "--variant", "gros"],
                 ["renderr"], ["render", BASE, "--pagee"], ["preview", BASE, "--page", "zéro"],
                 ["new", "x", "--level", "CM2"], ["new", "x"], ["render", BASE, "en-trop"]):
        said(*argv, code=2)
    assert len(said.lines) > 100
    assert english_lines("\n".join(said.lines)) == [], "\n".join(said.lines)


def test_the_english_detector_detects_english():
    assert english_lines("a.yaml:3:5: minutes: expected a positive whole number, got \"dix\"")
    assert english_lines("x.yaml:2: unknown key; did you mean 'phone'?")
    assert not english_lines("a.yaml:3:5: minutes: il faut un nombre entier positif, écrit en "
                             "chiffres, et non « dix »")
