"""Editable copies (.docx, .pptx): read back as a teacher's software reads them.

python-docx and python-pptx open each file and the tests look for what a teacher must
find: every question and scenario, the 3018 in every footer and on every slide, the
guide's notes under the slides, the metadata, real headings, lists and tables. The
LibreOffice tests convert the files to PDF, as a teacher printing them would, and read
the pages' text.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pptx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from kit.cli import main
from kit.docmodel import EDITABLE
from kit.docmodel.writer import make_writer
from kit.archives import ZIP_DATE
from kit.formats import made_by_kit, render_editable
from kit.helpline import load_helpline

from .conftest import page_texts

LESSONS = ("cyberharcelement-temoin-actif", "parents-reperer-et-dialoguer")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice not installed (libreoffice-writer-nogui)")


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph of the body in reading order, those in boxes and tables included."""
    document = docx.Document(io.BytesIO(data))
    return [flat("".join(t.text or "" for t in p.iter(qn("w:t"))))
            for p in document.element.body.iter(qn("w:p"))]


def deck(data: bytes) -> pptx.Presentation:
    return pptx.Presentation(io.BytesIO(data))


def slide_text(slide) -> str:
    """The slide's text boxes from top to bottom, as the class reads them."""
    boxes = sorted((s for s in slide.shapes if s.has_text_frame), key=lambda s: (s.top, s.left))
    return flat(" ".join(shape.text_frame.text for shape in boxes))


def notes_text(slide) -> str:
    return flat(slide.notes_slide.notes_text_frame.text) if slide.has_notes_slide else ""


@pytest.fixture(scope="module")
def made(library):
    """Every editable copy of the test lessons: {(lesson id, document): bytes}."""
    return {(lesson_id, document): render_editable(library.get(lesson_id), document, fmt)
            for lesson_id in LESSONS for document, fmt in EDITABLE.items()
            if document in library.get(lesson_id).offered_documents}


def expected(library, lesson_id):
    lesson = library.get(lesson_id)
    return lesson, make_writer(lesson)


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_the_worksheet_has_every_question_choice_and_scenario(library, made, lesson_id):
    lesson, w = expected(library, lesson_id)
    text = "\n".join(docx_paragraphs(made[lesson_id, "worksheet"]))
    students = [a.student for a in lesson.activities if a.student]
    for question in [q for s in students for q in s.questions]:
        assert flat(w.plain(question.prompt)) in text
        for choice in question.choices:
            assert f"☐ {flat(w.plain(choice))}" in text
        assert flat(w.plain(question.answer)) not in text or question.answer in question.choices
    for scenario in lesson.scenarios:
        assert flat(w.plain(scenario.title)) in text and flat(w.plain(scenario.question)) in text


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_quiz_cards_and_guide_carry_their_part_of_the_lesson(library, made, lesson_id):
    lesson, w = expected(library, lesson_id)
    if (lesson_id, "quiz") in made:
        quiz = "\n".join(docx_paragraphs(made[lesson_id, "quiz"]))
        for question in lesson.quiz:
            assert flat(w.plain(question.prompt)) in quiz
    if (lesson_id, "scenario-cards") in made:
        cards = "\n".join(docx_paragraphs(made[lesson_id, "scenario-cards"]))
        for scenario in lesson.scenarios:
            assert flat(w.plain(scenario.text)) in cards
            assert not scenario.discussion or flat(w.plain(scenario.discussion)) not in cards
    guide = "\n".join(docx_paragraphs(made[lesson_id, "guide"]))
    for question in [q for a in lesson.activities if a.student for q in a.student.questions]:
        assert f"Réponse attendue : {flat(w.plain(question.answer))}" in guide


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_word_document_has_the_3018_in_its_footer_metadata_and_real_structure(
        library, made, lesson_id):
    helpline, lesson = load_helpline(), library.get(lesson_id)
    for (lid, document), data in made.items():
        if lid != lesson_id or EDITABLE[document] != "docx":
            continue
        word = docx.Document(io.BytesIO(data))
        section = word.sections[0]
        footer = flat(" ".join(p.text for p in section.footer.paragraphs))
        assert helpline.phone in footer and helpline.promises_text in footer, (document, footer)
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert min(section.left_margin.mm, section.right_margin.mm, section.top_margin.mm,
                   section.bottom_margin.mm) >= 15
        props = word.core_properties
        assert props.language == "fr-FR" and props.author and flat(w_title(library, lesson_id)) in flat(props.title)
        assert props.created.year == props.modified.year == 2026 and made_by_kit(data)
        styles = {Paragraph(p, word.part).style.name for p in word.element.body.iter(qn("w:p"))}
        assert "Title" in styles and ({"Heading 1", "Heading 2"} & styles), (document, styles)
    guide = docx.Document(io.BytesIO(made[lesson_id, "guide"]))
    assert any(p.style.name.startswith("List ") for p in guide.paragraphs)
    plan = guide.tables[0]
    assert [c.text for c in plan.rows[0].cells] == ["Horaire", "Activité", "Durée"]
    assert len(plan.rows) > len(lesson.activities)


