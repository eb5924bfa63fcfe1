"""The dys and large-print editions, measured from the PDFs themselves with pdfplumber:
type sizes, text inside the page, no italics, no justification, no hyphenation."""
from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from kit.catalogue import build
from kit.documents import DOCUMENT_TYPES
from kit.lessons import Library, load_lesson
from kit.render import file_name, render_document

from .conftest import ROOT, reader

REFERENCE = "cyberharcelement-temoin-actif"
CYCLE3 = "citoyen-numerique-temoin-actif"  # offers the certificate
BODY = {"standard": 10.5, "dys": 14.0, "large-print": 18.0}
TOLERANCE = 0.05


@functools.cache
def lesson(lesson_id: str):
    return load_lesson(ROOT / "lessons" / f"{lesson_id}.yaml")[0]


def cases():
    """(lesson id, document) for every document type the reference lesson offers, and the
    certificate from a cycle 3 lesson."""
    found = [(REFERENCE, d) for d in lesson(REFERENCE).offered_documents if d in DOCUMENT_TYPES]
    if "certificate" in DOCUMENT_TYPES and (ROOT / "lessons" / f"{CYCLE3}.yaml").exists():
        found.append((CYCLE3, "certificate"))
    return found


@functools.cache
def measured(lesson_id: str, document: str, edition: str) -> dict:
    """What a reader sees on each page: characters with size and box, and the footer rule."""
    pdf = render_document(lesson(lesson_id), document, edition=edition)
    pages = []
    with pdfplumber.open(io.BytesIO(pdf.data)) as opened:
        for page in opened.pages:
            wide = [line for line in page.lines if line["x1"] - line["x0"] > page.width * 0.6]
            footer_top = max(line["top"] for line in wide)  # the rule above the 3018 footer
            chars = [c for c in page.chars if c["text"].strip()]
            pages.append({"width": page.width, "height": page.height, "footer_top": footer_top,
                          "chars": chars, "lines": text_lines(page)})
    return {"pdf": pdf, "pages": pages}


def text_lines(page) -> list[str]:
    return [line for line in (page.extract_text() or "").splitlines() if line.strip()]


def content_chars(page: dict) -> list[dict]:
    return [c for c in page["chars"] if c["bottom"] <= page["footer_top"]]


@pytest.mark.parametrize("edition", ["dys", "large-print"])
@pytest.mark.parametrize("lesson_id,document", cases())
def test_no_text_is_smaller_than_the_editions_body(lesson_id, document, edition):
    body = BODY[edition]
    for number, page in enumerate(measured(lesson_id, document, edition)["pages"], 1):
        small = [(c["text"], round(c["size"], 1)) for c in content_chars(page)
                 if c["size"] < body - TOLERANCE]
        assert not small, f"{document} {edition} page {number}: text under {body} pt: {small[:10]}"
        footer = [c for c in page["chars"] if c["top"] > page["footer_top"]]
        assert footer and min(c["size"] for c in footer) >= body * 0.7, "footer unreadable"


@pytest.mark.parametrize("edition", ["dys", "large-print"])
def test_body_text_is_set_at_the_editions_size(edition):
    """Most characters of the worksheet are body text, at exactly the edition's size."""
    sizes = [round(c["size"], 1) for page in measured(REFERENCE, "worksheet", edition)["pages"]
             for c in content_chars(page)]
    assert max(set(sizes), key=sizes.count) == BODY[edition]


@pytest.mark.parametrize("edition", list(BODY))
@pytest.mark.parametrize("lesson_id,document", cases())
def test_no_text_runs_off_the_page_or_into_the_footer(lesson_id, document, edition):
    for number, page in enumerate(measured(lesson_id, document, edition)["pages"], 1):
        outside = [c["text"] for c in page["chars"] if c["x0"] < 0 or c["top"] < 0
                   or c["x1"] > page["width"] or c["bottom"] > page["height"] - 2]
        assert not outside, f"{document} {edition} page {number}: off the page: {outside[:20]}"
        over = [c["text"] for c in content_chars(page) if c["bottom"] > page["footer_top"] - 1]
        assert not over, f"{document} {edition} page {number}: text on the footer: {over[:20]}"


