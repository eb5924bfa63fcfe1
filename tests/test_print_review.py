"""The print review (issue 12), read back from the PDFs of every bundled lesson: nothing
dropped in any edition, no wasted page, « page N / M » footers, the poster from 5 m,
French dates, ranges and ordinals, a one-page charter and certificate, and details
stamped by `kit batch` readable in their line."""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
import shutil
import subprocess

import pdfplumber
import pytest

import kit.batch
from kit.batch.run import InlineExecutor
from kit.catalogue import build
from kit.documents import DOCUMENT_TYPES
from kit.errors import RenderError
from kit.lessons import load_lesson, load_library
from kit.render import render_document
from kit.text import MONTHS, TextRenderer, format_date_fr

from .conftest import ROOT, page_texts, reader

EDITIONS = ("standard", "dys", "large-print")
FLOWING = ("worksheet", "guide", "family-letter", "quiz", "charter")  # A4 text that flows
WORD = re.compile(r"[^\W_]+")
FOOTER = "Besoin d’aide ? 3018 :"
HELP_CALLS = ("Tu vis ou tu vois du harcèlement", "Un jeune ou un parent a besoin d’aide")
SCHOOL = "Lycée général et technologique Jules-Ferry"  # 45 characters


@functools.cache
def lessons():
    return {lesson.id: lesson for lesson in load_library().sorted()}


@functools.cache
def pdf(lesson_id: str, document: str, edition: str):
    return render_document(lessons()[lesson_id], document, edition=edition)


@functools.cache
def texts(lesson_id: str, document: str, edition: str) -> tuple[str, ...]:
    return tuple(page_texts(pdf(lesson_id, document, edition)))


def body(page: str) -> str:
    """A page's text above its footer (the footer is drawn last)."""
    return page.rpartition(FOOTER)[0]


def every_document():
    return [(lesson_id, document) for lesson_id, lesson in lessons().items()
            for document in lesson.offered_documents if document in DOCUMENT_TYPES]


def words(pages) -> set[str]:
    return set(WORD.findall(" ".join(pages).casefold()))


def squashed(pages) -> str:
    """The text without any space: a long address may break at another place."""
    return re.sub(r"\W+", "", " ".join(pages).casefold())


# --- nothing dropped, no wasted page, one date format: every lesson, document, edition

@pytest.mark.parametrize("lesson_id,document", every_document())
def test_every_word_of_the_standard_edition_is_in_the_larger_ones(lesson_id, document):
    standard = words(body(t) for t in texts(lesson_id, document, "standard"))
    for edition in ("dys", "large-print"):
        larger = squashed(body(t) for t in texts(lesson_id, document, edition))
        missing = {word for word in standard if word not in larger}
        assert not missing, f"{lesson_id} {document} {edition}: missing {sorted(missing)[:20]}"


@pytest.mark.parametrize("lesson_id,document", [c for c in every_document() if c[1] in FLOWING])
def test_no_page_holds_only_a_footer_a_heading_or_the_help_box(lesson_id, document):
    for edition in EDITIONS:
        for number, page in enumerate(texts(lesson_id, document, edition), 1):
            text = body(page).strip()
            where = f"{lesson_id} {document} {edition} page {number}"
            grid = text.startswith("Nos signatures")  # 35 boxes to sign: a full page
            assert grid or len(WORD.findall(text)) >= 8, f"{where}: almost empty: {text!r}"
            assert not text.startswith(HELP_CALLS), f"{where}: the help box alone"


@pytest.mark.parametrize("lesson_id,document", every_document())
def test_footers_say_page_n_of_m_and_no_date_reads_1_month(lesson_id, document):
    """Also: no point médian (« citoyen·ne ») in printed text."""
    one_month = re.compile(r"(?<![\d,.])1 (%s)\b" % "|".join(MONTHS))
    for edition in EDITIONS:
        pages = texts(lesson_id, document, edition)
        for number, page in enumerate(pages, 1):
            footer = page.rpartition(FOOTER)[2]
            if document == "poster":
                assert "page" not in footer
            else:
                assert footer.endswith(f"page {number} / {len(pages)}"), footer
            assert not one_month.search(page), f"{lesson_id} {document} {edition}"
            assert not re.search(r"\w·\w", page), f"{lesson_id} {document} {edition}: point médian"


