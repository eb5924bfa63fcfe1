"""`kit pack` and the session options of `kit render`: the print file read back."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from kit import api
from kit.cli import main
from kit.order import PackOrder
from tests.conftest import needs_qpdf, page_texts, reader

LESSON = "cyberharcelement-temoin-actif"
SESSION = {"school": "Collège Les Genêts", "class": "5e B", "date": "09/11/2027",
           "facilitator": "Mme Faÿ"}


def copies(texts: list[str], label: str) -> int:
    """Copies of a document: pages whose footer names it and says « page 1 / N »."""
    pattern = re.compile(rf"{re.escape(label)}(, [^–]+)? – .* page 1 / \d+$")
    return sum(bool(pattern.search(text)) for text in texts)


@pytest.fixture(scope="module")
def class_pack():
    order = PackOrder(lesson=LESSON, session=SESSION, pupils=28, groups=6, editions={"dys": 2})
    return api.pack(LESSON, order)


def test_a_class_pack_has_a_worksheet_and_a_letter_per_pupil_and_one_guide(class_pack):
    texts = page_texts(class_pack.pdf)
    assert copies(texts, "Fiche élève") == 28
    assert copies(texts, "Lettre aux familles") == 28
    assert copies(texts, "Guide de l’animateur") + copies(texts, "Guide de l'animateur") == 1
    assert copies(texts, "Cartes scénarios") == 6
    assert sum("édition dys" in t and "Fiche élève, édition dys" in t and "page 1 /" in t
               for t in texts) == 2
    assert all("3018" in text for text in texts)
    assert not any("Diaporama" in text for text in texts)  # projected, not printed


def test_every_document_starts_on_a_right_hand_page(class_pack):
    texts = page_texts(class_pack.pdf)
    firsts = [n for n, t in enumerate(texts, start=1) if re.search(r"page 1 / \d+$", t)]
    assert firsts and all(n % 2 == 1 for n in firsts)
    blanks = [t for t in texts if "Page laissée blanche" in t]
    assert blanks and all("3018" in t for t in blanks)
    assert len(texts) == class_pack.total_pages


def test_the_school_and_class_are_printed_and_the_summary_counts_sheets(class_pack):
    text = " ".join(page_texts(class_pack.pdf))
    assert "Collège Les Genêts" in text and "5e B" in text
    summary = "\n".join(class_pack.summary())
    assert "Fiche élève : 26 exemplaire(s) de 3 page(s), 52 feuille(s)" in summary
    assert "Fiche élève, édition dys : 2 exemplaire(s)" in summary
    assert f"Total : {class_pack.total_sheets} feuille(s)" in summary
    meta = reader(class_pack.pdf).metadata
    assert "Collège Les Genêts, 5e B" in meta.title


def test_the_zip_holds_each_document_once_and_the_summary(class_pack):
    archive = zipfile.ZipFile(io.BytesIO(class_pack.zip()))
    names = archive.namelist()
    assert "01-cyberharcelement-temoin-actif-guide-animateur.pdf" in names
    assert any(n.endswith("-fiche-eleve-dys.pdf") for n in names)
    assert any(n.endswith("-diaporama.pdf") for n in names)
    assert "Total" in archive.read("recapitulatif-impression.txt").decode("utf-8")
    worksheet = next(n for n in names if n.endswith("-fiche-eleve.pdf"))
    assert "5e B" in " ".join(page_texts(archive.read(worksheet)))


@needs_qpdf
def test_the_print_file_passes_qpdf(class_pack, tmp_path):
    import subprocess
    path = tmp_path / "pack.pdf"
    path.write_bytes(class_pack.pdf)
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def test_kit_pack_writes_the_same_bytes_as_the_library(class_pack, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["pack", LESSON, "--school", "Collège Les Genêts", "--class", "5e B",
                 "--date", "2027-11-09", "--facilitator", "Mme Faÿ", "--pupils", "28",
                 "--groups", "6", "--dys", "2"])
    assert code == 0
    assert (tmp_path / "seance-cyberharcelement-temoin-actif-5e-b.pdf").read_bytes() == class_pack.pdf
    assert main(["pack", LESSON, "--pupils", "28", "--groups", "6", "--dys", "2", "--school",
                 "Collège Les Genêts", "--class", "5e B", "--date", "09/11/2027",
                 "--facilitator", "Mme Faÿ", "--out", "x.zip"]) == 0
    assert (tmp_path / "x.zip").read_bytes() == class_pack.zip()


def test_a_bad_date_or_too_many_adapted_copies_is_one_line_naming_the_option(tmp_path, monkeypatch,
                                                                             capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["pack", LESSON, "--pupils", "3", "--date", "31/02/2027"]) == 2
    assert "date : la date « 31/02/2027 » n'existe pas" in capsys.readouterr().err
    assert main(["pack", LESSON, "--pupils", "3", "--dys", "4"]) == 2
    assert "éditions : il y a plus d'élèves en éditions adaptées (4) que d'élèves (3)" in \
        capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_kit_render_personalises_one_family_letter_without_a_roster(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "premier-telephone", "--doc", "lettre-familles", "--school",
                 "École Jaurès", "--class", "CM2", "--date", "12/01/2027", "-o", "lettre"]) == 0
    text = " ".join(page_texts(tmp_path / "lettre.pdf"))
    assert "École Jaurès" in text and "CM2" in text and "12 janvier 2027" in text


def test_every_document_a_lesson_offers_is_in_its_pack(library):
    from kit.pack import plan
    for lesson in library.lessons.values():
        order = PackOrder(lesson=lesson.id, pupils=3)
        assert {d for d, _, _ in plan(lesson, order)} == set(lesson.offered_documents), lesson.id


def test_kit_pack_never_replaces_a_zip_or_a_file_it_did_not_make(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "travail.zip"
    mine.write_bytes(b"mes notes, pas un zip du kit")
    arguments = ["pack", LESSON, "--pupils", "2", "--out", "travail.zip"]
    assert main(arguments) == 1
    assert "travail.zip existe déjà et n'a pas été fait par le kit" in capsys.readouterr().err
    assert mine.read_bytes() == b"mes notes, pas un zip du kit"
    mine.unlink()
    assert main(arguments) == 0 and main(arguments) == 0  # the kit's own zip is replaced
    assert zipfile.ZipFile(mine).comment == b"kit3018"
    assert main([*arguments[:-1], "autre.zip", "--force"]) == 0