def w_title(library, lesson_id) -> str:
    return make_writer(library.get(lesson_id)).plain(library.get(lesson_id).title)


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_the_deck_has_every_question_and_scenario_the_3018_everywhere_and_notes(
        library, made, lesson_id):
    lesson, w = expected(library, lesson_id)
    helpline = load_helpline()
    slides = deck(made[lesson_id, "slides"])
    assert (slides.slide_width, slides.slide_height) == (12192000, 6858000)  # 16:9
    texts = [slide_text(s) for s in slides.slides]
    for number, text in enumerate(texts, 1):
        assert f"{helpline.phone}" in text and helpline.promises_text in text, (number, text)
    whole = "\n".join(texts)
    for question in [q for a in lesson.activities if a.student for q in a.student.questions]:
        assert flat(w.plain(question.prompt)) in whole
    for scenario in lesson.scenarios:
        assert flat(w.plain(scenario.text)) in whole
    for slide, text in zip(slides.slides, texts):
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text
        if text.startswith("Activité"):
            assert notes_text(slide), f"no speaker notes on: {text[:80]}"
    question_notes = [notes_text(s) for s, t in zip(slides.slides, texts) if "Question 1 sur" in t]
    assert question_notes and all("Réponse attendue" in n for n in question_notes)
    closing = slides.slides[-1]
    assert texts[-1].startswith("Besoin d’aide") and helpline.phone in texts[-1]
    assert any(shape.shape_type == 13 for shape in closing.shapes)  # the QR code's picture
    props = slides.core_properties
    assert props.language == "fr-FR" and flat(w.plain(lesson.title)) in flat(props.title)


def check_copies(library, lesson_id, copies: dict) -> None:
    """What every lesson's copies must hold: each question and scenario where the class
    sees it, the 3018 on every slide and in every footer, notes under activity slides."""
    lesson, w = expected(library, lesson_id)
    phone = load_helpline().phone
    questions = [flat(w.plain(q.prompt)) for a in lesson.activities if a.student
                 for q in a.student.questions]
    scenarios = [flat(w.plain(s.text)) for s in lesson.scenarios]
    if "slides" in copies:
        slides = deck(copies["slides"])
        texts = [slide_text(s) for s in slides.slides]
        assert all(phone in t for t in texts), lesson_id
        assert all(q in " ".join(texts) for q in [*questions, *scenarios]), lesson_id
        assert all(notes_text(s) for s, t in zip(slides.slides, texts) if t.startswith("Activité"))
    sheet = " ".join(docx_paragraphs(copies["worksheet"]))
    assert all(q in sheet for q in [*questions, *scenarios]), lesson_id
    for document, data in copies.items():
        if document != "slides":
            footer = docx.Document(io.BytesIO(data)).sections[0].footer.paragraphs[0].text
            assert phone in footer, (lesson_id, document)