@pytest.mark.parametrize("lesson_id", [i for i, lesson in lessons().items()
                                       if "certificate" in lesson.offered_documents])
def test_the_certificate_is_one_page_with_every_item_in_every_edition(lesson_id):
    for edition in EDITIONS:
        assert pdf(lesson_id, "certificate", edition).pages == 1
        assert "Je sais que…" in texts(lesson_id, "certificate", edition)[0]


def test_a_certificate_that_cannot_fit_names_the_lesson_document_and_items(tmp_path):
    path = ROOT / "lessons" / "citoyen-numerique-temoin-actif.yaml"
    messages = "".join(f'  - "Message clé numéro {n}, ' + "une phrase longue à retenir " * 6 + '"\n'
                       for n in range(10))
    text = re.sub(r"key_messages:\n(  - .*\n)+", "key_messages:\n" + messages,
                  path.read_text(encoding="utf-8"))
    (tmp_path / path.name).write_text(text, encoding="utf-8")
    lesson = load_lesson(tmp_path / path.name)[0]
    with pytest.raises(RenderError) as raised:
        render_document(lesson, "certificate", edition="large-print")
    message = raised.value.format_message()
    assert "citoyen-numerique-temoin-actif" in message and "Diplôme" in message
    assert ("Diplôme (édition large-print) : ses 10 phrases « Je sais que… » (key_messages) ne "
            "tiennent pas sur sa page") in message


@pytest.mark.parametrize("lesson_id", [i for i, lesson in lessons().items()
                                       if "charter" in lesson.offered_documents])
def test_the_charter_is_one_page_with_35_boxes_at_least_12_mm_high(lesson_id):
    charter = pdf(lesson_id, "charter", "standard")
    assert charter.pages == 1
    with pdfplumber.open(io.BytesIO(charter.data)) as opened:
        page = opened.pages[0]
        inner = [e for e in page.edges if e["orientation"] == "v"
                 and page.width * 0.15 < e["x0"] < page.width * 0.85 and e["height"] > 100]
        top, bottom = min(e["top"] for e in inner), max(e["bottom"] for e in inner)
        rows = sorted({round(e["top"], 1) for e in page.edges if e["orientation"] == "h"
                       and top - 1 <= e["top"] <= bottom + 1 and e["width"] > page.width * 0.6})
    cells = (len(rows) - 1) * (len({round(e["x0"], 1) for e in inner}) + 1)
    heights = [b - a for a, b in zip(rows, rows[1:])]
    assert cells >= 35 and min(heights) >= 12 / 25.4 * 72 - 0.5, (cells, heights)


@pytest.mark.parametrize("lesson_id", [i for i, lesson in lessons().items()
                                       if "slides" in lesson.offered_documents])
def test_slides_show_every_question_and_scenario_numbered(lesson_id):
    lesson = lessons()[lesson_id]
    plain = TextRenderer({}, None).plain
    whole = " ".join(texts(lesson_id, "slides", "standard"))
    context_free = [a for a in lesson.activities if a.student]
    for activity in context_free:
        for n, question in enumerate(activity.student.questions, 1):
            if "{" not in question.prompt:
                assert " ".join(plain(question.prompt).split()) in whole
            assert f"Question {n} sur {len(activity.student.questions)}" in whole
        for n, scenario in enumerate(activity.student.scenarios, 1):
            assert " ".join(plain(scenario.title).split()) in whole
            assert f"Situation {n} sur {len(activity.student.scenarios)}" in whole
    form = "À vous :" if lesson.level in ("parents", "staff") else "À toi :"
    other = "À toi :" if form == "À vous :" else "À vous :"
    assert (form in whole) == bool(lesson.scenarios) and other not in whole


# --- the poster -----------------------------------------------------------------

def sizes(data, words_: str) -> list[float]:
    found = []

    def visit(text, cm, tm, font, size):
        if words_ in text:
            found.append(size * tm[0] * cm[0])
    reader(data).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("paper,smallest", [("a4", 34), ("a3", 48)])
