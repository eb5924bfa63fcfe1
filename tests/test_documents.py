"""The worksheet and the guide, read back as a teacher would read them."""
from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest

from kit.api import build
from kit.cli import main
from kit.context import Session
from kit.lessons import load_lesson
from kit.render import render_document

from .conftest import A4, assert_clean_pdf, embedded_fonts, needs_poppler, page_texts, reader

LESSON = "cyberharcelement-temoin-actif"


@pytest.fixture(scope="module")
def pdfs(library):
    lesson = library.get(LESSON)
    return {doc: render_document(lesson, doc) for doc in ("worksheet", "guide")}


@pytest.mark.parametrize("doc", ["worksheet", "guide"])
def test_every_page_carries_the_helpline_and_the_pdf_is_clean(pdfs, doc):
    texts = assert_clean_pdf(pdfs[doc])
    assert len(texts) == pdfs[doc].pages >= 2


@pytest.mark.parametrize("doc,label", [("worksheet", "Fiche élève"), ("guide", "Guide de l’animateur")])
def test_title_label_and_filled_placeholders(pdfs, doc, label):
    texts = page_texts(pdfs[doc])
    assert texts[0].startswith("Cyberharcèlement : ne reste pas spectateur")
    assert label in texts[0]


def test_answers_are_in_the_guide_and_never_on_the_worksheet(pdfs):
    worksheet, guide = " ".join(page_texts(pdfs["worksheet"])), " ".join(page_texts(pdfs["guide"]))
    explanation = "des messages de plusieurs personnes qui se suivent"
    assert "Réponse attendue" in guide and explanation in guide
    assert "Réponse attendue" not in worksheet and explanation not in worksheet
    assert "Le groupe de classe" in worksheet and "Ne pas réagir à la moquerie" in guide
    assert "Ne pas réagir à la moquerie" not in worksheet


def test_guide_has_the_timed_plan_the_disclosure_protocol_and_sources(pdfs):
    guide = " ".join(page_texts(pdfs["guide"]))
    for expected in ("0:00 – 0:03", "0:35 – 0:53", "0:53 – 0:55", "Si un élève se confie pendant la séance",
                     "Ne pas promettre le secret", "119", "Sources", "consulté le dimanche 1er novembre 2026"):
        assert expected in guide


def test_worksheet_has_the_full_helpline_block(pdfs):
    worksheet = " ".join(page_texts(pdfs["worksheet"]))
    for expected in ("de 9 h à 23 h", "7 jours sur 7", "Tchat", "Application « 3018 »", "www.3018.fr"):
        assert expected in worksheet


@pytest.mark.parametrize("doc", ["worksheet", "guide"])
def test_print_quality_a4_fonts_metadata(pdfs, doc):
    pdf = reader(pdfs[doc])
    box = pdf.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    fonts = embedded_fonts(pdfs[doc])
    assert fonts and all(fonts.values()), fonts
    assert not any("Helvetica" in f for f in fonts)
    meta = pdf.metadata
    assert "Cyberharcèlement" in meta.title and meta.author and LESSON in meta.subject
    assert pdf.trailer["/Root"]["/Lang"] == "fr-FR"


def test_identical_input_gives_identical_bytes(library, pdfs):
    again = render_document(library.get(LESSON), "worksheet")
    assert again.data == pdfs["worksheet"].data


def test_session_details_are_printed(library):
    session = Session(school="Collège Jean Moulin", class_name="5e B", date=dt.date(2027, 11, 9))
    text = " ".join(page_texts(render_document(library.get(LESSON), "worksheet", session=session)))
    assert "Classe : 5e B" in text and "Établissement : Collège Jean Moulin" in text
    assert "mardi 9 novembre 2027" in text


def test_long_words_and_paragraphs_flow_and_never_crash(lesson_copy):
    word = "anticonstitutionnellement" * 20
    paragraph = " ".join(["Une phrase assez longue pour remplir la page."] * 400)
    path = lesson_copy([("      Présentez-vous et annoncez le thème.",
                         f"      {word} {paragraph}")])
    lesson, _ = load_lesson(path)
    pdf = render_document(lesson, "guide")
    texts = page_texts(pdf)
    assert len(texts) > 5
    assert all("3018" in t for t in texts)
    assert "anticonstitutionnellementanticonstitution" in "".join(t.replace(" ", "") for t in texts)


def test_image_tag_in_a_lesson_prints_as_text_and_reads_no_file(lesson_copy):
    path = lesson_copy([('title: "Cyberharcèlement : ne reste pas spectateur"',
                         'title: "Voir <img src=\'/etc/passwd\'/> & <font size=80>x</font>"')])
    lesson, _ = load_lesson(path)
    text = page_texts(render_document(lesson, "worksheet"))[0]
    assert "<img src=’/etc/passwd’/>" in text and "<font size=80>" in text
    assert "root:" not in text


@needs_poppler
def test_pdffonts_finds_every_font_embedded(tmp_path, pdfs):
    for doc, pdf in pdfs.items():
        path = tmp_path / f"{doc}.pdf"
        path.write_bytes(pdf.data)
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        assert all(line.split()[-5] == "yes" for line in rows.splitlines()[2:]), rows