@pytest.mark.slow
def test_every_bundled_lesson_has_its_copies(library):
    for lesson in library.sorted():
        # the deck and the worksheet: every other copy has the same footer and text path
        check_copies(library, lesson.id, {d: render_editable(lesson, d, EDITABLE[d])
                                          for d in ("slides", "worksheet")
                                          if d in lesson.offered_documents})


def test_same_lesson_same_bytes_with_fixed_dates(library):
    lesson = library.get(LESSONS[0])
    for document in ("worksheet", "slides"):
        first = render_editable(lesson, document, EDITABLE[document])
        assert render_editable(lesson, document, EDITABLE[document]) == first
        assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {ZIP_DATE}


def test_the_editions_name_their_fonts_and_sizes(library):
    lesson = library.get(LESSONS[0])
    for edition, font, size in (("standard", "Source Sans Pro", 10.5),
                                ("dys", "Atkinson Hyperlegible", 14),
                                ("large-print", "Source Sans Pro", 18)):
        word = docx.Document(io.BytesIO(render_editable(lesson, "worksheet", "docx", edition=edition)))
        normal = word.styles["Normal"]
        assert (normal.font.name, normal.font.size.pt) == (font, size)
        assert word.styles["Heading 1"].font.name == font
        slides = deck(render_editable(lesson, "slides", "pptx", edition=edition))
        faces = {r.font.name for s in slides.slides for shape in s.shapes if shape.has_text_frame
                 for p in shape.text_frame.paragraphs for r in p.runs}
        assert faces == {font}


def test_kit_render_writes_the_editable_copy_and_refuses_a_format_a_document_lacks(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["render", LESSONS[0], "--doc", "diaporama", "--format", "pptx"]) == 0
    assert deck((tmp_path / f"{LESSONS[0]}-diaporama.pptx").read_bytes()).slides
    assert main(["render", LESSONS[0], "--doc", "guide", "--format", "docx", "-o", "monguide",
                 "--variant", "dys"]) == 0
    assert docx.Document(str(tmp_path / "monguide.docx")).styles["Normal"].font.name == \
        "Atkinson Hyperlegible"
    capsys.readouterr()
    assert main(["render", LESSONS[0], "--doc", "affiche", "--format", "docx"]) == 1
    message = capsys.readouterr().err
    assert "« Affiche 3018 » n'existe pas en docx" in message and "diaporama en pptx" in message
    assert not list(tmp_path.glob("*affiche*"))