def test_the_poster_reads_from_five_metres(edition, paper, smallest):
    lesson = lessons()["cyberharcelement-temoin-actif"]
    poster = render_document(lesson, "poster", edition=edition, paper=paper)
    text = page_texts(poster)[0]
    assert poster.pages == 1 and "page" not in text.rpartition(FOOTER)[2]
    for key in ("Gratuit · Anonyme · Confidentiel", "De 9 h à 23 h"):
        assert key in text and min(sizes(poster.data, key.split()[0])) >= smallest, key
    assert max(sizes(poster.data, "3018")) >= 2.5 * smallest


def test_kit_build_writes_the_a3_poster_once_for_the_catalogue(tmp_path):
    library = load_library()
    lesson = library.get("cyberharcelement-temoin-actif")
    build(library.only(lesson), tmp_path, documents=("poster",), editions=("standard", "dys"),
          workers=1)
    posters = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*a3*.pdf"))
    assert posters == ["affiche-3018-a3-dys.pdf", "affiche-3018-a3.pdf"]
    poster = (tmp_path / "affiche-3018-a3.pdf").read_bytes()
    box = reader(poster).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 1191)
    assert len(reader(poster).pages) == 1 and "page" not in page_texts(poster)[0].rpartition(FOOTER)[2]


# --- typography -----------------------------------------------------------------

def test_dates_ranges_and_ordinals_are_set_the_french_way():
    renderer = TextRenderer({}, None)
    assert format_date_fr(dt.date(2026, 11, 1)) == "dimanche 1er novembre 2026"
    assert renderer.typeset("le 1 novembre") == "le 1<super>er</super>\u00a0novembre"
    assert renderer.typeset("9 h-23 h") == "9\u00a0h\u00a0–\u00a023\u00a0h"
    assert renderer.typeset("119 - Allô Enfance en danger") == "119\u00a0– Allô Enfance en danger"
    assert renderer.typeset("Cycle 3 (CM1-6e)") == "Cycle 3 (CM1–6<super>e</super>)"
    assert renderer.typeset("la 5e B et la 2de") == "la 5<super>e</super> B et la 2<super>de</super>"
    for untouched in ("article 222-33-2-2", "loi 2018-703", "L111-6", "https://a.fr/6e-x"):
        assert renderer.typeset(untouched).replace("\u00a0", " ") == untouched
    plain = TextRenderer({}, None, superscripts=False)  # dys, large print: never smaller
    assert plain.typeset("CM1-6e") == "CM1–6e"


def test_a_long_title_is_shortened_in_the_footer_never_wrapped(lesson_copy):
    long_title = "Un titre de séance vraiment très long " * 4
    path = lesson_copy([('title: "Cyberharcèlement : ne reste pas spectateur"',
                         f'title: "{long_title.strip()}"')])
    for edition in EDITIONS:
        data = render_document(load_lesson(path)[0], "worksheet", edition=edition).data
        with pdfplumber.open(io.BytesIO(data)) as opened:
            page = opened.pages[0]
            lines = [l for l in (page.extract_text() or "").splitlines() if l.strip()]
        assert lines[-1].startswith("Fiche élève") and "…" in lines[-1]
        assert lines[-1].endswith(" / " + str(len(reader(data).pages)))


def test_identical_input_gives_identical_bytes():
    lesson = lessons()["cyberharcelement-temoin-actif"]
    assert (render_document(lesson, "slides").data == render_document(lesson, "slides").data)


# --- kit batch: stamped details ----------------------------------------------------

@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_long_school_name_is_stamped_at_8_pt_or_more_and_read_after_its_label(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Établissement;Classe;Séance;Date\n"
                      f"{SCHOOL};2de B;cyberharcelement-temoin-actif;09/11/2027\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    summary = kit.batch.run(roster, out, documents=("worksheet", "family-letter"),
                            executor=InlineExecutor(), progress="none")
    assert summary.ok == 1
    files = sorted(out.rglob("*.pdf"))
    assert len(files) == 2
    for path in files:
        first = reader(path.read_bytes()).pages[0]
        assert "/KitStamp" in first["/Resources"]["/Font"]  # stamped, not laid out again
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert f"Établissement : {SCHOOL}" in " ".join(text.split())
        assert min(sizes(path.read_bytes(), "Jules-Ferry")) >= 8