@pytest.mark.parametrize("lesson_id,document", cases())
def test_dys_has_no_italic_font(lesson_id, document):
    fonts = {c["fontname"] for page in measured(lesson_id, document, "dys")["pages"]
             for c in page["chars"]}
    assert fonts and all("Hyperlegible" in f for f in fonts), fonts
    assert not [f for f in fonts if re.search(r"Italic|Oblique|-It\b", f)], fonts


def justified_spacing(data: bytes) -> list[float]:
    """Word spacing stretched wider than the font's space: how ReportLab justifies a line.
    (A left-aligned line a hair too long is squeezed by a fraction of a point instead;
    that negative spacing leaves the right edge ragged, so it is not counted.)"""
    found = []
    for page in reader(data).pages:
        content = page.get_contents()
        stream = content.get_data() if content is not None else b""
        found += [float(m) for m in re.findall(rb"(-?[\d.]+) Tw", stream) if float(m) > 0.01]
    return found


def test_the_justification_check_can_see_justified_text():
    buffer = io.BytesIO()
    words = " ".join(["mot", "plus-long", "x"] * 60)
    SimpleDocTemplate(buffer).build([Paragraph(words, ParagraphStyle("j", alignment=TA_JUSTIFY))])
    assert justified_spacing(buffer.getvalue())


@pytest.mark.parametrize("lesson_id,document", cases())
def test_dys_text_is_never_justified(lesson_id, document):
    assert not justified_spacing(measured(lesson_id, document, "dys")["pdf"].data)


@functools.cache
def written_words() -> str:
    """Every word as written by hand: in the lessons, the kit's texts and its builders."""
    files = [*(ROOT / "lessons").glob("*.yaml"), *(ROOT / "assets").glob("*.yaml"),
             *(ROOT / "kit" / "documents").glob("*.py")]
    return "\n".join(Path(f).read_text(encoding="utf-8") for f in files).replace("'", "’")


@pytest.mark.parametrize("edition", ["dys", "large-print"])
@pytest.mark.parametrize("lesson_id,document", cases())
def test_no_word_is_split_by_hyphenation(lesson_id, document, edition):
    """A line may end with a hyphen only where the word has one (`classez-les`, `9 h-23 h`)."""
    for page in measured(lesson_id, document, edition)["pages"]:
        lines = page["lines"]
        for line, following in zip(lines, lines[1:]):
            match = re.search(r"(\w+)-$", line)
            if match and following.split():
                word = f"{match.group(1)}-{following.split()[0].rstrip('.,;:!?»')}"
                assert word in written_words(), f"{document} {edition}: '{word}' was hyphenated"


@pytest.mark.parametrize("edition,name", [("dys", "édition dys"), ("large-print", "gros caractères")])
def test_the_edition_is_named_in_the_metadata_and_the_file_name(edition, name):
    meta = reader(measured(REFERENCE, "worksheet", edition)["pdf"].data).metadata
    assert name in meta.title and name in meta.subject
    assert file_name(REFERENCE, "worksheet", edition) == {
        "dys": f"{REFERENCE}-fiche-eleve-dys.pdf",
        "large-print": f"{REFERENCE}-fiche-eleve-gros-caracteres.pdf"}[edition]


def reference_library() -> Library:
    loaded, origin = load_lesson(ROOT / "lessons" / f"{REFERENCE}.yaml")
    return Library({loaded.id: loaded}, {loaded.id: origin})


def test_build_writes_every_edition_by_default(tmp_path):
    built = build(reference_library(), tmp_path, documents=("worksheet",))
    assert sorted(b.edition for b in built) == ["dys", "large-print", "standard"]
    titles = {b.edition: reader(tmp_path / b.path).metadata.title for b in built}
    assert "édition dys" in titles["dys"] and "gros caractères" in titles["large-print"]
    assert "," not in titles["standard"].split("–")[-1]  # no edition name on the standard one


def test_build_writes_only_the_editions_asked_for(tmp_path):
    built = build(reference_library(), tmp_path, documents=("worksheet",), editions=("dys",))
    assert [Path(b.path).name for b in built] == [f"{REFERENCE}-fiche-eleve-dys.pdf"]
    assert not (tmp_path / REFERENCE / f"{REFERENCE}-fiche-eleve.pdf").exists()