def test_never_replaces_a_document_the_kit_did_not_make_or_that_a_teacher_saved(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / f"{LESSONS[0]}-fiche-eleve.docx"
    assert main(["render", LESSONS[0], "--format", "docx"]) == 0
    assert main(["render", LESSONS[0], "--format", "docx"]) == 0  # its own file: replaced
    saved = io.BytesIO()  # the teacher's copy, saved again: one part changed
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as source, \
            zipfile.ZipFile(saved, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, data.replace(b"Vrai", b"Oui") if info.filename == "word/document.xml"
                          else data)
    target.write_bytes(saved.getvalue())
    capsys.readouterr()
    assert main(["render", LESSONS[0], "--format", "docx"]) == 1
    assert "n'a pas été fait par le kit" in capsys.readouterr().err
    assert target.read_bytes() == saved.getvalue()
    assert main(["render", LESSONS[0], "--format", "docx", "--force"]) == 0


def soffice(files: list[Path], out: Path) -> None:
    """Convert several files in one LibreOffice run (its start-up is most of the time)."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=240)


@pytest.mark.slow
@needs_soffice
def test_libreoffice_opens_every_copy_and_a_teacher_can_change_a_question(library, tmp_path):
    lesson_id = LESSONS[0]
    lesson, w = expected(library, lesson_id)
    helpline = load_helpline()
    files = []
    for document, fmt in EDITABLE.items():
        if document in lesson.offered_documents:
            files.append(tmp_path / f"{document}.{fmt}")
            files[-1].write_bytes(render_editable(lesson, document, fmt))
    question = lesson.activities[1].student.questions[0]
    edited = docx.Document(io.BytesIO(render_editable(lesson, "worksheet", "docx")))
    prompt = next(p for p in edited.paragraphs if flat(w.plain(question.prompt)) in flat(p.text))
    for run in prompt.runs[1:]:
        run.text = ""
    prompt.runs[1].text = "Ma question à moi : qui prévenir en premier ?"
    edited.save(tmp_path / "edited.docx")
    soffice([*files, tmp_path / "edited.docx"], tmp_path)
    for file in files:
        texts = page_texts(file.with_suffix(".pdf").read_bytes())
        assert texts, file.name
        for number, text in enumerate(texts, 1):
            assert helpline.phone in text, (file.name, number, text[:200])
    slides = page_texts((tmp_path / "slides.pdf").read_bytes())
    assert len(slides) == len(deck(files[[f.stem for f in files].index("slides")].read_bytes()).slides)
    assert flat(w.plain(question.prompt)) in " ".join(slides)
    changed = " ".join(page_texts((tmp_path / "edited.pdf").read_bytes()))
    assert "Ma question à moi : qui prévenir en premier ?" in changed
    assert flat(w.plain(question.prompt)) not in changed



@pytest.mark.slow
@needs_soffice
def test_libreoffice_converts_every_copy_of_every_bundled_lesson(library, tmp_path):
    """The issue's « done when »: every lesson's deck and documents open in LibreOffice
    (one run for all, its start-up is most of the time) and read as the lesson."""
    helpline = load_helpline()
    files = {}
    for lesson_id in sorted(library.lessons):
        lesson = library.get(lesson_id)
        for document, fmt in EDITABLE.items():
            if document in lesson.offered_documents:
                file = tmp_path / f"{lesson_id}--{document}.{fmt}"
                file.write_bytes(render_editable(lesson, document, fmt))
                files[file] = lesson
    soffice(list(files), tmp_path)
    for file, lesson in files.items():
        texts = page_texts(file.with_suffix(".pdf").read_bytes())
        assert texts, file.name
        for number, text in enumerate(texts, 1):
            assert helpline.phone in text, (file.name, number)
        title = flat(make_writer(lesson).plain(lesson.title)).replace("’", "'")
        assert title in flat(" ".join(texts)).replace("’", "'"), file.name

def test_listing_lessons_loads_no_office_library():
    from .test_startup import loaded
    code, modules = loaded("list")
    assert code == 0 and not modules & {"pptx", "docx", "PIL", "lxml"}


def test_build_writes_the_copies_beside_the_pdfs_links_them_and_remakes_nothing_unchanged(
        tmp_path, capsys):
    out = tmp_path / "dist"
    pdf_only = ["build", LESSONS[0], "--out", str(out), "--variant", "standard", "--variant", "dys",
                "--workers", "1"]
    args = pdf_only + ["--format", "pdf,pptx,docx"]
    assert main(args) == 0
    folder = out / LESSONS[0]
    copies = sorted(p.name for p in folder.iterdir() if p.suffix in (".docx", ".pptx"))
    assert f"{LESSONS[0]}-diaporama.pptx" in copies and f"{LESSONS[0]}-diaporama-dys.pptx" in copies
    assert f"{LESSONS[0]}-fiche-eleve-dys.docx" in copies and not any("affiche" in c for c in copies)
    assert all((folder / c.rsplit(".", 1)[0]).with_suffix(".pdf").exists() for c in copies)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{LESSONS[0]}/{LESSONS[0]}-diaporama.pptx">PowerPoint' in index
    assert f'href="{LESSONS[0]}/{LESSONS[0]}-fiche-eleve-dys.docx">Word dys' in index
    before = {p: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}
    assert main(args) == 0  # nothing changed: nothing written again
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()} == before
    assert main(pdf_only) == 0  # PDF only: the copies still up to date stay
    assert sorted(p.name for p in folder.iterdir() if p.suffix in (".docx", ".pptx")) == copies
    mine = folder / f"{LESSONS[0]}-quiz.docx"
    mine.write_bytes(b"PK mon quiz a moi")
    capsys.readouterr()
    assert main(args + ["--force"]) == 1  # a file of the teacher's at a name the build uses
    assert "n'a pas été fait par le kit" in capsys.readouterr().err
    assert mine.read_bytes() == b"PK mon quiz a moi"


def test_pack_adds_the_copies_to_change_to_its_zip_filled_in_for_the_class(tmp_path, capsys):
    out = tmp_path / "seance.zip"
    assert main(["pack", LESSONS[0], "--pupils", "3", "--dys", "1", "--class", "5e B",
                 "--school", "Collège Les Genêts", "--editable", "--out", str(out)]) == 0
    names = zipfile.ZipFile(out).namelist()
    assert any(n.endswith(f"{LESSONS[0]}-fiche-eleve-dys.docx") for n in names)
    assert any(n.endswith(f"{LESSONS[0]}-diaporama.pptx") for n in names)
    sheet = next(n for n in names if n.endswith("-fiche-eleve.docx"))
    text = "\n".join(docx_paragraphs(zipfile.ZipFile(out).read(sheet)))
    assert "Classe : 5e B" in text and "Collège Les Genêts" in text
    assert "Copies à modifier (Word, PowerPoint) : 10" in capsys.readouterr().err
    assert main(["pack", LESSONS[0], "--pupils", "3", "--editable"]) == 2  # a PDF holds no .docx
    assert "--editable met les copies à modifier dans un zip" in capsys.readouterr().err


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_the_deck_has_the_pdf_decks_slides_in_its_order(library, made, lesson_id):
    """Each slide of the PDF deck (its caption and title), once, in the same order; a
    « (suite) » slide of either is the same slide going on."""
    from kit.render import render_document
    lesson, w = expected(library, lesson_id)
    titles = {flat(w.plain(a.title)) for a in lesson.activities} | {"À retenir", "Besoin d’aide ?"}

    caption = re.compile(r"^Activité \d+ sur \d+(?: · (?:Question|Situation) \d+ sur \d+)?"
                         r"(?: · Réponse)?")

    def heads(texts):
        found = []
        for text in texts:
            if "(suite)" in text[:250]:
                continue
            title = next((t for t in sorted(titles, key=len, reverse=True) if t in text[:250]), "")
            found.append((getattr(caption.match(text), "group", lambda: "")(), title))
        return found

    pdf = heads(page_texts(render_document(lesson, "slides")))
    ours = heads([slide_text(slide) for slide in deck(made[lesson_id, "slides"]).slides])
    assert ours == pdf and len(ours) > len(lesson.activities)


def test_a_themes_colours_reach_the_copies(tmp_path, library):
    from .test_theme import make_theme
    theme = make_theme(tmp_path / "theme", "colors:\n  accent: '#006400'\n", logo=False)
    lesson = library.get(LESSONS[0])
    word = docx.Document(io.BytesIO(render_editable(lesson, "guide", "docx", theme=theme)))
    assert str(word.styles["Heading 1"].font.color.rgb) == "006400"
    plain = docx.Document(io.BytesIO(render_editable(lesson, "guide", "docx")))
    assert str(plain.styles["Heading 1"].font.color.rgb) == "1B3F73"
    title = deck(render_editable(lesson, "slides", "pptx", theme=theme)).slides[1].shapes.title
    assert str(title.text_frame.paragraphs[0].runs[0].font.color.rgb) == "006400"