def test_render_command_writes_the_pdf(tmp_path, capsys):
    out = tmp_path / "fiche.pdf"
    assert main(["render", LESSON, "--doc", "worksheet", "-o", str(out)]) == 0
    assert "Fiche élève" in page_texts(out)[0]


def test_render_bad_lesson_leaves_no_file(tmp_path, lesson_copy, capsys):
    path = lesson_copy([("    minutes: 10\n", "    minutes: dix\n")])
    out = tmp_path / "out.pdf"
    assert main(["render", str(path), "--doc", "guide", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "activities[2].minutes" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_render_replaces_its_own_earlier_output(tmp_path, capsys):
    out = tmp_path / "guide.pdf"
    assert main(["render", LESSON, "--doc", "guide", "-o", str(out)]) == 0
    out.write_bytes(out.read_bytes().replace(b"Cyberharc", b"Xyberharc"))  # an older version
    assert main(["render", LESSON, "--doc", "guide", "-o", str(out)]) == 0
    assert "Cyberharcèlement" in page_texts(out)[0]


def test_render_unknown_lesson_suggests_a_close_id(capsys):
    assert main(["render", "cyberharcelement-temoin", "--doc", "guide"]) == 1
    assert ("erreur : pas de séance « cyberharcelement-temoin » ; vouliez-vous dire "
            "« cyberharcelement-temoin-actif » ?") in capsys.readouterr().err


def test_render_never_overwrites_someone_elses_pdf(tmp_path, capsys):
    mine = tmp_path / "mon-travail.pdf"
    mine.write_bytes(b"%PDF-1.4 my own notes")
    assert main(["render", LESSON, "-o", str(mine)]) == 1
    assert "mon-travail.pdf existe déjà et n'a pas été fait par le kit" in capsys.readouterr().err
    assert mine.read_bytes() == b"%PDF-1.4 my own notes"


def test_unknown_placeholder_fails_the_render_with_file_and_field(tmp_path, lesson_copy, capsys):
    path = lesson_copy([("{{ helpline.operator }}", "{{ helpline.operateur }}")])
    out = tmp_path / "x.pdf"
    assert main(["render", str(path), "--doc", "guide", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "activities[2].student.questions[4].explanation" in err and "operateur" in err
    assert not out.exists()


@pytest.mark.slow
def test_build_writes_every_offered_document_and_an_index(tmp_path):
    built = build(tmp_path, documents=("worksheet", "guide"), editions=["standard"])
    names = {b.path for b in built}
    assert f"{LESSON}/{LESSON}-fiche-eleve.pdf" in names
    assert f"{LESSON}/{LESSON}-guide-animateur.pdf" in names
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    listed = {d["path"] for lesson in index["lessons"] for d in lesson["documents"]}
    assert listed == names
    for item in built:
        assert all("3018" in t for t in page_texts(tmp_path / item.path))


def test_a_broken_lesson_file_does_not_block_rendering_another(tmp_path, lesson_copy, capsys):
    broken = tmp_path / "mes-lecons"
    broken.mkdir()
    (broken / "brouillon.yaml").write_text("id: brouillon\ntitle: [pas fini\n", encoding="utf-8")
    out = tmp_path / "fiche.pdf"
    assert main(["render", LESSON, "--lessons", str(broken), "-o", str(out)]) == 0
    assert "1 autre(s) fichier(s) de séance illisible(s)" in capsys.readouterr().err
    assert "Fiche élève" in page_texts(out)[0]
    assert main(["render", "brouillon", "--lessons", str(broken), "-o", str(tmp_path / "b.pdf")]) == 1
    err = capsys.readouterr().err
    assert "brouillon.yaml:3" in err and "le crochet ou l'accolade ouvert ligne 2 n'est jamais fermé" in err
    assert not (tmp_path / "b.pdf").exists()
    assert main(["build", "--lessons", str(broken), "--out", str(tmp_path / "dist")]) == 1


def test_build_never_replaces_a_pdf_the_kit_did_not_make(tmp_path, capsys):
    mine = tmp_path / LESSON / f"{LESSON}-fiche-eleve.pdf"
    mine.parent.mkdir()
    mine.write_bytes(b"%PDF-1.4 my annotated copy")
    assert main(["build", "--out", str(tmp_path), "--doc", "worksheet", "--variant", "standard",
                 "--workers", "1"]) == 1
    assert f"{LESSON}-fiche-eleve.pdf existe déjà et n'a pas été fait par le kit" in capsys.readouterr().err
    assert mine.read_bytes() == b"%PDF-1.4 my annotated copy"


def test_an_activity_whose_student_part_is_only_an_intro_prints_its_heading(lesson_copy):
    path = lesson_copy([("""      intro: Coche la réponse qui te semble juste.
      questions:""", """      intro: Écoute bien les consignes de l'animateur.
    ignored_questions:""")])
    text = path.read_text(encoding="utf-8")
    start = text.index("    ignored_questions:")
    end = text.index("  - id: scenarios")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    lesson, _ = load_lesson(path)
    page = page_texts(render_document(lesson, "worksheet"))[0]
    assert "1. Vrai ou faux ?" in page and "Écoute bien les consignes de l’animateur." in page
